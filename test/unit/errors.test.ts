import { describe, expect, it } from 'vitest';
import dbus from 'dbus-next';
import { AppFailure, appError, fileError, toAppError } from '../../main/core/errors.js';

describe('toAppError: one place from D-Bus error names to readable errors', () => {
  it.each([
    ['org.freedesktop.systemd1.NoSuchUnit', 'no-such-unit', /x\.service does not exist/],
    ['org.freedesktop.systemd1.UnitMasked', 'masked', /masked/],
    ['org.freedesktop.DBus.Error.AccessDenied', 'access-denied', /Not allowed/],
    ['org.freedesktop.DBus.Error.NoReply', 'timeout', /did not answer/],
    ['org.freedesktop.DBus.Error.ServiceUnknown', 'bus-unavailable', /not reachable/],
    ['org.freedesktop.DBus.Error.InvalidArgs', 'invalid-input', /boom/],
    ['org.freedesktop.systemd1.TransactionIsDestructive', 'conflict', /boom/],
    ['org.freedesktop.systemd1.JobTypeNotApplicable', 'unsupported', /boom/],
    ['org.freedesktop.systemd1.SomethingNew', 'job-failed', /boom/],
  ] as const)('%s becomes %s', (name, code, message) => {
    const e = toAppError(new dbus.DBusError(name, 'boom'), 'x.service');
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });

  it('passes AppFailures through and maps socket errors and anything else', () => {
    expect(toAppError(new AppFailure(appError('conflict', 'c')))).toEqual({
      code: 'conflict',
      message: 'c',
    });
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(toAppError(refused).code).toBe('bus-unavailable');
    expect(toAppError(new Error('weird'))).toEqual({ code: 'internal', message: 'weird' });
    expect(toAppError('text')).toEqual({ code: 'internal', message: 'text' });
  });

  it('says what went wrong with a file: a full disk, a read-only folder, a refused permission', async () => {
    const { writeFile } = await import('node:fs/promises');
    const fsError = (code: string) =>
      Object.assign(new Error(`${code}: boom, open '/x/.y.tmp'`), {
        code,
        syscall: 'open',
        path: '/x/.y.tmp',
      });
    const full = fileError(fsError('ENOSPC'), '/x/y');
    expect(full?.code).toBe('no-space');
    expect(full?.message).toMatch(/^The disk is full: .* could not write \/x\/y\./);
    const ro = fileError(fsError('EROFS'), '/x/y');
    expect(ro?.code).toBe('access-denied');
    expect(ro?.message).toMatch(/\/x\/y is on a read-only file system/);
    expect(fileError(fsError('EACCES'), '/x/y', 'remove')?.message).toMatch(
      /not allowed to remove \/x\/y/,
    );
    // Without a target, the error's own path; through toAppError too.
    expect(toAppError(fsError('ENOSPC')).message).toMatch(/could not write \/x\/\.y\.tmp/);
    expect(fileError(fsError('ENOENT'), '/x/y')).toBeNull();
    expect(fileError(new Error('no code'))).toBeNull();
    // A real one from Node: sysfs lets no one create a file (read-only in containers).
    const real = await writeFile('/sys/kernel/dd-test', 'x').catch((e: unknown) => e);
    expect(toAppError(real).code).toBe('access-denied');
  });
});
