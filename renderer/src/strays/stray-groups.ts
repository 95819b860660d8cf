// Strays as the page shows them: identical ones (the same command line) in one card, oldest
// first, and the ones the user said to leave alone (the `ignoredStrays` setting, by command line)
// apart. Pure: no DOM, no API; the panel's footer count (the core's strayCount) uses the same rule.

export interface StrayLike {
  pid: number;
  command: string;
  startedAt: string;
}

export interface StrayGroup<T extends StrayLike> {
  /** The command line they share: the group's key and what Ignore keeps. */
  command: string;
  /** Oldest first; the first is the one the card shows. */
  strays: T[];
}

/** Groups strays by command line, the groups in the order of their oldest member. */
export function groupStrays<T extends StrayLike>(strays: readonly T[]): Array<StrayGroup<T>> {
  const byCommand = new Map<string, T[]>();
  const sorted = [...strays].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  for (const s of sorted) {
    const list = byCommand.get(s.command);
    if (list) list.push(s);
    else byCommand.set(s.command, [s]);
  }
  return [...byCommand].map(([command, list]) => ({ command, strays: list }));
}

/** The strays the user has not said to ignore. */
export function unignored<T extends { command: string }>(
  strays: readonly T[],
  ignored: readonly string[],
): T[] {
  const set = new Set(ignored);
  return strays.filter((s) => !set.has(s.command));
}

/** The ignore list with `command` added (once) or taken out. */
export function withIgnored(ignored: readonly string[], command: string, on: boolean): string[] {
  const rest = ignored.filter((c) => c !== command);
  return on ? [...rest, command] : rest;
}
