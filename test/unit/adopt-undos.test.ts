// Adopt's Undo records in a file of the host (adopt-undos.ts): what one process puts, another
// reads; the last Adopt of a unit is the one found; a removed record is gone; a file that is not
// the records' reads as none and is replaced by the next put; the file is the user's own (0600).
import { mkdtemp, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  adoptUndosPath,
  hostAdoptUndos,
  type AdoptUndoRecord,
} from '../../main/core/processes/adopt-undos.js';
import { createLocalHost } from '../../main/core/host/local-host.js';

let dir: string;
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dd-adopt-undos-'));
  env = {
    HOME: dir,
    XDG_STATE_HOME: join(dir, 'state'),
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_DATA_HOME: join(dir, 'data'),
  };
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const record = (token: string, unit: string, at: string): AdoptUndoRecord => ({
  token,
  unit,
  authoringToken: `a-${token}`,
  argv: ['sleep', token],
  cwd: '/tmp',
  enabled: false,
  at,
});

describe('Adopt undo records', () => {
  it('are shared through the host’s file: the last of a unit is found, a removed one is gone', async () => {
    const one = hostAdoptUndos(createLocalHost(env));
    await one.put(record('t1', 'a.service', '2026-12-07T01:00:00.000Z'));
    await one.put(record('t2', 'a.service', '2026-12-07T02:00:00.000Z'));
    await one.put(record('t3', 'b.service', '2026-12-07T03:00:00.000Z'));
    // Another store (another process) over the same host reads them.
    const two = hostAdoptUndos(createLocalHost(env));
    expect((await two.latest('a.service'))?.token).toBe('t2');
    expect((await two.latest('b.service'))?.token).toBe('t3');
    expect(await two.latest('c.service')).toBeNull();
    expect(await two.get('t1')).toEqual(record('t1', 'a.service', '2026-12-07T01:00:00.000Z'));
    await two.remove('t2');
    expect((await one.latest('a.service'))?.token).toBe('t1');
    expect(await one.get('t2')).toBeNull();
    const path = adoptUndosPath(env);
    expect(path).toBe(join(dir, 'data', 'daemon-deck', 'adopt-undos.json'));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('a file that is not the records reads as none, and the next put replaces it', async () => {
    const path = adoptUndosPath(env);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, '{not json');
    const s = hostAdoptUndos(createLocalHost(env));
    expect(await s.latest('a.service')).toBeNull();
    expect(await s.get('x')).toBeNull();
    await writeFile(path, JSON.stringify([{ token: 'x', unit: 'a.service' }, 7]));
    expect(await s.get('x')).toBeNull();
    await s.put(record('t1', 'a.service', '2026-12-07T01:00:00.000Z'));
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual([
      record('t1', 'a.service', '2026-12-07T01:00:00.000Z'),
    ]);
  });
});
