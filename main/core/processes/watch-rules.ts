// Watch rules kept in settings under the key `watchRules`, behind a small store interface. The
// backend is the settings file's own (electron-store in the app, conf in the CLI and tests): both
// write the whole file atomically (temp file + rename). Each add and remove is one
// read-modify-write under the settings file's store lock (settings.ts: transact), so rules added
// at the same moment by the app and several CLI processes are all kept. Rules that fail
// validation on load are dropped from what the app shows, never rewritten away on their own.
import { t } from '../../../i18n/index.js';
import type { WatchRule } from '../model/processes.js';
import { AppFailure, appError } from '../errors.js';
import {
  openConfBackend,
  setOrFail,
  transact,
  type KeyValueBackend,
} from '../settings/settings.js';
import { compileEre, PatternError } from './ere.js';

export const WATCH_RULES_KEY = 'watchRules';

export interface WatchRuleStore {
  list(): WatchRule[];
  /**
   * The rules as list() read them, not copied: the same array while the stored rules stay the
   * same (the process poll, every 2 s, tells "nothing changed" by it). Never change what it
   * gives. A change by another process counts from the moment the backend is told of it (its
   * version; at once without one), where list() reads the file at once.
   */
  current(): readonly WatchRule[];
  get(name: string): WatchRule | null;
  /** Adds a rule; a rule with the same name is a conflict. Returns the stored rule. */
  add(rule: WatchRule): WatchRule;
  /** Removes a rule and returns it (adding it back is the undo). */
  remove(name: string): WatchRule;
  onChange(listener: () => void): () => void;
}

/** Why this rule cannot be kept, or null. */
export function checkRule(rule: WatchRule): string | null {
  if (!/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/.test(rule.name)) return t('errors:watchRule.name');
  if (rule.pattern.length === 0) return t('errors:watchRule.noPattern');
  try {
    compileEre(rule.pattern, { exact: rule.exact });
  } catch (err) {
    if (err instanceof PatternError) return err.message;
    throw err;
  }
  if (rule.start !== null) {
    if (rule.start.length === 0 || rule.start[0] === '') return t('errors:watchRule.emptyStart');
    if (rule.start.some((a) => a.includes('\0'))) return t('errors:watchRule.nulStart');
  }
  if (rule.cwd !== null && !rule.cwd.startsWith('/')) return t('errors:watchRule.cwdRelative');
  if (rule.log !== null && !rule.log.startsWith('/')) return t('errors:watchRule.logRelative');
  return null;
}

function normalise(raw: unknown): WatchRule | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  const rule: WatchRule = {
    name: str(r.name) ?? '',
    pattern: str(r.pattern) ?? '',
    full: r.full === true,
    exact: r.exact === true,
    start: Array.isArray(r.start) && r.start.every((a) => typeof a === 'string') ? r.start : null,
    cwd: str(r.cwd),
    log: str(r.log),
  };
  return checkRule(rule) === null ? rule : null;
}

export function createWatchRuleStore(backend: KeyValueBackend): WatchRuleStore {
  const listeners = new Set<() => void>();
  // The process poll lists the rules every 2 s: checking a rule compiles its pattern, which was
  // most of an idle poll's own work (issue 16). What the stored value normalised to is kept
  // while it stays the same text, and handed out as copies (callers may change what they get).
  let memo: { version: number | null; text: string; rules: readonly WatchRule[] } | null = null;
  const load = (): readonly WatchRule[] => {
    const raw = backend.get(WATCH_RULES_KEY);
    // After the get (which may itself tell a change, seen by its stat): the event loop cannot
    // run between the two, so this version is the value's.
    const version = backend.version?.() ?? null;
    const text = Array.isArray(raw) ? JSON.stringify(raw) : '';
    if (memo === null || memo.text !== text) {
      const rules = Array.isArray(raw)
        ? raw.map(normalise).filter((r): r is WatchRule => r !== null)
        : [];
      memo = { version, text, rules: Object.freeze(rules.map((r) => Object.freeze(r))) };
    } else memo.version = version;
    return memo.rules;
  };
  // The poll's rules (current) are not even read again while the backend's version holds
  // (settings.ts: no write through it, no event of the watch on the file's folder): that read's
  // stat of the file and copy of the value were a fifth of a quiet poll's CPU. list() reads.
  const current = (): readonly WatchRule[] => {
    const version = backend.version?.() ?? null;
    if (version !== null && memo?.version === version) return memo.rules;
    return load();
  };
  const read = (): WatchRule[] =>
    load().map((r) => ({
      ...r,
      start: r.start === null ? null : [...r.start],
    }));
  const write = (rules: WatchRule[]) => {
    // Keep entries this version could not read, so nothing the app does not own is lost.
    const raw = backend.get(WATCH_RULES_KEY);
    const foreign: unknown[] = Array.isArray(raw)
      ? (raw as unknown[]).filter((r) => normalise(r) === null)
      : [];
    setOrFail(backend, WATCH_RULES_KEY, [...foreign, ...rules]);
    for (const l of listeners) l();
  };
  return {
    list: read,
    current,
    get: (name) => read().find((r) => r.name === name) ?? null,
    add(rule) {
      const why = checkRule(rule);
      if (why !== null) throw new AppFailure(appError('invalid-input', why));
      return transact(backend, () => {
        const rules = read();
        if (rules.some((r) => r.name === rule.name))
          throw new AppFailure(
            appError('conflict', t('errors:watchRule.exists', { name: rule.name })),
          );
        const stored = { ...rule };
        write([...rules, stored]);
        return stored;
      });
    },
    remove(name) {
      return transact(backend, () => {
        const rules = read();
        const hit = rules.find((r) => r.name === name);
        if (hit === undefined)
          throw new AppFailure(appError('no-such-unit', t('errors:processes.noRule', { name })));
        write(rules.filter((r) => r !== hit));
        return hit;
      });
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** A store kept in memory (tests). */
export function createMemoryWatchRules(initial: WatchRule[] = []): WatchRuleStore {
  const map = new Map<string, unknown>([[WATCH_RULES_KEY, initial]]);
  return createWatchRuleStore({ get: (k) => map.get(k), set: (k, v) => void map.set(k, v) });
}

/**
 * The conf-backed store the CLI uses: settings.json in settingsDir(env), shared with the app.
 * What opening the file found (an unreadable file set aside) goes to `warn`.
 */
export async function openConfWatchRules(
  env: NodeJS.ProcessEnv,
  warn: (text: string) => void = () => undefined,
): Promise<WatchRuleStore> {
  const backend = await openConfBackend(env);
  for (const issue of backend.issues ?? []) warn(issue);
  return createWatchRuleStore(backend);
}
