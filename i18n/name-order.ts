// Names in the user's order (the platform's collator), without paying for the collator where the
// answer is already known: the one name order of the core (the CLI's list, the monitor) and the
// renderer. Building an Intl.Collator costs 15-20 ms in a fresh renderer (ICU loads its collation
// data), on the panel's first-paint path when it was made as its module loaded, and 5-10 ms in the
// CLI before `daemon-deck list` can print (issue 16). It is made on first need, and names of
// printable ASCII seldom need it: see asciiOrder. Node has `navigator.language` too (21+).

let collator: Intl.Collator | null = null;

/** The collator's order of two names (`localeCompare`'s, with one collator for every call). */
export function byName(a: string, b: string): number {
  collator ??= new Intl.Collator(undefined);
  return collator.compare(a, b);
}

/**
 * Printable ASCII in the root collation's (CLDR's) order of primary weights: space, punctuation,
 * symbols, digits, then the letters, each letter's two cases one primary weight (they differ only
 * at the third level). test/unit/name-order.test.ts checks it against the platform's collator.
 */
const ROOT_ORDER = ' _-,;:!?.\'"()[]{}@*/\\&#%`^+<=>|~$0123456789abcdefghijklmnopqrstuvwxyz';
const RANK = new Int8Array(128).fill(-1);
for (let i = 0; i < ROOT_ORDER.length; i++) {
  const c = ROOT_ORDER.charCodeAt(i);
  RANK[c] = i;
  if (c >= 97 && c <= 122) RANK[c - 32] = i;
}

/**
 * Languages whose collation orders printable ASCII as the root collation does: no tailoring of
 * the Latin letters (as Czech "ch", Danish "aa" or Lithuanian "y" have). The app's own languages,
 * and `und`, the root collation itself: Node's default locale where ICU names none (this
 * machine's Node, whatever LANG says), where a collator took 15-45 ms to make before `list` printed.
 */
const UNTAILORED = /^(en|ko|und)\b/i;

let defaultLocale: string | null = null;

function locale(): string {
  defaultLocale ??= (globalThis as { navigator?: { language?: string } }).navigator?.language ?? '';
  return defaultLocale;
}

function rank(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c < 128 ? RANK[c]! : -1;
}

/**
 * The sign of byName(a, b), worked out without a collator where the names are printable ASCII
 * and differ at the first level (not in case alone); null when it takes the collator to tell.
 * `tag` is the collator's locale (the default locale's).
 */
export function asciiOrder(a: string, b: string, tag = locale()): number | null {
  if (a === b) return 0;
  if (!UNTAILORED.test(tag)) return null;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ra = rank(a, i);
    const rb = rank(b, i);
    if (ra < 0 || rb < 0) return null;
    if (ra !== rb) return ra < rb ? -1 : 1;
  }
  // One is the other's first part (but for case): the shorter first, when the rest is plain too.
  const longer = a.length > b.length ? a : b;
  for (let i = n; i < longer.length; i++) if (rank(longer, i) < 0) return null;
  return a.length === b.length ? null : a.length < b.length ? -1 : 1;
}

/** byName, through asciiOrder when it can tell. */
export function byNameQuick(a: string, b: string): number {
  return asciiOrder(a, b) ?? byName(a, b);
}
