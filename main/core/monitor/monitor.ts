// The monitor: merges every source into one Snapshot plus change events, and routes actions on
// entries to the source that owns them. Sources today: systemd user units.
import type { ActionOutcome, EntryAction, Result, Snapshot, UnitDetail } from '../model/domain.js';

export interface Monitor {
  start(): Promise<void>;
  stop(): Promise<void>;
  snapshot(): Snapshot;
  /** Called with every new snapshot; returns an unsubscribe function. */
  onSnapshot(listener: (snapshot: Snapshot) => void): () => void;
  act(id: string, action: EntryAction): Promise<Result<ActionOutcome>>;
  unitDetail(id: string): Promise<Result<UnitDetail>>;
}
