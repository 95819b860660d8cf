import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { setLanguage } from '../../i18n/index.js';
import { createProcessesHandlers } from '../../main/core/api/processes-handlers.js';
import { ProcessService } from '../../main/core/processes/process-service.js';
import { createMemoryWatchRules } from '../../main/core/processes/watch-rules.js';
import { SessionService } from '../../main/core/sessions/sessions.js';
import { processesChannels } from '../../contract/areas/processes.js';

describe('processes IPC handlers', () => {
  const ops = {
    processes: new ProcessService({ rules: createMemoryWatchRules() }),
    sessions: new SessionService(),
  };
  const h = createProcessesHandlers(ops);
  it('has one handler per channel', () => {
    expect(Object.keys(h).sort()).toEqual(Object.keys(processesChannels).sort());
  });
  it('answers unsupported without the service, after validating', async () => {
    const none = createProcessesHandlers(undefined);
    expect(await none['processes:strays'](null)).toMatchObject({
      ok: false,
      error: { code: 'unsupported' },
    });
    expect(await none['processes:list']({ nope: 1 })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
  });
  it('rejects malformed payloads with invalid-input', async () => {
    for (const [ch, payload] of [
      ['processes:signal', { pid: -1, starttime: null, signal: 'TERM' }],
      ['processes:run', { argv: [], cwd: null, log: null, name: null }],
      ['processes:run', { argv: ['a\0b'], cwd: null, log: null, name: null }],
      ['processes:stop', { pids: [1], timeoutMs: null, extra: true }],
      ['sessions:kill', { kind: 'zellij', name: 'x' }],
      ['processes:watch-add', { rule: { name: 'x' } }],
    ] as const) {
      const r = await (h[ch] as (p: unknown) => Promise<unknown>)(payload);
      expect([ch, r]).toMatchObject([ch, { ok: false, error: { code: 'invalid-input' } }]);
    }
  });
  it('lists processes with pgrep semantics and reports a bad pattern clearly', async () => {
    const r = await h['processes:list']({
      query: {
        pattern: 'node|vitest',
        full: true,
        exact: false,
        users: [],
        parents: [],
        pick: 'all',
      },
    });
    expect(r.ok).toBe(true);
    const bad = await h['processes:list']({
      query: { pattern: 'a(', full: false, exact: false, users: [], parents: [], pick: 'all' },
    });
    expect(bad).toEqual({
      ok: false,
      error: { code: 'invalid-input', message: 'Invalid pattern "a(": Unmatched ( or \\(.' },
    });
  });
  it('adds and removes watch rules through the store', async () => {
    const rule = {
      name: 'w',
      pattern: 'x',
      full: false,
      exact: false,
      start: null,
      cwd: null,
      log: null,
    };
    expect(await h['processes:watch-add']({ rule })).toEqual({ ok: true, value: rule });
    expect(await h['processes:watch-add']({ rule })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(await h['processes:watch-list'](null)).toEqual({ ok: true, value: [rule] });
    expect(await h['processes:watch-remove']({ name: 'w' })).toEqual({ ok: true, value: rule });
  });
  it('adopt answers unsupported while no authoring service is wired', async () => {
    const r = await h['processes:adopt-preview']({ pid: process.pid, name: 'x', environment: [] });
    expect(r).toMatchObject({ ok: false });
  });
  it('rejects malformed payloads of the channels the UI added', async () => {
    for (const [ch, payload] of [
      ['processes:stop', { pids: [1], timeoutMs: null, opId: 'x'.repeat(200) }],
      ['processes:detail', { pid: 0 }],
      ['processes:adopt-preview', { pid: 1, name: 'x', environment: [], enable: 'yes' }],
      [
        'processes:adopt',
        { pid: 1, starttime: null, name: 'x', environment: [], enable: true, opId: 7 },
      ],
      ['processes:adopt-dismiss', { token: 1 }],
      ['processes:watch-logs', { name: 'w', lines: 0 }],
    ] as const) {
      const r = await (h[ch] as (p: unknown) => Promise<unknown>)(payload);
      expect([ch, r]).toMatchObject([ch, { ok: false, error: { code: 'invalid-input' } }]);
    }
  });
  it('describes one process, and says so when it is gone', async () => {
    // The scanner leaves out the app's own processes: ask about a child of another session.
    const child = spawn('sleep', ['30'], { cwd: tmpdir(), detached: true, stdio: 'ignore' });
    await new Promise((r) => child.once('spawn', r));
    try {
      const r = await h['processes:detail']({ pid: child.pid });
      expect(r).toMatchObject({
        ok: true,
        value: { process: { pid: child.pid, argv: ['sleep', '30'] }, cwd: tmpdir() },
      });
    } finally {
      child.kill('SIGKILL');
    }
    let missing = 4_194_000;
    while ((await h['processes:detail']({ pid: missing })).ok) missing--;
    expect(await h['processes:detail']({ pid: missing })).toEqual({
      ok: false,
      error: { code: 'no-such-unit', message: `Process ${missing} is not running.` },
    });
  });
  it('counts strays less the ignored and the watched ones, as the list has them', async () => {
    // Strays of a user of their own (nobody), so that no other process on the machine counts.
    const nobody = 65534;
    const start = (arg: string) =>
      spawn('sleep', [arg], {
        cwd: tmpdir(),
        detached: true,
        stdio: 'ignore',
        uid: nobody,
        gid: nobody,
      });
    const kids = [start('61011'), start('61012')];
    const rules = createMemoryWatchRules();
    const processes = new ProcessService({ rules, uid: nobody });
    const ph = createProcessesHandlers({ processes, sessions: new SessionService() });
    try {
      const pids = kids.map((k) => k.pid);
      while (!pids.every((p) => processes.strays().some((s) => s.pid === p)))
        await new Promise((r) => setTimeout(r, 20));
      const listed = processes.strays().length;
      expect(listed).toBeGreaterThanOrEqual(2);
      expect(await ph['processes:stray-count']({ ignored: [] })).toEqual({
        ok: true,
        value: listed,
      });
      expect(await ph['processes:stray-count']({ ignored: ['sleep 61011'] })).toEqual({
        ok: true,
        value: listed - 1,
      });
      rules.add({
        name: 'second',
        pattern: '^sleep 61012$',
        full: true,
        exact: false,
        start: null,
        cwd: null,
        log: null,
      });
      expect(processes.strayCount(['sleep 61011'])).toBe(listed - 2);
      expect(await ph['processes:stray-count']({ ignored: [''] })).toMatchObject({
        ok: false,
        error: { code: 'invalid-input' },
      });
    } finally {
      for (const k of kids) k.kill('SIGKILL');
      processes.close();
    }
  });
  it("reads a watch rule's log file, and says why there is none", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dd-watch-logs-'));
    try {
      const log = join(dir, 'bot.log');
      writeFileSync(log, 'one\ntwo\n');
      const rule = { pattern: 'x', full: false, exact: false, start: null, cwd: null };
      await h['processes:watch-add']({ rule: { ...rule, name: 'logged', log } });
      await h['processes:watch-add']({ rule: { ...rule, name: 'quiet', log: null } });
      const r = await h['processes:watch-logs']({ name: 'logged', lines: 10 });
      expect(r).toMatchObject({
        ok: true,
        value: { source: 'file', path: log, emptyReason: null },
      });
      if (!r.ok) return;
      expect(r.value.lines.map((l) => l.message)).toEqual(['one', 'two']);
      const after = await h['processes:watch-logs']({
        name: 'logged',
        afterCursor: r.value.lines.at(-1)!.cursor,
      });
      expect(after).toMatchObject({ ok: true, value: { lines: [] } });
      const quiet = await h['processes:watch-logs']({ name: 'quiet' });
      expect(quiet).toMatchObject({ ok: true, value: { path: null, lines: [] } });
      expect(quiet.ok && quiet.value.emptyReason).toMatch(/has no log file/);
      // In the person's language, as every other word of the core.
      setLanguage('ko');
      try {
        const ko = await h['processes:watch-logs']({ name: 'quiet' });
        expect(ko.ok && ko.value.emptyReason).toMatch(/"quiet" 규칙에는 로그 파일이 없습니다/);
      } finally {
        setLanguage('en');
      }
      expect(await h['processes:watch-logs']({ name: 'nobody' })).toMatchObject({
        ok: false,
        error: { code: 'no-such-unit' },
      });
    } finally {
      await h['processes:watch-remove']({ name: 'logged' });
      await h['processes:watch-remove']({ name: 'quiet' });
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('forgets a dismissed Adopt undo', async () => {
    expect(await h['processes:adopt-dismiss']({ token: 'adopt-x' })).toEqual({
      ok: true,
      value: null,
    });
    expect(await h['processes:adopt-undo']({ token: 'adopt-x' })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
  });
});
