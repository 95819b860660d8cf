import { spawn } from 'node:child_process';
import { describe, expect, it, vi } from 'vitest';
import { INVOKE_CHANNELS } from '../../contract/ipc.js';
import type { Result, Snapshot } from '../../main/core/model/domain.js';
import type { StopProgress, StopReport } from '../../main/core/model/processes.js';
import { createIpcTable } from '../../main/core/api/ipc-table.js';
import { ProcessService } from '../../main/core/processes/process-service.js';
import { ProcessProgress } from '../../main/core/processes/progress.js';
import { createMemoryWatchRules } from '../../main/core/processes/watch-rules.js';
import { SessionService } from '../../main/core/sessions/sessions.js';
import type { Monitor } from '../../main/core/monitor/monitor.js';
import { createMemorySettings } from '../../main/core/settings/settings.js';
import {
  serveIpc,
  type EventTarget,
  type InvokeEventLike,
  type IpcTargets,
  type MinimalIpc,
} from '../../main/shell/ipc.js';
import { noWindows } from '../helpers/ipc.js';

const RENDERER_DIR = '/opt/Daemon Deck/resources/app.asar/out/renderer';
const PANEL_URL = 'app://daemon-deck/panel.html';
const DETAIL_URL = 'app://daemon-deck/detail.html?id=systemd%3Aa.service';

function snapshot(version: number): Snapshot {
  return {
    version,
    generatedAt: '2025-01-01T00:00:00.000Z',
    entries: [],
    sources: { systemd: { status: 'ok' } },
  };
}

/** A monitor that records calls; the only fake here, standing in for systemd. */
function fakeMonitor() {
  const listeners = new Set<(s: Snapshot) => void>();
  const monitor = {
    start: vi.fn(() => Promise.resolve()),
    stop: vi.fn(() => Promise.resolve()),
    snapshot: vi.fn(() => snapshot(1)),
    onSnapshot: (l: (s: Snapshot) => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    act: vi.fn((id: string, action: string) =>
      Promise.resolve({
        ok: true as const,
        value: { id, action: action as 'start', result: 'done', entry: null },
      }),
    ),
    unitDetail: vi.fn(() =>
      Promise.resolve({
        ok: false as const,
        error: { code: 'no-such-unit' as const, message: 'no' },
      }),
    ),
  } satisfies Monitor;
  return { monitor, emit: (s: Snapshot) => listeners.forEach((l) => l(s)), listeners };
}

/** Implements MinimalIpc the way ipcMain does: one handler per channel, invoke runs it. */
class FakeIpc implements MinimalIpc {
  handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>>();
  handle(
    channel: string,
    listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>,
  ) {
    if (this.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
  invoke(event: InvokeEventLike, channel: string, ...args: unknown[]): Promise<unknown> {
    const h = this.handlers.get(channel);
    if (h === undefined) return Promise.reject(new Error(`No handler registered for '${channel}'`));
    return h(event, ...args);
  }
}

class FakeWebContents implements EventTarget {
  sent: Array<[string, unknown]> = [];
  destroyed = false;
  constructor(readonly id: number) {}
  isDestroyed() {
    return this.destroyed;
  }
  send(channel: string, value: unknown) {
    this.sent.push([channel, value]);
  }
}

function setup() {
  const { monitor, emit, listeners } = fakeMonitor();
  const settings = createMemorySettings();
  const openDetail = vi.fn(() => Promise.resolve({ ok: true as const, value: null }));
  const table = createIpcTable({
    monitor,
    settings,
    windows: { ...noWindows, openDetail },
    appInfo: { version: '0.1.0', transport: 'electron', systemLanguage: 'en' },
    processes: {
      processes: new ProcessService({ rules: createMemoryWatchRules() }),
      sessions: new SessionService(),
      progress: new ProcessProgress(),
    },
  });
  const panel = new FakeWebContents(1);
  const detail = new FakeWebContents(2);
  const own = [panel, detail];
  const targets: IpcTargets = {
    isOwnWebContents: (id) => own.some((w) => w.id === id),
    webContents: () => own,
  };
  const ipc = new FakeIpc();
  const log = vi.fn();
  const dispose = serveIpc({ ipc, table, targets, origin: { rendererDir: RENDERER_DIR }, log });
  const from = (id: number, url: string, parent: unknown = null): InvokeEventLike => ({
    sender: { id },
    senderFrame: { url, parent },
  });
  return { ipc, monitor, emit, listeners, settings, openDetail, panel, detail, log, dispose, from };
}

describe('serveIpc: senders', () => {
  it('registers exactly the contract channels', () => {
    const { ipc } = setup();
    expect([...ipc.handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
  });

  it('answers the panel and the detail window', async () => {
    const { ipc, from } = setup();
    await expect(ipc.invoke(from(1, PANEL_URL), 'snapshot:get', null)).resolves.toEqual(
      snapshot(1),
    );
    await expect(ipc.invoke(from(2, DETAIL_URL), 'app:info', null)).resolves.toEqual({
      version: '0.1.0',
      transport: 'electron',
      systemLanguage: 'en',
    });
  });

  const refused: Array<[string, InvokeEventLike]> = [
    [
      'a webContents that is not one of our windows',
      { sender: { id: 99 }, senderFrame: { url: PANEL_URL, parent: null } },
    ],
    [
      'a sub-frame of our window',
      { sender: { id: 1 }, senderFrame: { url: PANEL_URL, parent: {} } },
    ],
    ['a frame that is gone', { sender: { id: 1 }, senderFrame: null }],
    [
      'a web page',
      { sender: { id: 1 }, senderFrame: { url: 'https://example.com/panel.html', parent: null } },
    ],
    [
      'a file (our pages are never loaded from file://)',
      {
        sender: { id: 1 },
        senderFrame: { url: `file://${RENDERER_DIR}/panel.html`, parent: null },
      },
    ],
    [
      'a path that climbs out of out/renderer',
      {
        sender: { id: 1 },
        senderFrame: { url: `${PANEL_URL}/../../../../../../tmp/panel.html`, parent: null },
      },
    ],
    [
      'a file beside our pages that is not one',
      {
        sender: { id: 1 },
        senderFrame: { url: PANEL_URL.replace('panel.html', 'evil.html'), parent: null },
      },
    ],
    [
      'another host on our scheme',
      {
        sender: { id: 1 },
        senderFrame: { url: PANEL_URL.replace('daemon-deck', 'evil'), parent: null },
      },
    ],
    [
      'a dev server URL when not in development',
      { sender: { id: 1 }, senderFrame: { url: 'http://localhost:5173/panel.html', parent: null } },
    ],
  ];

  for (const [what, event] of refused) {
    it(`rejects ${what} before any handler runs`, async () => {
      const { ipc, monitor, log } = setup();
      await expect(ipc.invoke(event, 'snapshot:get', null)).rejects.toThrow(/sender refused/);
      await expect(
        ipc.invoke(event, 'entries:act', { id: 'systemd:a.service', action: 'stop' }),
      ).rejects.toThrow(/sender refused/);
      expect(monitor.snapshot).not.toHaveBeenCalled();
      expect(monitor.act).not.toHaveBeenCalled();
      expect(log).toHaveBeenCalledWith(expect.stringContaining('rejected snapshot:get'));
    });
  }

  it('accepts the dev server only when it is configured and on loopback', async () => {
    const { monitor } = fakeMonitor();
    const ipc = new FakeIpc();
    const table = createIpcTable({
      monitor,
      settings: createMemorySettings(),
      windows: noWindows,
      appInfo: { version: '0', transport: 'electron', systemLanguage: 'en' },
    });
    const targets: IpcTargets = { isOwnWebContents: (id) => id === 1, webContents: () => [] };
    serveIpc({
      ipc,
      table,
      targets,
      origin: { rendererDir: RENDERER_DIR, devServerUrl: 'http://localhost:5173' },
      log: () => {},
    });
    const ev = (url: string): InvokeEventLike => ({
      sender: { id: 1 },
      senderFrame: { url, parent: null },
    });
    await expect(
      ipc.invoke(ev('http://localhost:5173/panel.html'), 'snapshot:get', null),
    ).resolves.toBeDefined();
    await expect(
      ipc.invoke(ev('http://localhost:5174/panel.html'), 'snapshot:get', null),
    ).rejects.toThrow();

    const ipc2 = new FakeIpc();
    serveIpc({
      ipc: ipc2,
      table,
      targets,
      origin: { rendererDir: RENDERER_DIR, devServerUrl: 'http://evil.example:5173' },
      log: () => {},
    });
    await expect(
      ipc2.invoke(ev('http://evil.example:5173/panel.html'), 'snapshot:get', null),
    ).rejects.toThrow();
  });
});

describe('serveIpc: payloads', () => {
  it('passes a valid action to the monitor', async () => {
    const { ipc, monitor, from } = setup();
    const result = await ipc.invoke(from(1, PANEL_URL), 'entries:act', {
      id: 'systemd:a.service',
      action: 'restart',
    });
    expect(result).toMatchObject({
      ok: true,
      value: { id: 'systemd:a.service', action: 'restart' },
    });
    expect(monitor.act).toHaveBeenCalledWith('systemd:a.service', 'restart');
  });

  it('answers invalid payloads with invalid-input and never reaches the monitor', async () => {
    const { ipc, monitor, openDetail, from } = setup();
    const ev = from(1, PANEL_URL);
    for (const payload of [
      { id: 'systemd:a.service', action: 'rm -rf' },
      { id: '', action: 'stop' },
      { id: 'a\nb', action: 'stop' },
      { id: 'systemd:a.service', action: 'stop', extra: true },
      'systemd:a.service',
      null,
    ]) {
      await expect(ipc.invoke(ev, 'entries:act', payload)).resolves.toMatchObject({
        ok: false,
        error: { code: 'invalid-input' },
      });
    }
    await expect(ipc.invoke(ev, 'window:open-detail', { id: 42 })).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
    await expect(ipc.invoke(ev, 'settings:pin', { id: 'x', pinned: 'yes' })).resolves.toMatchObject(
      {
        ok: false,
        error: { code: 'invalid-input' },
      },
    );
    expect(monitor.act).not.toHaveBeenCalled();
    expect(openDetail).not.toHaveBeenCalled();
  });

  it('rejects a payload on a channel that takes none', async () => {
    const { ipc, monitor, from } = setup();
    await expect(ipc.invoke(from(1, PANEL_URL), 'snapshot:get', { sneaky: true })).rejects.toThrow(
      /no payload/,
    );
    expect(monitor.snapshot).not.toHaveBeenCalled();
  });

  it('rejects more than one argument', async () => {
    const { ipc, monitor, from } = setup();
    await expect(
      ipc.invoke(
        from(1, PANEL_URL),
        'entries:act',
        { id: 'systemd:a.service', action: 'stop' },
        'extra',
      ),
    ).rejects.toThrow(/one payload/);
    expect(monitor.act).not.toHaveBeenCalled();
  });

  it('opens a detail window for a valid id', async () => {
    const { ipc, openDetail, from } = setup();
    await expect(
      ipc.invoke(from(1, PANEL_URL), 'window:open-detail', { id: 'systemd:a.service' }),
    ).resolves.toEqual({
      ok: true,
      value: null,
    });
    expect(openDetail).toHaveBeenCalledWith('systemd:a.service');
  });
});

describe('serveIpc: events', () => {
  it('sends new snapshots and settings to every live window', async () => {
    const { ipc, emit, panel, detail, from } = setup();
    detail.destroyed = true;
    emit(snapshot(7));
    expect(panel.sent).toEqual([['snapshot:changed', snapshot(7)]]);
    expect(detail.sent).toEqual([]);
    await ipc.invoke(from(1, PANEL_URL), 'settings:pin', { id: 'systemd:a.service', pinned: true });
    expect(panel.sent.at(-1)).toMatchObject([
      'settings:changed',
      { pinned: ['systemd:a.service'], theme: 'system' },
    ]);
  });

  it('keeps going when one window fails to receive', () => {
    const { emit, panel, detail, log } = setup();
    panel.send = () => {
      throw new Error('Object has been destroyed');
    };
    emit(snapshot(3));
    expect(detail.sent).toEqual([['snapshot:changed', snapshot(3)]]);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('could not send snapshot:changed'));
  });

  it('dispose removes every handler and stops forwarding events', () => {
    const { ipc, emit, panel, listeners, dispose } = setup();
    dispose();
    expect(ipc.handlers.size).toBe(0);
    expect(listeners.size).toBe(0);
    emit(snapshot(9));
    expect(panel.sent).toEqual([]);
  });
});

describe('serveIpc: live stop progress', () => {
  it("pushes each step of a real stop to every window on 'processes:stop-progress'", async () => {
    const { ipc, panel, detail, from } = setup();
    // A process that ignores TERM, so the stop goes all the way to KILL.
    const child = spawn('sh', ['-c', "trap '' TERM; while :; do sleep 0.05; done"], {
      stdio: 'ignore',
    });
    await new Promise((r) => child.once('spawn', r));
    await new Promise((r) => setTimeout(r, 200));
    const pid = child.pid!;
    const result = (await ipc.invoke(from(2, DETAIL_URL), 'processes:stop', {
      pids: [pid],
      timeoutMs: 1200,
      opId: 'op-1',
    })) as Result<StopReport>;
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.escalated).toBe(true);
    const pushed = (w: FakeWebContents) =>
      w.sent.filter(([c]) => c === 'processes:stop-progress').map(([, v]) => v as StopProgress);
    for (const w of [panel, detail]) {
      expect(pushed(w).map((p) => p.opId)).toEqual(result.value.steps.map(() => 'op-1'));
      expect(pushed(w).map((p) => p.step)).toEqual(result.value.steps);
      expect(pushed(w)[0]?.pids).toEqual([pid]);
    }
    // A "waiting" step comes once a second while it runs: how many depends on the machine's load.
    const phases = result.value.steps.map((s) => s.phase).filter((p) => p !== 'waiting');
    expect(phases).toEqual(['term-sent', 'kill-sent', 'exited']);
  });

  it('pushes nothing for a stop asked without an id', async () => {
    const { ipc, panel, from } = setup();
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    await new Promise((r) => child.once('spawn', r));
    const result = (await ipc.invoke(from(1, PANEL_URL), 'processes:stop', {
      pids: [child.pid!],
      timeoutMs: null,
    })) as Result<StopReport>;
    expect(result).toMatchObject({ ok: true, value: { escalated: false } });
    expect(panel.sent.filter(([c]) => c === 'processes:stop-progress')).toEqual([]);
  });
});
