// The setup area on one object, for the IPC channels and the CLI: export the setup file's text,
// plan an import of a text, import it, undo an import. Errors are data (Result).
import type { OpsOf } from '../../../contract/channel.js';
import type { setupChannels } from '../../../contract/areas/setup.js';
import type { Result } from '../model/domain.js';
import type { SetupOutcome, SetupPlan } from '../model/setup.js';
import { appError, ok, toAppError } from '../errors.js';
import { t } from '../../../i18n/index.js';
import type { StepHook } from '../systemd/transaction.js';
import type { AuthoringDeps } from '../systemd/unit-authoring.js';
import { AuthoringService } from '../systemd/authoring-service.js';
import { CrontabStore } from '../cron/crontab-store.js';
import type { Host } from '../host/host.js';
import { changeFarRules, farRules } from '../host/far-rules.js';
import { exportSetup, serializeSetup, type SetupDeps, type SetupRules } from './export.js';
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
export type FarSetupDeps = (host: string) => Promise<Result<SetupDeps>>;

type OnHost = { host?: string | undefined };

/** The setup channels' ops (contract/areas/setup.ts), so the API table maps them as they are. */
export class SetupService implements OpsOf<typeof setupChannels> {
  constructor(
    private readonly deps: SetupDeps,
    private readonly hook?: StepHook,
    /** Far hosts (issue 17, "Copy to host..."); absent, a request naming a host is refused. */
    private readonly far?: FarSetupDeps,
  ) {}

  /**
   * `fn` over the deps of the host a request names: this one's when none is named (unchanged),
   * else deps over that host's connection (the CLI's --host does the same). Errors are data.
   */
  async #on<T>(host: string | undefined, fn: (deps: SetupDeps) => Promise<T>): Promise<Result<T>> {
    if (host === undefined) return answer(() => fn(this.deps));
    const deps: Result<SetupDeps> =
      this.far === undefined
        ? { ok: false, error: appError('unsupported', t('setup:errors.noFarHosts')) }
        : await this.far(host);
    return deps.ok ? answer(() => fn(deps.value)) : deps;
  }

  /** The setup file's text: everything the user made, or what `ids` name. */
  exportSetup = ({ ids }: { ids: readonly string[] }): Promise<Result<string>> =>
    answer(async () => serializeSetup(await exportSetup(this.deps, ids)));

  /** What importing `text` would do here (or on `host`). Writes nothing. */
  planSetup = (p: OnHost & { text: string }): Promise<Result<SetupPlan>> =>
    this.#on(p.host, async (deps) => (await surveySetup(deps, parseSetup(p.text))).plan);

  /** Imports `text` here (or on `host`) as one transaction. */
  importSetup = (p: OnHost & { text: string; replace: boolean }): Promise<Result<SetupOutcome>> =>
    this.#on(p.host, (deps) =>
      importSetup(deps, parseSetup(p.text), {
        replace: p.replace,
        ...(this.hook ? { hook: this.hook } : {}),
      }),
    );

  /** Undoes an import made here (or on `host`, the token's host). */
  undoSetup = (p: OnHost & { token: string }): Promise<Result<null>> =>
    this.#on(p.host, async (deps) => {
      await undoSetup(deps, p.token);
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

/**
 * The setup area's deps over one host's own systemd (its bus and units): its files, unit
 * authoring and crontab(1) through `host`. The watch rules are, unless `rules` are given, those
 * of the host user's own settings.json (far-rules.ts), read now and changed there under that
 * file's lock: what the app's "Copy to host..." and the CLI's --host both use. Given `rules`
 * (the CLI's read-only deps of this machine) are used as they are.
 */
export async function setupDepsOver(
  host: Host,
  systemd: Pick<AuthoringDeps, 'bus' | 'units'>,
  options: { crontab?: readonly string[]; rules?: SetupRules } = {},
): Promise<SetupDeps> {
  const deps = setupDeps({
    host,
    units: systemd.units,
    authoring: new AuthoringService({
      bus: systemd.bus,
      units: systemd.units,
      env: host.env,
      host,
    }),
    cron: {
      store: new CrontabStore({
        host,
        ...(options.crontab !== undefined ? { crontab: options.crontab } : {}),
      }),
    },
    rules: options.rules ?? (await farRules(host)),
  });
  return options.rules !== undefined
    ? deps
    : { ...deps, changeRules: (fn) => changeFarRules(host, fn) };
}
