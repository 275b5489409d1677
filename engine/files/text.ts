/**
 * Source bytes to text, in one place. Windows tools write C sources as UTF-8 with or without a byte
 * order mark, and sometimes as UTF-16 (Visual Studio's "Unicode" save); all of them must give the
 * same text, so lines and columns are the ones the editor shows (which hides the mark). A file
 * without a mark whose bytes are mostly ASCII in 16-bit units (every other byte zero, which UTF-8
 * C never is) is read as UTF-16 too. Bytes that are not UTF-8 become U+FFFD, as in the editor when
 * it opens the file as UTF-8 (a lone such byte is one character, so the columns after it agree).
 *
 * Line breaks are kept as they are: the positions of every front end count `\r\n` as one break.
 */

export type SourceEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be';

export interface DecodedSource {
  text: string;
  encoding: SourceEncoding;
  /** How the encoding was known: from a byte order mark, or guessed from zero bytes. */
  how: 'bom' | 'guess' | 'default';
}

const utf8 = new TextDecoder('utf-8');
const utf16le = new TextDecoder('utf-16le');

export function decodeSource(bytes: Uint8Array): DecodedSource {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: utf8.decode(bytes.subarray(3)), encoding: 'utf-8-bom', how: 'bom' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { text: utf16le.decode(bytes.subarray(2)), encoding: 'utf-16le', how: 'bom' };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { text: decodeUtf16be(bytes.subarray(2)), encoding: 'utf-16be', how: 'bom' };
  const guess = guessUtf16(bytes);
  if (guess === 'utf-16le') return { text: utf16le.decode(bytes), encoding: guess, how: 'guess' };
  if (guess === 'utf-16be') return { text: decodeUtf16be(bytes), encoding: guess, how: 'guess' };
  return { text: utf8.decode(bytes), encoding: 'utf-8', how: 'default' };
}

/** Byte-swapped, then read as UTF-16LE (a UTF-16BE decoder is not in every runtime's ICU). */
function decodeUtf16be(bytes: Uint8Array): string {
  const swapped = new Uint8Array(bytes.length - (bytes.length % 2));
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    swapped[i] = bytes[i + 1]!;
    swapped[i + 1] = bytes[i]!;
  }
  return utf16le.decode(swapped);
}

/** Bytes looked at for the guess: enough for any source's first lines. */
const SAMPLE = 4096;

/**
 * UTF-16 without a mark: in the first bytes, most units have a zero high byte (ASCII) and almost
 * no unit has a zero low byte. UTF-8 text has no zero bytes at all, so it is never taken for this.
 */
function guessUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const n = Math.min(bytes.length, SAMPLE) & ~1;
  if (n < 4) return undefined;
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) zeroEven++;
    if (bytes[i + 1] === 0) zeroOdd++;
  }
  const units = n / 2;
  if (zeroOdd >= units * 0.6 && zeroEven <= units * 0.05) return 'utf-16le';
  if (zeroEven >= units * 0.6 && zeroOdd <= units * 0.05) return 'utf-16be';
  return undefined;
}

export type LineEnding = '\n' | '\r\n';

/** The line break a text uses: that of its first line (`\n` for a text of one line). */
export function lineEndingOf(text: string): LineEnding {
  const i = text.indexOf('\n');
  return i > 0 && text.charCodeAt(i - 1) === 13 ? '\r\n' : '\n';
}

/** Text to insert into a document, its line breaks made the document's own. */
export function withLineEnding(insert: string, eol: LineEnding): string {
  return insert.replace(/\r?\n/g, eol);
}
