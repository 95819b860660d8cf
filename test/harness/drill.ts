// What every failure drill checks besides its own fault: no promise rejected unhandled and no
// exception escaped while the fault was on, and the app as main/core/app.ts assembles it.
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { createCore, type Core, type CoreOptions } from '../../main/core/app.js';
import type { KeyValueBackend } from '../../main/core/settings/settings.js';
import type { WatchRule } from '../../main/core/model/processes.js';
import { DAEMON_DECK_BIN, type Run } from '../helpers/cli.js';
import type { MountNamespace } from './mount-ns.js';
import { startSandbox, type Sandbox } from './sandbox.js';

export interface ProcessFaults {
  /** Every unhandled rejection and uncaught exception seen since start, in words. */
  readonly seen: string[];
  stop(): void;
}

/** Listen for 'unhandledRejection' and 'uncaughtException' on this process until stop(). */
export function watchProcessFaults(): ProcessFaults {
  const seen: string[] = [];
  const words = (kind: string) => (err: unknown) =>
    seen.push(`${kind}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  const onRejection = words('unhandledRejection');
  const onException = words('uncaughtException');
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return {
    seen,
    stop() {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onException);
    },
  };
}

/**
 * A drill's teardown: stops what it started in the order given (the core's monitor first, the
 * namespaces and sandboxes after it, the fault watch last), passing over what never started.
 */
export async function stopDrill(...parts: Array<{ stop(): unknown } | undefined>): Promise<void> {
  for (const part of parts) await part?.stop();
}

export interface Drill {
  faults: ProcessFaults;
  sb: Sandbox;
  core: Core;
}

/**
 * A drill's start: the fault watch on, a private systemd --user with `units` written and loaded,
 * and the core, as the app assembles it, started on it.
 */
export async function startDrill(label: string, units: Record<string, string>): Promise<Drill> {
  const faults = watchProcessFaults();
  const sb = await startSandbox({ label });
  for (const [name, text] of Object.entries(units)) await sb.writeUnit(name, text);
  await sb.daemonReload();
  const core = sandboxCore(sb);
  await core.monitor.start();
  return { faults, sb, core };
}

/** A settings backend in memory. */
export function memoryBackend(): KeyValueBackend & { map: Map<string, unknown> } {
  const map = new Map<string, unknown>();
  return { map, get: (k) => map.get(k), set: (k, v) => void map.set(k, v) };
}

/**
 * The core as the app builds it, on the sandbox's bus and environment. Sessions and startup poll
 * rarely unless asked (the drills trigger what they look at); processes every 200 ms. Unless a
 * drill passes its own (a private cron namespace), crontab(1) is a path that does not exist, so
 * no drill ever reads the machine's real crontab.
 */
export function sandboxCore(sb: Sandbox, opts: Partial<CoreOptions> = {}): Core {
  return createCore({
    env: sb.env,
    busAddress: sb.busAddress,
    settingsBackend: memoryBackend(),
    crontab: [join(sb.root, 'no-crontab-here')],
    pollMs: { processes: 200, sessions: 60_000, startup: 60_000 },
    ...opts,
  });
}

/**
 * Every file under `dir` with its bytes (folders as `dir/`, links as `-> target`), keyed by the
 * path inside `dir`, for "nothing was written" checks that compare whole trees byte for byte.
 */
export async function treeBytes(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (rel: string) => {
    let names: string[];
    try {
      names = await readdir(join(dir, rel));
    } catch (err) {
      if ((err as { code?: unknown }).code === 'ENOENT') return;
      throw err;
    }
    for (const n of names.sort()) {
      const r = rel === '' ? n : `${rel}/${n}`;
      const st = await lstat(join(dir, r));
      if (st.isSymbolicLink()) out.set(r, `-> ${await readlink(join(dir, r))}`);
      else if (st.isDirectory()) {
        out.set(`${r}/`, 'dir');
        await walk(r);
      } else out.set(r, (await readFile(join(dir, r))).toString('base64'));
    }
  };
  await walk('');
  return out;
}

/** The CLI as a user inside the mount namespace runs it. */
export function cliIn(
  ns: MountNamespace,
  env: NodeJS.ProcessEnv,
): (...args: string[]) => Promise<Run> {
  return (...args) => ns.exec([process.execPath, DAEMON_DECK_BIN, ...args], { env });
}

/** The one line a command printed on stderr; more lines come back marked, so a match fails. */
export function onlyLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  return lines.length === 1 ? lines[0]! : `(${lines.length} lines) ${stderr}`;
}

/** A watch rule for a pattern (pgrep's -f when `full`), with no start command. */
export function watchRule(name: string, pattern: string, full = false): WatchRule {
  return { name, pattern, full, exact: false, start: null, cwd: null, log: null };
}
