// A setup file (issue 17): what the user made on one machine, to be made again on another. Its
// JSON shape is checked on import by contract/areas/setup.ts (zod); these are the types.
import { t } from '../../../i18n/index.js';
import type { UndoToken } from './authoring.js';
import type { WatchRule } from './processes.js';

/** The `kind` of a setup file: what it is, for a person who finds one in a dotfiles repository. */
export const SETUP_KIND = 'daemon-deck-setup';
/** The schema version this build writes and reads. */
export const SETUP_VERSION = 1;

/**
 * A file's bytes, exactly: `text` when they are UTF-8 (what a person reads and diffs), else
 * `base64`. Exactly one is given.
 */
export type SetupBytes = { text: string; base64?: never } | { base64: string; text?: never };

/** A drop-in of a unit: NAME.d/FILE.conf beside the unit file. */
export type SetupDropIn = { file: string } & SetupBytes;

/**
 * A unit file of the user's unit folder, whether it is enabled and running, and its drop-ins
 * (left out when it has none).
 */
export type SetupUnit = {
  name: string;
  enabled: boolean;
  running: boolean;
  dropIns?: SetupDropIn[];
} & SetupBytes;

/** A crontab line the app reads (an @reboot line), as cron sees it, and whether it is enabled. */
export interface SetupCronLine {
  line: string;
  enabled: boolean;
}

/** An autostart entry: a .desktop file of the user's autostart folder. */
export type SetupAutostart = { file: string } & SetupBytes;

export interface SetupFile {
  kind: typeof SETUP_KIND;
  version: typeof SETUP_VERSION;
  units: SetupUnit[];
  crontab: SetupCronLine[];
  autostart: SetupAutostart[];
  watchRules: WatchRule[];
}

export type SetupItemKind = 'unit' | 'crontab' | 'autostart' | 'watch';

/** What an import does with one item: make it, leave it (it is the same), or it differs. */
export type SetupAction = 'create' | 'same' | 'differs';

/** How an existing item differs from the file's: its bytes, its enabled or running state... */
export type SetupDifference = 'content' | 'enabled' | 'running' | 'rule';

export interface SetupPlanItem {
  kind: SetupItemKind;
  /** The unit, the crontab line, the autostart file or the watch rule's name. */
  name: string;
  action: SetupAction;
  /** For `differs`: what differs. */
  differences: SetupDifference[];
  /** For a content difference: lines added and removed, and the unified diff. */
  diff: { added: number; removed: number; text: string } | null;
  /**
   * Home folders the file's bytes name that are not this host's home (`/home/alice` in a unit
   * made on another machine): kept as written, but worth a look before it runs here.
   */
  otherHomes: string[];
}

export interface SetupPlan {
  /** The host the plan is for ('local': this machine). */
  host: string;
  items: SetupPlanItem[];
  counts: Record<SetupAction, number>;
}

export interface SetupOutcome {
  plan: SetupPlan;
  /** What the import did, step by step ([] when everything was the same). */
  steps: string[];
  /** The Undo of the whole import; null when nothing was changed. */
  undo: UndoToken | null;
}

/** One plan item in words (the CLI's rows, the import dialog's): what, which kind, what differs. */
export function setupItemWords(i: SetupPlanItem): { action: string; kind: string; detail: string } {
  const actions: Record<SetupAction, string> = {
    create: t('setup:actions.create'),
    same: t('setup:actions.same'),
    differs: t('setup:actions.differs'),
  };
  const kinds: Record<SetupItemKind, string> = {
    unit: t('setup:kinds.unit'),
    crontab: t('setup:kinds.crontab'),
    autostart: t('setup:kinds.autostart'),
    watch: t('setup:kinds.watch'),
  };
  const lines = i.diff && t('setup:plan.lines', { added: i.diff.added, removed: i.diff.removed });
  const differences: Record<SetupDifference, string> = {
    content: lines ? `${t('setup:differences.content')} ${lines}` : t('setup:differences.content'),
    enabled: t('setup:differences.enabled'),
    running: t('setup:differences.running'),
    rule: t('setup:differences.rule'),
  };
  const homes =
    i.otherHomes.length === 0
      ? []
      : [t('setup:plan.otherHomes', { homes: i.otherHomes.join(', ') })];
  return {
    action: actions[i.action],
    kind: kinds[i.kind],
    detail: [...i.differences.map((d) => differences[d]), ...homes].join(', '),
  };
}

/** The plan's first line: where, and how many of each. */
export function setupPlanTitle(plan: SetupPlan): string {
  if (plan.items.length === 0) return t('setup:plan.empty');
  const host = plan.host === 'local' ? t('setup:plan.here') : plan.host;
  return t('setup:plan.title', { host, ...plan.counts });
}
