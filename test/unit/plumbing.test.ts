// The rule that tells the desktop session's plumbing from the user's own units, and the facts of
// a failure as the panel's rows put them into words.
import { describe, expect, it } from 'vitest';
import { plumbingOf, unitOrigin } from '../../main/core/model/plumbing.js';
import { failureReason, newUnitRecord, unitEntry } from '../../main/core/systemd/unit-model.js';

describe('plumbing', () => {
  it('locks the bus, systemd-exit and the setup steps, and guards the rest with a question', () => {
    expect(plumbingOf('dbus.socket')).toEqual({ role: 'bus', guard: 'locked' });
    expect(plumbingOf('dbus.service')).toEqual({ role: 'bus', guard: 'locked' });
    expect(plumbingOf('systemd-exit.service')).toEqual({ role: 'exit', guard: 'locked' });
    expect(plumbingOf('systemd-tmpfiles-clean.timer')?.guard).toBe('locked');
    for (const name of [
      'gpg-agent.socket',
      'gpg-agent-ssh.socket',
      'dirmngr.socket',
      'ssh-agent.service',
      'at-spi-dbus-bus.service',
      'dconf.service',
      'xdg-desktop-portal.service',
      'pipewire.socket',
      'wireplumber.service',
      'dunst.service',
      'gvfs-daemon.service',
      'pk-debconf-helper.socket',
    ])
      expect(plumbingOf(name)?.guard, name).toBe('confirm');
  });

  it('leaves the user\u2019s own names alone', () => {
    for (const name of ['syncthing.service', 'my-dbus-tool.service', 'backup.timer', 'web.socket'])
      expect(plumbingOf(name), name).toBeNull();
  });

  it('says whose a unit is from its name and where its file is', () => {
    expect(unitOrigin('web.service', '/home/ann/.config/systemd/user/web.service')).toBe('user');
    expect(unitOrigin('web.service', '/var/home/ann/.config/systemd/user/web.service')).toBe(
      'user',
    );
    expect(unitOrigin('syncthing.service', '/usr/lib/systemd/user/syncthing.service')).toBe(
      'system',
    );
    expect(unitOrigin('x.service', '/etc/systemd/user/x.service')).toBe('system');
    expect(unitOrigin('run-u5.service', '/run/user/1000/systemd/transient/run-u5.service')).toBe(
      'user',
    );
    expect(unitOrigin('app.service', '/run/user/1000/systemd/generator.late/app.service')).toBe(
      'system',
    );
    expect(unitOrigin('x.service', null)).toBe('system');
    // A copy of the session's own unit in ~/.config still plays its part.
    expect(unitOrigin('dbus.socket', '/home/ann/.config/systemd/user/dbus.socket')).toBe('system');
  });
});

describe('failure reasons', () => {
  const sec = 1_700_000_000_000_000;
  it('says how the main process ended', () => {
    expect(
      failureReason(
        { stateChangeUsec: sec, result: 'exit-code', code: 1, status: 2, exitUsec: sec },
        0,
        sec,
      ),
    ).toEqual({
      result: 'exit-code',
      exit: { kind: 'exited', status: 2 },
      restarts: 0,
      at: new Date(sec / 1000).toISOString(),
    });
    const exitOf = (result: string, code: number, status: number) =>
      failureReason({ stateChangeUsec: sec, result, code, status, exitUsec: 0 }, 0, sec).exit;
    expect(exitOf('signal', 2, 9)).toEqual({ kind: 'killed', signal: 'SIGKILL', number: 9 });
    expect(exitOf('core-dump', 3, 11)).toEqual({ kind: 'dumped', signal: 'SIGSEGV', number: 11 });
  });

  it('counts the restarts before systemd gave up, and knows when even without the exit', () => {
    const r = failureReason(undefined, 5, sec);
    expect(r).toEqual({
      result: 'unknown',
      exit: null,
      restarts: 5,
      at: new Date(sec / 1000).toISOString(),
    });
  });

  it('is on an entry only while it is failed, with origin and plumbing beside it', () => {
    const rec = newUnitRecord('dd-crash.service');
    rec.activeState = 'failed';
    rec.fragmentPath = '/home/ann/.config/systemd/user/dd-crash.service';
    rec.failure = { stateChangeUsec: 1, result: 'exit-code', code: 1, status: 3, exitUsec: 0 };
    expect(unitEntry(rec).failure?.exit).toEqual({ kind: 'exited', status: 3 });
    expect(unitEntry(rec).origin).toBe('user');
    expect(unitEntry(rec).plumbing).toBeUndefined();
    rec.activeState = 'inactive';
    expect(unitEntry(rec).failure).toBeUndefined();
    const bus = newUnitRecord('dbus.socket');
    bus.fragmentPath = '/usr/lib/systemd/user/dbus.socket';
    expect(unitEntry(bus)).toMatchObject({
      origin: 'system',
      plumbing: { role: 'bus', guard: 'locked' },
    });
  });
});
