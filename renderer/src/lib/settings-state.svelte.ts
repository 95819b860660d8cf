// Settings as the renderer sees them (pinned entries, theme, poll interval, alerts), kept live
// through onSettings.
import type { DaemonDeckApi, Result, Settings, SettingsPatch } from '../../../contract/index.js';

/** What a page shows until the first answer (main's defaults, settings-schema.ts). */
const LOADING: Settings = {
  pinned: [],
  theme: 'system',
  language: 'system',
  ignoredStrays: [],
  pollIntervalMs: 2000,
  alerts: { paused: false, mutes: {}, notifyOnAutoRestart: true, logLines: 3 },
  logWarnBytes: 100 * 1024 * 1024,
};

export class SettingsState {
  #settings = $state.raw<Settings>(LOADING);
  #loaded = $state(false);
  readonly #api: DaemonDeckApi;
  readonly #onChange: (settings: Settings) => void;

  constructor(api: DaemonDeckApi, onChange: (settings: Settings) => void = () => {}) {
    this.#api = api;
    this.#onChange = onChange;
  }

  get theme(): Settings['theme'] {
    return this.#settings.theme;
  }

  /** Everything, as main last said. */
  get current(): Settings {
    return this.#settings;
  }

  get loaded(): boolean {
    return this.#loaded;
  }

  get alertsPaused(): boolean {
    return this.#settings.alerts.paused;
  }

  /** Whether `id`'s alerts are muted at `now`. */
  isMuted(id: string, now: number): boolean {
    const until = this.#settings.alerts.mutes[id];
    if (until === undefined) return false;
    return until === null || Date.parse(until) > now;
  }

  isPinned(id: string): boolean {
    return this.#settings.pinned.includes(id);
  }

  get pinnedCount(): number {
    return this.#settings.pinned.length;
  }

  #accept(next: Settings): void {
    this.#settings = next;
    this.#loaded = true;
    this.#onChange(next);
  }

  async update(patch: SettingsPatch): Promise<Result<Settings>> {
    const result = await this.#api.updateSettings(patch);
    if (result.ok) this.#accept(result.value);
    return result;
  }

  async setPinned(id: string, pinned: boolean): Promise<Result<Settings>> {
    const result = await this.#api.setPinned(id, pinned);
    if (result.ok) this.#accept(result.value);
    return result;
  }

  start(): () => void {
    const unsubscribe = this.#api.onSettings((s) => this.#accept(s));
    this.#api.getSettings().then(
      (s) => this.#accept(s),
      (err: unknown) => console.error('Could not read settings', err),
    );
    return unsubscribe;
  }
}
