// A source of entries (systemd units, watched processes, sessions, @reboot lines, autostart
// files). The monitor merges every source into one snapshot and routes actions by id prefix.
import type {
  ActionOutcome,
  Entry,
  EntryAction,
  Result,
  SourceName,
  SourceStatus,
} from '../model/domain.js';

export interface EntrySource {
  readonly name: SourceName;
  /** Entry-id prefixes this source owns, e.g. `process:`. */
  readonly prefixes: readonly string[];
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves when the source's first (or current) load is done. */
  settled(): Promise<void>;
  entries(): Entry[];
  status(): SourceStatus;
  /** Called whenever entries or status may have changed; returns an unsubscribe function. */
  onChange(listener: () => void): () => void;
  act(id: string, action: EntryAction): Promise<Result<ActionOutcome>>;
}
