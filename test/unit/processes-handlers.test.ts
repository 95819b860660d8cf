import { describe, expect, it } from 'vitest';
import { createProcessesHandlers } from '../../main/core/api/processes-handlers.js';
import { ProcessService } from '../../main/core/processes/process-service.js';
import { createMemoryWatchRules } from '../../main/core/processes/watch-rules.js';
import { SessionService } from '../../main/core/sessions/sessions.js';
import { PROCESSES_CHANNELS } from '../../preload/areas/processes.js';

describe('processes IPC handlers', () => {
  const ops = {
    processes: new ProcessService({ rules: createMemoryWatchRules() }),
    sessions: new SessionService(),
  };
  const h = createProcessesHandlers(ops);
  it('has one handler per channel', () => {
    expect(Object.keys(h).sort()).toEqual([...PROCESSES_CHANNELS].sort());
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
});
