// Export: what the user made on this host, as a setup file (model/setup.ts). The unit files of
// the user's unit folder (regular files only: a link is systemd's or another tool's), whether
// each is enabled and running, the @reboot lines, the autostart entries of the user's folder
// (but the app's own, whose command is this machine's) and the watch rules. File bytes are kept
// exactly ($HOME inside a unit file stays as the user wrote it: those are the user's bytes).
// The text is stable: fixed key order, items sorted by name, no time stamps, no host names, so a
// dotfiles repository sees a change only when the setup changed.
import { join } from 'node:path';
import type { Result, UnitDetail } from '../model/domain.js';
import type { WatchRule } from '../model/processes.js';
import {
  SETUP_KIND,
  SETUP_VERSION,
  type SetupAutostart,
  type SetupBytes,
  type SetupCronLine,
  type SetupDropIn,
  type SetupFile,
  type SetupUnit,
} from '../model/setup.js';
import { t } from '../../../i18n/index.js';
import { AppFailure, appError } from '../errors.js';
import type { Host } from '../host/host.js';
import type { CrontabStore } from '../cron/crontab-store.js';
import { CrontabDocument, DISABLED_MARKER } from '../cron/crontab-document.js';
import type { WatchRuleStore } from '../processes/watch-rules.js';
import type { UnitService } from '../systemd/unit-service.js';
import type { UnitAuthoring } from '../systemd/unit-authoring.js';
import { SELF_FILE, autostartDirs } from '../autostart/autostart-service.js';
import { setupDropInName, setupUnitName } from '../../../contract/areas/setup.js';

/** What export, plan and import use of one host's core. */
export interface SetupDeps {
  host: Host;
  units: Pick<UnitService, 'detail' | 'act'>;
  authoring: Pick<UnitAuthoring, 'reload' | 'backups' | 'unitDir'>;
  /** The crontab; null where the app has none (its @reboot lines are then not exported). */
  crontab: Pick<CrontabStore, 'read' | 'commit' | 'locked'> | null;
  rules: SetupRules;
  /**
   * Where the rules live on another machine (that user's settings.json): changes go through
   * this, under that file's lock, and `rules` holds what the file had when the deps were made.
   * Absent: `rules` itself is changed (this machine's settings, under its store's lock).
   */
  changeRules?: (fn: (rules: SetupRules) => void) => Promise<void>;
}

export type SetupRules = Pick<WatchRuleStore, 'list' | 'add' | 'remove'>;

/** Changes the deps' watch rules where they live (see SetupDeps.changeRules). */
export function changeRules(deps: SetupDeps, fn: (rules: SetupRules) => void): Promise<void> {
  if (deps.changeRules !== undefined) return deps.changeRules(fn);
  fn(deps.rules);
  return Promise.resolve();
}

/** The bytes as the file keeps them: text when they are UTF-8 (and say so exactly), else base64. */
export function bytesOf(b: Buffer): SetupBytes {
  const text = b.toString('utf8');
  return Buffer.from(text, 'utf8').equals(b) ? { text } : { base64: b.toString('base64') };
}

export function bytesFrom(s: SetupBytes): Buffer {
  return s.text !== undefined ? Buffer.from(s.text, 'utf8') : Buffer.from(s.base64, 'base64');
}

/** Enabled (linked to start) and running, as systemd says now; a unit it has not loaded: neither. */
export async function unitState(
  deps: Pick<SetupDeps, 'units'>,
  name: string,
): Promise<{ enabled: boolean; running: boolean }> {
  // A template (NAME@.service) has no state of its own.
  if (name.includes('@.')) return { enabled: false, running: false };
  const r: Result<UnitDetail> = await deps.units.detail(name);
  if (!r.ok) {
    if (r.error.code === 'no-such-unit') return { enabled: false, running: false };
    throw new AppFailure(r.error);
  }
  return {
    enabled: r.value.unitFileState === 'enabled',
    running: ['active', 'activating', 'reloading'].includes(r.value.activeState),
  };
}

/** Unit file names of the user's unit folder: regular files of a unit type. */
export async function userUnitFiles(
  deps: Pick<SetupDeps, 'host' | 'authoring'>,
): Promise<string[]> {
  const dir = deps.authoring.unitDir;
  const out: string[] = [];
  for (const name of await deps.host.readdir(dir)) {
    if (!setupUnitName.safeParse(name).success) continue;
    if ((await deps.host.stat(join(dir, name)))?.kind === 'file') out.push(name);
  }
  return out.sort();
}

/** The drop-ins of a unit in the user's folder (NAME.d/*.conf, regular files), by name. */
async function unitDropIns(
  deps: Pick<SetupDeps, 'host' | 'authoring'>,
  unit: string,
): Promise<SetupDropIn[]> {
  const dir = join(deps.authoring.unitDir, `${unit}.d`);
  const out: SetupDropIn[] = [];
  for (const file of (await deps.host.readdir(dir)).sort()) {
    if (!setupDropInName.safeParse(file).success) continue;
    if ((await deps.host.stat(join(dir, file)))?.kind !== 'file') continue;
    out.push({ file, ...bytesOf(await deps.host.readFile(join(dir, file))) });
  }
  return out;
}

/** The user's autostart files, but the app's own. */
async function autostartFiles(host: Host): Promise<string[]> {
  const dir = autostartDirs(host).user;
  const out: string[] = [];
  for (const name of await host.readdir(dir)) {
    if (!name.endsWith('.desktop') || name.startsWith('.') || name === SELF_FILE) continue;
    if ((await host.stat(join(dir, name)))?.kind === 'file') out.push(name);
  }
  return out.sort();
}

/** The crontab's text; '' where there is no crontab or no cron at all. */
export async function crontabText(deps: Pick<SetupDeps, 'crontab'>): Promise<string | null> {
  if (deps.crontab === null) return null;
  const r = await deps.crontab.read();
  if (r.ok) return r.value;
  if (r.error.code === 'unsupported') return null;
  throw new AppFailure(r.error);
}

/** The @reboot lines of a crontab, as cron sees each (without the app's disabled mark). */
export function rebootLines(text: string): Array<SetupCronLine & { key: string }> {
  return CrontabDocument.parse(text)
    .jobs()
    .filter((j) => j.schedule.special === 'reboot')
    .map((j) => ({
      key: j.key,
      line: j.kind === 'job' ? j.raw : j.raw.slice(DISABLED_MARKER.length),
      enabled: j.kind === 'job',
    }));
}

/** What `ids` pick, or everything when `ids` is empty. */
interface Pick_ {
  units: Set<string> | null;
  cron: Set<string> | null;
  autostart: Set<string> | null;
  rules: Set<string> | null;
}

const unitBase = (name: string) => name.slice(0, name.lastIndexOf('.'));

/** What the ids name; an id of no kind the file holds is refused. */
function picked(ids: readonly string[]): Pick_ {
  if (ids.length === 0) return { units: null, cron: null, autostart: null, rules: null };
  const p = {
    units: new Set<string>(),
    cron: new Set<string>(),
    autostart: new Set<string>(),
    rules: new Set<string>(),
  };
  for (const id of ids) {
    const colon = /^[a-z]+:/.exec(id)?.[0];
    const rest = colon === undefined ? id : id.slice(colon.length);
    switch (colon) {
      case undefined:
      case 'systemd:':
        p.units.add(/\.[a-z]+$/.test(rest) ? rest : `${rest}.service`);
        break;
      case 'cron:':
        p.cron.add(rest);
        break;
      case 'autostart:':
        p.autostart.add(rest.endsWith('.desktop') ? rest : `${rest}.desktop`);
        break;
      case 'process:':
        p.rules.add(rest);
        break;
      default:
        throw new AppFailure(appError('invalid-input', t('setup:errors.idKind', { id })));
    }
  }
  return p;
}

/**
 * The setup file of what the user made here; with `ids`, only those (a unit brings the units of
 * its family: web.service brings web.timer and web.socket, and the other way round). An id that
 * names nothing here is refused, naming it.
 */
export async function exportSetup(
  deps: SetupDeps,
  ids: readonly string[] = [],
): Promise<SetupFile> {
  const want = picked(ids);
  const missing: string[] = [];

  const allUnits = await userUnitFiles(deps);
  let unitNames = allUnits;
  if (want.units !== null) {
    for (const u of want.units) if (!allUnits.includes(u)) missing.push(`systemd:${u}`);
    const bases = new Set([...want.units].map(unitBase));
    unitNames = allUnits.filter((n) => bases.has(unitBase(n)));
  }
  const units: SetupUnit[] = [];
  for (const name of unitNames) {
    const bytes = await deps.host.readFile(join(deps.authoring.unitDir, name));
    const dropIns = await unitDropIns(deps, name);
    units.push({
      name,
      ...(await unitState(deps, name)),
      ...bytesOf(bytes),
      ...(dropIns.length > 0 ? { dropIns } : {}),
    });
  }

  const text = await crontabText(deps);
  let lines = text === null ? [] : rebootLines(text);
  if (want.cron !== null) {
    const keys = want.cron;
    for (const k of keys) if (!lines.some((l) => l.key === k)) missing.push(`cron:${k}`);
    lines = lines.filter((l) => keys.has(l.key));
  }
  const crontab = lines.map(({ line, enabled }) => ({ line, enabled }));

  let files = await autostartFiles(deps.host);
  if (want.autostart !== null) {
    const names = want.autostart;
    for (const f of names) if (!files.includes(f)) missing.push(`autostart:${f}`);
    files = files.filter((f) => names.has(f));
  }
  const autostart: SetupAutostart[] = [];
  for (const file of files) {
    const bytes = await deps.host.readFile(join(autostartDirs(deps.host).user, file));
    autostart.push({ file, ...bytesOf(bytes) });
  }

  let rules: WatchRule[] = deps.rules.list();
  if (want.rules !== null) {
    const names = want.rules;
    for (const n of names) if (!rules.some((r) => r.name === n)) missing.push(`process:${n}`);
    rules = rules.filter((r) => names.has(r.name));
  }

  if (missing.length > 0)
    throw new AppFailure(
      appError('no-such-unit', t('setup:errors.notFound', { ids: missing.join(', ') })),
    );
  return { kind: SETUP_KIND, version: SETUP_VERSION, units, crontab, autostart, watchRules: rules };
}

const byName =
  <T>(key: (x: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

const bytesPart = (b: SetupBytes) =>
  b.text !== undefined ? { text: b.text } : { base64: b.base64 };

/**
 * The file's text: two-space JSON, keys in one fixed order, items sorted by name (crontab lines
 * keep their crontab order: cron runs @reboot lines in that order), a final newline.
 */
export function serializeSetup(f: SetupFile): string {
  const stable: SetupFile = {
    kind: f.kind,
    version: f.version,
    units: [...f.units].sort(byName((u) => u.name)).map((u) => ({
      name: u.name,
      enabled: u.enabled,
      running: u.running,
      ...bytesPart(u),
      ...(u.dropIns !== undefined && u.dropIns.length > 0
        ? {
            dropIns: [...u.dropIns]
              .sort(byName((d) => d.file))
              .map((d) => ({ file: d.file, ...bytesPart(d) })),
          }
        : {}),
    })),
    crontab: f.crontab.map((c) => ({ line: c.line, enabled: c.enabled })),
    autostart: [...f.autostart]
      .sort(byName((a) => a.file))
      .map((a) => ({ file: a.file, ...bytesPart(a) })),
    watchRules: [...f.watchRules].sort(byName((r) => r.name)).map((r) => ({
      name: r.name,
      pattern: r.pattern,
      full: r.full,
      exact: r.exact,
      start: r.start,
      cwd: r.cwd,
      log: r.log,
    })),
  };
  return `${JSON.stringify(stable, null, 2)}\n`;
}
