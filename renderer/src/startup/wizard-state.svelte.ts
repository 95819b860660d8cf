// The "Start automatically" wizard's state: which command, how it starts now, the chosen way,
// the setup in flight and its outcome with Undo. Every fact comes from the core; this class only
// sequences the calls and keeps their results for the page.
import type { AppError, DaemonDeckApi, Result } from '../../../contract/index.js';
import type {
  CronState,
  HowItStarts,
  LingerState,
  StartMechanism,
  StartupNotice,
  StartupSetupResult,
} from '../../../contract/index.js';
import type { StarterRef } from '../../../contract/index.js';
import { t } from '../../../i18n/index.js';
import { FormChecks, required, takenUnits, unitClash } from '../components/form-checks.svelte';
import { call } from '../lib/call';
import { autostartFile, defaultName, fileSlug, uniqueNotices } from './startup-view';

export interface SetupOutcome {
  result: StartupSetupResult;
  /** What the user must know about the new entry (cron not running, no DISPLAY...). */
  notices: StartupNotice[];
  linger: boolean;
  undo: 'available' | 'running' | 'done';
  undoError: AppError | null;
}

export class StartupWizard {
  readonly #api: DaemonDeckApi;
  readonly id: string | null;

  #argv = $state.raw<string[] | null>(null);
  #how = $state.raw<HowItStarts | null>(null);
  #loading = $state(false);
  #loadError = $state.raw<AppError | null>(null);
  #cron = $state.raw<CronState | null>(null);
  #linger = $state.raw<LingerState | null>(null);

  choice = $state<StartMechanism>('systemd');
  name = $state('');
  log = $state('');
  keepAfterLogout = $state(false);

  /** When mistakes show (the command and the name): on Check/Set up, then as you type. */
  readonly checks = new FormChecks();
  #takenUnits = $state.raw<string[]>([]);
  #takenAutostart = $state.raw<string[]>([]);

  #setupBusy = $state<StartMechanism | null>(null);
  #setupError = $state.raw<AppError | null>(null);
  #outcome = $state<SetupOutcome | null>(null);

  constructor(api: DaemonDeckApi, id: string | null) {
    this.#api = api;
    this.id = id;
  }

  get argv(): string[] | null {
    return this.#argv;
  }
  get how(): HowItStarts | null {
    return this.#how;
  }
  get loading(): boolean {
    return this.#loading;
  }
  get loadError(): AppError | null {
    return this.#loadError;
  }
  get linger(): LingerState | null {
    return this.#linger;
  }
  get setupBusy(): StartMechanism | null {
    return this.#setupBusy;
  }
  get setupError(): AppError | null {
    return this.#setupError;
  }
  get outcome(): SetupOutcome | null {
    return this.#outcome;
  }

  /** Starters of this command by another way than the chosen one: setting up here moves it. */
  get others(): StarterRef[] {
    return (this.#how?.via ?? []).filter((v) => v.mechanism !== this.choice);
  }

  /** Starters of this command by the chosen way: setting it up again would start it twice. */
  get sameWay(): StarterRef[] {
    return (this.#how?.via ?? []).filter((v) => v.mechanism === this.choice);
  }

  /** The name's problems: a unit or autostart file of that name exists already. */
  get nameIssues(): string[] {
    if (this.choice === 'cron') return [];
    const slug = fileSlug(this.name.trim() || defaultName(this.#argv ?? [], this.id));
    const clash =
      this.choice === 'systemd'
        ? unitClash([`${slug}.service`], this.#takenUnits)
        : this.#takenAutostart.includes(`${slug}.desktop`)
          ? t('startup:wizard.autostartTaken', { file: `${slug}.desktop` })
          : null;
    return this.checks.shown([], [clash]);
  }

  /** Why the typed command cannot be looked up, under the field. */
  commandIssues(line: string): string[] {
    return this.checks.shown([required(line, 'command'), this.#loadError?.message]);
  }

  /** Reads the unit and autostart names there are (for the name clash). */
  async loadTaken(): Promise<void> {
    try {
      const snap = await this.#api.getSnapshot();
      this.#takenUnits = takenUnits(snap.entries.map((e) => e.id));
    } catch {
      // Without the list the clash shows when the setup is refused instead.
    }
    const auto = await call(() => this.#api.listAutostart());
    if (auto.ok) this.#takenAutostart = auto.value.items.map((i) => i.file);
  }

  /** What the user must know before choosing the way now selected. */
  get choiceNotices(): StartupNotice[] {
    const notices: StartupNotice[] = [];
    const program = this.#argv?.[0];
    if (program !== undefined && !program.startsWith('/'))
      notices.push({
        code: 'relative-path',
        severity: 'warning',
        message: t('startup:wizard.relativePath', { program }),
      });
    const existing = this.sameWay.map((v) => v.detail);
    if (existing.length > 0)
      notices.push({
        code: 'duplicate',
        severity: 'warning',
        message: t('startup:wizard.sameWay', { starters: existing.join('; ') }),
      });
    if (this.choice === 'cron' && this.#cron !== null) notices.push(...this.#cron.notices);
    return uniqueNotices(notices);
  }

  dismissSetupError(): void {
    this.#setupError = null;
  }

  /** Loads what the page needs beside the command: cron's health and linger. */
  async start(): Promise<void> {
    const [cron, linger] = await Promise.all([
      call(() => this.#api.listCron()),
      call(() => this.#api.getLinger()),
      this.loadTaken(),
    ]);
    if (cron.ok) this.#cron = cron.value;
    if (linger.ok) {
      this.#linger = linger.value;
      this.keepAfterLogout = linger.value.lingering;
    }
    if (this.id !== null) await this.#loadEntry(this.id);
  }

  async #loadEntry(id: string): Promise<void> {
    this.#loading = true;
    this.#loadError = null;
    try {
      let how: Result<HowItStarts>;
      if (id.startsWith('process:')) {
        // A watch rule is not a starter itself: its start command is what would be started.
        const rules = await call(() => this.#api.listWatchRules());
        if (!rules.ok) return void (this.#loadError = rules.error);
        const rule = rules.value.find((r) => `process:${r.name}` === id);
        if (rule?.start == null) {
          this.#loadError = {
            code: 'invalid-input',
            message: t('startup:wizard.noStartCommand', { name: id.slice('process:'.length) }),
          };
          return;
        }
        const argv = rule.start;
        how = await call(() => this.#api.howItStarts({ argv }));
      } else {
        how = await call(() => this.#api.howItStarts({ id }));
        if (!how.ok && !/^(cron|autostart|systemd):/.test(id)) {
          // Sessions and the like start nothing at login themselves: ask for the command.
          this.#loadError = {
            ...how.error,
            message: t('startup:wizard.unknownCommand', { id }),
          };
          return;
        }
      }
      if (!how.ok) return void (this.#loadError = how.error);
      this.#accept(how.value);
    } finally {
      this.#loading = false;
    }
  }

  /** A typed command line: split (and the program found on PATH) by the core, then looked up. */
  async check(line: string, within?: ParentNode | null): Promise<void> {
    if (!(await this.checks.submit(line.trim() !== '', within))) return;
    this.#loading = true;
    this.#loadError = null;
    try {
      void this.loadTaken();
      const split = await call(() => this.#api.splitCommand(line));
      if (!split.ok) {
        this.#loadError = split.error;
        await this.checks.submit(false, within);
        return;
      }
      const argv = split.value.argv;
      const how = await call(() => this.#api.howItStarts({ argv }));
      if (!how.ok) return void (this.#loadError = how.error);
      this.#accept(how.value);
    } finally {
      this.#loading = false;
    }
  }

  #accept(how: HowItStarts): void {
    const sameCommand = this.#argv !== null && this.#argv.join('\0') === how.argv.join('\0');
    this.#argv = how.argv;
    this.#how = how;
    if (!sameCommand) {
      this.name = defaultName(how.argv, this.id);
      this.#outcome = null;
      this.#setupError = null;
    }
  }

  async setup(): Promise<void> {
    const argv = this.#argv;
    if (argv === null || this.#setupBusy !== null) return;
    const mechanism = this.choice;
    const move = this.others.length > 0;
    if (!(await this.checks.submit(this.nameIssues.length === 0))) return;
    this.#setupBusy = mechanism;
    this.#setupError = null;
    this.#outcome = null;
    try {
      const name = this.name.trim();
      const log = this.log.trim();
      const linger = mechanism === 'systemd' && this.keepAfterLogout;
      const result = await call(() =>
        this.#api.setupStartup({
          mechanism,
          argv,
          ...(name !== '' && mechanism !== 'cron' ? { name } : {}),
          ...(log !== '' && mechanism === 'cron' ? { log } : {}),
          ...(linger && this.#linger?.lingering !== true ? { linger: true } : {}),
          ...(move ? { move: true } : {}),
        }),
      );
      if (!result.ok) return void (this.#setupError = result.error);
      this.#how = result.value.how;
      void this.loadTaken();
      const notices = await this.#noticesFor(result.value);
      if (linger) {
        const l = await call(() => this.#api.getLinger());
        if (l.ok) this.#linger = l.value;
      }
      this.#outcome = { result: result.value, notices, linger, undo: 'available', undoError: null };
    } finally {
      this.#setupBusy = null;
    }
  }

  async #noticesFor(result: StartupSetupResult): Promise<StartupNotice[]> {
    switch (result.mechanism) {
      case 'cron': {
        const state = await call(() => this.#api.listCron());
        if (!state.ok) return [];
        this.#cron = state.value;
        const job = state.value.jobs.find((j) => j.id === result.id);
        return uniqueNotices(state.value.notices, job?.notices ?? []);
      }
      case 'xdg-autostart': {
        const state = await call(() => this.#api.listAutostart());
        if (!state.ok) return [];
        return uniqueNotices(state.value.items.find((i) => i.id === result.id)?.notices ?? []);
      }
      case 'systemd':
        return [];
    }
  }

  /** Takes back the last setup by the means its way offers. */
  async undo(): Promise<void> {
    const outcome = this.#outcome;
    if (outcome === null || outcome.undo !== 'available') return;
    outcome.undo = 'running';
    outcome.undoError = null;
    const { id, mechanism } = outcome.result;
    let done: Result<unknown>;
    switch (mechanism) {
      case 'cron':
        done = await call(() => this.#api.undoCron());
        break;
      case 'xdg-autostart': {
        const file = autostartFile(id);
        done =
          file === null
            ? { ok: false, error: { code: 'internal', message: t('startup:wizard.notAutostart') } }
            : await call(() => this.#api.removeAutostart(file));
        break;
      }
      case 'systemd': {
        // The API has no removal for a unit startup:setup wrote: stop it and take it off login.
        done = await call(() => this.#api.act(id, 'disable'));
        if (done.ok) done = await call(() => this.#api.act(id, 'stop'));
        break;
      }
    }
    // A move is taken back whole: the starters it turned off are turned on again.
    for (const old of done.ok ? outcome.result.moved : []) {
      const on = await call(() => this.#api.act(old.id, 'enable'));
      if (!on.ok) done = on;
    }
    if (!done.ok) {
      outcome.undo = 'available';
      outcome.undoError = done.error;
      return;
    }
    outcome.undo = 'done';
    void this.loadTaken();
    const argv = this.#argv;
    if (argv !== null) {
      const how = await call(() => this.#api.howItStarts({ argv }));
      if (how.ok) this.#how = how.value;
    }
    if (mechanism === 'cron') {
      const state = await call(() => this.#api.listCron());
      if (state.ok) this.#cron = state.value;
    }
  }
}
