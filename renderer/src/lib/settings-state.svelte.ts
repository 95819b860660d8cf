// Settings as the renderer sees them (pinned entries, theme), kept live through onSettings.
import type { DaemonDeckApi, Result, Settings } from '../../../preload/contract.js';

export class SettingsState {
  #settings = $state.raw<Settings>({ pinned: [], theme: 'system' });
  readonly #api: DaemonDeckApi;
  readonly #onChange: (settings: Settings) => void;

  constructor(api: DaemonDeckApi, onChange: (settings: Settings) => void = () => {}) {
    this.#api = api;
    this.#onChange = onChange;
  }

  get theme(): Settings['theme'] {
    return this.#settings.theme;
  }

  isPinned(id: string): boolean {
    return this.#settings.pinned.includes(id);
  }

  get pinnedCount(): number {
    return this.#settings.pinned.length;
  }

  #accept(next: Settings): void {
    this.#settings = next;
    this.#onChange(next);
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
