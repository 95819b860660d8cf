// Errors are data. Every D-Bus error name and every failure the core knows about is turned into
// an AppError here, in one place; the renderer and the CLI only print `message`.
// Messages come from the errors catalog in the core's language (English unless the language
// setting or the locale says otherwise); codes and the technical detail stay as they are.
import { t } from '../../i18n/index.js';
import type { AppError, AppErrorCode, Result } from './model/domain.js';

export function appError(code: AppErrorCode, message: string, detail?: string): AppError {
  return detail === undefined ? { code, message } : { code, message, detail };
}

export function fail<T = never>(code: AppErrorCode, message: string, detail?: string): Result<T> {
  return { ok: false, error: appError(code, message, detail) };
}

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function invalidInput<T = never>(message: string): Result<T> {
  return fail('invalid-input', message);
}

/** An error carrying an AppError, for code paths that throw. */
export class AppFailure extends Error {
  constructor(readonly error: AppError) {
    super(error.message);
    this.name = 'AppFailure';
  }
}

/** The name of a D-Bus error (dbus-next's DBusError has `type`), if it is one. */
function dbusErrorName(err: unknown): string | null {
  if (typeof err === 'object' && err !== null) {
    const type = (err as { type?: unknown }).type;
    if (typeof type === 'string' && type.includes('.')) return type;
  }
  return null;
}

function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}

/** The parts of Node's system errors this module reads (code, syscall, path, address). */
function systemErrorOf(
  err: unknown,
): { code: string; syscall: string | null; path: string | null; address: string | null } | null {
  if (typeof err !== 'object' || err === null) return null;
  const e = err as { code?: unknown; syscall?: unknown; path?: unknown; address?: unknown };
  if (typeof e.code !== 'string') return null;
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  return { code: e.code, syscall: text(e.syscall), path: text(e.path), address: text(e.address) };
}

/** What a failed call was doing, for a caller that did not say (toAppError). */
const SYSCALL_VERBS: Record<string, string> = {
  scandir: 'read',
  opendir: 'read',
  read: 'read',
  stat: 'read',
  lstat: 'read',
  readlink: 'read',
  access: 'open',
  open: 'open',
  mkdir: 'create',
  unlink: 'remove',
  rmdir: 'remove',
  rm: 'remove',
  rename: 'move',
  copyfile: 'copy',
  chmod: 'change',
  utime: 'change',
};

/** Each verb's catalog key: Korean needs the verb's own form inside the sentence. */
const VERB_KEYS: Record<string, string> = {
  read: 'errors:verb.read',
  open: 'errors:verb.open',
  create: 'errors:verb.create',
  remove: 'errors:verb.remove',
  move: 'errors:verb.move',
  'move aside': 'errors:verb.moveAside',
  copy: 'errors:verb.copy',
  change: 'errors:verb.change',
  write: 'errors:verb.write',
  lock: 'errors:verb.lock',
};

/** Socket errors: the peer is not there (or went away), not a file that is. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTCONN', 'EPIPE', 'ECONNABORTED']);

/** What each errno of a file call is, as an error code and the words that say it (ENOENT,
 *  which depends on the verb, aside). */
const FILE_CODE_WORDS: Readonly<Record<string, readonly [AppErrorCode, string]>> = {
  ENOSPC: ['no-space', 'errors:file.diskFull'],
  EDQUOT: ['no-space', 'errors:file.diskFull'],
  EROFS: ['access-denied', 'errors:file.readOnly'],
  EACCES: ['access-denied', 'errors:file.denied'],
  EPERM: ['access-denied', 'errors:file.denied'],
  ENOTDIR: ['invalid-input', 'errors:file.notDir'],
  EISDIR: ['invalid-input', 'errors:file.isDir'],
  EEXIST: ['conflict', 'errors:file.exists'],
  ENOTEMPTY: ['conflict', 'errors:file.exists'],
  ENAMETOOLONG: ['invalid-input', 'errors:file.tooLong'],
  ELOOP: ['invalid-input', 'errors:file.loop'],
  EBUSY: ['conflict', 'errors:file.busy'],
  ETXTBSY: ['conflict', 'errors:file.busy'],
  EIO: ['internal', 'errors:file.io'],
  EMFILE: ['internal', 'errors:file.tooManyOpen'],
  ENFILE: ['internal', 'errors:file.tooManyOpen'],
  EXDEV: ['internal', 'errors:file.crossDevice'],
};

/**
 * A failed file-system call (Node's errors carry `code`, `syscall` and `path`) in words that
 * name the file and say what is wrong with it: missing, not a folder, a folder, permission
 * denied, read-only, the disk full, and so on. `path` is the file the user knows (not a temp
 * file beside it); `verb` what was being done to it (default: write when `path` is given, else
 * what the failed call did). null when `err` is no file error (a socket's
 * connect, which is the bus's business, or anything without an errno).
 */
export function fileError(err: unknown, path?: string, verbGiven?: string): AppError | null {
  const e = systemErrorOf(err);
  if (e === null || e.syscall === null) return null;
  if (e.syscall === 'connect' || SOCKET_CODES.has(e.code)) return null;
  // A caller naming its file is writing it unless it says otherwise; without one, the call says.
  const verb = verbGiven ?? (path !== undefined ? 'write' : (SYSCALL_VERBS[e.syscall] ?? 'write'));
  const file = path ?? e.path ?? t('errors:file.aFile');
  const text = errorText(err);
  const makes = verb === 'write' || verb === 'create';
  const verbKey = VERB_KEYS[verb];
  const vars = { verb: verbKey === undefined ? verb : t(verbKey), file };
  const words = (code: AppErrorCode, key: string) => appError(code, t(key, vars), text);
  if (e.syscall.startsWith('spawn')) {
    const program = e.path ?? e.syscall.slice('spawn '.length);
    if (e.code === 'ENOENT')
      return appError('invalid-input', t('errors:program.notFound', { program }), text);
    if (e.code === 'EACCES')
      return appError('access-denied', t('errors:program.denied', { program }), text);
    return null;
  }
  if (e.code === 'ENOENT')
    return words('invalid-input', makes ? 'errors:file.noFolder' : 'errors:file.missing');
  const known = Object.hasOwn(FILE_CODE_WORDS, e.code) ? FILE_CODE_WORDS[e.code] : undefined;
  return known === undefined ? null : words(known[0], known[1]);
}

/** Map anything thrown while talking to systemd to an AppError. `subject` names the unit. */
export function toAppError(err: unknown, subject?: string): AppError {
  if (err instanceof AppFailure) return err.error;
  const name = dbusErrorName(err);
  const text = errorText(err);
  const what = subject ?? t('errors:systemd.theUnit');
  switch (name) {
    case 'org.freedesktop.systemd1.NoSuchUnit':
    case 'org.freedesktop.DBus.Error.FileNotFound':
      return appError('no-such-unit', t('errors:systemd.noSuchUnit', { what }), text);
    case 'org.freedesktop.systemd1.UnitMasked':
      return appError('masked', t('errors:systemd.masked', { what }), text);
    case 'org.freedesktop.DBus.Error.AccessDenied':
    case 'org.freedesktop.DBus.Error.InteractiveAuthorizationRequired':
    case 'org.freedesktop.systemd1.OnlyByDependency':
      return appError('access-denied', t('errors:systemd.notAllowed', { text }), text);
    case 'org.freedesktop.DBus.Error.NoReply':
    case 'org.freedesktop.DBus.Error.Timeout':
    case 'org.freedesktop.DBus.Error.TimedOut':
      return appError('timeout', t('errors:systemd.timeout'), text);
    case 'org.freedesktop.DBus.Error.ServiceUnknown':
    case 'org.freedesktop.DBus.Error.NameHasNoOwner':
    case 'org.freedesktop.DBus.Error.Disconnected':
      return appError('bus-unavailable', t('errors:systemd.unreachable'), text);
    case 'org.freedesktop.DBus.Error.InvalidArgs':
      return appError('invalid-input', text, text);
    case 'org.freedesktop.systemd1.UnitLinked':
    case 'org.freedesktop.systemd1.TransactionIsDestructive':
    case 'org.freedesktop.systemd1.TransactionJobsConflicting':
      return appError('conflict', text, text);
    case 'org.freedesktop.systemd1.NoSuchJob':
    case 'org.freedesktop.systemd1.JobTypeNotApplicable':
    case 'org.freedesktop.systemd1.UnitGeneratorFailed':
      return appError('unsupported', text, text);
    default:
      break;
  }
  if (name !== null && name.startsWith('org.freedesktop.systemd1.')) {
    return appError('job-failed', text, name);
  }
  const onFile = fileError(err);
  if (onFile !== null) return onFile;
  // The session bus only for a socket that is not there or went away: a connect that failed
  // (its socket missing or refused), or a connection reset. A missing file is a file's error.
  const sys = systemErrorOf(err);
  if (sys !== null && (sys.syscall === 'connect' || SOCKET_CODES.has(sys.code)))
    return appError(
      'bus-unavailable',
      sys.address !== null
        ? t('errors:bus.unreachableAt', {
            address: sys.address,
            reason: sys.code === 'ENOENT' ? t('errors:bus.noSocket') : sys.code,
          })
        : t('errors:bus.unreachable'),
      text,
    );
  return appError('internal', text);
}
