// Focus within a panel row's list, shared by this computer's groups and the far hosts' groups.
import { tick } from 'svelte';

/** Once the row's question is drawn, focuses its last button (the safe answer, Cancel). */
export function focusAsk(row: () => HTMLElement | null | undefined): void {
  void tick().then(() =>
    row()?.querySelector<HTMLElement>('[role="alertdialog"] button:last-of-type')?.focus(),
  );
}
