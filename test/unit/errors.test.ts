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
    expect(toAppError(fsError('ENOSPC')).message).toMatch(/The disk is full: .* \/x\/\.y\.tmp/);
    expect(fileError(new Error('no code'))).toBeNull();
    // A real one from Node: sysfs lets no one create a file (read-only in containers).
    const real = await writeFile('/sys/kernel/dd-test', 'x').catch((e: unknown) => e);
    expect(toAppError(real).code).toBe('access-denied');
  });

  // Each cause in words, naming the file (a test per mapping).
  const sysError = (code: string, syscall: string, path?: string, address?: string) =>
    Object.assign(new Error(`${code}: boom, ${syscall}`), {
      code,
      syscall,
      ...(path !== undefined ? { path } : {}),
      ...(address !== undefined ? { address } : {}),
    });
  it.each([
    [
      'ENOENT',
      'open',
      'read',
      'invalid-input',
      /^\/a\/b does not exist, so Daemon Deck could not read it\.$/,
    ],
    [
      'ENOENT',
      'open',
      'write',
      'invalid-input',
      /could not write \/a\/b: the folder it goes in does not exist/,
    ],
    [
      'ENOTDIR',
      'scandir',
      'read',
      'invalid-input',
      /could not read \/a\/b: part of its path is a file, not a folder/,
    ],
    ['EISDIR', 'open', 'read', 'invalid-input', /\/a\/b is a folder, not a file/],
    ['EACCES', 'open', 'read', 'access-denied', /not allowed to read \/a\/b \(permission denied\)/],
    [
      'EPERM',
      'unlink',
      'remove',
      'access-denied',
      /not allowed to remove \/a\/b \(permission denied\)/,
    ],
    ['EROFS', 'open', 'write', 'access-denied', /\/a\/b is on a read-only file system/],
    ['ENOSPC', 'write', 'write', 'no-space', /The disk is full: .* \/a\/b/],
    ['EDQUOT', 'write', 'write', 'no-space', /The disk is full/],
    ['EEXIST', 'mkdir', 'create', 'conflict', /\/a\/b already exists/],
    ['ENAMETOOLONG', 'open', 'write', 'invalid-input', /path \/a\/b is too long/],
    ['ELOOP', 'open', 'read', 'invalid-input', /loop of symbolic links/],
    ['EBUSY', 'rmdir', 'remove', 'conflict', /\/a\/b is in use/],
    ['EIO', 'read', 'read', 'internal', /input\/output error .* \/a\/b/],
    ['EMFILE', 'open', 'read', 'internal', /Too many files are open/],
  ] as const)(
    '%s from %s (%s) is %s, in words naming the file',
    (code, syscall, verb, kind, words) => {
      const e = fileError(sysError(code, syscall, '/a/.b.tmp'), '/a/b', verb);
      expect(e?.code).toBe(kind);
      expect(e?.message).toMatch(words);
      // toAppError says the same, naming the path in the error itself.
      const viaTo = toAppError(sysError(code, syscall, '/a/b'));
      expect(viaTo.code).toBe(kind);
      expect(viaTo.code).not.toBe('bus-unavailable');
    },
  );

  it('a missing file is never "the session bus is not reachable"; a failed bus connect is', async () => {
    // What Node throws for a backups folder that is not there (unit delete/edit before 13f9088).
    const { readdir } = await import('node:fs/promises');
    const missing = await readdir('/nonexistent/daemon-deck/unit-backups').catch((e: unknown) => e);
    const e = toAppError(missing);
    expect(e.code).toBe('invalid-input');
    expect(e.message).toBe(
      '/nonexistent/daemon-deck/unit-backups does not exist, so Daemon Deck could not read it.',
    );
    expect(
      toAppError(sysError('ENOENT', 'open', '/home/u/.config/autostart/x.desktop')).message,
    ).toMatch(/x\.desktop does not exist/);
    // An ENOENT with no file at all is not the bus either.
    expect(toAppError(Object.assign(new Error('gone'), { code: 'ENOENT' })).code).toBe('internal');
    // The bus's socket missing or refusing: a connect error on it.
    const net = await import('node:net');
    const connect = await new Promise<unknown>((resolve) => {
      const sock = net.createConnection('/nonexistent/dd-bus-socket');
      sock.on('error', resolve);
    });
    const bus = toAppError(connect);
    expect(bus.code).toBe('bus-unavailable');
    expect(bus.message).toMatch(
      /session bus is not reachable \(\/nonexistent\/dd-bus-socket: no such socket\)/,
    );
    expect(toAppError(sysError('ECONNREFUSED', 'connect', undefined, '/run/user/1/bus')).code).toBe(
      'bus-unavailable',
    );
  });

  it('a program that cannot be started says so, not a file or bus error', () => {
    const e = toAppError(sysError('ENOENT', 'spawn /usr/bin/nope', '/usr/bin/nope'));
    expect(e).toMatchObject({
      code: 'invalid-input',
      message: 'The program /usr/bin/nope was not found (is it installed?).',
    });
  });
});
