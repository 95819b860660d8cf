// Setup files (issue 17): `export [ID...]` prints one; `import FILE` shows its plan and applies
// it as one change with an Undo (`--dry-run`: the plan only; `--replace`: also overwrite what
// exists and differs; `--undo TOKEN`: undo an import). Words from the `setup` catalog.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setupItemWords, setupPlanTitle, type SetupPlan } from '../core/model/setup.js';
import { SetupService, setupDepsOver } from '../core/setup/setup-service.js';
import { createLocalHost } from '../core/host/local-host.js';
import type { Host } from '../core/host/host.js';
import { createWatchRuleStore, type WatchRuleStore } from '../core/processes/watch-rules.js';
import { settingsDir } from '../core/xdg.js';
import { t } from '../../i18n/index.js';
import {
  UsageError,
  crontabFromEnv,
  table,
  unwrap,
  type CliIo,
  type Command,
  type ParsedArgs,
} from './command.js';
import { onFarHost } from './on-host.js';
import { withCore, withMonitor } from './units.js';

/** The core's setup service, with systemd loaded (a unit's state is systemd's to say). */
function withSetup<T>(io: CliIo, fn: (s: SetupService) => Promise<T>): Promise<T> {
  // Another host: its own files, systemd, crontab(1) and watch rules (withHostSetup below).
  if (onFarHost(io)) return withHostSetup(io, fn);
  return withCore(io, (core) => fn(core.setup), { sources: ['systemd'], needsBus: true });
}

/**
 * A setup service that only reads (export, --dry-run): settings.json read as it is, never
 * opened for writing (opening it with conf creates it), so a dry run leaves every file alone.
 * On another host (--host) it is the whole service: that host's files, systemd, crontab(1) and
 * the watch rules of that user's own settings.json, changed there under its lock only when an
 * import writes them.
 */
function withHostSetup<T>(io: CliIo, fn: (s: SetupService) => Promise<T>): Promise<T> {
  return withMonitor(io, async (m, far) => {
    if (far !== undefined) return fn(new SetupService(await setupDepsOver(far, m)));
    const here = createLocalHost(io.env);
    const crontab = crontabFromEnv(io.env);
    const deps = await setupDepsOver(here, m, {
      ...(crontab ? { crontab } : {}),
      rules: await readOnlyRules(here, io.env),
    });
    return fn(new SetupService(deps));
  });
}

/** This machine's watch rules as settings.json holds them, read only. */
async function readOnlyRules(here: Host, env: NodeJS.ProcessEnv): Promise<WatchRuleStore> {
  let settings: Record<string, unknown> = {};
  const raw = await here.readOrNull(join(settingsDir(env), 'settings.json'));
  try {
    if (raw !== null) settings = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
  } catch {
    settings = {}; // unreadable: the app sets it aside when it opens it; no rules to read
  }
  return createWatchRuleStore({
    get: (key) => settings[key],
    set: () => {
      throw new Error('read only');
    },
  });
}

/** The plan in words: one line of counts, then one row per item. */
export function planText(plan: SetupPlan): string {
  const head = setupPlanTitle(plan);
  if (plan.items.length === 0) return head;
  const rows = table(
    ['', '', '', ''],
    plan.items.map((i) => {
      const w = setupItemWords(i);
      return [w.action, w.kind, i.name, w.detail];
    }),
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
    return withHostSetup(io, async (s) => {
      // The file's text ends with its newline already.
      io.out(unwrap(await s.exportSetup({ ids: positionals })).replace(/\n$/, ''));
      return 0;
    });
  },
};

async function runImport({ values, positionals }: ParsedArgs, io: CliIo): Promise<number> {
  const json = values.json === true;
  const token = typeof values.undo === 'string' ? values.undo : undefined;
  if (token !== undefined)
    return withSetup(io, async (s) => {
      unwrap(await s.undoSetup({ token }));
      io.out(json ? JSON.stringify({ undone: token }) : t('setup:cli.undone'));
      return 0;
    });
  const [path, ...extra] = positionals;
  if (path === undefined || extra.length > 0) throw new UsageError(t('setup:cli.importNeedsFile'));
  const text = await readFile(path, 'utf8');
  const plan = await withHostSetup(io, async (s) => unwrap(await s.planSetup({ text })));
  if (values['dry-run'] === true) {
    io.out(json ? JSON.stringify(plan, null, 2) : `${planText(plan)}\n${t('setup:plan.dryRun')}`);
    return 0;
  }
  if (!json) io.out(planText(plan));
  // Only an import that writes opens the core (and with it settings.json); one that changes
  // nothing, or is refused because something differs, stays read-only, so it writes nothing.
  const { create, differs } = plan.counts;
  const replace = values.replace === true;
  const writes = create + differs > 0 && (differs === 0 || replace);
  const outcome = await (writes ? withSetup : withHostSetup)(io, async (s) =>
    unwrap(await s.importSetup({ text, replace })),
  );
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
