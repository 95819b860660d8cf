// Benchmark for issue 16: the `daemon-deck` command's start-up, as people run it (bin/daemon-deck.js,
// the bundle, under this Node), against baselines measured in the same run and interleaved with
// it, so a busy machine slows both alike:
// - `daemon-deck --version` and `daemon-deck status UNIT` against `node -e 0` (targets: at most
//   2x and 3x);
// - `daemon-deck list` against `systemctl --user list-units --all` plus `list-unit-files`
//   (target: at most 1.5x), in a sandbox with 60 units, 30 of them running. Both sides list the
//   same services, sockets and timers (checked once, untimed); systemctl lists other kinds too.
// Wall-clock medians of 15 after one warm-up run each (the warm-up fills Node's compile cache, as
// any first run does). Targets are reported, not asserted (timing on shared machines is noisy);
// every run must succeed and print what it should.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../harness/sandbox.js';
import { DAEMON_DECK_BIN } from '../helpers/cli.js';
import { sleeperUnit } from '../helpers/units.js';
import { loadAverage, lowerMedian, saveResults } from './support/bench-kit.js';

const UNITS = 60;
const RUNNING = 30;
const RUNS = 15;
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const unitName = (i: number) => `cli-${String(i).padStart(2, '0')}.service`;

const median = lowerMedian;
const ms = (n: number) => `${n.toFixed(1)} ms`;

describe('CLI start-up benchmark', () => {
  let sb: Sandbox;
  const results: Record<string, unknown> = {};

  /** Wall time of one run of `argv`, which must exit 0; `check` sees its stdout. */
  const time = (argv: string[], check?: (stdout: string) => void): number => {
    const t = performance.now();
    const r = spawnSync(argv[0]!, argv.slice(1), {
      env: sb.env,
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    const elapsed = performance.now() - t;
    expect([argv.join(' '), r.status, r.error]).toEqual([argv.join(' '), 0, undefined]);
    check?.(r.stdout);
    return elapsed;
  };
  const node = (...args: string[]) => [process.execPath, ...args];
  const cli = (...args: string[]) => node(DAEMON_DECK_BIN, ...args);

  /** Medians of `RUNS` interleaved rounds, after one warm-up round. */
  const measure = (cases: Array<() => number>): number[] => {
    for (const run of cases) run();
    const samples = cases.map(() => [] as number[]);
    for (let i = 0; i < RUNS; i++) cases.forEach((run, k) => samples[k]!.push(run()));
    return samples.map(median);
  };

  const verdict = (ratio: number, target: number) =>
    `target <= ${target.toFixed(1)}x: ${ratio <= target ? 'met' : 'MISSED'}`;

  beforeAll(async () => {
    // The bundle of the code as it is now (a stale one would measure something else).
    execFileSync(process.execPath, [`${ROOT}/scripts/build-cli.js`], { cwd: ROOT });
    sb = await startSandbox({ label: 'bench-cli' });
    for (let i = 0; i < UNITS; i++) await sb.writeUnit(unitName(i), sleeperUnit(`CLI unit ${i}`));
    await sb.daemonReload();
    const running = Array.from({ length: RUNNING }, (_, i) => unitName(i));
    expect((await sb.systemctl('start', ...running)).code).toBe(0);
  }, 180_000);
  afterAll(async () => {
    await saveResults('cli', results);
    await sb?.stop();
  });

  it('--version and status UNIT against node -e 0', () => {
    const version = (
      JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { version: string }
    ).version;
    const [base, ver, status] = measure([
      () => time(node('-e', '0')),
      () => time(cli('--version'), (out) => expect(out.trim()).toBe(version)),
      () =>
        time(cli('status', unitName(0)), (out) =>
          expect(out).toMatch(/running \(active\/running\)/),
        ),
    ]);
    const rv = ver! / base!;
    const rs = status! / base!;
    console.log(
      `BENCH cli --version: ${ms(ver!)} vs node -e 0 ${ms(base!)} (median of ${RUNS}); ratio ${rv.toFixed(2)}; load average ${loadAverage()} (${verdict(rv, 2)})`,
    );
    console.log(
      `BENCH cli status UNIT: ${ms(status!)} vs node -e 0 ${ms(base!)} (median of ${RUNS}); ratio ${rs.toFixed(2)}; load average ${loadAverage()} (${verdict(rs, 3)})`,
    );
    results.version = { ms: ver, nodeMs: base, ratio: rv };
    results.status = { ms: status, nodeMs: base, ratio: rs };
  }, 300_000);

  it('list against systemctl --user list-units --all + list-unit-files', () => {
    const systemctl = (...args: string[]) => ['systemctl', '--user', '--no-pager', ...args];
    // Both sides list the same units: the services, sockets and timers of the two systemctl
    // lists are exactly list's systemd entries (systemctl lists targets, slices... as well).
    const unitsOf = (...args: string[]) => {
      const r = spawnSync(
        'systemctl',
        ['--user', '--no-pager', '--no-legend', '--plain', ...args],
        {
          env: sb.env,
          encoding: 'utf8',
        },
      );
      return r.stdout.split('\n').map((l) => l.trim().split(/\s+/)[0] ?? '');
    };
    const all = new Set([...unitsOf('list-units', '--all'), ...unitsOf('list-unit-files')]);
    all.delete('');
    const shown = [...all].filter((u) => /\.(service|socket|timer)$/.test(u)).sort();
    const listed = spawnSync(process.execPath, [DAEMON_DECK_BIN, 'list', '--json'], {
      env: sb.env,
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    const ids = (JSON.parse(listed.stdout) as Array<{ id: string }>)
      .map((e) => e.id)
      .filter((id) => id.startsWith('systemd:'))
      .map((id) => id.slice('systemd:'.length))
      .sort();
    expect(ids).toEqual(shown);
    const [base, list] = measure([
      () => time(systemctl('list-units', '--all')) + time(systemctl('list-unit-files')),
      () =>
        time(cli('list'), (out) => {
          for (let i = 0; i < UNITS; i++) expect(out).toContain(`systemd:${unitName(i)}`);
        }),
    ]);
    const ratio = list! / base!;
    console.log(
      `BENCH cli list: ${ms(list!)} vs systemctl list-units --all + list-unit-files ${ms(base!)} (median of ${RUNS}, ${UNITS} units, ${RUNNING} running; both list the same ${ids.length} services, sockets and timers, systemctl ${all.size - ids.length} units of other kinds too); ratio ${ratio.toFixed(2)}; load average ${loadAverage()} (${verdict(ratio, 1.5)})`,
    );
    results.list = {
      ms: list,
      systemctlMs: base,
      ratio,
      units: ids.length,
      otherKinds: all.size - ids.length,
    };
  }, 300_000);
});
