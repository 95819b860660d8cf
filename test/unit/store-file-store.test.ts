// The store layer on its own: the lock the app and every CLI process take, creates that never
// replace, and settings changes made from the file as it is under the lock.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppFailure } from '../../main/core/errors.js';
import { createConfSettings } from '../../main/core/settings/settings.js';
import { openConfWatchRules } from '../../main/core/processes/watch-rules.js';
import {
  createFile,
  updateFile,
  withLock,
  withLockSync,
} from '../../main/core/store/file-store.js';

let dir: string;
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dd-store-'));
  env = { HOME: dir, XDG_STATE_HOME: join(dir, 'state'), XDG_CONFIG_HOME: join(dir, 'config') };
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the store lock', () => {
  it('the synchronous and the asynchronous lock of one target exclude each other', async () => {
    const target = join(dir, 'settings.json');
    let inside = false;
    await withLock({ env }, target, async () => {
      inside = true;
      // Held: the synchronous taker waits, then gives up with a conflict that says why.
      let err: unknown;
      try {
        withLockSync({ env, waitMs: 100 }, target, () => 'never');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(AppFailure);
      expect((err as AppFailure).error).toMatchObject({ code: 'conflict' });
      expect((err as AppFailure).error.message).toMatch(/Another Daemon Deck process is changing/);
      await Promise.resolve();
    });
    expect(inside).toBe(true);
    // Released: taken at once.
    expect(withLockSync({ env }, target, () => 'mine')).toBe('mine');
    await expect(withLock({ env }, target, () => Promise.resolve('again'))).resolves.toBe('again');
  });

  it('updates of one file in turn lose nothing; a create never replaces', async () => {
    const file = join(dir, 'counter');
    await Promise.all(
      Array.from({ length: 25 }, () =>
        updateFile({ env }, file, async (cur) => {
          const n = Number(cur?.toString() ?? '0');
          await new Promise((r) => setTimeout(r, 1));
          return String(n + 1);
        }),
      ),
    );
    expect(await readFile(file, 'utf8')).toBe('25');
    const made = join(dir, 'made.desktop');
    const all = await Promise.allSettled(
      ['a', 'b', 'c'].map((x) => createFile({ env }, made, x, 0o644, 'made.desktop')),
    );
    expect(all.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of all)
      if (r.status === 'rejected') {
        const reason: unknown = r.reason;
        expect(reason).toBeInstanceOf(AppFailure);
        expect((reason as AppFailure).error.code).toBe('conflict');
        expect((reason as AppFailure).error.message).toMatch(/made\.desktop already exists/);
      }
    const kept = await readFile(made, 'utf8');
    await expect(createFile({ env }, made, 'z')).rejects.toBeInstanceOf(AppFailure);
    expect(await readFile(made, 'utf8')).toBe(kept);
  });
});

describe('settings.json shared by the app and the CLI', () => {
  it('a change is made to the file as it is now, not as this process last read it', async () => {
    const app = await createConfSettings(env);
    const cli = await createConfSettings(env); // another process, opened at the same time
    app.update({ alerts: { paused: true }, pinned: ['systemd:a.service'] });
    // The CLI's view is stale; its change of another alert option keeps the app's pause.
    cli.update({ alerts: { logLines: 7 } });
    const file = join(env.XDG_CONFIG_HOME!, 'daemon-deck', 'settings.json');
    const onDisk = JSON.parse(await readFile(file, 'utf8')) as {
      alerts: { paused: boolean; logLines: number };
      pinned: string[];
    };
    expect(onDisk.alerts).toMatchObject({ paused: true, logLines: 7 });
    expect(onDisk.pinned).toEqual(['systemd:a.service']);
    expect(cli.get().alerts.paused).toBe(true);
  });

  it('watch rules added through two openings of the file are both kept', async () => {
    const a = await openConfWatchRules(env);
    const b = await openConfWatchRules(env);
    const rule = (name: string) => ({
      name,
      pattern: name,
      full: false,
      exact: false,
      start: null,
      cwd: null,
      log: null,
    });
    a.add(rule('one'));
    b.add(rule('two'));
    expect(() => b.add(rule('one'))).toThrow(/already exists/);
    expect(a.list().map((r) => r.name)).toEqual(['one', 'two']);
  });

  it('an unreadable file is set aside once, and said to whoever opens it', async () => {
    const conf = join(env.XDG_CONFIG_HOME!, 'daemon-deck');
    await rm(conf, { recursive: true, force: true });
    const { mkdir } = await import('node:fs/promises');
    await mkdir(conf, { recursive: true });
    await writeFile(join(conf, 'settings.json'), '[1, 2');
    const said: string[] = [];
    const rules = await openConfWatchRules(env, (t) => said.push(t));
    expect(rules.list()).toEqual([]);
    expect(said).toEqual([
      expect.stringMatching(/settings\.json could not be read as settings .*kept as .*unreadable-/),
    ]);
    const again: string[] = [];
    await openConfWatchRules(env, (t) => again.push(t));
    expect(again).toEqual([]);
  });
});

describe('the app says what opening settings found', () => {
  it('notifies each issue once the bus is up, and falls back when no server answers', async () => {
    const { noticeSettingsIssues } = await import('../../main/core/app.js');
    let listener: ((s: string) => void) | null = null;
    const bus = {
      state: 'connecting',
      onState(l: (s: string) => void) {
        listener = l;
        return () => {
          listener = null;
        };
      },
    };
    const sent: string[] = [];
    const fellBack: string[] = [];
    const notifier = {
      notify: (req: { body: string }) => {
        sent.push(req.body);
        return req.body.includes('no server') ? Promise.reject(new Error('x')) : Promise.resolve(1);
      },
    } as unknown as import('../../main/core/notify/notifications.js').Notifier;
    noticeSettingsIssues(
      ['settings.json could not be read; it was kept as X', 'no server for this one'],
      bus,
      notifier,
      (req) => fellBack.push(req.body),
    );
    expect(sent).toEqual([]); // not before the bus is up
    listener!('up');
    await new Promise((r) => setTimeout(r, 0));
    expect(sent).toEqual([
      'settings.json could not be read; it was kept as X',
      'no server for this one',
    ]);
    expect(fellBack).toEqual(['no server for this one']);
    expect(listener).toBeNull();
  });
});
