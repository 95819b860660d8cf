// The core alone in a Node process of its own, as the app assembles it (createCore), for the
// benchmarks that measure what the core costs: CPU over an idle window, resident memory. Run by
// runCoreChild() (core-child-runner.ts), which bundles this file; the configuration arrives as
// JSON in DD_BENCH_CORE and every result leaves as one JSON line on stdout.
import { createHook, executionAsyncId } from 'node:async_hooks';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';
import { createCore } from '../../../main/core/app.js';
import { keepYoungGenerationSmall } from '../../../main/core/heap.js';
import type { WatchRule } from '../../../main/core/model/processes.js';
import { openConfBackend } from '../../../main/core/settings/settings.js';
import type { ChildConfig, ChildReport } from './core-child-runner.js';

const cfg = JSON.parse(process.env.DD_BENCH_CORE ?? '{}') as ChildConfig;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (r: ChildReport) => process.stdout.write(JSON.stringify(r) + '\n');

/** utime+stime of waited-for children (the tools the core ran), in ms. */
function childrenCpuMs(): number {
  const text = readFileSync('/proc/self/stat', 'latin1');
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[13]) + Number(f[14])) * 1000) / 100;
}

/** Resident kB by mapping ([heap], anonymous, the node binary, libraries...). */
function residentByMapping(): Record<string, number> {
  const out: Record<string, number> = {};
  let current = 'anonymous';
  for (const line of readFileSync('/proc/self/smaps', 'latin1').split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) current = head[1] || 'anonymous';
    else if (line.startsWith('Rss:'))
      out[current] = (out[current] ?? 0) + Number(line.split(/\s+/)[1]);
  }
  return out;
}

function statusKb(field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
    readFileSync('/proc/self/status', 'latin1'),
  );
  return m ? Number(m[1]) : NaN;
}

/** CPU ms per thread name (main thread, V8 workers, libuv pool...). */
function threadsCpuMs(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const text = readFileSync(`/proc/self/task/${tid}/stat`, 'latin1');
      const name = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
      const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
      out[name] = (out[name] ?? 0) + ((Number(f[11]) + Number(f[12])) * 1000) / 100;
    } catch {
      continue; // the thread ended
    }
  }
  return out;
}

/**
 * CPU and count of every callback the event loop runs, by what started its chain: a timer's
 * callback (by where the function is defined), and the I/O it led to (a child's exit, a bus
 * reply) under the same name. For finding which timer wakes an idle core and what it costs.
 */
function traceCallbacks(): {
  start(): void;
  stop(): Record<string, { runs: number; cpuMs: number }>;
} {
  const keyOf = new Map<number, string>();
  const named = new WeakMap<object, string>();
  const out: Record<string, { runs: number; cpuMs: number }> = {};
  let depth = 0;
  let counting = false;
  let t0 = process.cpuUsage();
  let current = '';
  const fnKey = (fn: unknown): string => {
    if (typeof fn !== 'function') return '?';
    let k = named.get(fn);
    if (k === undefined) {
      // Where it was set: the first frames of the bundle below the timer functions.
      const where = (new Error().stack ?? '')
        .split('\n')
        .filter(
          (l) => l.includes('core-child.mjs') && !/fnKey|AsyncHook|Object.init|emitInit/.test(l),
        )
        .slice(0, 3)
        .map((l) =>
          l
            .trim()
            .replace(/^at /, '')
            .replace(/\(.*core-child\.mjs:/, '('),
        )
        .join(' < ');
      k = `${fn.name || 'anon'} @ ${where}`;
      named.set(fn, k);
    }
    return k;
  };
  const hook = createHook({
    init(id, type, trigger, resource) {
      if (type === 'PROMISE') return;
      const parent = keyOf.get(trigger) ?? keyOf.get(executionAsyncId());
      const own =
        type === 'Timeout'
          ? `timer ${fnKey((resource as { _onTimeout?: unknown })._onTimeout)}`
          : null;
      keyOf.set(id, own ?? parent ?? type);
    },
    before(id) {
      if (depth++ > 0 || !counting) return;
      const k = keyOf.get(id);
      current = k ?? '';
      t0 = process.cpuUsage();
    },
    after() {
      if (--depth > 0 || current === '') return;
      const d = process.cpuUsage(t0);
      const e = (out[current] ??= { runs: 0, cpuMs: 0 });
      e.runs++;
      e.cpuMs += (d.user + d.system) / 1000;
      current = '';
    },
    destroy(id) {
      keyOf.delete(id);
    },
  });
  hook.enable();
  return {
    start() {
      counting = true;
    },
    stop() {
      hook.disable();
      for (const v of Object.values(out)) v.cpuMs = Math.round(v.cpuMs * 10) / 10;
      return out;
    },
  };
}

// As the Electron shell does at start (main/shell/index.ts); a config may leave it out to compare.
if (cfg.appHeapSetting !== false) keepYoungGenerationSmall();

// Installed before the core exists, so that its intervals are known by name.
const trace = cfg.trace === true ? traceCallbacks() : null;
const kv = new Map<string, unknown>();
const core = createCore({
  env: cfg.env,
  busAddress: cfg.busAddress,
  settingsBackend:
    cfg.settingsFile === true
      ? await openConfBackend(cfg.env)
      : { get: (k) => kv.get(k), set: (k, v) => void kv.set(k, v) },
  ...(cfg.crontab ? { crontab: cfg.crontab } : {}),
  ...(cfg.crontabSpool !== undefined ? { crontabSpool: cfg.crontabSpool } : {}),
  ...(cfg.tmuxSocket ? { tmuxSocket: cfg.tmuxSocket } : {}),
  ...(cfg.pollMs ? { pollMs: cfg.pollMs } : {}),
});
// A settings file may hold them from an earlier run of the same sandbox.
for (const rule of cfg.rules as WatchRule[])
  if (core.processes.rules.get(rule.name) === null) core.processes.rules.add(rule);
// As the shell tells the core from its windows (main/shell/windows.ts).
const windows = cfg.windows ?? 'none';
core.setShowing(windows !== 'none');
if (cfg.watchTimers === true) core.timers.watch();
const t0 = performance.now();
await core.monitor.start();
if (windows === 'panel') {
  // What the open panel asks of the core (renderer/src/panel/Panel.svelte): every snapshot,
  // copied to it over IPC, and the strays count every 15 s (processes:stray-count, copied too).
  core.monitor.onSnapshot((s) => void structuredClone(s));
  setInterval(() => void structuredClone(core.processes.strayCount([])), 15_000).unref();
}
const startMs = performance.now() - t0;
const entries = core.monitor.snapshot().entries;
say({
  event: 'started',
  startMs,
  rssKb: statusKb('VmRSS'),
  entries: entries.length,
  running: entries.filter((e) => e.state === 'running').length,
  sources: Object.fromEntries(
    Object.entries(core.monitor.snapshot().sources).map(([k, v]) => [k, v.status]),
  ),
});
await sleep(cfg.settleMs);
let snapshots = 0;
const off = core.monitor.onSnapshot(() => snapshots++);
const lastPid = () => Number(readFileSync('/proc/loadavg', 'latin1').trim().split(/\s+/)[4]);
const pid0 = lastPid();
const own0 = process.cpuUsage();
const threads0 = threadsCpuMs();
const children0 = childrenCpuMs();
const w0 = performance.now();
// Resident memory every 5 s of the window: whether V8 gives back what the first load took.
const rssTimeline: number[] = [];
// Only when asked: the sampler's own wakeups would count in an idle core's CPU.
const sampler =
  cfg.rssEveryMs !== undefined
    ? setInterval(() => rssTimeline.push(statusKb('VmRSS')), cfg.rssEveryMs)
    : undefined;
trace?.start();
if (cfg.profile) {
  // A CPU profile of the window, for finding what costs (sampling adds its own cost).
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  await sleep(cfg.windowMs);
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(cfg.profile, JSON.stringify(profile));
} else await sleep(cfg.windowMs);
const elapsedMs = performance.now() - w0;
// New processes and threads on the whole machine during the window (pids wrap at pid_max).
const pidMax = Number(readFileSync('/proc/sys/kernel/pid_max', 'latin1'));
const pidsHandedOut = (lastPid() - pid0 + pidMax) % pidMax;
clearInterval(sampler);
const traced = trace?.stop();
const own = process.cpuUsage(own0);
const threads = threadsCpuMs();
for (const k of Object.keys(threads)) threads[k]! -= threads0[k] ?? 0;
off();
if (cfg.heapSnapshot) writeHeapSnapshot(cfg.heapSnapshot);
const mem = process.memoryUsage();
say({
  event: 'measured',
  elapsedMs,
  ownMs: (own.user + own.system) / 1000,
  childrenMs: childrenCpuMs() - children0,
  snapshots,
  pidsHandedOut,
  rssKb: statusKb('VmRSS'),
  rssTimeline,
  hwmKb: statusKb('VmHWM'),
  heapUsed: mem.heapUsed,
  heapTotal: mem.heapTotal,
  external: mem.external,
  processes: core.processes.latest().processes.length,
  threads,
  ...(traced ? { trace: traced } : {}),
  resident: residentByMapping(),
  /** MB committed per V8 space (new space grows for a first load and shrinks only later). */
  heapSpaces: Object.fromEntries(
    getHeapSpaceStatistics()
      .filter((sp) => sp.space_size > 0)
      .map((sp) => [sp.space_name, Math.round(sp.space_size / 104857.6) / 10]),
  ),
});
await core.monitor.stop();
process.exit(0);
