// The CLI's argument handling (commander), in process: what follows `--` is a command line and
// never options; option values may start with a dash; usage errors exit 2, failures 1 with one
// line; nothing here writes outside a temp HOME, and nothing signals a real process.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCommandLine, runCli } from '../../main/cli.js';
import { formFromArgs } from '../../main/cli/authoring.js';
import { UsageError } from '../../main/cli/command.js';

const home = mkdtempSync(join(tmpdir(), 'dd-cli-args-'));
const env: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: home,
  XDG_CONFIG_HOME: join(home, 'config'),
  XDG_STATE_HOME: join(home, 'state'),
  XDG_DATA_HOME: join(home, 'data'),
  // No bus at all: nothing here may reach the user's session.
  DBUS_SESSION_BUS_ADDRESS: `unix:path=${home}/no-bus`,
  // Any crontab(1) call fails instead of reaching the user's crontab.
  DAEMON_DECK_CRONTAB_ARGV: JSON.stringify(['/bin/false']),
};

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    env,
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('CLI arguments', () => {
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  // Parsed as unit create gets them (its --dry-run asks systemd, which is not here; the README
  // test runs the README's own line against the sandbox's systemd).
  const form = async (...argv: string[]) =>
    formFromArgs((await parseCommandLine('unit', ['create', ...argv]))!);

  it('unit create takes --arg values that start with a dash, as the README shows', async () => {
    for (const args of [
      ['--arg', '-m', '--arg', 'http.server'],
      ['--arg=-m', '--arg=http.server'],
    ]) {
      const f = await form('--name', 'web', '--exec', 'python3', ...args, '--enable', '--start');
      expect([args, f.name, f.argv]).toEqual([args, 'web', ['python3', '-m', 'http.server']]);
    }
  });

  it('unit create NAME -- CMD ARGS..., like cron add and run; -h after -- is the command', async () => {
    expect(await form('web', '--', '/bin/sh', '-h', '--x')).toMatchObject({
      name: 'web',
      argv: ['/bin/sh', '-h', '--x'],
    });
    await expect(form('web', '--name', 'other', '--', '/bin/sh')).rejects.toThrow(UsageError);
    await expect(form('web', '--', '/bin/sh', '--exec', 'x')).resolves.toBeDefined();
  });

  it('words without options are handed over as commander would, without loading it', async () => {
    const lines: Array<[string, string[]]> = [
      ['list', []],
      ['list', ['extra', 'words']],
      ['status', ['cli-00.service']],
      ['sources', []],
      ['unit', ['create', 'x', '--', '/bin/sleep', '-5', '--json']],
      ['run', ['web', '--', 'python3', '-m', 'http.server']],
      ['cron', ['add', '@reboot', '--', '/bin/x', '-y']],
      ['watch', ['list']],
    ];
    for (const [name, argv] of lines)
      expect([name, argv, await parseCommandLine(name, argv)]).toEqual([
        name,
        argv,
        await parseCommandLine(name, argv, true),
      ]);
  });

  it('help is printed only when asked before --', async () => {
    const help = await cli('cron', 'add', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: daemon-deck cron add/m);
    // After --, -h belongs to the command: cron add then fails on the (stubbed) crontab.
    const r = await cli('cron', 'add', '--', '/bin/df', '-h');
    expect(r.stdout).not.toMatch(/Usage:/);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')).toHaveLength(1);
  });

  it('usage errors exit 2: unknown options, a missing value, an empty run name', async () => {
    for (const argv of [
      ['ps', '--bogus'],
      ['watch', 'add', 'x', '--match'],
      ['run', '', '--', '/bin/true'],
      ['run', 'x', '--', ''],
      ['frobnicate'],
    ]) {
      const r = await cli(...argv);
      expect([argv, r.code]).toEqual([argv, 2]);
      expect(r.stderr).toMatch(/^daemon-deck: /);
    }
  });

  it('ps exits 2 on a bad pattern, as pgrep does, with one line', async () => {
    const r = await cli('ps', '(');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('daemon-deck: Invalid pattern "(": Unmatched ( or \\(.');
  });

  it('run --log in a missing folder is an error in words and creates no folder', async () => {
    const log = join(home, 'nonexistent', 'dir', 'x.log');
    const r = await cli('run', 'x', '--log', log, '--cwd', home, '--', '/bin/true');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/folder for the log file does not exist: .*nonexistent\/dir/);
    expect(existsSync(join(home, 'nonexistent'))).toBe(false);
  });

  it('kill refuses PID 1 and the CLI itself, with the reason, before any signal', async () => {
    // Signal 0 sends nothing: on a CLI without the guard this would "succeed" harmlessly.
    const init = await cli('kill', '--signal', '0', '1');
    expect(init.code).toBe(1);
    expect(init.stderr).toMatch(/init process/);
    const self = await cli('kill', '--signal', '0', String(process.pid));
    expect(self.code).toBe(1);
    expect(self.stderr).toMatch(/the very process asking/);
  });

  it('an id verb its kind cannot do says what the id can do', async () => {
    const r = await cli('reload', 'cron:0badc0de');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'daemon-deck: cron:0badc0de is an @reboot line, which cannot reload; it can: status, start, stop, enable, disable, logs, kill, rm.',
    );
    const s = await cli('rm', 'session:tmux:x');
    expect(s.stderr).toMatch(/it can: status, stop, kill\.$/);
  });

  it('output that cannot be written is one line on stderr and status 1, no stack trace', () => {
    const bin = fileURLToPath(new URL('../../bin/daemon-deck.js', import.meta.url));
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [bin, '--help'], {
        env,
        stdio: ['ignore', full, 'pipe'],
        encoding: 'utf8',
      });
      // Needs the built CLI (npm run build:cli); without it the bin says so on one line, too.
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^daemon-deck: cannot write the output: no space left/);
      expect(r.status).toBe(1);
    } finally {
      closeSync(full);
    }
  });
});
