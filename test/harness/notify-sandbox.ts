// A real notification server for tests: Xvfb on a free display and dunst on the sandbox's
// session bus, plus a dbus-monitor that records every Notify call made on that bus.
//
// Relies on: `Xvfb -displayfd FD` choosing a free display number itself and writing it to FD
// (no guessing of lock files); dunst 1.9 taking `-config FILE` (a private config, never the
// user's), claiming org.freedesktop.Notifications when it starts; its context menu running the
// configured `dmenu` command with one line per action ("#LABEL (SUMMARY) [ID,KEY]") and invoking the one
// printed back, which is exactly what a click on that action does. The sandbox's bus could
// D-Bus-activate some other server: dunst is started first and the name's owner is checked.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Sandbox } from './sandbox.js';

const execFileP = promisify(execFile);

export interface RecordedNotify {
  appName: string;
  replacesId: number;
  summary: string;
  body: string;
  actions: string[];
  urgency: number | null;
}

export interface NotifySandbox {
  display: string;
  env: NodeJS.ProcessEnv;
  /** Every Notify call seen on the bus so far, in order. */
  notifies(): RecordedNotify[];
  /**
   * Invoke, as a pick in dunst's context menu does, the action `label` of the displayed
   * notification whose summary starts with `summary` (any, when not given).
   */
  invokeAction(label: string, summary?: string): Promise<void>;
  dunstctl(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function startXvfb(): Promise<{ proc: ChildProcess; display: string }> {
  const proc = spawn(
    'Xvfb',
    ['-displayfd', '3', '-screen', '0', '1024x768x24', '-nolisten', 'tcp'],
    {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    },
  );
  const fd3 = proc.stdio[3] as NodeJS.ReadableStream;
  const display = await new Promise<string>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(
      () => reject(new Error('Xvfb did not report a display in 10 s')),
      10_000,
    );
    fd3.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.includes('\n')) {
        clearTimeout(timer);
        resolve(`:${text.trim()}`);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb exited with ${String(code)}`));
    });
  });
  return { proc, display };
}

function kill(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
    }, 3000);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    proc.kill('SIGTERM');
  });
}

/** Parse dbus-monitor's text output into the Notify calls it shows. */
export function parseNotifies(text: string): RecordedNotify[] {
  const out: RecordedNotify[] = [];
  const blocks = text.split(/\n(?=method call|signal|method return|error)/);
  for (const b of blocks) {
    if (!b.startsWith('method call') || !/member=Notify\b/.test(b)) continue;
    const strings = [...b.matchAll(/^\s*string "((?:[^"\\]|\\.)*)"/gms)].map((m) => m[1] ?? '');
    const uints = [...b.matchAll(/^\s*uint32 (\d+)/gm)].map((m) => Number(m[1]));
    const arrayStart = b.indexOf('array [');
    const actionsBlock = arrayStart >= 0 ? b.slice(arrayStart, b.indexOf(']', arrayStart)) : '';
    const actions = [...actionsBlock.matchAll(/string "((?:[^"\\]|\\.)*)"/g)].map(
      (m) => m[1] ?? '',
    );
    const urgency = /string "urgency"\s*\n\s*variant\s+byte (\d+)/.exec(b);
    out.push({
      appName: strings[0] ?? '',
      replacesId: uints[0] ?? 0,
      summary: strings[2] ?? '',
      body: strings[3] ?? '',
      actions,
      urgency: urgency ? Number(urgency[1]) : null,
    });
  }
  return out;
}

export async function startNotifySandbox(sb: Sandbox): Promise<NotifySandbox> {
  const dir = join(sb.root, 'notify');
  await mkdir(dir, { recursive: true });
  const choice = join(dir, 'choice');
  const dmenu = join(dir, 'pick-action');
  // dunst pipes one line per action to dmenu and invokes the line printed back.
  await writeFile(
    dmenu,
    `#!/bin/sh\ninput=$(cat)\nprintf '%s\\n' "$input" > "${dir}/menu"\nprintf '%s\\n' "$input" | grep -F -m1 -- "$(cat "${choice}")"\n`,
  );
  await chmod(dmenu, 0o755);
  const config = join(dir, 'dunstrc');
  await writeFile(
    config,
    [
      '[global]',
      `    dmenu = ${dmenu}`,
      '    show_indicators = yes',
      '    idle_threshold = 0',
      '    sticky_history = yes',
      '    history_length = 100',
      '[urgency_low]',
      '    timeout = 0',
      '[urgency_normal]',
      '    timeout = 0',
      '[urgency_critical]',
      '    timeout = 0',
      '',
    ].join('\n'),
  );
  const { proc: xvfb, display } = await startXvfb();
  const env: NodeJS.ProcessEnv = { ...sb.env, DISPLAY: display };
  const dunst = spawn('dunst', ['-config', config], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let dunstErr = '';
  dunst.stderr?.on('data', (d: Buffer) => (dunstErr += d.toString()));
  let monitorText = '';
  const monitor = spawn(
    'dbus-monitor',
    [
      '--address',
      sb.busAddress,
      "type='method_call',interface='org.freedesktop.Notifications',member='Notify'",
    ],
    { env, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  monitor.stdout?.on('data', (d: Buffer) => (monitorText += d.toString()));

  const teardown = async () => {
    await kill(monitor);
    await kill(dunst);
    await kill(xvfb);
  };
  try {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const r = await sb.busctl('status', 'org.freedesktop.Notifications');
      const pid = /^PID=(\d+)$/m.exec(r.stdout)?.[1];
      if (r.code === 0 && pid !== undefined) {
        if (Number(pid) !== dunst.pid)
          throw new Error(`org.freedesktop.Notifications is owned by pid ${pid}, not dunst`);
        break;
      }
      if (dunst.exitCode !== null) throw new Error(`dunst exited: ${dunstErr}`);
      if (Date.now() > deadline)
        throw new Error(`dunst did not claim the name in 10 s: ${dunstErr}`);
      await sleep(50);
    }
    // dbus-monitor prints its own NameAcquired first; wait until it is listening.
    const mDeadline = Date.now() + 5000;
    while (!monitorText.includes('NameLost') && !monitorText.includes('NameAcquired')) {
      if (Date.now() > mDeadline) throw new Error('dbus-monitor did not start');
      await sleep(25);
    }
  } catch (err) {
    await teardown();
    throw err;
  }

  const dunstctl = async (...args: string[]) =>
    (await execFileP('dunstctl', args, { env, timeout: 10_000 })).stdout;

  return {
    display,
    env,
    notifies: () => parseNotifies(monitorText),
    async invokeAction(label, summary = '') {
      // dunst 1.9 lists each action as "#LABEL (SUMMARY) [ID,KEY]".
      await writeFile(choice, `#${label} (${summary}`);
      await dunstctl('context');
    },
    dunstctl,
    stop: teardown,
  };
}
