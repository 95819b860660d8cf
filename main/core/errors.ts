// Errors are data. Every D-Bus error name and every failure the core knows about is turned into
// an AppError here, in one place; the renderer and the CLI only print `message`.
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

/** Socket errors: the peer is not there (or went away), not a file that is. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTCONN', 'EPIPE', 'ECONNABORTED']);

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
  const file = path ?? e.path ?? 'a file';
  const text = errorText(err);
  const makes = verb === 'write' || verb === 'create';
  const words = (code: AppErrorCode, message: string) => appError(code, message, text);
  if (e.syscall.startsWith('spawn')) {
    const program = e.path ?? e.syscall.slice('spawn '.length);
    if (e.code === 'ENOENT')
      return words('invalid-input', `The program ${program} was not found (is it installed?).`);
    if (e.code === 'EACCES')
      return words('access-denied', `The program ${program} cannot be run (permission denied).`);
    return null;
  }
  switch (e.code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return words(
        'no-space',
        `The disk is full: Daemon Deck could not ${verb} ${file}. Free some space and try again.`,
      );
    case 'EROFS':
      return words(
        'access-denied',
        `${file} is on a read-only file system, so Daemon Deck could not ${verb} it.`,
      );
    case 'EACCES':
    case 'EPERM':
      return words(
        'access-denied',
        `Daemon Deck is not allowed to ${verb} ${file} (permission denied).`,
      );
    case 'ENOENT':
      return words(
        'invalid-input',
        makes
          ? `Daemon Deck could not ${verb} ${file}: the folder it goes in does not exist.`
          : `${file} does not exist, so Daemon Deck could not ${verb} it.`,
      );
    case 'ENOTDIR':
      return words(
        'invalid-input',
        `Daemon Deck could not ${verb} ${file}: part of its path is a file, not a folder.`,
      );
    case 'EISDIR':
      return words(
        'invalid-input',
        `${file} is a folder, not a file, so Daemon Deck could not ${verb} it.`,
      );
    case 'EEXIST':
    case 'ENOTEMPTY':
      return words('conflict', `${file} already exists, so Daemon Deck could not ${verb} it.`);
    case 'ENAMETOOLONG':
      return words(
        'invalid-input',
        `The path ${file} is too long for the file system, so Daemon Deck could not ${verb} it.`,
      );
    case 'ELOOP':
      return words(
        'invalid-input',
        `${file} is a loop of symbolic links, so Daemon Deck could not ${verb} it.`,
      );
    case 'EBUSY':
    case 'ETXTBSY':
      return words('conflict', `${file} is in use, so Daemon Deck could not ${verb} it.`);
    case 'EIO':
      return words(
        'internal',
        `The disk reported an input/output error while Daemon Deck tried to ${verb} ${file}.`,
      );
    case 'EMFILE':
    case 'ENFILE':
      return words(
        'internal',
        `Too many files are open, so Daemon Deck could not ${verb} ${file}; try again.`,
      );
    case 'EXDEV':
      return words(
        'internal',
        `Daemon Deck could not ${verb} ${file}: it would move it to another file system.`,
      );
    default:
      return null;
  }
}

/** Map anything thrown while talking to systemd to an AppError. `subject` names the unit. */
export function toAppError(err: unknown, subject?: string): AppError {
  if (err instanceof AppFailure) return err.error;
  const name = dbusErrorName(err);
  const text = errorText(err);
  const what = subject ?? 'The unit';
  switch (name) {
    case 'org.freedesktop.systemd1.NoSuchUnit':
    case 'org.freedesktop.DBus.Error.FileNotFound':
      return appError('no-such-unit', `${what} does not exist.`, text);
    case 'org.freedesktop.systemd1.UnitMasked':
      return appError(
        'masked',
        `${what} is masked, so it cannot be started. Unmask it first.`,
        text,
      );
    case 'org.freedesktop.DBus.Error.AccessDenied':
    case 'org.freedesktop.DBus.Error.InteractiveAuthorizationRequired':
    case 'org.freedesktop.systemd1.OnlyByDependency':
      return appError('access-denied', `Not allowed: ${text}`, text);
    case 'org.freedesktop.DBus.Error.NoReply':
    case 'org.freedesktop.DBus.Error.Timeout':
    case 'org.freedesktop.DBus.Error.TimedOut':
      return appError('timeout', 'systemd did not answer in time.', text);
    case 'org.freedesktop.DBus.Error.ServiceUnknown':
    case 'org.freedesktop.DBus.Error.NameHasNoOwner':
    case 'org.freedesktop.DBus.Error.Disconnected':
      return appError(
        'bus-unavailable',
        'The systemd user manager is not reachable on the session bus.',
        text,
      );
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
        ? `The session bus is not reachable (${sys.address}: ${sys.code === 'ENOENT' ? 'no such socket' : sys.code}).`
        : 'The session bus is not reachable.',
      text,
    );
  return appError('internal', text);
}
