// Strays as the page shows them: identical ones (the same command line) in one card, oldest
// first, and the ones the user said to leave alone (the `ignoredStrays` setting, by command line)
// apart. Pure: no DOM, no API; the panel's footer count (the core's strayCount) uses the same rule.

export interface StrayLike {
  pid: number;
  command: string;
  startedAt: string;
  /** The far host it runs on; absent, this machine. */
  host?: string;
}

export interface StrayGroup<T extends StrayLike> {
  /** The group's key: the host and the command line. */
  key: string;
  /** The command line they share: what Ignore keeps. */
  command: string;
  /** The far host they run on; absent, this machine. */
  host?: string;
  /** Oldest first; the first is the one the card shows. */
  strays: T[];
}

/**
 * Groups strays by host and command line (the same command on two machines is two groups: each
 * is stopped or adopted where it runs), the groups in the order of their oldest member.
 */
export function groupStrays<T extends StrayLike>(strays: readonly T[]): Array<StrayGroup<T>> {
  const byKey = new Map<string, T[]>();
  const sorted = [...strays].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  for (const s of sorted) {
    const key = `${s.host ?? ''}\0${s.command}`;
    const list = byKey.get(key);
    if (list) list.push(s);
    else byKey.set(key, [s]);
  }
  return [...byKey].map(([key, list]) => {
    const { command, host } = list[0]!;
    return { key, command, ...(host !== undefined ? { host } : {}), strays: list };
  });
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
