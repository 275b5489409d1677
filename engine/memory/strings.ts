/**
 * Character data in byte memory: NUL-terminated narrow (CHAR) and wide (WCHAR, UTF-16LE) strings,
 * counted runs of characters (a UNICODE_STRING's Buffer and Length), and string literals.
 */
import type { PointerValue } from './allocation';
import { resolve } from './pointer';
import type { AddressSpace } from './space';
import type { AllocPtr } from './pointer';

export type CharSize = 1 | 2;

/**
 * The characters from `p` up to the first NUL. Reading past the allocation without meeting a NUL is
 * an out-of-bounds read, as it would be in C.
 */
export function readCString(p: PointerValue | undefined, charSize: CharSize): string {
  const r = resolve(p, charSize, 'reads');
  let s = '';
  for (let at = r.offset; ; at += charSize) {
    const c = r.alloc.readInt(at, charSize, false) as number;
    if (c === 0) return s;
    s += String.fromCharCode(c);
  }
}

/** `count` characters from `p` (a UNICODE_STRING's Length / 2 characters). */
export function readChars(p: PointerValue | undefined, charSize: CharSize, count: number): string {
  if (count === 0) return '';
  const r = resolve(p, count * charSize, 'reads');
  const bytes = r.alloc.readBytes(r.offset, count * charSize);
  let s = '';
  for (let i = 0; i < count; i++) s += String.fromCharCode(charSize === 1 ? bytes[i] : bytes[2 * i] | (bytes[2 * i + 1] << 8));
  return s;
}

/** The bytes of `text` in characters of `charSize` (low byte of each code unit for narrow). */
export function encodeChars(text: string, charSize: CharSize, terminate: boolean): Uint8Array {
  const n = text.length + (terminate ? 1 : 0);
  const out = new Uint8Array(n * charSize);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (charSize === 1) out[i] = c & 0xff;
    else {
      out[2 * i] = c & 0xff;
      out[2 * i + 1] = c >>> 8;
    }
  }
  return out;
}

/** Writes `text` at `p` (and a NUL when `terminate`); bounds are checked as for any write. */
export function writeChars(p: PointerValue | undefined, text: string, charSize: CharSize, terminate: boolean): void {
  const bytes = encodeChars(text, charSize, terminate);
  if (bytes.length === 0) return;
  const r = resolve(p, bytes.length, 'writes');
  r.alloc.writeBytes(r.offset, bytes);
}

/**
 * A NUL-terminated string in its own allocation: a literal (read-only, as the compiler places them)
 * or a name the engine hands out.
 */
export function allocateString(space: AddressSpace, text: string, charSize: CharSize, kind: 'string' | 'engine' = 'string', label?: string): AllocPtr {
  const bytes = encodeChars(text, charSize, true);
  const shown = text.length > 24 ? `${text.slice(0, 24)}…` : text;
  const a = space.allocate(kind, bytes.length, { label: label ?? `string literal ${charSize === 2 ? 'L' : ''}"${shown}"`, contents: bytes, readOnly: kind === 'string' });
  return space.pointer(a);
}
