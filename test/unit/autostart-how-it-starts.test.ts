import fc from 'fast-check';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { howItStarts, serviceUnit, type Starter } from '../../main/core/autostart/how-it-starts.js';
import { APP_MARKER, parseExecStart, quoteExecArg } from '../../main/core/systemd/unit-file.js';
import { Linger } from '../../main/core/autostart/linger.js';

const starters: Starter[] = [
  {
    mechanism: 'systemd',
    id: 'systemd:sync.service',
    active: true,
    argv: ['/usr/bin/sync-tool', '-d'],
    detail: '',
  },
  {
    mechanism: 'cron',
    id: 'cron:1a2b3c4d',
    active: true,
    argv: ['/usr/bin/sync-tool', '-d'],
    detail: '',
  },
  {
    mechanism: 'cron',
    id: 'cron:99999999',
    active: false,
    argv: ['/usr/bin/sync-tool', '-d'],
    detail: '',
  },
  {
    mechanism: 'xdg-autostart',
    id: 'autostart:tray.desktop',
    active: true,
    argv: ['/usr/bin/tray'],
    detail: 'the autostart entry “Tray” (tray.desktop)',
  },
  { mechanism: 'cron', id: 'cron:aaaaaaaa', active: true, argv: null, detail: '' },
];

describe('how does this start?', () => {
  it('lists every active mechanism and flags a command started twice', () => {
    const h = howItStarts(['/usr/bin/sync-tool', '-d'], starters);
    expect(h.via.map((v) => v.id)).toEqual(['systemd:sync.service', 'cron:1a2b3c4d']);
    expect(h.duplicate).toBe(true);
    expect(h.notices.map((n) => n.code)).toEqual(['duplicate']);
  });

  it('says nothing starts a command no one starts, and offers three ways, a unit first', () => {
    const h = howItStarts(['/usr/bin/other'], starters);
    expect(h.via).toEqual([]);
    expect(h.duplicate).toBe(false);
    expect(
      h.options.map((o) => [o.mechanism, o.recommended, o.restartsOnCrash, o.needsLogin]),
    ).toEqual([
      ['systemd', true, true, false],
      ['cron', false, false, false],
      ['xdg-autostart', false, false, true],
    ]);
  });

  it('shows what is already in place per way', () => {
    const h = howItStarts(['/usr/bin/tray'], starters);
    expect(h.options.find((o) => o.mechanism === 'xdg-autostart')?.existing).toEqual([
      'the autostart entry “Tray” (tray.desktop)',
    ]);
  });
});

describe('ExecStart quoting', () => {
  it('round-trips arguments', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('a', ' ', '"', "'", '\\', '$', '%', ';') }), {
          maxLength: 5,
        }),
        (rest) => {
          const argv = ['/usr/bin/x', ...rest];
          const unit = serviceUnit(argv, 'x');
          const exec = /^ExecStart=(.*)$/m.exec(unit)![1]!;
          expect(parseExecStart(exec)).toEqual(argv);
        },
      ),
      { numRuns: 2000 },
    );
    expect(quoteExecArg('50%')).toBe('"50%%"');
    expect(quoteExecArg('$HOME')).toBe('"$$HOME"');
  });

  it('is written by the one unit writer: quoted program, the marker line, refused newlines', () => {
    // The startup wizard's unit once had its own quoter, which left a plain program unquoted and
    // kept a newline in an argument (a second line in the unit file).
    const u = serviceUnit(['/usr/bin/x', 'a b'], 'X');
    expect(u.startsWith(APP_MARKER)).toBe(true);
    expect(u).toMatch(/^ExecStart="\/usr\/bin\/x" "a b"$/m);
    expect(() => serviceUnit(['/usr/bin/x', 'a\nb'], 'X')).toThrow(/line break/);
  });

  it('writes a unit that restarts on failure and is wanted by default.target', () => {
    const u = serviceUnit(['/usr/bin/x'], 'X');
    expect(u).toMatch(/^Restart=on-failure$/m);
    expect(u).toMatch(/^WantedBy=default.target$/m);
  });
});

describe('linger decisions', () => {
  async function lingerDir(lingering: boolean) {
    const dir = await mkdtemp(join(tmpdir(), 'dd-linger-'));
    await mkdir(dir, { recursive: true });
    if (lingering) await writeFile(join(dir, 'alice'), '');
    return dir;
  }

  it('reads the state from logind linger files', async () => {
    const dir = await lingerDir(true);
    const l = new Linger({
      user: 'alice',
      uid: 1000,
      lingerDir: dir,
      systemBusAvailable: () => false,
    });
    expect(await l.get()).toMatchObject({
      ok: true,
      value: { lingering: true, method: 'loginctl' },
    });
    await rm(dir, { recursive: true });
  });

  it('uses login1 first, then loginctl, and says when neither works', async () => {
    const dir = await lingerDir(false);
    const calls: string[] = [];
    const base = { user: 'alice', uid: 1000, lingerDir: dir };
    const viaBus = new Linger({
      ...base,
      systemBusAvailable: () => true,
      login1: (uid, on) => (calls.push(`login1 ${uid} ${on}`), Promise.resolve()),
      loginctl: () => Promise.reject(new Error('must not be called')),
    });
    expect((await viaBus.set(true)).ok).toBe(true);
    const fallback = new Linger({
      ...base,
      systemBusAvailable: () => true,
      login1: () => Promise.reject(new Error('org.freedesktop.login1 was not provided')),
      loginctl: (args) => (
        calls.push(`loginctl ${args.join(' ')}`),
        Promise.resolve({ code: 0, stdout: '', stderr: '' })
      ),
    });
    expect((await fallback.set(false)).ok).toBe(true);
    const neither = new Linger({
      ...base,
      systemBusAvailable: () => false,
      loginctl: () =>
        Promise.reject(Object.assign(new Error('spawn loginctl ENOENT'), { code: 'ENOENT' })),
    });
    const r = await neither.set(true);
    expect(r).toMatchObject({ ok: false, error: { code: 'unsupported' } });
    expect(!r.ok && r.error.message).toMatch(/no system bus; loginctl: not installed/);
    const denied = new Linger({
      ...base,
      systemBusAvailable: () => true,
      login1: () =>
        Promise.reject(
          Object.assign(new Error('denied'), { type: 'org.freedesktop.DBus.Error.AccessDenied' }),
        ),
    });
    expect(await denied.set(true)).toMatchObject({ ok: false, error: { code: 'access-denied' } });
    expect(calls).toEqual(['login1 1000 true', 'loginctl disable-linger alice']);
    await rm(dir, { recursive: true });
  });
});
