// tmux and screen sessions as an entry source (`session:tmux:NAME`, `session:screen:NAME`).
// Neither tool offers change events to an outside client without attaching, so the source
// polls (every 4 s by default, every second process poll: each poll runs tmux twice and screen
// once, and neither while it has no server or session).
import type { ActionOutcome, Entry, EntryAction, Result, SourceStatus } from '../model/domain.js';
import type { SessionInfo, SessionKind } from '../model/processes.js';
import { createPollTimer, type PollingSource } from '../monitor/poll-timer.js';
import { t } from '../../../i18n/index.js';
import { AppFailure, fail, ok } from '../errors.js';
import type { SessionService } from './sessions.js';

export function sessionEntry(s: SessionInfo): Entry {
  return {
    id: s.id,
    kind: 'session',
    name: s.name,
    description: `${s.kind}: ${s.commands.join(' | ') || 'no windows'}`,
    state: 'running',
    subState: s.attached ? 'attached' : 'detached',
    autostart: { enabled: false, via: [], state: null },
    pids: s.pids,
    cpu: null,
    memory: null,
    since: s.createdAt,
    restarts: 0,
    actions: ['stop'],
  };
}

export function parseSessionId(id: string): { kind: SessionKind; name: string } | null {
  const m = /^session:(tmux|screen):(.+)$/.exec(id);
  return m ? { kind: m[1] as SessionKind, name: m[2]! } : null;
}

export function createSessionSource(
  service: SessionService,
  opts: { intervalMs?: number } = {},
): PollingSource {
  const listeners = new Set<() => void>();
  let entries: Entry[] = [];
  let status: SourceStatus = { status: 'connecting' };
  let current: Promise<void> = Promise.resolve();
  let lastKey = '';

  const refresh = (): Promise<void> => {
    current = (async () => {
      try {
        entries = (await service.list()).map(sessionEntry);
        status = { status: 'ok' };
      } catch (err) {
        status = {
          status: 'unavailable',
          error:
            err instanceof AppFailure
              ? err.error
              : {
                  code: 'internal',
                  message: t('errors:sessions.listFailed', { reason: String(err) }),
                },
        };
      }
      const key = JSON.stringify([status, entries]);
      if (key !== lastKey) {
        lastKey = key;
        for (const l of listeners) l();
      }
    })();
    return current;
  };
  const timer = createPollTimer(() => void refresh(), opts.intervalMs ?? 4000);

  return {
    name: 'sessions',
    prefixes: ['session:'],
    get intervalMs() {
      return timer.intervalMs;
    },
    setIntervalMs: (ms) => timer.setIntervalMs(ms),
    async start() {
      await refresh();
      timer.start();
    },
    stop() {
      timer.stop();
      return Promise.resolve();
    },
    settled: () => current,
    entries: () => entries,
    status: () => status,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async act(id: string, action: EntryAction): Promise<Result<ActionOutcome>> {
      const ref = parseSessionId(id);
      if (ref === null) return fail('invalid-input', t('errors:sessions.badId', { id }));
      if (action !== 'stop')
        return fail('unsupported', t('errors:sessions.stopOnly', { kind: ref.kind }));
      try {
        await service.kill(ref.kind, ref.name);
      } catch (err) {
        if (err instanceof AppFailure) return { ok: false, error: err.error };
        return fail('internal', String(err));
      }
      await refresh();
      return ok({ id, action, result: 'ok', entry: null });
    },
  };
}
