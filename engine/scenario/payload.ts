/**
 * Bytes written on a scenario line — what a `client` line sends or replies, an `io` control
 * request's `input`, a write's `data` — as parts joined in order, the way a C structure is laid out
 * field by field:
 *
 *   "text"            its ASCII characters, no terminator
 *   wide "text"       UTF-16LE, no terminator
 *   hex "01 00 ff"    bytes as written
 *   uchar N           1 byte          ushort N     2 bytes, little-endian
 *   ulong N           4 bytes         ulonglong N  8 bytes, little-endian
 *   zeros N           N zero bytes (padding, reserved fields)
 *
 * For example a request structure `{ ULONG Command; USHORT Flags; USHORT Pad; WCHAR Name[8]; }`
 * reads `ulong 3 ushort 1 zeros 2 wide "a.txt" zeros 6`.
 */
import { LIMITS, type LineCursor, readInteger, readString } from './cursor';
import type { Token } from './lexer';
import { PAYLOAD_WORDS } from './vocabulary';

/** The most bytes one line may describe. */
export const MAX_PAYLOAD = 1 << 20;

export const PAYLOAD_HINT = 'Write the bytes as parts: a quoted string ("foul"), wide "text", hex "01 ff", uchar N, ushort N, ulong N, ulonglong N or zeros N, one or more.';

const INTEGER_SIZES: Readonly<Record<string, number>> = { uchar: 1, ushort: 2, ulong: 4, ulonglong: 8 };

/**
 * Reads the part `t` starts (already taken from the cursor) and appends its bytes to `out`.
 * False when `t` starts no byte part; undefined after reporting an error.
 */
export function readBytePart(cur: LineCursor, t: Token, out: number[]): boolean | undefined {
  if (t.kind === 'string') {
    for (const ch of t.value) {
      const c = ch.codePointAt(0)!;
      if (c > 0x7f) return cur.error(t, 'bad-name', `'${ch}' is not an ASCII character`, `Quoted bytes are ASCII; write other text as wide "…" or the bytes as hex "…".`);
      out.push(c);
    }
    return true;
  }
  if (t.kind !== 'word' || !(PAYLOAD_WORDS as readonly string[]).includes(t.value)) return false;
  const size = INTEGER_SIZES[t.value];
  if (size !== undefined) {
    const n = size === 8 ? readWide(cur, t) : readInteger(cur, t, `${t.value.toUpperCase()} value`, size === 4 ? LIMITS.ulong : 2 ** (8 * size) - 1);
    if (n === undefined) return undefined;
    let v = BigInt(n);
    for (let i = 0; i < size; i++, v >>= 8n) out.push(Number(v & 0xffn));
    return true;
  }
  if (t.value === 'zeros') {
    const n = readInteger(cur, t, 'byte count', MAX_PAYLOAD);
    if (n === undefined) return undefined;
    for (let i = 0; i < n; i++) out.push(0);
    return true;
  }
  const s = readString(cur, t.value === 'hex' ? 'hex bytes' : 'text', t.value === 'hex' ? 'hex "01 00 ff"' : 'wide "C:\\\\a.txt"');
  if (!s) return undefined;
  if (t.value === 'wide') {
    for (let i = 0; i < s.value.length; i++) {
      const c = s.value.charCodeAt(i);
      out.push(c & 0xff, c >> 8);
    }
    return true;
  }
  const digits = s.value.replace(/[\s,]+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(digits)) {
    return cur.error(s.span, 'bad-number', `"${s.value}" is not a sequence of hex bytes`, 'Write two hex digits per byte, spaces allowed: hex "01 00 ff".');
  }
  for (let i = 0; i < digits.length; i += 2) out.push(parseInt(digits.slice(i, i + 2), 16));
  return true;
}

/**
 * Byte parts until the line ends or a word of `stop` comes; at least one. `label` is the word the
 * bytes follow (`input`, `data`).
 */
export function readBytes(cur: LineCursor, label: Token, stop: (word: string) => boolean): Uint8Array | undefined {
  const out: number[] = [];
  let parts = 0;
  while (!cur.atEnd()) {
    const t = cur.peek()!;
    if (t.kind === 'word' && stop(t.value)) break;
    cur.next();
    const r = readBytePart(cur, t, out);
    if (r === undefined) return undefined;
    if (r === false) return cur.error(t, 'unexpected-token', `unexpected '${t.raw}' in the bytes after '${label.raw}'`, PAYLOAD_HINT);
    parts++;
    if (out.length > MAX_PAYLOAD) return cur.error(t, 'bad-number', `more than ${MAX_PAYLOAD} bytes on one line`, 'Keep a line\'s bytes under 1 MiB.');
  }
  if (parts === 0) return cur.error(cur.whereMissing(), 'missing-value', `missing bytes after '${label.raw}'`, PAYLOAD_HINT);
  return Uint8Array.from(out);
}

/** A ULONGLONG: decimal or hex up to 2^64 - 1 (beyond what a double holds exactly). */
function readWide(cur: LineCursor, label: Token): bigint | undefined {
  const t = cur.next();
  if (!t) return cur.error(label, 'missing-value', `missing ULONGLONG value after '${label.raw}'`, `Write a number after '${label.raw}', for example '${label.raw} 0'.`);
  const text = t.kind === 'word' ? t.value : '';
  if (!/^(0[xX][0-9a-fA-F]+|[0-9]+)$/.test(text)) return cur.error(t, 'bad-number', `bad number '${t.raw}' for ULONGLONG value`, 'Write a decimal (4096) or hex (0x1000) integer with no sign or suffix.');
  const v = BigInt(text);
  if (v > 0xffff_ffff_ffff_ffffn) return cur.error(t, 'bad-number', `ULONGLONG value ${text} is out of range`, 'Use a value from 0 to 0xFFFFFFFFFFFFFFFF.');
  return v;
}
