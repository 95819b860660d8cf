// Bytes that may not be UTF-8, as a JS string that gives back every byte.
//
// Files the app edits but does not own (the crontab) can hold bytes that are not UTF-8: Latin-1
// comments, binary junk. Decoding them as UTF-8 turns each bad byte into U+FFFD for good, and
// writing the text back would replace the user's bytes. Instead, every byte that is not part of
// a well-formed UTF-8 sequence becomes the lone surrogate U+DC80..U+DCFF (Python's
// "surrogateescape"), which no well-formed UTF-8 can produce, and encoding turns exactly those
// back into their bytes. Valid text decodes as it always did. Lone surrogates survive
// JSON.stringify/parse (as \udcXX escapes), so backups keep the bytes too.

const ESCAPE_BASE = 0xdc00;

/** Length of the well-formed UTF-8 sequence at `i` (RFC 3629, no overlongs or surrogates), or 0. */
function sequenceLength(b: Uint8Array, i: number): number {
  const c = b[i]!;
  const cont = (k: number) => i + k < b.length && (b[i + k]! & 0xc0) === 0x80;
  if (c < 0x80) return 1;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    if (!cont(1) || !cont(2)) return 0;
    const c1 = b[i + 1]!;
    if (c === 0xe0 && c1 < 0xa0) return 0; // overlong
    if (c === 0xed && c1 >= 0xa0) return 0; // UTF-16 surrogate
    return 3;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    const c1 = b[i + 1]!;
    if (c === 0xf0 && c1 < 0x90) return 0; // overlong
    if (c === 0xf4 && c1 >= 0x90) return 0; // above U+10FFFF
    return 4;
  }
  return 0;
}

/** Decode bytes: UTF-8 where well-formed, each other byte as U+DC80..U+DCFF. */
export function decodeLossless(bytes: Uint8Array): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: string[] = [];
  let start = 0;
  let i = 0;
  while (i < buf.length) {
    const n = sequenceLength(buf, i);
    if (n > 0) {
      i += n;
      continue;
    }
    if (i > start) parts.push(buf.toString('utf8', start, i));
    parts.push(String.fromCharCode(ESCAPE_BASE + buf[i]!));
    i++;
    start = i;
  }
  if (start < buf.length) parts.push(buf.toString('utf8', start));
  return parts.join('');
}

/** Encode a string from decodeLossless (or any string) back to the bytes it stands for. */
export function encodeLossless(text: string): Buffer {
  const chunks: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i);
    if (u < 0xdc80 || u > 0xdcff) continue;
    // A low surrogate after a high one is half of a real character, not an escape.
    const prev = i > 0 ? text.charCodeAt(i - 1) : 0;
    if (prev >= 0xd800 && prev <= 0xdbff) continue;
    if (i > start) chunks.push(Buffer.from(text.slice(start, i), 'utf8'));
    chunks.push(Buffer.of(u - ESCAPE_BASE));
    start = i + 1;
  }
  if (start === 0) return Buffer.from(text, 'utf8');
  if (start < text.length) chunks.push(Buffer.from(text.slice(start), 'utf8'));
  return Buffer.concat(chunks);
}
