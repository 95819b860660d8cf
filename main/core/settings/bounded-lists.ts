// Lists of records kept per key under one settings key, bounded the same way everywhere (crash
// history, timer runs): bad records dropped, each list oldest first and cut to its newest
// `perKey`, at most `maxKeys` keys kept, the ones with the newest last record.

export type ListMap<T> = Record<string, T[]>;

/** Whatever is stored, as valid bounded lists; `stamp` is a record's sortable (ISO) time. */
export function normaliseLists<T>(
  raw: unknown,
  isValid: (r: unknown) => r is T,
  stamp: (r: T) => string,
  perKey: number,
  maxKeys: number,
): ListMap<T> {
  const out: ListMap<T> = {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return out;
  const rows = Object.entries(raw as Record<string, unknown>)
    .map(([key, list]) => [key, Array.isArray(list) ? list.filter(isValid) : []] as const)
    .filter(([, list]) => list.length > 0)
    .map(
      ([key, list]) =>
        [key, [...list].sort((a, b) => stamp(a).localeCompare(stamp(b))).slice(-perKey)] as const,
    )
    .sort(([, a], [, b]) => latest(b, stamp).localeCompare(latest(a, stamp)))
    .slice(0, maxKeys);
  for (const [key, list] of rows) out[key] = list;
  return out;
}

function latest<T>(list: readonly T[], stamp: (r: T) => string): string {
  const last = list.at(-1);
  return last === undefined ? '' : stamp(last);
}

/** The map without `key`. */
export function withoutKey<T>(data: ListMap<T>, key: string): ListMap<T> {
  return Object.fromEntries(Object.entries(data).filter(([k]) => k !== key));
}
