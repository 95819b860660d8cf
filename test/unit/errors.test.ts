import { describe, expect, it } from 'vitest';
import dbus from 'dbus-next';
import { AppFailure, appError, toAppError } from '../../main/core/errors.js';

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
});
