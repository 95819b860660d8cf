// tmux and screen sessions: list, kill, start a command in a new detached session, attach command.
//
// Relies on (tmux 3.3, GNU screen 4.9 here):
// - tmux: `list-sessions -F` with tab-separated formats; `list-panes -a` for each pane's pid
//   and current command; targets written `=NAME` so a name is never taken as a prefix;
//   `new-session -d -s NAME -c DIR -- ARGV...` runs ARGV directly (no shell) since tmux 3.0.
//   With no server running tmux exits 1 ("no server running" / "error connecting"): no sessions.
//   Session names cannot hold `.` or `:` (tmux would rewrite them), so those are refused.
//   Listings run with `-u`: a client whose locale is not UTF-8 (LANG unset, as in a command over
//   SSH without PAM, or C) gets each tab of a -F format written as `_` (tmux 3.3a, checked).
// - screen: only `screen -ls` lists sessions, as `\tPID.NAME\t(MM/DD/YY HH:MM:SS)\t(Detached)`,
//   exiting 1 when there are none; the date's form follows screen's build and locale, so it is
//   read best-effort. `-dmS NAME ARGV...` starts detached and execs ARGV directly; `-S PID.NAME -X
//   quit` kills one session. The processes in a session are the SCREEN process's children.
// - A private server for tests: TMUX_TMPDIR / `-S path` for tmux, SCREENDIR for screen, through
//   the environment and options given here; nothing else is assumed about the user's setup.
// - Polling cheaply: with no server, tmux names the socket it tried ("no server running on PATH",
//   "error connecting to PATH"), and `screen -ls` the directory it looked in ("No Sockets found
//   in DIR."). Once known, a poll spawns neither tool while that socket is missing or that
//   directory is empty (a server creates its socket, a screen session its file there), and the
//   process table is read only when there is a session to describe.
// - Where the default server would be, before either tool ran (tmux 3.3a and screen 4.09 here,
//   checked by running them): tmux without -S/-L uses the socket named in $TMUX (first field of
//   `PATH,PID,INDEX`, inside a session), else DIR/tmux-UID/default with DIR $TMUX_TMPDIR when that
//   exists, else /tmp ("error connecting to /tmp/tmux-0/default"). screen uses $SCREENDIR, else
//   its build's SOCKDIR (/run/screen on Debian, Ubuntu and Fedora) with S-LOGIN, LOGIN being the
//   account of the real uid (USER and LOGNAME are not read). So on this machine a first listing,
//   and every `daemon-deck list`, spawns neither tool when no server can exist; a tool that is not
//   installed (nothing executable on PATH) is still said to be, as its spawn would. A screen
//   built with another SOCKDIR is only predicted when /run/screen is absent: then it is run and
//   its own answer tells the directory, as before.
// Every tool runs through the host's one runner (host/local-host.ts), with an argument vector,
// never a shell; a tool that is not installed is spawnError ENOENT there.
import { lstatSync, readdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { AttachCommand, SessionInfo, SessionKind } from '../model/processes.js';
import { t } from '../../../i18n/index.js';
import { AppFailure, appError } from '../errors.js';
import { findProgram } from '../host/find-program.js';
import type { Host, RunResult } from '../host/host.js';
import { createLocalHost } from '../host/local-host.js';
import { commandLine, type ProcessInfo, type ProcessTable } from '../processes/proc-scanner.js';

const NO_THROW = { throwIfNoEntry: false } as const;

/** A folder of this machine holds nothing (or cannot be read), read synchronously (see tmuxIdle). */
function localFolderEmpty(path: string): boolean {
  try {
    return readdirSync(path).length === 0;
  } catch {
    return true;
  }
}

export interface SessionsOptions {
  /** The machine the sessions run on; default this one, in `env`. */
  host?: Host;
  env?: NodeJS.ProcessEnv;
  /** tmux `-S PATH` (a private server); default: tmux's own default socket. */
  tmuxSocket?: string | null;
  /** A fresh process table, to name what runs in each session. */
  scan?: () => ProcessTable;
}

/** Session names both tools keep as given. */
export function checkSessionName(name: string): string | null {
  if (name.length === 0 || name.length > 64) return t('errors:sessions.nameLength');
  if (!/^[A-Za-z0-9_@+,-][A-Za-z0-9_@+,=-]*$/.test(name)) return t('errors:sessions.nameChars');
  return null;
}

/** Parse `tmux list-sessions -F '#{session_name}\t#{session_windows}\t#{session_attached}\t#{session_created}'`. */
export function parseTmuxSessions(stdout: string): Array<Omit<SessionInfo, 'commands' | 'pids'>> {
  const out: Array<Omit<SessionInfo, 'commands' | 'pids'>> = [];
  for (const line of stdout.split('\n')) {
    const [name, windows, attached, created] = line.split('\t');
    if (!name || windows === undefined) continue;
    const secs = Number(created);
    out.push({
      id: `session:tmux:${name}`,
      kind: 'tmux',
      name,
      windows: Number(windows) || 0,
      attached: Number(attached) > 0,
      createdAt: Number.isFinite(secs) && secs > 0 ? new Date(secs * 1000).toISOString() : null,
    });
  }
  return out;
}

/** Parse `screen -ls`. */
export function parseScreenList(
  stdout: string,
): Array<{ pid: number; name: string; attached: boolean; createdAt: string | null }> {
  const out: Array<{ pid: number; name: string; attached: boolean; createdAt: string | null }> = [];
  for (const line of stdout.split('\n')) {
    const m =
      /^\t(\d+)\.(\S+)\t(?:\(([^)]*)\)\t)?\((Attached|Detached|Multi, attached|Multi, detached)\)/.exec(
        line,
      );
    if (!m) continue;
    out.push({
      pid: Number(m[1]),
      name: m[2]!,
      attached: /attached/i.test(m[4]!) && !/detached/i.test(m[4]!),
      createdAt: parseScreenDate(m[3] ?? null),
    });
  }
  return out;
}

function parseScreenDate(text: string | null): string | null {
  if (text === null) return null;
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{2,4}) (\d{1,2}):(\d{2}):(\d{2})(?: ?(AM|PM))?$/i.exec(
    text.trim(),
  );
  if (!m) return null;
  let year = Number(m[3]);
  if (year < 100) year += 2000;
  let hour = Number(m[4]);
  if (m[7]?.toUpperCase() === 'PM' && hour < 12) hour += 12;
  if (m[7]?.toUpperCase() === 'AM' && hour === 12) hour = 0;
  const d = new Date(year, Number(m[1]) - 1, Number(m[2]), hour, Number(m[5]), Number(m[6]));
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** The socket tmux says it tried when no server answers, or null. Pure. */
export function tmuxSocketOf(stderr: string): string | null {
  const m =
    /no server running on (.+?)\s*$/m.exec(stderr) ??
    /error connecting to (.+?) \([^)]*\)\s*$/m.exec(stderr);
  return m ? m[1]! : null;
}

/** The directory `screen -ls` looked in ("No Sockets found in DIR." / "N Sockets in DIR."), or null. Pure. */
export function screenDirOf(output: string): string | null {
  const m = /Sockets? (?:found )?in (\/.*?)\.?\s*$/m.exec(output);
  return m ? m[1]! : null;
}

/**
 * The socket tmux's default server listens on (see the header): $TMUX's path, else
 * DIR/tmux-UID/default. `exists` is the only effect.
 */
export async function tmuxDefaultSocket(
  env: NodeJS.ProcessEnv,
  uid: number,
  exists: (path: string) => Promise<boolean>,
): Promise<string> {
  const inside = env.TMUX;
  if (inside !== undefined && inside !== '' && !inside.startsWith(','))
    return inside.split(',')[0]!;
  const tmp = env.TMUX_TMPDIR;
  const dir = tmp !== undefined && tmp !== '' && (await exists(tmp)) ? tmp : '/tmp';
  return `${dir}/tmux-${uid}/default`;
}

/** The socket directory `screen -ls` reads, or null when it cannot be known without running it. */
export async function screenDefaultDir(
  env: NodeJS.ProcessEnv,
  login: () => string,
  exists: (path: string) => Promise<boolean>,
): Promise<string | null> {
  if (env.SCREENDIR !== undefined) return env.SCREENDIR;
  return (await exists(SCREEN_SOCKDIR)) ? `${SCREEN_SOCKDIR}/S-${login()}` : null;
}

const SCREEN_SOCKDIR = '/run/screen';

type TableGetter = () => ProcessTable | null;

export class SessionService {
  private readonly host: Host;
  private readonly env: NodeJS.ProcessEnv;
  private readonly tmuxSocket: string | null;
  private readonly scan: (() => ProcessTable) | null;
  /** Where tmux's server socket is / screen keeps its sockets, once known (see the header). */
  private tmuxServer: string | null;
  private screenDir: string | null;
  /** The default places worked out (this machine only: see the header), once. */
  private predicted: Promise<void> | null = null;
  private readonly onPath = new Map<string, Promise<boolean>>();

  constructor(opts: SessionsOptions = {}) {
    this.host = opts.host ?? createLocalHost(opts.env ?? process.env);
    this.env = this.host.env;
    this.tmuxSocket = opts.tmuxSocket ?? null;
    this.scan = opts.scan ?? null;
    this.tmuxServer = this.tmuxSocket;
    this.screenDir = this.env.SCREENDIR ?? null;
  }

  /** Where the tools' default servers are, before either ran (this machine only). */
  private predict(): Promise<void> {
    this.predicted ??= (async () => {
      if (this.host.name !== 'local') return;
      const exists = async (path: string) =>
        (await this.host.stat(path).catch(() => null)) !== null;
      const uid = process.getuid?.();
      const [tmux, screen] = await Promise.all([
        this.tmuxServer === null && uid !== undefined
          ? tmuxDefaultSocket(this.env, uid, exists)
          : null,
        this.screenDir === null
          ? screenDefaultDir(this.env, () => userInfo().username, exists).catch(() => null)
          : null,
      ]);
      this.tmuxServer ??= tmux;
      this.screenDir ??= screen;
    })();
    return this.predicted;
  }

  /** Whether `name` is an executable on PATH, as the spawn would find it (asked once). */
  private installed(name: string): Promise<boolean> {
    let found = this.onPath.get(name);
    if (found === undefined) {
      found = findProgram(this.host, name).then((file) => file !== null);
      this.onPath.set(name, found);
    }
    return found;
  }

  /**
   * True when tmux certainly has no server: its socket is known and missing. Not installed is
   * not idle: the spawn says so, in the source's status.
   */
  private async tmuxIdle(): Promise<boolean> {
    await this.predict();
    if (this.tmuxServer === null) return false;
    // On this machine a synchronous lstat (microseconds, a socket in a local folder): the
    // promise's one went through libuv's thread pool, whose completion woke the idle core a
    // second time on each quiet poll (issue 16).
    const missing =
      this.host.name === 'local'
        ? lstatSync(this.tmuxServer, NO_THROW) === undefined
        : (await this.host.stat(this.tmuxServer)) === null;
    return missing && (await this.installed('tmux'));
  }

  /** True when screen certainly has no session: its socket directory is known and empty. */
  private async screenIdle(): Promise<boolean> {
    await this.predict();
    if (this.screenDir === null) return false;
    // No directory (or none readable) reads as empty: no session was ever started there.
    const empty =
      this.host.name === 'local'
        ? localFolderEmpty(this.screenDir)
        : (await this.host.readdir(this.screenDir).catch(() => [])).length === 0;
    return empty && (await this.installed('screen'));
  }

  private async tool(name: 'tmux' | 'screen', args: string[], cwd?: string): Promise<RunResult> {
    const r = await this.host.run([name, ...args], {
      timeoutMs: 10_000,
      ...(cwd !== undefined ? { cwd } : {}),
    });
    if (r.spawnError === 'ENOENT')
      throw new AppFailure(appError('unsupported', t('errors:sessions.notInstalled', { name })));
    return r;
  }

  private tmuxArgs(...args: string[]): string[] {
    return this.tmuxSocket !== null ? ['-S', this.tmuxSocket, ...args] : args;
  }

  private tmux(...args: string[]): Promise<RunResult> {
    return this.tool('tmux', this.tmuxArgs(...args));
  }

  /** A tmux listing, its tabs kept whatever the locale (see the header). */
  private tmuxList(...args: string[]): Promise<RunResult> {
    return this.tool('tmux', ['-u', ...this.tmuxArgs(...args)]);
  }

  private screen(...args: string[]): Promise<RunResult> {
    return this.tool('screen', args);
  }

  async listTmux(table: TableGetter): Promise<SessionInfo[]> {
    if (await this.tmuxIdle()) return [];
    const listSessions = () =>
      this.tmuxList(
        'list-sessions',
        '-F',
        '#{session_name}\t#{session_windows}\t#{session_attached}\t#{session_created}',
      );
    let r = await listSessions();
    // A server shutting down as the client connects (its last session just ended) makes the
    // client say "server exited unexpectedly" (tmux 3.3a, seen in CI): asked again, tmux answers
    // for the server that is there now, or says there is none.
    if (r.code !== 0 && /server exited unexpectedly/i.test(r.stderr)) r = await listSessions();
    if (r.code !== 0) {
      if (/no server running|error connecting|No such file/i.test(r.stderr)) {
        this.tmuxServer ??= tmuxSocketOf(r.stderr);
        return [];
      }
      throw new AppFailure(appError('internal', `tmux: ${r.stderr.trim()}`));
    }
    const sessions = parseTmuxSessions(r.stdout);
    if (sessions.length === 0) return [];
    const panes = await this.tmuxList(
      'list-panes',
      '-a',
      '-F',
      '#{session_name}\t#{pane_pid}\t#{pane_current_command}',
    );
    return sessions.map((s) => {
      const commands: string[] = [];
      const pids: number[] = [];
      for (const line of panes.code === 0 ? panes.stdout.split('\n') : []) {
        const [name, pid, cmd] = line.split('\t');
        if (name !== s.name || pid === undefined) continue;
        pids.push(Number(pid));
        const proc = table()?.byPid.get(Number(pid));
        commands.push(proc ? commandLine(proc) : (cmd ?? ''));
      }
      return { ...s, commands, pids };
    });
  }

  async listScreen(getTable: TableGetter): Promise<SessionInfo[]> {
    if (await this.screenIdle()) return [];
    const r = await this.screen('-ls');
    this.screenDir ??= screenDirOf(r.stdout);
    const found = parseScreenList(r.stdout);
    if (found.length === 0) {
      if (r.code !== 0 && !/No Sockets found|No screen session/i.test(r.stdout + r.stderr))
        throw new AppFailure(appError('internal', `screen: ${(r.stderr || r.stdout).trim()}`));
      return [];
    }
    const table = getTable();
    return found.map((s) => {
      // A window's process is a fork of the screen server until it execs: while it still has
      // the server's own command line it runs nothing of its own yet, so it is not listed.
      const server = table?.processes.find((p) => p.pid === s.pid);
      const same = (p: ProcessInfo) =>
        server !== undefined && p.argv.join('\0') === server.argv.join('\0');
      const children = table ? table.processes.filter((p) => p.ppid === s.pid && !same(p)) : [];
      return {
        id: `session:screen:${s.name}`,
        kind: 'screen' as const,
        name: s.name,
        windows: children.length,
        attached: s.attached,
        createdAt: s.createdAt,
        commands: children.map(commandLine),
        pids: [s.pid, ...children.map((c) => c.pid)],
      };
    });
  }

  async list(): Promise<SessionInfo[]> {
    // The process table only when a session needs describing, and then once.
    let table: ProcessTable | null | undefined;
    const getTable: TableGetter = () => {
      if (table === undefined) table = this.scan ? this.scan() : null;
      return table;
    };
    const [t, s] = await Promise.all([this.listTmux(getTable), this.listScreen(getTable)]);
    return [...t, ...s].sort((a, b) => a.id.localeCompare(b.id));
  }

  private async screenTarget(name: string): Promise<string> {
    const r = await this.screen('-ls');
    const hit = parseScreenList(r.stdout).find((s) => s.name === name);
    if (hit === undefined)
      throw new AppFailure(appError('no-such-unit', t('errors:sessions.noScreen', { name })));
    return `${hit.pid}.${hit.name}`;
  }

  async kill(kind: SessionKind, name: string): Promise<void> {
    if (kind === 'tmux') {
      const r = await this.tmux('kill-session', '-t', `=${name}`);
      if (r.code !== 0)
        throw new AppFailure(
          appError(
            /can't find session|no server|error connecting/i.test(r.stderr)
              ? 'no-such-unit'
              : 'internal',
            /can't find session|no server|error connecting/i.test(r.stderr)
              ? t('errors:sessions.noTmux', { name })
              : `tmux: ${r.stderr.trim()}`,
          ),
        );
      return;
    }
    const target = await this.screenTarget(name);
    const r = await this.screen('-S', target, '-X', 'quit');
    if (r.code !== 0)
      throw new AppFailure(appError('internal', `screen: ${(r.stderr || r.stdout).trim()}`));
  }

  async create(
    kind: SessionKind,
    name: string,
    argv: string[],
    cwd: string | null,
  ): Promise<SessionInfo> {
    const bad = checkSessionName(name);
    if (bad !== null) throw new AppFailure(appError('invalid-input', bad));
    if (argv.length === 0 || argv[0] === '')
      throw new AppFailure(appError('invalid-input', t('errors:sessions.noCommand')));
    const existing = (await this.list()).find((s) => s.kind === kind && s.name === name);
    if (existing !== undefined)
      throw new AppFailure(appError('conflict', t('errors:sessions.exists', { kind, name })));
    const dir = cwd ?? this.env.HOME ?? '/';
    if (kind === 'tmux') {
      const r = await this.tmux('new-session', '-d', '-s', name, '-c', dir, '--', ...argv);
      if (r.code !== 0) throw new AppFailure(appError('internal', `tmux: ${r.stderr.trim()}`));
    } else {
      // screen has no working-directory option: it starts where it is started.
      const r = await this.tool('screen', ['-dmS', name, ...argv], dir);
      if (r.code !== 0)
        throw new AppFailure(appError('internal', `screen: ${(r.stderr || r.stdout).trim()}`));
    }
    for (let i = 0; i < 40; i++) {
      const found = (await this.list()).find((s) => s.kind === kind && s.name === name);
      // screen lists the session a moment before its window's process exists: wait for it.
      if (found !== undefined && (found.commands.length > 0 || this.scan === null || i >= 39))
        return found;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new AppFailure(appError('job-failed', t('errors:sessions.endedAtStart', { kind, name })));
  }

  attachCommand(kind: SessionKind, name: string): AttachCommand {
    const argv =
      kind === 'tmux'
        ? ['tmux', ...this.tmuxArgs('attach-session', '-t', `=${name}`)]
        : ['screen', '-r', name];
    return { argv, text: argv.map(shellWord).join(' ') };
  }
}

/** Quote one word for a POSIX shell (for the copyable attach line only; never executed here). */
export function shellWord(w: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}
