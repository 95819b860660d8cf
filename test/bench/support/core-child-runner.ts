// Runs support/core-child.ts in a Node process of its own (bundled once with rolldown, the
// bundler vite uses, into node_modules/.cache), so that what is measured is the core and not the
// vitest worker around it (which alone uses ~0.5% of a core while it waits).
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { build } from 'rolldown';
import type { CronSandbox } from '../../harness/cron-sandbox.js';
import type { Sandbox } from '../../harness/sandbox.js';

export interface ChildConfig {
  env: NodeJS.ProcessEnv;
  busAddress: string;
  crontab?: string[];
  crontabSpool?: string;
  tmuxSocket?: string;
  rules: unknown[];
  /** Wait after start before measuring (first polls, settling). */
  settleMs: number;
  windowMs: number;
  /** Write a CPU profile of the window here (.cpuprofile). */
  profile?: string;
  /** Sample VmRSS this often during the window (rssTimeline); default never. */
  rssEveryMs?: number;
  /** CPU and runs of the callbacks the event loop ran, by the timer that started them. */
  trace?: boolean;
  /** Write a heap snapshot after the window here (.heapsnapshot). */
  heapSnapshot?: string;
  /** V8 flags for the core's process. */
  v8Flags?: string[];
  /** Apply the shell's heap setting (keepYoungGenerationSmall) as the app does; default true. */
  appHeapSetting?: boolean;
  /**
   * What the windows show: 'none' (no window shows processes, sessions or strays: the quiet
   * polls), 'panel' (the panel open: the full polls, its strays count every 15 s and every
   * snapshot copied to it as IPC does), or 'full' (the full polls alone, as before quiet polls).
   * Default 'none'.
   */
  windows?: 'none' | 'panel' | 'full';
  /** Poll intervals of the core (CoreOptions.pollMs); default the app's. */
  pollMs?: { processes?: number; sessions?: number; startup?: number };
  /**
   * Keep settings (and the watch rules in them) in settings.json under the sandbox's config
   * folder through conf, as the app does (electron-store is conf), rather than in memory.
   */
  settingsFile?: boolean;
  /** Record timer jobs' runs as they end, as the app's core does (timers bench). */
  watchTimers?: boolean;
}

export type ChildReport =
  | {
      event: 'started';
      startMs: number;
      rssKb: number;
      entries: number;
      running: number;
      sources: Record<string, string>;
    }
  | {
      event: 'measured';
      elapsedMs: number;
      ownMs: number;
      childrenMs: number;
      snapshots: number;
      /** Pids the kernel handed out on the machine during the window (processes and threads). */
      pidsHandedOut: number;
      rssKb: number;
      /** VmRSS every rssEveryMs of the window. */
      rssTimeline: number[];
      hwmKb: number;
      heapUsed: number;
      heapTotal: number;
      external: number;
      processes: number;
      /** CPU ms per thread name over the window. */
      threads: Record<string, number>;
      /** With `trace`: runs and CPU ms of callbacks by the timer that started them. */
      trace?: Record<string, { runs: number; cpuMs: number }>;
      /** Resident kB by mapping. */
      resident: Record<string, number>;
      /** MB committed per V8 heap space. */
      heapSpaces: Record<string, number>;
    };

const ROOT = resolve(import.meta.dirname, '../../..');
const bundles = new Map<string, Promise<string>>();

/**
 * A script of test/bench/support bundled once with rolldown (the bundler vite uses) into
 * node_modules/.cache, to run in a Node process of its own; returns the bundle's path.
 */
export function bundleScript(name: 'core-child' | 'crowd-child'): Promise<string> {
  let bundled = bundles.get(name);
  if (bundled === undefined) {
    bundled = (async () => {
      // One folder per checkout: worktrees share node_modules, and each must run its own code.
      const dir = join(ROOT, 'node_modules', '.cache', 'daemon-deck-bench', basename(ROOT));
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `${name}.mjs`);
      await build({
        input: join(import.meta.dirname, `${name}.ts`),
        platform: 'node',
        external: [/^[^./]/],
        resolve: { extensionAlias: { '.js': ['.ts', '.js'] } },
        output: { file, format: 'esm' },
        logLevel: 'warn',
      });
      return file;
    })();
    bundles.set(name, bundled);
  }
  return bundled;
}

/** Start the core in its own process; resolves with its reports once it has exited. */
export async function runCoreChild(cfg: ChildConfig): Promise<ChildReport[]> {
  const file = await bundleScript('core-child');
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...(cfg.v8Flags ?? []), file], {
      cwd: ROOT,
      env: { ...cfg.env, DD_BENCH_CORE: JSON.stringify(cfg) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`core child exited ${code}: ${err.slice(-2000)}`));
      resolvePromise(
        out
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as ChildReport),
      );
    });
  });
}

/**
 * The core as a user's would run in the sandbox: its bus, HOME and XDG dirs, the private crontab,
 * private tmux and screen places, and two watch rules (one looking for `pattern`, one for nothing).
 */
export function sandboxCore(
  sb: Sandbox,
  cron: CronSandbox,
  pattern: string,
): Omit<ChildConfig, 'settleMs' | 'windowMs'> {
  const rule = { full: true, exact: false, start: null, cwd: null, log: null };
  return {
    env: { ...sb.env, TMUX_TMPDIR: sb.root, SCREENDIR: join(sb.root, 'screen') },
    busAddress: sb.busAddress,
    crontab: cron.crontab,
    // Its spool as this process sees it: the core's periodic crontab check is then a stat, as a
    // user's is with the system's crontab(1), not a `crontab -l` each time.
    crontabSpool: cron.spool,
    tmuxSocket: join(sb.root, 'tmux-bench'),
    rules: [
      { ...rule, name: 'watched', pattern },
      { ...rule, name: 'absent', pattern: 'no-such-program-[0-9]+' },
    ],
  };
}
