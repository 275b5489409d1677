/**
 * How runtime builtins read their C arguments: sizes, NUL-terminated strings, UNICODE_STRINGs, and
 * writes into the driver's buffers, each memory error naming the routine the driver called.
 */
import { preludeStruct } from '../../c/prelude/structs';
import { unicodeStringText, type UnicodeString } from '../../kernel/cvalues';
import { STATUS } from '../../kernel/status';
import type { PointerValue } from '../../memory/allocation';
import { Ptr, resolve } from '../../memory/pointer';
import { encodeChars } from '../../memory/strings';
import { viewOf, type StructView } from '../../memory/view';
import type { BuiltinCall } from '../builtin';
import { CRuntimeError, memoryFault } from '../errors';
import { readCString } from '../format';

export function size(v: unknown): number {
  return typeof v === 'bigint' ? Number(v) : Number(v ?? 0);
}

/** Runs a memory access on behalf of `call`, naming the routine in any error. */
export function access<T>(call: BuiltinCall, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw memoryFault(e, `${call.name}`, call.loc);
  }
}

/** Argument `i` as a NUL-terminated string of at most `max` characters ('' for NULL). */
export function str(call: BuiltinCall, i: number, charSize: 1 | 2, max = 1 << 20): string {
  return access(call, () => readCString(call.args[i], max, charSize)) ?? '';
}

export function unicodeString(call: BuiltinCall, p: unknown, what: string): StructView & UnicodeString {
  if (p === null || p === undefined) throw new CRuntimeError('null-dereference', `${call.name}: ${what} is NULL`, call.loc);
  return access(call, () => viewOf(p as PointerValue, preludeStruct('_UNICODE_STRING'))) as StructView & UnicodeString;
}

export function usText(call: BuiltinCall, p: unknown, what: string): string {
  const s = unicodeString(call, p, what);
  const length = s.Length as number;
  const max = s.MaximumLength as number;
  if (length % 2 !== 0) throw new CRuntimeError('bad-pointer', `${call.name}: ${what}'s Length ${length} is odd; a UNICODE_STRING counts bytes of 2-byte characters`, call.loc);
  if (length > max) throw new CRuntimeError('bad-pointer', `${call.name}: ${what}'s Length ${length} exceeds its MaximumLength ${max}`, call.loc);
  return access(call, () => unicodeStringText(s));
}

/** Writes `text` into a UNICODE_STRING's buffer at character `at` (no terminator: the string is counted). */
export function writeUs(call: BuiltinCall, s: StructView & UnicodeString, at: number, text: string): void {
  access(call, () => {
    const buf = s.Buffer as Ptr;
    const bytes = encodeChars(text, 2, false);
    if (bytes.length > 0) {
      const r = resolve(buf, bytes.length, 'writes');
      r.alloc.writeBytes(r.offset + at * 2, bytes);
    }
  });
}

/** Writes `text` and its NUL into a buffer of `capacity` characters; truncates as the Safe routines do. */
export function writeString(call: BuiltinCall, dest: unknown, capacity: number, text: string, charSize: 1 | 2): number {
  if (!(dest instanceof Ptr)) throw new CRuntimeError('bad-pointer', `${call.name}: the destination is not a character buffer`, call.loc);
  if (capacity <= 0) return STATUS.STATUS_INVALID_PARAMETER;
  const n = Math.min(text.length, capacity - 1);
  access(call, () => {
    const bytes = encodeChars(text.slice(0, n), charSize, true);
    const r = resolve(dest, bytes.length, 'writes');
    r.alloc.writeBytes(r.offset, bytes);
  });
  return n < text.length ? STATUS.STATUS_BUFFER_OVERFLOW : STATUS.STATUS_SUCCESS;
}
