import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeLossless, encodeLossless } from '../../main/core/lossless-text.js';

describe('lossless text: bytes that may not be UTF-8 as a string', () => {
  it('gives back every byte of any input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(encodeLossless(decodeLossless(bytes)).equals(Buffer.from(bytes))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('decodes well-formed UTF-8 exactly as UTF-8, and encodes such text as UTF-8', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 100 }), (text) => {
        const utf8 = Buffer.from(text, 'utf8');
        expect(decodeLossless(utf8)).toBe(text);
        expect(encodeLossless(text).equals(utf8)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps Latin-1, NULs, overlongs, surrogates and truncated sequences byte for byte', () => {
    const cases = [
      Buffer.from('# caf\xe9 cr\xe8me\n', 'latin1'),
      Buffer.of(0x41, 0x00, 0x42, 0xff, 0xfe),
      Buffer.of(0xc0, 0xaf), // overlong '/'
      Buffer.of(0xed, 0xa0, 0x80), // an encoded UTF-16 surrogate
      Buffer.of(0xf4, 0x90, 0x80, 0x80), // above U+10FFFF
      Buffer.of(0xe2, 0x82), // truncated euro sign
      Buffer.concat([Buffer.from('\u{10080}'), Buffer.of(0xff)]), // astral char then a bad byte
    ];
    for (const bytes of cases) {
      const text = decodeLossless(bytes);
      expect(encodeLossless(text).equals(bytes)).toBe(true);
      // JSON (backups, IPC, the CLI's --json) keeps the escapes.
      const back = JSON.parse(JSON.stringify(text)) as string;
      expect(encodeLossless(back).equals(bytes)).toBe(true);
    }
    expect(decodeLossless(Buffer.from('caf\xe9', 'latin1'))).toBe('caf\udce9');
    expect(decodeLossless(Buffer.from('café'))).toBe('café');
  });
});
