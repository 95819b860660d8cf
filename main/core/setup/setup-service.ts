// The setup area on one object, for the IPC channels and the CLI: export the setup file's text,
// plan an import of a text, import it, undo an import. Errors are data (Result).
import type { OpsOf } from '../../../contract/channel.js';
import type { setupChannels } from '../../../contract/areas/setup.js';
import type { Result } from '../model/domain.js';
import type { SetupOutcome, SetupPlan } from '../model/setup.js';
import { ok, toAppError } from '../errors.js';
import type { StepHook } from '../systemd/transaction.js';
import { exportSetup, serializeSetup, type SetupDeps } from './export.js';
import { importSetup, undoSetup } from './import.js';
import { parseSetup, surveySetup } from './plan.js';

async function answer<T>(fn: () => Promise<T>): Promise<Result<T>> {
  try {
    return ok(await fn());
  } catch (err) {
    return { ok: false, error: toAppError(err) };
  }
}

/** The setup channels' ops (contract/areas/setup.ts), so the API table maps them as they are. */
export class SetupService implements OpsOf<typeof setupChannels> {
  constructor(
    private readonly deps: SetupDeps,
    private readonly hook?: StepHook,
  ) {}

  /** The setup file's text: everything the user made, or what `ids` name. */
  exportSetup = ({ ids }: { ids: readonly string[] }): Promise<Result<string>> =>
    answer(async () => serializeSetup(await exportSetup(this.deps, ids)));

  /** What importing `text` would do here. Writes nothing. */
  planSetup = ({ text }: { text: string }): Promise<Result<SetupPlan>> =>
    answer(async () => (await surveySetup(this.deps, parseSetup(text))).plan);

  importSetup = ({
    text,
    replace,
  }: {
    text: string;
    replace: boolean;
  }): Promise<Result<SetupOutcome>> =>
    answer(() =>
      importSetup(this.deps, parseSetup(text), {
        replace,
        ...(this.hook ? { hook: this.hook } : {}),
      }),
    );

  undoSetup = ({ token }: { token: string }): Promise<Result<null>> =>
    answer(async () => {
      await undoSetup(this.deps, token);
      return null;
    });
}

/** The setup area's deps from a core's parts (the app's core, the CLI's). */
export function setupDeps(parts: {
  host: SetupDeps['host'];
  units: SetupDeps['units'];
  authoring: { authoring: SetupDeps['authoring'] };
  cron: { store: NonNullable<SetupDeps['crontab']> } | null;
  rules: SetupDeps['rules'];
}): SetupDeps {
  return {
    host: parts.host,
    units: parts.units,
    authoring: parts.authoring.authoring,
    crontab: parts.cron?.store ?? null,
    rules: parts.rules,
  };
}
