// Running programs, and the built `daemon-deck` command, the way the integration tests do:
// argv only, a bounded time, and the exit status as data instead of a thrown error.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const DAEMON_DECK_BIN = fileURLToPath(new URL('../../bin/daemon-deck.js', import.meta.url));

export interface Run {
  stdout: string;
  stderr: string;
  /** The exit status; -1 when the program was killed (e.g. by the timeout) or could not start. */
  code: number;
}

export function runFile(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 60_000,
): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) =>
        resolve({
          stdout,
          stderr,
          code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1,
        }),
    );
  });
}

/** The built CLI (npm run build) under this Node, in `env`. */
export function runCli(env: NodeJS.ProcessEnv, ...args: string[]): Promise<Run> {
  return runFile(process.execPath, [DAEMON_DECK_BIN, ...args], env);
}
