// Setup files (issue 17): `export [ID...]` prints one; `import FILE` shows its plan and applies
// it as one change with an Undo (`--dry-run`: the plan only; `--replace`: also overwrite what
// exists and differs; `--undo TOKEN`: undo an import). Words from the `setup` catalog.
import { readFile } from 'node:fs/promises';
import type { SetupPlan, SetupPlanItem } from '../core/model/setup.js';
import type { SetupService } from '../core/setup/setup-service.js';
import { t } from '../../i18n/index.js';
import { UsageError, table, unwrap, type CliIo, type Command, type ParsedArgs } from './command.js';
import { withCore } from './units.js';

/** The core's setup service, with systemd loaded (a unit's state is systemd's to say). */
function withSetup<T>(io: CliIo, fn: (s: SetupService) => Promise<T>): Promise<T> {
  return withCore(io, (core) => fn(core.setup), { sources: ['systemd'], needsBus: true });
}

function itemDetail(i: SetupPlanItem): string {
  if (i.action !== 'differs') return '';
  const what = i.differences.map((d) =>
    d === 'content' && i.diff !== null
      ? `${t('setup:differences.content')} ${t('setup:plan.lines', { added: i.diff.added, removed: i.diff.removed })}`
      : t(`setup:differences.${d}`),
  );
  return what.join(', ');
}

/** The plan in words: one line of counts, then one row per item. */
export function planText(plan: SetupPlan): string {
  if (plan.items.length === 0) return t('setup:plan.empty');
  const head = t('setup:plan.title', { host: plan.host, ...plan.counts });
  const rows = table(
    ['', '', '', ''],
    plan.items.map((i) => [
      t(`setup:actions.${i.action}`),
      t(`setup:kinds.${i.kind}`),
      i.name,
      itemDetail(i),
    ]),
  )
    .split('\n')
    .slice(1);
  return [head, ...rows.map((r) => `  ${r}`)].join('\n');
}

const exportCommand: Command = {
  name: 'export',
  usage: ['export [ID...]'],
  get summary() {
    return t('setup:cli.exportSummary');
  },
  run({ positionals }, io) {
    return withSetup(io, async (s) => {
      // The file's text ends with its newline already.
      io.out(unwrap(await s.export(positionals)).replace(/\n$/, ''));
      return 0;
    });
  },
};

async function runImport({ values, positionals }: ParsedArgs, io: CliIo): Promise<number> {
  const json = values.json === true;
  const token = typeof values.undo === 'string' ? values.undo : undefined;
  if (token !== undefined)
    return withSetup(io, async (s) => {
      unwrap(await s.undo(token));
      io.out(json ? JSON.stringify({ undone: token }) : t('setup:cli.undone'));
      return 0;
    });
  const [path, ...extra] = positionals;
  if (path === undefined || extra.length > 0) throw new UsageError(t('setup:cli.importNeedsFile'));
  const text = await readFile(path, 'utf8');
  return withSetup(io, async (s) => {
    const plan = unwrap(await s.plan(text));
    if (values['dry-run'] === true) {
      io.out(json ? JSON.stringify(plan, null, 2) : `${planText(plan)}\n${t('setup:plan.dryRun')}`);
      return 0;
    }
    if (!json) io.out(planText(plan));
    const outcome = unwrap(await s.import(text, values.replace === true));
    if (json) io.out(JSON.stringify(outcome, null, 2));
    else if (outcome.undo === null) io.out(t('setup:plan.allSame'));
    else
      io.out(
        [
          t('setup:cli.imported', { steps: outcome.steps.join(', ') }),
          t('setup:cli.undoWith', { token: outcome.undo.id }),
        ].join('\n'),
      );
    return 0;
  });
}

const importCommand: Command = {
  name: 'import',
  usage: ['import FILE [--dry-run] [--replace] [--json]', 'import --undo TOKEN'],
  get summary() {
    return t('setup:cli.importSummary');
  },
  options: {
    'dry-run': { type: 'boolean' },
    replace: { type: 'boolean' },
    undo: { type: 'string' },
    json: { type: 'boolean' },
  },
  run: runImport,
};

export const setupCommands: Command[] = [exportCommand, importCommand];
