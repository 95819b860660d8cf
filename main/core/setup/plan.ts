// The plan of an import: the setup file read and checked (its schema, then what only the core can
// judge: a watch rule's pattern, a name given twice), then each item looked up on the host: to be
// created, there and the same, or there and different (what differs, and a diff of the bytes).
// Planning writes nothing; import.ts applies the survey it leaves.
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { WatchRule } from '../model/processes.js';
import type {
  SetupAction,
  SetupDifference,
  SetupFile,
  SetupPlan,
  SetupPlanItem,
} from '../model/setup.js';
import { t } from '../../../i18n/index.js';
import { AppFailure, appError } from '../errors.js';
import { checkRule } from '../processes/watch-rules.js';
import { autostartDirs } from '../autostart/autostart-service.js';
import { unifiedDiff } from '../systemd/unit-file.js';
import { setupFileSchema } from '../../../contract/areas/setup.js';
import { bytesFrom, crontabText, rebootLines, unitState, type SetupDeps } from './export.js';

function refuse(field: string, message: string): AppFailure {
  return new AppFailure(
    appError('invalid-input', t('setup:errors.field', { field: field || '(file)', message })),
  );
}

/** Names given twice in one list are refused: which one would win is not the file's to say. */
function noTwice<T>(list: readonly T[], key: (x: T) => string, field: string): void {
  const seen = new Set<string>();
  for (const [i, x] of list.entries()) {
    const k = key(x);
    if (seen.has(k)) throw refuse(`${field}.${i}`, t('setup:errors.twice', { name: k }));
    seen.add(k);
  }
}

/**
 * The setup file in `text`, checked: not JSON, the wrong kind or version, a missing or misspelt
 * field, a bad value: refused with the field named ("units.2.name: ...").
 */
export function parseSetup(text: string): SetupFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new AppFailure(
      appError(
        'invalid-input',
        t('setup:errors.notJson', { detail: err instanceof Error ? err.message : String(err) }),
      ),
    );
  }
  const r = setupFileSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    // An unknown key names itself; the path names where it is.
    const keys = 'keys' in issue && Array.isArray(issue.keys) ? issue.keys.join(', ') : '';
    const path = [...issue.path.map(String), ...(keys ? [keys] : [])].join('.');
    throw refuse(path, issue.message);
  }
  const file = r.data as SetupFile;
  noTwice(file.units, (u) => u.name, 'units');
  noTwice(file.autostart, (a) => a.file, 'autostart');
  noTwice(file.watchRules, (w) => w.name, 'watchRules');
  noTwice(file.crontab, (c) => c.line, 'crontab');
  for (const [i, rule] of file.watchRules.entries()) {
    const why = checkRule(rule);
    if (why !== null) throw refuse(`watchRules.${i}`, why);
  }
  return file;
}

/** A file the import may write: where, the file's bytes, what is there now (null: nothing). */
export interface FileOf {
  path: string;
  bytes: Buffer;
  current: Buffer | null;
}

/** A unit of the file, and what is on the host now. */
export interface UnitSurvey {
  name: string;
  path: string;
  bytes: Buffer;
  dropIns: FileOf[];
  enabled: boolean;
  running: boolean;
  current: { bytes: Buffer | null; enabled: boolean; running: boolean };
  item: SetupPlanItem;
}

export interface FileSurvey {
  path: string;
  bytes: Buffer;
  current: Buffer | null;
  item: SetupPlanItem;
}

/** What planning found, for import.ts to apply. */
export interface Survey {
  plan: SetupPlan;
  units: UnitSurvey[];
  autostart: FileSurvey[];
  /** The crontab when the plan read it (null: no cron here), and the lines to add or switch. */
  crontab: {
    before: string | null;
    lines: Array<{ line: string; enabled: boolean; item: SetupPlanItem }>;
  };
  rules: Array<{ rule: WatchRule; current: WatchRule | null; item: SetupPlanItem }>;
}

function diffOf(before: Buffer, after: Buffer, name: string): SetupPlanItem['diff'] {
  const text = unifiedDiff(
    before.toString('utf8'),
    after.toString('utf8'),
    `${name} (here)`,
    `${name} (file)`,
  );
  const lines = text.split('\n');
  return {
    added: lines.filter((l) => l.startsWith('+') && !l.startsWith('+++')).length,
    removed: lines.filter((l) => l.startsWith('-') && !l.startsWith('---')).length,
    text,
  };
}

/** Home folders `bytes` names (/home/NAME, /root) other than `home`. */
export function otherHomes(bytes: Buffer, home: string | undefined): string[] {
  const found = new Set<string>();
  for (const m of bytes
    .toString('utf8')
    .matchAll(/(?:\/home\/[^/\s"'=;:]+|\/root)(?=[/\s"';:]|$)/gm))
    if (m[0] !== home && m[0] !== home?.replace(/\/+$/, '')) found.add(m[0]);
  return [...found].sort();
}

function item(
  kind: SetupPlanItem['kind'],
  name: string,
  exists: boolean,
  differences: SetupDifference[],
  diff: SetupPlanItem['diff'] = null,
  homes: string[] = [],
): SetupPlanItem {
  const action: SetupAction = !exists ? 'create' : differences.length === 0 ? 'same' : 'differs';
  return {
    kind,
    name,
    action,
    differences: action === 'differs' ? differences : [],
    diff: action === 'differs' ? diff : null,
    otherHomes: action === 'same' ? [] : homes,
  };
}

/** Look every item of `file` up on the host. Writes nothing. */
export async function surveySetup(deps: SetupDeps, file: SetupFile): Promise<Survey> {
  const home = deps.host.env.HOME;
  const units: UnitSurvey[] = [];
  for (const u of file.units) {
    const path = join(deps.authoring.unitDir, u.name);
    const bytes = bytesFrom(u);
    const now = await deps.host.readOrNull(path);
    const state = now === null ? { enabled: false, running: false } : await unitState(deps, u.name);
    const dropIns: FileOf[] = [];
    for (const d of u.dropIns ?? []) {
      const at = join(deps.authoring.unitDir, `${u.name}.d`, d.file);
      dropIns.push({ path: at, bytes: bytesFrom(d), current: await deps.host.readOrNull(at) });
    }
    // The unit's text as a person reads it: the file, then each drop-in under its name.
    const whole = (main: Buffer | null, parts: Array<Buffer | null>) =>
      Buffer.concat([
        main ?? Buffer.alloc(0),
        ...parts.flatMap((p, i) => [
          Buffer.from(`\n# ${u.name}.d/${u.dropIns![i]!.file}\n`),
          p ?? Buffer.alloc(0),
        ]),
      ]);
    const differences: SetupDifference[] = [];
    const dropInsDiffer = dropIns.some((d) => d.current === null || !d.current.equals(d.bytes));
    if (now !== null && (!now.equals(bytes) || dropInsDiffer)) differences.push('content');
    if (state.enabled !== u.enabled) differences.push('enabled');
    if (state.running !== u.running) differences.push('running');
    units.push({
      name: u.name,
      path,
      bytes,
      enabled: u.enabled,
      running: u.running,
      dropIns,
      current: { bytes: now, ...state },
      item: item(
        'unit',
        u.name,
        now !== null,
        differences,
        now === null
          ? null
          : diffOf(
              whole(
                now,
                dropIns.map((d) => d.current),
              ),
              whole(
                bytes,
                dropIns.map((d) => d.bytes),
              ),
              u.name,
            ),
        otherHomes(
          whole(
            bytes,
            dropIns.map((d) => d.bytes),
          ),
          home,
        ),
      ),
    });
  }

  const autostart: FileSurvey[] = [];
  for (const a of file.autostart) {
    const path = join(autostartDirs(deps.host).user, a.file);
    const bytes = bytesFrom(a);
    const now = await deps.host.readOrNull(path);
    const differs: SetupDifference[] = now !== null && !now.equals(bytes) ? ['content'] : [];
    autostart.push({
      path,
      bytes,
      current: now,
      item: item(
        'autostart',
        a.file,
        now !== null,
        differs,
        now === null ? null : diffOf(now, bytes, a.file),
        otherHomes(bytes, home),
      ),
    });
  }

  const before = file.crontab.length > 0 ? await crontabText(deps) : null;
  if (file.crontab.length > 0 && before === null)
    throw new AppFailure(appError('unsupported', t('setup:errors.noCron')));
  const present = before === null ? [] : rebootLines(before);
  const lines = file.crontab.map((c) => {
    const hit = present.find((p) => p.line === c.line);
    return {
      ...c,
      item: item(
        'crontab',
        c.line,
        hit !== undefined,
        hit !== undefined && hit.enabled !== c.enabled ? ['enabled'] : [],
        null,
        otherHomes(Buffer.from(c.line), home),
      ),
    };
  });

  const currentRules = deps.rules.list();
  const rules = file.watchRules.map((rule) => {
    const current = currentRules.find((r) => r.name === rule.name) ?? null;
    const same = current !== null && isDeepStrictEqual({ ...current }, { ...rule });
    return {
      rule,
      current,
      item: item(
        'watch',
        rule.name,
        current !== null,
        same ? [] : ['rule'],
        null,
        otherHomes(Buffer.from(JSON.stringify(rule)), home),
      ),
    };
  });

  const items = [
    ...units.map((u) => u.item),
    ...lines.map((l) => l.item),
    ...autostart.map((a) => a.item),
    ...rules.map((r) => r.item),
  ];
  const counts: Record<SetupAction, number> = { create: 0, same: 0, differs: 0 };
  for (const i of items) counts[i.action]++;
  return {
    plan: { host: deps.host.name, items, counts },
    units,
    autostart,
    crontab: { before, lines },
    rules,
  };
}
