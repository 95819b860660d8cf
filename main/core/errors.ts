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

/**
 * A failed file-system call (Node's errors carry `code`, `syscall` and `path`) in words: a full
 * disk, a read-only folder and a refused permission each say so and name the file. `path` is the
 * file the user knows (not a temp file beside it); `verb` what was being done to it.
 */
export function fileError(err: unknown, path?: string, verb = 'write'): AppError | null {
  const e = err as { code?: unknown; syscall?: unknown; path?: unknown } | null;
  if (typeof e?.code !== 'string' || typeof e.syscall !== 'string') return null;
  const file = path ?? (typeof e.path === 'string' ? e.path : 'a file');
  const text = errorText(err);
  switch (e.code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return appError(
        'no-space',
        `The disk is full: Daemon Deck could not ${verb} ${file}. Free some space and try again.`,
        text,
      );
    case 'EROFS':
      return appError(
        'access-denied',
        `${file} is on a read-only file system, so Daemon Deck could not ${verb} it.`,
        text,
      );
    case 'EACCES':
    case 'EPERM':
      return appError(
        'access-denied',
        `Daemon Deck is not allowed to ${verb} ${file} (permission denied).`,
        text,
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
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EPIPE') {
    return appError('bus-unavailable', 'The session bus is not reachable.', text);
  }
  return appError('internal', text);
}
