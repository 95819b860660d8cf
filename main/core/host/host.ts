// The host seam: every effect the core has on a machine (run a program, read a file, write it
// atomically, take a lock, list a folder, find the session bus) goes through this interface.
// This machine is LocalHost (local-host.ts); another machine over SSH is one more implementation
// (issue 13), not edits across every area.
import type dbus from 'dbus-next';
import type { XdgDirs } from '../xdg.js';

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  /** Written to the program's stdin, which is then closed (default: stdin is /dev/null). */
  input?: string | Buffer;
  cwd?: string;
  /** Killed (TERM) after this long; default 30 s. */
  timeoutMs?: number;
}

export interface RunResult {
  /** The exit status; 127 when the program could not be started at all (see spawnError). */
  code: number;
  /** The signal that ended it, e.g. 'SIGTERM' after a timeout, else null. */
  signal: string | null;
  stdout: string;
  stderr: string;
  /** stdout as bytes, for callers that must keep them exactly (the crontab). */
  stdoutBytes: Buffer;
  /** Why the program could not be started (errno name: ENOENT, EACCES...), else null. */
  spawnError: string | null;
  /** True when it was killed for running past timeoutMs. */
  timedOut: boolean;
}

export interface DetachedOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Written to the program's stdin, which is then closed (default: stdin is /dev/null). */
  input?: string;
}

export interface FileInfo {
  kind: 'file' | 'dir' | 'link' | 'other';
  mode: number;
  size: number;
  mtimeMs: number;
}

export interface Host {
  /** 'local' for this machine, else the host's name in settings. */
  readonly name: string;
  readonly env: NodeJS.ProcessEnv;
  readonly xdg: XdgDirs;
  /** Runs a program with an argument vector, never a shell; never rejects for its exit status. */
  run(argv: readonly string[], opts?: RunOptions): Promise<RunResult>;
  /**
   * Starts a program detached (its own session, output discarded, not waited for) and resolves
   * with its pid once it runs; a program that cannot be started rejects with an AppFailure.
   */
  spawnDetached(argv: readonly string[], opts?: DetachedOptions): Promise<number>;
  /** The file's bytes; a failure is an AppFailure that names the file and the cause. */
  readFile(path: string): Promise<Buffer>;
  /** The file's bytes, or null when it does not exist. */
  readOrNull(path: string): Promise<Buffer | null>;
  /** null when it does not exist; lstat (a link is a link). */
  stat(path: string): Promise<FileInfo | null>;
  /** Whether the user may execute `path` (access(2) X_OK, through links). */
  canExecute(path: string): Promise<boolean>;
  /** Names in a folder; [] when the folder does not exist. */
  readdir(path: string): Promise<string[]>;
  /** Temp file beside it, fsync, rename: all or nothing. */
  writeFileAtomic(path: string, data: string | Buffer, mode?: number): Promise<void>;
  /** Removes a file; one that is already gone is fine. */
  remove(path: string): Promise<void>;
  /** Runs fn holding the store lock of `target` (a path, or a name such as "crontab"). */
  withLock<T>(target: string, fn: () => Promise<T>): Promise<T>;
  /** Creates `path` under its lock; an existing file is a `conflict`, left untouched. */
  createFile(path: string, data: string | Buffer, mode?: number, what?: string): Promise<void>;
  /** Read-modify-write under the lock; `change` returns undefined to leave the file as it is. */
  updateFile(
    path: string,
    change: (
      current: Buffer | null,
    ) => Promise<string | Buffer | undefined> | string | Buffer | undefined,
    mode?: number,
  ): Promise<string | Buffer | undefined>;
  /** The session bus address (DBUS_SESSION_BUS_ADDRESS, else $XDG_RUNTIME_DIR/bus), or null. */
  sessionBusAddress(): string | null;
  /**
   * A new connection to this host's session bus on a stream of its own, for a host that is not
   * reached by address (another host over SSH: ssh-host.ts); absent, the bus is at the address.
   */
  openBus?: () => dbus.MessageBus;
}
