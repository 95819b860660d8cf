// The "Watch a process" form: a pgrep-style rule (pattern, -f, -x) with what it selects right now
// (asked again as the user types, and every few seconds), an optional start command split by the
// core, and the created rule with Undo. The core checks the pattern (POSIX ERE) and the rule.
import type { ProcessRow, WatchRule } from '../../../contract/index.js';
import type { DaemonDeckApi, Result } from '../../../contract/index.js';
import { FormChecks, required, watchClash } from '../components/form-checks.svelte';
import { call } from '../lib/call';
import { Poller } from '../lib/poller';
import { Task } from '../lib/task.svelte';
import { UndoOffer } from '../lib/undo-offer.svelte';
import { ruleQuery } from '../processes/process-view';

const DEBOUNCE_MS = 250;

export class WatchFormState {
  name = $state('');
  pattern = $state('');
  full = $state(false);
  exact = $state(false);
  startLine = $state('');
  cwd = $state('');
  log = $state('');

  #matches = $state.raw<ProcessRow[] | null>(null);
  #patternError = $state<string | null>(null);
  #matching = $state(false);
  #startArgv = $state.raw<string[] | null>(null);
  #startError = $state<string | null>(null);

  /** Adding the rule: busy, and why it was not added. */
  readonly adding = new Task();
  #created = $state.raw<WatchRule | null>(null);
  /** Undo of the add: removes the rule again. */
  readonly undo = new UndoOffer();
  /** When mistakes show: a taken name at once, the rest from the first submit on. */
  readonly checks = new FormChecks();
  #rules = $state.raw<string[]>([]);

  readonly #api: DaemonDeckApi;
  readonly #poller: Poller;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #startTimer: ReturnType<typeof setTimeout> | undefined;
  #seq = 0;
  #startSeq = 0;

  constructor(api: DaemonDeckApi) {
    this.#api = api;
    this.#poller = new Poller(() => this.#match(), 2000);
  }

  /** What the pattern selects now; null before the first answer or without a pattern. */
  get matches(): ProcessRow[] | null {
    return this.#matches;
  }
  /** Why the pattern is not a valid POSIX extended regular expression, in the core's words. */
  get patternError(): string | null {
    return this.#patternError;
  }
  get matching(): boolean {
    return this.#matching;
  }
  get startArgv(): string[] | null {
    return this.#startArgv;
  }
  get startError(): string | null {
    return this.#startError;
  }
  get created(): WatchRule | null {
    return this.#created;
  }

  /** The name's problems as they should show now. */
  get nameIssues(): string[] {
    return this.checks.shown([required(this.name, 'name')], [watchClash(this.name, this.#rules)]);
  }
  get patternIssues(): string[] {
    return this.checks.shown([required(this.pattern, 'pattern'), this.#patternError]);
  }
  get startIssues(): string[] {
    return this.checks.shown([this.#startError]);
  }

  /** Reads the rules there are (for the name clash). */
  async loadRules(): Promise<void> {
    const r = await call(() => this.#api.listWatchRules());
    if (r.ok) this.#rules = r.value.map((rule) => rule.name);
  }

  start(): () => void {
    void this.loadRules();
    this.#poller.start();
    return () => {
      this.#poller.stop();
      clearTimeout(this.#timer);
      clearTimeout(this.#startTimer);
    };
  }

  /** The pattern or its options changed: ask what it selects shortly. */
  patternChanged(): void {
    this.#matching = true;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#match(), DEBOUNCE_MS);
  }

  async #match(): Promise<void> {
    const pattern = this.pattern;
    const seq = ++this.#seq;
    if (pattern === '') {
      this.#matches = null;
      this.#patternError = null;
      this.#matching = false;
      return;
    }
    const r = await call(() =>
      this.#api.listProcesses(ruleQuery({ pattern, full: this.full, exact: this.exact })),
    );
    if (seq !== this.#seq) return;
    this.#matching = false;
    if (r.ok) {
      this.#matches = r.value;
      this.#patternError = null;
    } else {
      this.#matches = null;
      this.#patternError = r.error.message;
    }
  }

  startChanged(): void {
    clearTimeout(this.#startTimer);
    this.#startTimer = setTimeout(() => void this.#split(), DEBOUNCE_MS);
  }

  async #split(): Promise<void> {
    const line = this.startLine.trim();
    const seq = ++this.#startSeq;
    if (line === '') {
      this.#startArgv = null;
      this.#startError = null;
      return;
    }
    const r = await call(() => this.#api.splitCommand(line));
    if (seq !== this.#startSeq) return;
    this.#startArgv = r.ok ? r.value.argv : null;
    this.#startError = r.ok ? null : r.error.message;
  }

  async create(within?: ParentNode | null): Promise<boolean> {
    clearTimeout(this.#startTimer);
    clearTimeout(this.#timer);
    await Promise.all([this.#split(), this.#match(), this.loadRules()]);
    const clean =
      required(this.name, 'name') === null &&
      watchClash(this.name, this.#rules) === null &&
      required(this.pattern, 'pattern') === null &&
      this.#patternError === null &&
      this.#startError === null;
    if (!(await this.checks.submit(clean, within))) return false;
    const r = await this.adding.run(() => this.#add());
    if (!r?.ok) return false;
    this.#created = r.value;
    this.undo.reset();
    return true;
  }

  async #add(): Promise<Result<WatchRule>> {
    clearTimeout(this.#startTimer);
    await this.#split();
    if (this.#startError !== null) {
      return { ok: false, error: { code: 'invalid-input', message: this.#startError } };
    }
    const rule: WatchRule = {
      name: this.name.trim(),
      pattern: this.pattern,
      full: this.full,
      exact: this.exact,
      start: this.#startArgv,
      cwd: this.cwd.trim() === '' ? null : this.cwd.trim(),
      log: this.log.trim() === '' ? null : this.log.trim(),
    };
    return this.#api.addWatchRule(rule);
  }

  async undoCreate(): Promise<void> {
    const rule = this.#created;
    if (rule !== null) await this.undo.undo(() => this.#api.removeWatchRule(rule.name));
  }

  /** A new rule: keep the pattern typed so far, clear the outcome. */
  another(): void {
    this.#created = null;
    this.undo.reset();
    this.name = '';
    this.checks.reset();
    void this.loadRules();
  }
}
