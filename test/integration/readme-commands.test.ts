// Every `daemon-deck` command README.md shows runs as written, in order, in the sandbox: the
// commands are read from the README's code blocks (not copied here), `~` is the sandbox's home,
// `npx daemon-deck` is the built bin. What the README names is made first: a syncthing unit, a
// tmux session "work", the ~/docs folder, and a stray for `adopt 12345` (the one substitution:
// a real pid of a stray). `logs ... -f` follows until interrupted, so it is interrupted.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitWords } from '../../main/cli/processes.js';
import { hostCrontab, startCronSandbox, type CronSandbox } from '../harness/cron-sandbox.js';
import { startSandbox, type Sandbox } from '../harness/sandbox.js';
import { DAEMON_DECK_BIN, runCli, runFile, type Run } from '../helpers/cli.js';
import { sleeperUnit, waitFor } from '../helpers/units.js';

/** The `daemon-deck` command lines of the README's shell blocks, comments and `npx` removed. */
export function readmeCommands(markdown: string): string[][] {
  const out: string[][] = [];
  for (const block of markdown.matchAll(/^```(?:sh|bash|shell)\n([\s\S]*?)^```/gm)) {
    for (const raw of block[1]!.split('\n')) {
      const line = raw.replace(/\s+#\s.*$/, '').trim();
      const words = /^(npx )?daemon-deck\b/.test(line) ? splitWords(line) : null;
      if (words === null) continue;
      out.push(words[0] === 'npx' ? words.slice(2) : words.slice(1));
    }
  }
  return out;
}

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README commands', () => {
  let sb: Sandbox;
  let cronSb: CronSandbox;
  let hostBefore: string;
  let env: NodeJS.ProcessEnv;
  let strayPid = 0;

  beforeAll(async () => {
    hostBefore = await hostCrontab();
    cronSb = await startCronSandbox();
    sb = await startSandbox({ label: 'readme' });
    mkdirSync(join(sb.root, 'screen'), { mode: 0o700 });
    env = {
      ...sb.env,
      // The system's programs (python3 of the README is /usr/bin/python3, not a user's shim).
      PATH: '/usr/local/bin:/usr/bin:/bin',
      DAEMON_DECK_CRONTAB_ARGV: JSON.stringify(cronSb.crontab),
      TMUX_TMPDIR: sb.root,
      SCREENDIR: join(sb.root, 'screen'),
      TERM: 'xterm',
    };
    await sb.writeUnit('syncthing.service', sleeperUnit('A pretend syncthing'));
    await sb.daemonReload();
    mkdirSync(join(sb.home, 'docs'), { recursive: true });
    expect(
      (await runFile('tmux', ['new-session', '-d', '-s', 'work', '--', 'sleep', '51661'], env))
        .code,
    ).toBe(0);
    await runFile(
      'sh',
      ['-c', 'cd -- "$1" && setsid nohup sleep 51662 >/dev/null 2>&1 &', 'sh', sb.home],
      env,
    );
    strayPid = await waitFor(async () => {
      const r = await runFile('pgrep', ['-f', '-x', 'sleep 51662'], env);
      return Number(r.stdout.trim().split('\n')[0]) || null;
    }, 'the stray');
  });

  afterAll(async () => {
    if (env) await runFile('tmux', ['kill-server'], env);
    await sb?.stop();
    await cronSb?.stop();
    expect(await hostCrontab()).toBe(hostBefore);
  });

  /** A following command (-f): runs until interrupted, which ends it with status 0. */
  function follow(args: string[]): Promise<Run> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [DAEMON_DECK_BIN, ...args], { env });
      let stdout = '';
      let stderr = '';
      // Interrupted once it has printed its first lines (it is following by then).
      let timer: NodeJS.Timeout | undefined;
      const printed = () => (timer ??= setTimeout(() => child.kill('SIGINT'), 1500));
      child.stdout.on('data', (d: Buffer) => ((stdout += d.toString()), printed()));
      child.stderr.on('data', (d: Buffer) => ((stderr += d.toString()), printed()));
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        resolve({
          stdout,
          stderr: stderr + (signal ? `(ended by ${signal})` : ''),
          code: code ?? -1,
        });
      });
    });
  }

  it('finds the commands in the README', () => {
    const commands = readmeCommands(README);
    expect(commands.length).toBeGreaterThanOrEqual(15);
    expect(commands.map((c) => c[0])).toEqual(
      expect.arrayContaining(['list', 'status', 'unit', 'cron', 'autostart', 'adopt']),
    );
  });

  it('every command runs as written and succeeds', async () => {
    for (const written of readmeCommands(README)) {
      const args = written.map((w) =>
        w.startsWith('~/') ? join(sb.home, w.slice(2)) : w === '12345' ? String(strayPid) : w,
      );
      const r =
        args.includes('-f') && args[0] === 'logs' ? await follow(args) : await runCli(env, ...args);
      expect(r.code, `${written.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(0);
    }
  }, 600_000);
});
