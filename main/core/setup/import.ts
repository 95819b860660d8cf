// Import: a setup file applied to a host as one transaction (systemd/transaction.ts), so a step
// that fails undoes the ones before it, and one Undo token for the whole of it afterwards.
//
// What exists and differs is never overwritten unless the caller says `replace`: the import is
// then refused as a whole, naming what differs, and nothing is written. Everything that is the
// same is left alone, so importing one file twice changes nothing the second time.
//
// Steps, in order: stop each running unit whose file changes; write the unit and autostart files
// (each under its store lock, refused if it changed since the plan read it); reload systemd;
// enable or disable, then start or stop each unit as the file says; install the crontab (refused
// if it changed since the plan read it); add or replace the watch rules; record the Undo. The
// Undo's bytes live beside the units' (backup-store.ts): the replaced files, and a record of the
// units' states, the crontab and the watch rules before.
import { join } from 'node:path';
import type { WatchRule } from '../model/processes.js';
import type { SetupFile, SetupOutcome, SetupPlanItem } from '../model/setup.js';
import type { UndoToken } from '../model/authoring.js';
import { t } from '../../../i18n/index.js';
import { AppFailure, appError } from '../errors.js';
import { CrontabDocument } from '../cron/crontab-document.js';
import { sha256, type BackupTxn } from '../systemd/backup-store.js';
import { runTransaction, type Step, type StepHook } from '../systemd/transaction.js';
import { changeRules, crontabText, rebootLines, unitState, type SetupDeps } from './export.js';
import { surveySetup, type FileOf, type Survey, type UnitSurvey } from './plan.js';

/** What the Undo needs beyond the files' bytes (kept as setup.json beside the backup). */
interface SetupUndoRecord {
  units: Array<{ name: string; existed: boolean; enabled: boolean; running: boolean }>;
  crontab: { before: string; after: string } | null;
  rules: { before: WatchRule[]; names: string[] } | null;
}

const RECORD = 'setup.json';

const changing = (i: SetupPlanItem) => i.action !== 'same';

function failed(r: { ok: boolean; error?: { code: string; message: string } }): void {
  if (!r.ok) throw new AppFailure(r.error as never);
}

async function act(deps: SetupDeps, unit: string, action: 'start' | 'stop' | 'enable' | 'disable') {
  failed(await deps.units.act(unit, action));
}

const OPPOSITE = { start: 'stop', stop: 'start', enable: 'disable', disable: 'enable' } as const;
/** A unit action as a step's name, and as what was done once it ran. */
const ACT_WORDS: Record<keyof typeof OPPOSITE, string> = {
  start: 'errors:transaction.step.start',
  stop: 'errors:transaction.step.stop',
  enable: 'errors:transaction.step.enable',
  disable: 'errors:transaction.step.disable',
};

function actStep(
  deps: SetupDeps,
  unit: string,
  action: keyof typeof OPPOSITE,
  done: string[],
): Step {
  return {
    name: t(ACT_WORDS[action], { unit }),
    run: async () => {
      await act(deps, unit, action);
      done.push(t(ACT_WORDS[action], { unit }));
    },
    undo: () => act(deps, unit, OPPOSITE[action]),
  };
}

/** Triggers (timers, sockets, paths) after what they start, so nothing starts twice. */
const triggersLast = (a: UnitSurvey, b: UnitSurvey) =>
  Number(!a.name.endsWith('.service')) - Number(!b.name.endsWith('.service'));

/** The crontab the file asks for, from the one the plan read. */
function crontabAfter(s: Survey): string | null {
  const { before, lines } = s.crontab;
  if (before === null || !lines.some((l) => changing(l.item))) return null;
  let doc = CrontabDocument.parse(before);
  for (const l of lines) {
    if (!changing(l.item)) continue;
    let key = rebootLines(doc.toString()).find((p) => p.line === l.line)?.key ?? null;
    if (key === null) ({ doc, key } = doc.append(l.line));
    if (key === null) continue;
    doc = l.enabled ? doc.enable(key) : doc.disable(key);
  }
  return doc.toString();
}

/** A crontab install, refused when the crontab is no longer `expected`. */
async function installCrontab(deps: SetupDeps, expected: string, next: string, reason: string) {
  const store = deps.crontab!;
  await store.locked(async () => failed(await store.commit(expected, next, reason)));
}

/** A file write under its lock, refused when the file is no longer what the plan read. */
async function writeChecked(deps: SetupDeps, path: string, expected: Buffer | null, bytes: Buffer) {
  const want = sha256(expected);
  await deps.host.updateFile(
    path,
    (now) => {
      if (sha256(now) !== want)
        throw new AppFailure(appError('conflict', t('setup:errors.changedMeanwhile', { path })));
      return bytes;
    },
    0o644,
  );
}

/** The setup's Undo record, or null when the token is none of an import's. */
async function readRecord(deps: SetupDeps, token: string): Promise<SetupUndoRecord | null> {
  if (!/^[0-9a-z]+-[0-9a-f]+$/.test(token)) return null;
  const raw = await deps.host.readOrNull(join(deps.authoring.backups.dir, token, RECORD));
  return raw === null ? null : (JSON.parse(raw.toString('utf8')) as SetupUndoRecord);
}

/**
 * Apply `file` to the host. Things that exist and differ are refused unless `replace`; nothing
 * is written then. Resolves with the plan, the steps taken and the Undo token.
 */
export async function importSetup(
  deps: SetupDeps,
  file: SetupFile,
  opts: { replace: boolean; hook?: StepHook },
): Promise<SetupOutcome> {
  const s = await surveySetup(deps, file);
  const differs = s.plan.items.filter((i) => i.action === 'differs');
  if (differs.length > 0 && !opts.replace)
    throw new AppFailure(
      appError(
        'conflict',
        t('setup:errors.differs', {
          count: differs.length,
          names: differs.map((i) => i.name).join(', '),
        }),
      ),
    );
  if (s.plan.counts.create + s.plan.counts.differs === 0)
    return { plan: s.plan, steps: [], undo: null };

  const done: string[] = [];
  const units = s.units.filter((u) => changing(u.item));
  const differ = (f: FileOf) => f.current === null || !f.current.equals(f.bytes);
  const unitFiles = (u: UnitSurvey): FileOf[] => [
    { path: u.path, bytes: u.bytes, current: u.current.bytes },
    ...u.dropIns,
  ];
  const rewritten = units.filter((u) => unitFiles(u).some(differ));
  const files = [
    ...rewritten.flatMap((u) => unitFiles(u).filter(differ)),
    ...s.autostart.filter((a) => changing(a.item)),
  ];
  const unitFilesChange = rewritten.length > 0;
  const cronAfter = crontabAfter(s);
  const rules = s.rules.filter((r) => changing(r.item));
  const summary = {
    key: 'setup:undo.summary',
    params: { count: s.plan.counts.create + s.plan.counts.differs },
  };
  let txn: BackupTxn | null = null;
  let undo: UndoToken | null = null;

  const steps: Step[] = [
    {
      name: t('errors:transaction.step.prepareUndo'),
      run: async () => {
        txn = await deps.authoring.backups.begin(
          summary,
          files.map((f) => f.path),
        );
        // A plain `unit undo` of this token stops what the import made before removing it.
        txn.stopFirst = units.filter((u) => u.current.bytes === null).map((u) => u.name);
      },
      undo: () => txn!.abandon(),
    },
  ];
  // A running unit whose file changes stops first, and starts again below with its new file.
  const restart = new Set<string>();
  for (const u of units)
    if (u.current.running && rewritten.includes(u)) {
      restart.add(u.name);
      steps.push(actStep(deps, u.name, 'stop', done));
    }
  for (const [i, f] of files.entries())
    steps.push({
      name: t('errors:transaction.step.write', { unit: f.path }),
      run: async () => {
        await writeChecked(deps, f.path, f.current, f.bytes);
        done.push(t('setup:done.wrote', { path: f.path }));
      },
      undo: async () => {
        await txn!.restoreFiles([txn!.files[i]!]);
        if (unitFilesChange) await deps.authoring.reload();
      },
    });
  if (unitFilesChange)
    steps.push({
      name: t('errors:transaction.step.reload'),
      run: async () => {
        await deps.authoring.reload();
        done.push(t('setup:done.reloaded'));
      },
    });
  for (const u of units)
    if (u.enabled !== u.current.enabled)
      steps.push(actStep(deps, u.name, u.enabled ? 'enable' : 'disable', done));
  for (const u of [...units].sort(triggersLast)) {
    const runningNow = u.current.running && !restart.has(u.name);
    if (u.running && !runningNow) steps.push(actStep(deps, u.name, 'start', done));
    if (!u.running && runningNow) steps.push(actStep(deps, u.name, 'stop', done));
  }
  if (cronAfter !== null) {
    const before = s.crontab.before!;
    steps.push({
      name: t('errors:transaction.step.installCrontab'),
      run: async () => {
        await installCrontab(deps, before, cronAfter, 'import a setup');
        done.push(t('setup:done.installedCrontab'));
      },
      undo: () => installCrontab(deps, cronAfter, before, 'undo an import'),
    });
  }
  const rulesBefore = rules.flatMap((r) => (r.current === null ? [] : [r.current]));
  if (rules.length > 0)
    steps.push({
      name: t('errors:transaction.step.addRules'),
      run: async () => {
        await changeRules(deps, (store) => {
          for (const r of rules) {
            if (r.current !== null) store.remove(r.rule.name);
            store.add(r.rule);
          }
        });
        done.push(t('setup:done.addedRules'));
      },
      undo: () =>
        restoreRules(
          deps,
          rules.map((r) => r.rule.name),
          rulesBefore,
        ),
    });
  steps.push({
    name: t('errors:transaction.step.recordUndo'),
    run: async () => {
      const record: SetupUndoRecord = {
        units: units.map((u) => ({
          name: u.name,
          existed: u.current.bytes !== null,
          enabled: u.current.enabled,
          running: u.current.running,
        })),
        crontab: cronAfter === null ? null : { before: s.crontab.before!, after: cronAfter },
        rules:
          rules.length === 0 ? null : { before: rulesBefore, names: rules.map((r) => r.rule.name) },
      };
      await deps.host.writeFileAtomic(
        join(deps.authoring.backups.dir, txn!.id, RECORD),
        JSON.stringify(record, null, 2),
        0o600,
      );
      undo = await txn!.finish();
    },
  });
  await runTransaction(t('setup:undo.what'), steps, opts.hook);
  return { plan: s.plan, steps: done, undo };
}

/** Take the imported rules out again and put back the ones they replaced. */
function restoreRules(deps: SetupDeps, names: string[], before: WatchRule[]): Promise<void> {
  return changeRules(deps, (store) => {
    for (const name of names) if (store.list().some((r) => r.name === name)) store.remove(name);
    for (const r of before) store.add(r);
  });
}

/**
 * Undo an import: refused (nothing changed) when a file, the crontab or a rule it wrote has been
 * changed since; else the units it made are stopped and disabled, every file gets its old bytes
 * back (or goes), systemd reloads, the units that were there get their old enabled and running
 * state, and the crontab and the watch rules are as before.
 */
export async function undoSetup(deps: SetupDeps, token: string): Promise<void> {
  const store = deps.authoring.backups;
  const record = await readRecord(deps, token);
  const m = record === null ? null : await store.read(token);
  if (record === null || m === null)
    throw new AppFailure(appError('invalid-input', t('setup:errors.nothingToUndo')));
  for (const f of m.files)
    if (sha256(await deps.host.readOrNull(f.path)) !== f.afterHash)
      throw new AppFailure(appError('conflict', t('setup:errors.undoConflict', { path: f.path })));
  if (record.crontab !== null && (await crontabText(deps)) !== record.crontab.after)
    throw new AppFailure(appError('conflict', t('setup:errors.undoCrontab')));
  // Every backup is read before anything changes: a missing one fails with nothing done.
  const saved = new Map<string, Buffer>();
  for (const f of m.files)
    if (f.before !== null) saved.set(f.path, await store.backupBytes(m.id, f.before));

  for (const u of record.units) {
    const now = await unitState(deps, u.name);
    if (now.running && (!u.existed || !u.running)) await act(deps, u.name, 'stop');
    if (now.enabled && (!u.existed || !u.enabled)) await act(deps, u.name, 'disable');
  }
  for (const f of m.files) {
    const bytes = saved.get(f.path);
    if (bytes === undefined) await deps.host.remove(f.path);
    else await deps.host.writeFileAtomic(f.path, bytes, f.mode ?? 0o644);
  }
  if (record.units.length > 0) await deps.authoring.reload();
  for (const u of record.units.filter((x) => x.existed)) {
    const now = await unitState(deps, u.name);
    if (u.enabled && !now.enabled) await act(deps, u.name, 'enable');
    if (u.running && !now.running) await act(deps, u.name, 'start');
    // A unit whose file came back but that ran the imported one restarts on the old bytes.
    else if (u.running && m.files.some((f) => f.path.includes(`/${u.name}`)))
      failed(await deps.units.act(u.name, 'restart'));
  }
  if (record.crontab !== null)
    await installCrontab(deps, record.crontab.after, record.crontab.before, 'undo an import');
  if (record.rules !== null) await restoreRules(deps, record.rules.names, record.rules.before);
  await store.discard(m.id);
}
