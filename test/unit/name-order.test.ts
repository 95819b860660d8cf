// Names in the collator's order without the collator (issue 16: the panel's first render made one
// as its module loaded, 15-20 ms in a fresh renderer): asciiOrder must agree with the platform's
// collator wherever it answers, and answer for the names units and processes usually have.
import { describe, expect, it } from 'vitest';
import { asciiOrder, byNameQuick } from '../../i18n/name-order.js';

const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');
const ODD = 'éÅß한\u00a0\u200b\t';

/** A small deterministic generator, so a failure names its case again. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

function word(next: () => number, alphabet: string): string {
  const length = Math.floor(next() * 8);
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(next() * alphabet.length)];
  return out;
}

describe('asciiOrder', () => {
  for (const tag of ['en', 'en-US', 'ko-KR', 'und']) {
    it(`agrees with Intl.Collator('${tag}') wherever it answers`, () => {
      const compare = new Intl.Collator(tag).compare;
      const next = random(7);
      let answered = 0;
      for (let i = 0; i < 20_000; i++) {
        // Mostly close names (a shared start), some with characters only the collator knows.
        const alphabet = i % 10 === 0 ? PRINTABLE + ODD : PRINTABLE;
        const stem = word(next, 'abc-.');
        const a = stem + word(next, alphabet);
        const b = stem + word(next, alphabet);
        const quick = asciiOrder(a, b, tag);
        if (quick === null) continue;
        answered++;
        expect([a, b, quick]).toEqual([a, b, Math.sign(compare(a, b))]);
      }
      expect(answered).toBeGreaterThan(15_000);
    });
  }

  it('answers for usual unit names, and leaves case alone and other characters to the collator', () => {
    expect(asciiOrder('pb-0001.service', 'pb-0002.service', 'en')).toBe(-1);
    expect(asciiOrder('dbus.socket', 'dbus-broker.service', 'en')).toBe(1);
    expect(asciiOrder('app@1.service', 'app_1.service', 'en')).toBe(1);
    expect(asciiOrder('Foo.service', 'foo.service', 'en')).toBeNull();
    expect(asciiOrder('émacs', 'emacs', 'en')).toBeNull();
    expect(asciiOrder('ab', 'abé', 'en')).toBeNull();
    // Locales that order Latin letters their own way (Lithuanian: y right after i) get the collator.
    expect(asciiOrder('y', 'j', 'lt')).toBeNull();
    expect(Math.sign(new Intl.Collator('lt').compare('y', 'j'))).toBe(-1);
  });

  it('byNameQuick sorts as the collator does', () => {
    const names = ['Zeta', 'alpha', 'émile', 'beta-2', 'beta.1', 'Beta', 'beta', '_x', 'x y', 'xy'];
    const collator = new Intl.Collator(undefined).compare;
    expect([...names].sort(byNameQuick)).toEqual([...names].sort(collator));
  });
});
