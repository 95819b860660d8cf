// The setup area on one object, for the IPC channels and the CLI: export the setup file's text,
// plan an import of a text, import it, undo an import. Errors are data (Result).
import type { OpsOf } from '../../../contract/channel.js';
import type { setupChannels } from '../../../contract/areas/setup.js';
import type { Result } from '../model/domain.js';
import type { SetupOutcome, SetupPlan } from '../model/setup.js';
import { appError, ok, toAppError } from '../errors.js';
import { t } from '../../../i18n/index.js';
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

/** A far host's setup deps by its name in settings, or why there are none (unknown, unreachable). */
export type FarSetupDeps = (host: string) => Result<SetupDeps>;

/** The setup channels' ops (contract/areas/setup.ts), so the API table maps them as they are. */
export class SetupService implements OpsOf<typeof setupChannels> {
  constructor(
    private readonly deps: SetupDeps,
    private readonly hook?: StepHook,
    /** Far hosts (issue 17, "Copy to host..."); absent, a request naming a host is refused. */
    private readonly far?: FarSetupDeps,
  ) {}

  /**
   * The service of the host a request names: this one when none is named (unchanged), else one
   * built over that host's connection (the CLI's --host does the same).
   */
  #on(host: string | undefined): Result<SetupService> {
    if (host === undefined) return ok(this);
    if (this.far === undefined)
      return { ok: false, error: appError('unsupported', t('setup:errors.noFarHosts')) };
    const deps = this.far(host);
    return deps.ok ? ok(new SetupService(deps.value, this.hook)) : deps;
  }

  /** The setup file's text: everything the user made, or what `ids` name. */
  exportSetup = ({ ids }: { ids: readonly string[] }): Promise<Result<string>> =>
    answer(async () => serializeSetup(await exportSetup(this.deps, ids)));

  /** What importing `text` would do here (or on `host`). Writes nothing. */
  planSetup = async ({
    text,
    host,
  }: {
    text: string;
    host?: string | undefined;
  }): Promise<Result<SetupPlan>> => {
    const s = this.#on(host);
    if (!s.ok) return s;
    return answer(async () => (await surveySetup(s.value.deps, parseSetup(text))).plan);
  };

  importSetup = async ({
    text,
    replace,
    host,
  }: {
    text: string;
    replace: boolean;
    host?: string | undefined;
  }): Promise<Result<SetupOutcome>> => {
    const s = this.#on(host);
    if (!s.ok) return s;
    return answer(() =>
      importSetup(s.value.deps, parseSetup(text), {
        replace,
        ...(this.hook ? { hook: this.hook } : {}),
      }),
    );
  };

  undoSetup = async ({
    token,
    host,
  }: {
    token: string;
    host?: string | undefined;
  }): Promise<Result<null>> => {
    const s = this.#on(host);
    if (!s.ok) return s;
    return answer(async () => {
      await undoSetup(s.value.deps, token);
      return null;
    });
  };
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
