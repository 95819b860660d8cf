// The unit-file memo (main/core/systemd/unit-files-memo.ts): its fingerprint sees every change
// that can change systemd's unit-file list (a file added, edited to the same size, removed, a
// link made, moved or masked, a missing folder made), a list is kept only when the folders held
// still around systemd's answer and were not changed within a clock tick of it, and a unit service
// with a memo asks systemd for the list only when the kept one no longer holds.
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bus, BusState, CallRequest } from '../../main/core/systemd/bus.js';
import {
  RACY_MS,
  fileUnitFilesMemo,
  folderFingerprint,
  sessionUnitFilesMemo,
  type UnitFilesMemo,
} from '../../main/core/systemd/unit-files-memo.js';
import { UnitService } from '../../main/core/systemd/unit-service.js';

let root: string;
let user: string;
let vendor: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'dd-memo-'));
  user = join(root, 'user');
  vendor = join(root, 'vendor');
  mkdirSync(join(user, 'default.target.wants'), { recursive: true });
  mkdirSync(vendor);
  writeFileSync(join(user, 'a.service'), '[Service]\nExecStart=/bin/true\n');
  writeFileSync(join(vendor, 'b.service'), '[Install]\nWantedBy=default.target\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const fp = (...dirs: string[]) => folderFingerprint(dirs.length > 0 ? dirs : [user, vendor]).text;
/** A clock well after every change the test made: nothing is racy. */
const later = () => Date.now() + 10 * RACY_MS;
const ROWS: Array<[string, string]> = [['/u/a.service', 'static']];

describe('the unit folders fingerprint', () => {
  const changes: Array<[string, () => void]> = [
    ['a file added', () => writeFileSync(join(user, 'c.service'), '')],
    ['a file removed', () => unlinkSync(join(user, 'a.service'))],
    [
      'a file edited to the same size',
      () => writeFileSync(join(user, 'a.service'), '[Service]\nExecStart=/bin/echo\n'),
    ],
    [
      'an enable link made in a .wants folder',
      () => symlinkSync(join(vendor, 'b.service'), join(user, 'default.target.wants', 'b.service')),
    ],
    ['a unit masked', () => symlinkSync('/dev/null', join(user, 'b.service'))],
    ['a missing folder made', () => mkdirSync(join(root, 'later'))],
  ];
  for (const [what, change] of changes) {
    it(`changes with ${what}`, () => {
      const dirs = [user, vendor, join(root, 'later')];
      const before = fp(...dirs);
      expect(fp(...dirs)).toBe(before);
      change();
      expect(fp(...dirs)).not.toBe(before);
    });
  }

  it('changes when a linked unit file outside the folders changes, or its link moves', () => {
    const outside = join(root, 'outside.service');
    const other = join(root, 'other.service');
    writeFileSync(outside, '[Install]\nWantedBy=default.target\n');
    writeFileSync(other, '[Install]\nWantedBy=default.target\n');
    symlinkSync(outside, join(user, 'linked.service'));
    const before = fp();
    writeFileSync(outside, '[Install]\nWantedBy=other.target\n');
    const edited = fp();
    expect(edited).not.toBe(before);
    unlinkSync(join(user, 'linked.service'));
    symlinkSync(other, join(user, 'linked.service'));
    expect(fp()).not.toBe(edited);
  });
});

describe('the memo file', () => {
  const memoAt = (now: () => number = later, key = 'k') =>
    fileUnitFilesMemo(join(root, 'cache', 'daemon-deck', 'unit-files.json'), key, now);
  const keepStill = async (memo: UnitFilesMemo) => {
    const before = memo.fingerprint([user, vendor]);
    memo.keep([user, vendor], before, memo.fingerprint([user, vendor]), ROWS);
    await memo.settled();
  };

  it('gives the kept rows back while the folders look as they did, and none once they change', async () => {
    expect(memoAt().read()).toBeNull();
    await keepStill(memoAt());
    expect(memoAt().read()).toEqual({
      unitPath: [user, vendor],
      fingerprint: fp(),
      rows: ROWS,
    });
    writeFileSync(join(user, 'new.service'), '');
    expect(memoAt().read()).toEqual({ unitPath: [user, vendor], fingerprint: fp(), rows: null });
  });

  it('keeps no rows when the folders changed during the answer, or with the path alone', async () => {
    const memo = memoAt();
    const before = memo.fingerprint([user, vendor]);
    writeFileSync(join(user, 'during.service'), '');
    memo.keep([user, vendor], before, memo.fingerprint([user, vendor]), ROWS);
    await memo.settled();
    expect(memoAt().read()?.rows).toBeNull();
    memo.keep([user], null, null, ROWS);
    await memo.settled();
    expect(memoAt().read()).toEqual({ unitPath: [user], fingerprint: fp(user), rows: null });
  });

  it('keeps no rows when a folder changed within a clock tick or two (racy)', async () => {
    // The real clock: the files were written just now.
    const memo = memoAt(Date.now);
    const before = memo.fingerprint([user, vendor]);
    expect(before.startsWith('racy\n')).toBe(true);
    memo.keep([user, vendor], before, memo.fingerprint([user, vendor]), ROWS);
    await memo.settled();
    expect(memoAt().read()?.rows).toBeNull();
    // And rows kept earlier do not count while a change is that recent.
    await keepStill(memoAt());
    expect(memoAt().read()?.rows).toEqual(ROWS);
    expect(memoAt(Date.now).read()?.rows).toBeNull();
  });

  it('ignores a file of another bus, a damaged file, and rows of the wrong shape', async () => {
    await keepStill(memoAt());
    expect(memoAt(later, 'another bus').read()).toBeNull();
    const path = join(root, 'cache', 'daemon-deck', 'unit-files.json');
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.slice(0, text.length / 2));
    expect(memoAt().read()).toBeNull();
    const memo = memoAt();
    const fpNow = memo.fingerprint([user, vendor]);
    memo.keep([user, vendor], fpNow, fpNow, [['/only-a-path']]);
    await memo.settled();
    expect(memoAt().read()?.rows).toBeNull();
  });
});

describe("the session bus's memo", () => {
  it('is kept in the cache folder, and not at all without a bus address or a home to keep it in', async () => {
    const bus = 'unix:path=/nonexistent/bus';
    expect(sessionUnitFilesMemo({ HOME: root })).toBeNull();
    expect(sessionUnitFilesMemo({ DBUS_SESSION_BUS_ADDRESS: bus })).toBeNull();
    expect(sessionUnitFilesMemo({ DBUS_SESSION_BUS_ADDRESS: bus, HOME: 'relative' })).toBeNull();
    const memo = sessionUnitFilesMemo({ DBUS_SESSION_BUS_ADDRESS: bus, HOME: root });
    memo!.keep([user], null, null, ROWS);
    await memo!.settled();
    const kept = JSON.parse(
      await readFile(join(root, '.cache', 'daemon-deck', 'unit-files.json'), 'utf8'),
    ) as { key: string; unitPath: string[] };
    expect(kept.unitPath).toEqual([user]);
    expect(kept.key).toContain(bus);
  });
});

/** A bus with one loaded service; counts the unit-file lists asked for. */
class FilesBus implements Bus {
  readonly state: BusState = 'up';
  readonly lastError = null;
  unitPath: string[] = [];
  fileLists = 0;
  call(req: CallRequest): Promise<unknown[]> {
    switch (req.member) {
      case 'Subscribe':
        return Promise.resolve([]);
      case 'ListUnitsByPatterns':
        return Promise.resolve([
          [['k.service', 'K', 'loaded', 'inactive', 'dead', '', '/unit/k_2eservice']],
        ]);
      case 'ListUnitFilesByPatterns':
        this.fileLists++;
        return Promise.resolve([[[join(user, 'k.service'), 'enabled']]]);
      case 'Get':
        return Promise.resolve([req.body?.[1] === 'UnitPath' ? this.unitPath : 0]);
      default:
        return Promise.reject(new Error(`unexpected ${req.member}`));
    }
  }
  addMatch(): Promise<void> {
    return Promise.resolve();
  }
  onSignal(): () => void {
    return () => undefined;
  }
  onState(): () => void {
    return () => undefined;
  }
  close(): void {}
}

describe('a unit service with a memo', () => {
  const load = async (bus: FilesBus) => {
    const memo = fileUnitFilesMemo(join(root, 'memo.json'), 'k', later);
    const units = new UnitService(bus, { unitFilesMemo: memo });
    await units.attach();
    await units.settled();
    await units.filesMemoWritten();
    units.detach();
    return units.units().find((u) => u.name === 'k.service')?.unitFileState;
  };

  it('asks for the unit-file list only until it is kept, and again after a change', async () => {
    const bus = new FilesBus();
    bus.unitPath = [user, vendor];
    // First: nothing kept (the path is remembered); second: kept; then answered from the memo.
    expect([await load(bus), await load(bus), await load(bus), await load(bus)]).toEqual(
      Array(4).fill('enabled'),
    );
    expect(bus.fileLists).toBe(2);
    writeFileSync(join(user, 'k.service'), '');
    expect(await load(bus)).toBe('enabled');
    expect(bus.fileLists).toBe(3);
    expect(await load(bus)).toBe('enabled');
    expect(bus.fileLists).toBe(3);
    // The manager's search path is not the one kept: asked for again.
    bus.unitPath = [user];
    expect(await load(bus)).toBe('enabled');
    expect(bus.fileLists).toBe(4);
  });
});
