// A test file's far host for the CLI (issue 17): the far host and this machine's side started
// before its tests, the host added to this side's settings as "far", both stopped after them.
import { afterAll, beforeAll, expect } from 'vitest';
import { runCli, type Run } from '../helpers/cli.js';
import { startFarHost, startLocalSide, type FarHost, type LocalSide } from './far-host.js';

export interface FarCliSuite {
  /** Set once beforeAll ran. */
  readonly far: FarHost;
  readonly local: LocalSide;
  /** The CLI in this side's environment. */
  cli: (...args: string[]) => Promise<Run>;
  /** The CLI with `--host far`. */
  onFar: (...args: string[]) => Promise<Run>;
}

export function farCliSuite(label: string): FarCliSuite {
  let far: FarHost | undefined;
  let local: LocalSide | undefined;
  const suite: FarCliSuite = {
    get far() {
      return far!;
    },
    get local() {
      return local!;
    },
    cli: (...args) => runCli(local!.env, ...args),
    onFar: (...args) => runCli(local!.env, '--host', 'far', ...args),
  };
  beforeAll(async () => {
    far = await startFarHost({ label });
    local = await startLocalSide(far);
    const added = await suite.cli('host', 'add', 'far', far.alias);
    expect(added.code, added.stderr).toBe(0);
  }, 120_000);
  // stop() kills every process of the far user, whoever started it.
  // This side first: its ssh master holds a session on the far side.
  afterAll(async () => {
    for (const side of [local, far]) await side?.stop();
  }, 60_000);
  return suite;
}
