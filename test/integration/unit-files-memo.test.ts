// `list` with the unit-file memo (main/core/systemd/unit-files-memo.ts) against a real
// systemd --user: while the unit folders stay as they were, the list systemd gave is used again;
// after each change (an enable, a new file with no daemon-reload, a mask, a disable) `list` says
// what `systemctl --user list-unit-files` says. Each change is listed only once it is older than the
// racy window (within it, systemd is asked every time), so the folders' fingerprint alone must
// tell that the kept list no longer holds; and again when answered from the memo.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entry } from '../../main/core/model/domain.js';
import { RACY_MS } from '../../main/core/systemd/unit-files-memo.js';
import { startSandbox, type Sandbox } from '../harness/sandbox.js';
import { runCli } from '../helpers/cli.js';
import { sleeperUnit } from '../helpers/units.js';

const A = 'dd-memo-a.service';
const B = 'dd-memo-b.service';
const C = 'dd-memo-c.service';
const D = 'dd-memo-d.service';

describe('list with the unit-file memo', () => {
  let sb: Sandbox;
  let memoPath: string;

  beforeAll(async () => {
    sb = await startSandbox({ label: 'unit-files-memo' });
    memoPath = join(sb.env.XDG_CACHE_HOME!, 'daemon-deck', 'unit-files.json');
    await sb.writeUnit(A, sleeperUnit('Memo A'));
    await sb.writeUnit(B, sleeperUnit('Memo B, static', false));
    await sb.daemonReload();
  }, 60_000);
  afterAll(async () => {
    await sb?.stop();
  });

  /** Unit name -> its unit-file state, as `list --json` gives it (systemd entries with a file). */
  const listed = async (): Promise<Record<string, string>> => {
    const r = await runCli(sb.env, 'list', '--json');
    expect([r.code, r.stderr]).toEqual([0, '']);
    const out: Record<string, string> = {};
    for (const e of JSON.parse(r.stdout) as Entry[]) {
      if (e.kind === 'process' || !e.id.startsWith('systemd:')) continue;
      if (e.autostart.state !== null) out[e.name] = e.autostart.state;
    }
    return out;
  };
  /** The same, as systemctl says it (services, sockets and timers: the kinds list shows). */
  const fromSystemctl = async (): Promise<Record<string, string>> => {
    const r = await sb.systemctl('list-unit-files', '--no-legend', '--plain', '--no-pager');
    expect(r.code).toBe(0);
    const out: Record<string, string> = {};
    for (const line of r.stdout.split('\n')) {
      const [name, state] = line.trim().split(/\s+/);
      if (name !== undefined && state !== undefined && /\.(service|socket|timer)$/.test(name))
        out[name] = state;
    }
    return out;
  };
  const memo = async () =>
    JSON.parse(await readFile(memoPath, 'utf8')) as { rows: unknown[] | null; fingerprint: string };
  const pastRacyWindow = () => new Promise((resolve) => setTimeout(resolve, RACY_MS + 300));

  it('says what systemctl says, from the memo and after each change to the unit folders', async () => {
    // Right after a change the folders are "racy": systemd is asked, nothing is kept.
    expect(await listed()).toEqual(await fromSystemctl());
    expect((await memo()).rows).toBeNull();
    await pastRacyWindow();
    // The first quiet list keeps the answer; the next ones are answered from it.
    for (let i = 0; i < 3; i++) expect(await listed()).toEqual(await fromSystemctl());
    const kept = await memo();
    expect(kept.rows).not.toBeNull();
    expect(kept.fingerprint).not.toBe('');
    expect((await listed())[B]).toBe('static');

    const steps: Array<[string, () => Promise<{ code: number } | string>, string, string]> = [
      ['enable A', () => sb.systemctl('enable', A), A, 'enabled'],
      ['a new file, no daemon-reload', () => sb.writeUnit(C, sleeperUnit('Memo C')), C, 'disabled'],
      ['mask a unit that has no file', () => sb.systemctl('mask', D), D, 'masked'],
      ['disable A', () => sb.systemctl('disable', A), A, 'disabled'],
    ];
    for (const [what, change, unit, state] of steps) {
      const done = await change();
      if (typeof done !== 'string') expect([what, done.code]).toEqual([what, 0]);
      // Not listed before the change is out of the racy window: the kept list is replaced because
      // the folders' fingerprint differs, not because the change was recent.
      await pastRacyWindow();
      for (let i = 0; i < 3; i++) {
        const again = await listed();
        expect([what, i, again[unit]]).toEqual([what, i, state]);
        expect(again).toEqual(await fromSystemctl());
      }
      expect((await memo()).rows, what).not.toBeNull();
    }
  }, 120_000);
});
