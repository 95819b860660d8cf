// The shape of the authoring area's program runner (run a file with an argument vector, collect
// its output and exit status), on its own so logs.ts and timers.ts can take one without importing
// unit-authoring.ts, which imports them.
export interface RunOutput {
  stdout: string;
  stderr: string;
  code: number;
}

export type Runner = (
  file: string,
  args: string[],
  opts?: { env?: NodeJS.ProcessEnv; timeoutMs?: number },
) => Promise<RunOutput>;
