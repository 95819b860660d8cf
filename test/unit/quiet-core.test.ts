// Issue 16, what an idle core and a one-shot `status` leave out, and what they must still get right:
// - `status UNIT` asks the bus about that one unit (LoadUnit, GetAll) without the unit list or
//   the unit-file list; a unit systemd calls not-found is still found when its file exists
//   (ListUnitFilesByPatterns for that one name), and named missing when it does not;
// - while no window shows processes, the @reboot and autostart sources re-read every 5 minutes,
//   and when one shows them again, every 30 s;
// - a quiet poll over an unchanged table keeps what the rules matched, and still sees a new
//   process that matches and a watched one that has ended.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, QUIET_STARTUP_POLL_MS } from '../../main/core/app.js';
import type { Bus, BusSignal, BusState, CallRequest } from '../../main/core/systemd/bus.js';
import { UnitService } from '../../main/core/systemd/unit-service.js';
import { ProcessService } from '../../main/core/processes/process-service.js';
import { createMemoryWatchRules } from '../../main/core/processes/watch-rules.js';
import { waitFor } from '../helpers/units.js';

/** Answers only what one unit's detail may ask; records every member called. */
class OneUnitBus implements Bus {
  readonly state: BusState = 'up';
  readonly lastError = null;
  readonly members: string[] = [];
  constructor(
    private readonly loadState: string,
    private readonly files: string[],
  ) {}
  call(req: CallRequest): Promise<unknown[]> {
    this.members.push(req.member);
    switch (req.member) {
      case 'LoadUnit':
        return Promise.resolve(['/org/freedesktop/systemd1/unit/x']);
      case 'GetAll':
        return Promise.resolve([
          req.body?.[0] === 'org.freedesktop.systemd1.Unit'
            ? { LoadState: this.loadState, ActiveState: 'inactive', SubState: 'dead' }
            : { MainPID: 0, ControlGroup: '' },
        ]);
      case 'ListUnitFilesByPatterns': {
        const wanted = (req.body?.[1] ?? []) as string[];
        const rows = this.files
          .filter((f) => wanted.some((w) => f.endsWith(`/${w}`)))
          .map((f) => [f, 'disabled']);
        return Promise.resolve([rows]);
      }
      default:
        return Promise.reject(new Error(`unexpected ${req.member}`));
    }
  }
  addMatch(): Promise<void> {
    return Promise.resolve();
  }
  onSignal(_listener: (s: BusSignal) => void): () => void {
    return () => undefined;
  }
  onState(_listener: (s: BusState) => void): () => void {
    return () => undefined;
  }
  close(): void {}
}

describe('one unit detail without the unit list', () => {
  it('asks about the unit alone, and tells a not-found unit with a file from one without', async () => {
    const loaded = new OneUnitBus('loaded', []);
    const r = await new UnitService(loaded).detail('a.service');
    expect(r.ok && r.value.unit).toBe('a.service');
    expect(loaded.members).not.toContain('ListUnitsByPatterns');
    expect(loaded.members).not.toContain('ListUnitFilesByPatterns');

    const withFile = new OneUnitBus('not-found', ['/home/u/.config/systemd/user/b.service']);
    expect((await new UnitService(withFile).detail('b.service')).ok).toBe(true);

    const missing = new OneUnitBus('not-found', ['/home/u/.config/systemd/user/b.service']);
    const gone = await new UnitService(missing).detail('c.service');
    expect(gone.ok ? null : gone.error.code).toBe('no-such-unit');
  });
});

describe('the startup sources while no window shows them', () => {
  it('re-read every 5 minutes while none shows them, every 30 s when one does', () => {
    const kv = new Map<string, unknown>();
    const core = createCore({
      env: { HOME: '/nonexistent', XDG_RUNTIME_DIR: '/nonexistent' },
      busAddress: null,
      languageFromSettings: false,
      settingsBackend: { get: (k) => kv.get(k), set: (k, v) => void kv.set(k, v) },
    });
    const intervals = () => core.startup.sources.map((s) => s.intervalMs);
    expect(intervals()).toEqual([30_000, 30_000]);
    core.setShowing(false);
    expect(intervals()).toEqual([QUIET_STARTUP_POLL_MS, QUIET_STARTUP_POLL_MS]);
    core.setShowing(true);
    expect(intervals()).toEqual([30_000, 30_000]);
  });
});

describe('quiet polls over an unchanged table', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
  });
  const sleeper = (arg: string) => {
    const c = spawn('sleep', [arg], { stdio: 'ignore' });
    children.push(c);
    return c;
  };

  it('keep what the rules matched, and see a new match and an ended one', async () => {
    const rule = { full: true, exact: false, start: null, cwd: null, log: null };
    const service = new ProcessService({
      rules: createMemoryWatchRules([{ ...rule, name: 'w', pattern: '^sleep 6100[0-9]$' }]),
      exitWatch: () => ({ watch: () => undefined, live: false, close: () => undefined }),
    });
    service.setShowing(false);
    try {
      const pidsOf = () => service.pollEntries()[0]!.pids;
      expect(pidsOf()).toEqual([]);
      const a = sleeper('61001');
      await waitFor(() => pidsOf().includes(a.pid!), 'the first match');
      // Polls with nothing new hand out the same match.
      expect(pidsOf()).toEqual([a.pid]);
      expect(pidsOf()).toEqual([a.pid]);
      const b = sleeper('61002');
      await waitFor(() => pidsOf().includes(b.pid!), 'the second match');
      a.kill('SIGKILL');
      await new Promise((r) => a.once('exit', r));
      await waitFor(() => !pidsOf().includes(a.pid!), 'the ended one to go');
      expect(pidsOf()).toEqual([b.pid]);
    } finally {
      service.close();
    }
  });
});
