// The first snapshot, asked for by a page's entry script before the rest of its scripts load (the
// panel: issue 16), so the answer travels while they load. Plain TypeScript, no Svelte: it has to
// be small. SnapshotState.start(early) takes over from it.
import type { AppInfo, DaemonDeckApi, Settings, Snapshot } from '../../../contract/index.js';

export class EarlySnapshot {
  /** The answer to snapshot:get, asked for at construction. */
  readonly answer: Promise<Snapshot>;
  readonly #unsubscribe: () => void;
  #latest: Snapshot | null = null;
  #listener: ((snapshot: Snapshot) => void) | null = null;

  constructor(api: DaemonDeckApi) {
    // Subscribed first, then asked: an event that races the answer is never lost.
    this.#unsubscribe = api.onSnapshot((s) => {
      if (this.#listener === null) this.#latest = s;
      else this.#listener(s);
    });
    this.answer = api.getSnapshot();
    this.answer.catch(() => {}); // whoever takes over handles the failure
  }

  /** Events go to `listener` from now on, after the latest one seen so far; returns the unsubscribe. */
  follow(listener: (snapshot: Snapshot) => void): () => void {
    this.#listener = listener;
    if (this.#latest !== null) listener(this.#latest);
    this.#latest = null;
    return this.#unsubscribe;
  }
}

/** What a page's language is chosen from (lib/language.ts): app:info and settings:get together. */
export type LanguageAnswers = Promise<[AppInfo, Settings]>;

/** Asks main for what the language is chosen from; the panel's entry asks before the rest loads. */
export function askLanguage(api: DaemonDeckApi): LanguageAnswers {
  const answers = Promise.all([api.getAppInfo(), api.getSettings()]);
  answers.catch(() => {}); // lib/language.ts handles the failure
  return answers;
}
