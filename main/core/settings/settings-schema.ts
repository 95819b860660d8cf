// The settings file's format: its version, the defaults, how each value is checked, and the
// app's own migrations from older files. Pure (no I/O): settings.ts reads and writes through
// electron-store or conf; the tests run these functions over raw objects.
//
// Why our own migrations and checks: electron-store's `migrations` are marked buggy by its
// author and do not run on a new file (PLATFORM-NOTES), and conf's JSON `schema` option throws
// on a file that breaks it, while a settings.json someone edited by hand must never stop the
// app. So every value is checked here with zod: a garbage value is replaced by its default and
// reported in words, keys this module does not own (watchRules, crashHistory, anything a newer
// version added) are kept as they are, and nothing here throws.
import { z } from 'zod';
import type { AlertSettings } from '../model/alerts.js';
import type { Settings } from '../model/domain.js';
import {
  ignoredStraysSchema,
  languageSchema,
  logLinesSchema,
  logWarnBytesSchema,
  pollIntervalSchema,
  themeSchema,
  said,
} from '../../../contract/settings-schemas.js';
import { t } from '../../../i18n/index.js';
// An entry id as stored: pins of bare unit names included.
import { entryId as storedIdSchema } from '../../../contract/schemas.js';

/** The version this build writes. 0 is the format before versions (up to issue 6). */
export const SETTINGS_VERSION = 1;
export const VERSION_KEY = 'settingsVersion';
/** The keys of settings.json owned here (watchRules and crashHistory have their own modules). */
export const SETTINGS_KEYS = [
  VERSION_KEY,
  'pinned',
  'theme',
  'language',
  'ignoredStrays',
  'pollIntervalMs',
  'alerts',
  'logWarnBytes',
] as const;

export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  paused: false,
  mutes: {},
  notifyOnAutoRestart: true,
  logLines: 3,
};

export const DEFAULT_SETTINGS: Settings = {
  pinned: [],
  theme: 'system',
  language: 'system',
  ignoredStrays: [],
  pollIntervalMs: 2000,
  alerts: DEFAULT_ALERT_SETTINGS,
  logWarnBytes: 100 * 1024 * 1024,
};

const flagSchema = z.boolean(said('settings:errors.flag'));
const muteEndSchema = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), said('settings:errors.muteEnd'))
  .nullable();

export interface SettingsReport {
  /** The version the stored values were in (0: before versions). */
  from: number;
  /** The version they are in now (SETTINGS_VERSION, or `from` when the file is newer). */
  to: number;
  /** One sentence per value that could not be read and was replaced, or per file set aside. */
  issues: string[];
}

export interface MigrationResult {
  /** The whole raw object after migration: unknown keys as they were. */
  values: Record<string, unknown>;
  settings: Settings;
  report: SettingsReport;
  /** True when `values` differs from the input under the owned keys (something to write). */
  changed: boolean;
}

type Raw = Record<string, unknown>;

function isObject(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(v) ?? String(v);
  } catch {
    text = String(v);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function field<T>(
  key: string,
  raw: unknown,
  schema: z.ZodType<T>,
  fallback: T,
  issues: string[],
): T {
  if (raw === undefined) return fallback;
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const why = parsed.error.issues[0]?.message ?? t('settings:errors.notValid');
  issues.push(t('settings:errors.field', { key, value: show(raw), why, fallback: show(fallback) }));
  return fallback;
}

function pinnedOf(raw: unknown, issues: string[]): string[] {
  if (raw === undefined) return [...DEFAULT_SETTINGS.pinned];
  if (!Array.isArray(raw)) {
    issues.push(t('settings:errors.pinnedNotList', { value: show(raw) }));
    return [];
  }
  const kept = raw.filter((p): p is string => storedIdSchema.safeParse(p).success);
  if (kept.length < raw.length)
    issues.push(t('settings:errors.pinnedDropped', { count: raw.length - kept.length }));
  return [...new Set(kept)];
}

function mutesOf(raw: unknown, now: number, issues: string[]): Record<string, string | null> {
  if (raw === undefined) return {};
  if (!isObject(raw)) {
    issues.push(t('settings:errors.mutesNotList', { value: show(raw) }));
    return {};
  }
  const out: Record<string, string | null> = {};
  let dropped = 0;
  for (const [id, until] of Object.entries(raw)) {
    if (!storedIdSchema.safeParse(id).success || !muteEndSchema.safeParse(until).success) {
      dropped++;
      continue;
    }
    // A mute that has ended is simply gone.
    if (until === null || Date.parse(until as string) > now)
      out[id] = until === null ? null : new Date(Date.parse(until as string)).toISOString();
  }
  if (dropped > 0) issues.push(t('settings:errors.mutesDropped', { count: dropped }));
  return out;
}

function alertsOf(raw: unknown, now: number, issues: string[]): AlertSettings {
  const d = DEFAULT_ALERT_SETTINGS;
  if (raw === undefined) return { ...d, mutes: {} };
  if (!isObject(raw)) {
    issues.push(t('settings:errors.alertsNotSet', { value: show(raw) }));
    return { ...d, mutes: {} };
  }
  return {
    paused: field('alerts.paused', raw.paused, flagSchema, d.paused, issues),
    mutes: mutesOf(raw.mutes, now, issues),
    notifyOnAutoRestart: field(
      'alerts.notifyOnAutoRestart',
      raw.notifyOnAutoRestart,
      flagSchema,
      d.notifyOnAutoRestart,
      issues,
    ),
    logLines: field('alerts.logLines', raw.logLines, logLinesSchema, d.logLines, issues),
  };
}

/** The owned values of a (current-format) raw object as Settings: never throws. */
export function normaliseSettings(
  raw: unknown,
  now: number,
): { settings: Settings; issues: string[] } {
  const issues: string[] = [];
  const v = isObject(raw) ? raw : {};
  const settings: Settings = {
    pinned: pinnedOf(v.pinned, issues),
    theme: field('theme', v.theme, themeSchema, DEFAULT_SETTINGS.theme, issues),
    language: field('language', v.language, languageSchema, DEFAULT_SETTINGS.language, issues),
    ignoredStrays: [
      ...new Set(
        field('ignoredStrays', v.ignoredStrays, ignoredStraysSchema, [] as string[], issues),
      ),
    ],
    pollIntervalMs: field(
      'pollIntervalMs',
      v.pollIntervalMs,
      pollIntervalSchema,
      DEFAULT_SETTINGS.pollIntervalMs,
      issues,
    ),
    alerts: alertsOf(v.alerts, now, issues),
    logWarnBytes: field(
      'logWarnBytes',
      v.logWarnBytes,
      logWarnBytesSchema,
      DEFAULT_SETTINGS.logWarnBytes,
      issues,
    ),
  };
  return { settings, issues };
}

/**
 * Migrations, one per version step: MIGRATIONS[n] turns a version-n object into version n+1.
 * Each takes and returns the whole raw object (unknown keys kept) and must tolerate garbage:
 * what it cannot convert it leaves for normaliseSettings to replace and report.
 */
export const MIGRATIONS: ReadonlyArray<(raw: Raw) => Raw> = [
  // 0 -> 1: before versions, mutes ended at ms epochs (CrashAlerts' first format); now they end
  // at ISO times like every other time in the contract. Poll interval, notifyOnAutoRestart and
  // logLines are new and come from the defaults.
  (raw) => {
    const alerts = raw.alerts;
    if (!isObject(alerts) || !isObject(alerts.mutes)) return raw;
    const mutes: Raw = {};
    for (const [id, until] of Object.entries(alerts.mutes))
      mutes[id] =
        typeof until === 'number' && Number.isFinite(until) && Math.abs(until) < 8.64e15
          ? new Date(until).toISOString()
          : until;
    return { ...raw, alerts: { ...alerts, mutes } };
  },
];

function versionOf(raw: Raw, issues: string[]): number {
  const v = raw[VERSION_KEY];
  if (v === undefined) return 0;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  issues.push(t('settings:errors.version', { key: VERSION_KEY, value: show(v) }));
  return 0;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Brings whatever was stored to the current version: pure, never throws. A file from a newer
 * version is read for what this version understands and left as it is (`changed` false), so
 * running an older build never throws away what a newer one wrote.
 */
export function migrateSettings(input: unknown, now: number): MigrationResult {
  const issues: string[] = [];
  if (input !== undefined && !isObject(input))
    issues.push(t('settings:errors.notObject', { value: show(input) }));
  const raw: Raw = isObject(input) ? input : {};
  const from = versionOf(raw, issues);
  if (from > SETTINGS_VERSION) {
    issues.push(t('settings:errors.newer', { format: from }));
    const n = normaliseSettings(raw, now);
    return {
      values: raw,
      settings: n.settings,
      report: { from, to: from, issues: [...issues, ...n.issues] },
      changed: false,
    };
  }
  let migrated: Raw = raw;
  for (let version = from; version < SETTINGS_VERSION; version++) {
    const step = MIGRATIONS[version];
    if (step === undefined) continue;
    try {
      migrated = step(migrated);
    } catch (err) {
      issues.push(t('settings:errors.migrate', { format: version, reason: String(err) }));
    }
  }
  const n = normaliseSettings(migrated, now);
  const values: Raw = { ...migrated, ...n.settings, [VERSION_KEY]: SETTINGS_VERSION };
  const changed = SETTINGS_KEYS.some((k) => !sameJson(raw[k], values[k]));
  return {
    values,
    settings: n.settings,
    report: { from, to: SETTINGS_VERSION, issues: [...issues, ...n.issues] },
    changed,
  };
}
