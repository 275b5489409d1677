/**
 * The safe string routines as a family: ntstrsafe.h's RtlStringCbXxx and RtlStringCchXxx (Copy,
 * CopyN, Cat, CatN, Length, Printf; char and wide; CopyUnicodeString and CatUnicodeString, which
 * take a counted source) and RtlUnicodeStringXxx (Init, Copy, Cat,
 * CopyString, CatString, CbCopyStringN, Printf, Validate), and strsafe.h's StringCbXxx / StringCchXxx twins, which do the same
 * and answer with an HRESULT. One rule set for all: the destination's capacity counts the
 * terminator; 0 or more than NTSTRSAFE_MAX_CCH characters is STATUS_INVALID_PARAMETER; text that
 * does not fit is cut, still terminated, and answered with STATUS_BUFFER_OVERFLOW; a Cat whose
 * destination has no terminator within its capacity is STATUS_INVALID_PARAMETER. Counted strings
 * are never terminated. They touch only the driver's memory, so no kernel state is involved.
 */
import { STATUS } from '../../kernel/status';
import { Ptr } from '../../memory/pointer';
import { ULONGLONG } from '../../c/types';
import type { Builtin, BuiltinCall } from '../builtin';
import { CRuntimeError } from '../errors';
import { formatPrintf, readCString } from '../format';
import { store } from '../memory';
import { access, size, str, unicodeString, usText, writeString, writeUs } from './callArgs';

/** NTSTRSAFE_MAX_CCH. */
const MAX_CCH = 2147483647;
/** NTSTRSAFE_UNICODE_STRING_MAX_CCH: a UNICODE_STRING holds at most this many characters. */
const US_MAX_CCH = 32767;

/** strsafe.h's HRESULTs for the statuses above. */
const S_OK = 0;
const STRSAFE_E_INSUFFICIENT_BUFFER = 0x8007007a | 0;
const STRSAFE_E_INVALID_PARAMETER = 0x80070057 | 0;

type Unit = 'Cb' | 'Cch';
type Width = { suffix: 'A' | 'W'; size: 1 | 2 };
const WIDTHS: Width[] = [{ suffix: 'A', size: 1 }, { suffix: 'W', size: 2 }];

/** A Cb argument counts bytes, a Cch argument characters; both become characters. */
function chars(unit: Unit, w: Width, v: unknown): number {
  const n = size(v);
  return unit === 'Cb' ? Math.floor(n / w.size) : n;
}

function destination(call: BuiltinCall): Ptr {
  const d = call.args[0];
  if (!(d instanceof Ptr)) throw new CRuntimeError(d === null ? 'null-dereference' : 'bad-pointer', `${call.name}: the destination is ${d === null ? 'NULL' : 'not a character buffer'}`, call.loc);
  return d;
}

function copy(unit: Unit, w: Width, counted: boolean): Builtin {
  return (call) => {
    const capacity = chars(unit, w, call.args[1]);
    if (capacity === 0 || capacity > MAX_CCH) return STATUS.STATUS_INVALID_PARAMETER;
    const limit = counted ? chars(unit, w, call.args[3]) : MAX_CCH;
    if (limit > MAX_CCH) return STATUS.STATUS_INVALID_PARAMETER;
    return writeString(call, destination(call), capacity, str(call, 2, w.size, Math.min(limit, capacity)), w.size);
  };
}

function cat(unit: Unit, w: Width, counted: boolean): Builtin {
  return (call) => {
    const capacity = chars(unit, w, call.args[1]);
    if (capacity === 0 || capacity > MAX_CCH) return STATUS.STATUS_INVALID_PARAMETER;
    const dest = destination(call);
    const existing = str(call, 0, w.size, capacity);
    if (existing.length >= capacity) return STATUS.STATUS_INVALID_PARAMETER;
    const limit = counted ? chars(unit, w, call.args[3]) : MAX_CCH;
    if (limit > MAX_CCH) return STATUS.STATUS_INVALID_PARAMETER;
    return writeString(call, dest, capacity, existing + str(call, 2, w.size, Math.min(limit, capacity)), w.size);
  };
}

function length(unit: Unit, w: Width): Builtin {
  return (call) => {
    const max = chars(unit, w, call.args[1]);
    const s = call.args[0] instanceof Ptr && max > 0 && max <= MAX_CCH ? str(call, 0, w.size, max) : undefined;
    const out = call.args[2];
    const valid = s !== undefined && s.length < max;
    if (out !== null && out !== undefined) store(out, ULONGLONG, valid ? (unit === 'Cb' ? s.length * w.size : s.length) : 0, unit === 'Cb' ? 'pcbLength' : 'pcchLength', call.loc);
    return valid ? STATUS.STATUS_SUCCESS : STATUS.STATUS_INVALID_PARAMETER;
  };
}

function printf(unit: Unit, w: Width): Builtin {
  return (call) => {
    const capacity = chars(unit, w, call.args[1]);
    if (capacity === 0 || capacity > MAX_CCH) return STATUS.STATUS_INVALID_PARAMETER;
    const text = access(call, () => formatPrintf(readCString(call.args[2], 1 << 20, w.size) ?? '', call.args.slice(3), call.interp.addresses));
    return writeString(call, destination(call), capacity, text, w.size);
  };
}

/** RtlStringCb/CchCopyUnicodeString and Cat…: a counted string into a terminated wide buffer, by the same rules. */
function fromCounted(unit: Unit, append: boolean): Builtin {
  const w = WIDTHS[1]!;
  return (call) => {
    const capacity = chars(unit, w, call.args[1]);
    if (capacity === 0 || capacity > MAX_CCH) return STATUS.STATUS_INVALID_PARAMETER;
    const dest = destination(call);
    const existing = append ? str(call, 0, w.size, capacity) : '';
    if (existing.length >= capacity) return STATUS.STATUS_INVALID_PARAMETER;
    return writeString(call, dest, capacity, existing + usText(call, call.args[2], 'SourceString'), w.size);
  };
}

// ---- RtlUnicodeString* ------------------------------------------------------------------------

/** Puts `text` at character `at` of Destination, cut to its MaximumLength; sets Length. */
function putCounted(call: BuiltinCall, at: number, text: string): number {
  const dst = unicodeString(call, call.args[0], 'DestinationString');
  const room = Math.min(Math.floor((dst.MaximumLength as number) / 2), US_MAX_CCH) - at;
  const n = Math.max(0, Math.min(text.length, room));
  writeUs(call, dst, at, text.slice(0, n));
  dst.Length = (at + n) * 2;
  return n < text.length ? STATUS.STATUS_BUFFER_OVERFLOW : STATUS.STATUS_SUCCESS;
}

/** The characters Destination holds now (validating it as the routines do). */
function held(call: BuiltinCall): string {
  return usText(call, call.args[0], 'DestinationString');
}

const unicodeStringInit: Builtin = (call) => {
  const dst = unicodeString(call, call.args[0], 'DestinationString');
  const src = call.args[1];
  const n = src instanceof Ptr ? str(call, 1, 2, US_MAX_CCH).length : 0;
  if (n >= US_MAX_CCH) {
    dst.Length = 0;
    dst.MaximumLength = 0;
    dst.Buffer = null;
    return STATUS.STATUS_INVALID_PARAMETER;
  }
  dst.Length = n * 2;
  dst.MaximumLength = src instanceof Ptr ? (n + 1) * 2 : 0;
  dst.Buffer = src instanceof Ptr ? src : null;
  return STATUS.STATUS_SUCCESS;
};

/** STRSAFE_IGNORE_NULLS: a NULL string is taken as an empty one. */
const IGNORE_NULLS = 0x100;

/**
 * RtlUnicodeStringValidate(Ex): the structure checks the other routines make, answered with a
 * status instead of stopping the run. Only STRSAFE_IGNORE_NULLS is a valid flag here.
 */
function validate(withFlags: boolean): Builtin {
  return (call) => {
    const flags = withFlags ? size(call.args[1]) : 0;
    if ((flags & ~IGNORE_NULLS) !== 0) return STATUS.STATUS_INVALID_PARAMETER;
    const p = call.args[0];
    if (p === null || p === undefined) return flags & IGNORE_NULLS ? STATUS.STATUS_SUCCESS : STATUS.STATUS_INVALID_PARAMETER;
    const s = unicodeString(call, p, 'SourceString');
    const length = s.Length as number;
    const max = s.MaximumLength as number;
    if (length % 2 !== 0 || max % 2 !== 0 || length > max || max > US_MAX_CCH * 2) return STATUS.STATUS_INVALID_PARAMETER;
    if (s.Buffer === null && (length !== 0 || max !== 0)) return STATUS.STATUS_INVALID_PARAMETER;
    return STATUS.STATUS_SUCCESS;
  };
}

const UNICODE_STRING_ROUTINES: [string, Builtin][] = [
  ['RtlUnicodeStringValidate', validate(false)],
  ['RtlUnicodeStringValidateEx', validate(true)],
  ['RtlUnicodeStringInit', unicodeStringInit],
  ['RtlUnicodeStringCopy', (call) => { held(call); return putCounted(call, 0, usText(call, call.args[1], 'SourceString')); }],
  ['RtlUnicodeStringCat', (call) => putCounted(call, held(call).length, usText(call, call.args[1], 'SourceString'))],
  ['RtlUnicodeStringCopyString', (call) => { held(call); return putCounted(call, 0, str(call, 1, 2)); }],
  ['RtlUnicodeStringCatString', (call) => putCounted(call, held(call).length, str(call, 1, 2))],
  ['RtlUnicodeStringCbCopyStringN', (call) => { held(call); return putCounted(call, 0, str(call, 1, 2, Math.floor(size(call.args[2]) / 2))); }],
  ['RtlUnicodeStringCbCatStringN', (call) => putCounted(call, held(call).length, str(call, 1, 2, Math.floor(size(call.args[2]) / 2)))],
  ['RtlUnicodeStringPrintf', (call) => {
    held(call);
    return putCounted(call, 0, access(call, () => formatPrintf(readCString(call.args[1], 1 << 20, 2) ?? '', call.args.slice(2), call.interp.addresses)));
  }],
];

/** strsafe.h's answer for an ntstrsafe status. */
function hresult(fn: Builtin): Builtin {
  return (call) => {
    const status = fn(call);
    return status === STATUS.STATUS_SUCCESS ? S_OK : status === STATUS.STATUS_BUFFER_OVERFLOW ? STRSAFE_E_INSUFFICIENT_BUFFER : STRSAFE_E_INVALID_PARAMETER;
  };
}

/** Every routine of the family by name; the runtime table keeps an existing definition of a name. */
export function safeStringBuiltins(): [string, Builtin][] {
  const out: [string, Builtin][] = [];
  for (const unit of ['Cb', 'Cch'] as const) {
    for (const w of WIDTHS) {
      const family: [string, Builtin][] = [
        [`Copy${w.suffix}`, copy(unit, w, false)],
        [`CopyN${w.suffix}`, copy(unit, w, true)],
        [`Cat${w.suffix}`, cat(unit, w, false)],
        [`CatN${w.suffix}`, cat(unit, w, true)],
        [`Length${w.suffix}`, length(unit, w)],
        [`Printf${w.suffix}`, printf(unit, w)],
      ];
      for (const [op, fn] of family) {
        out.push([`RtlString${unit}${op}`, fn]);
        out.push([`String${unit}${op}`, hresult(fn)]);
      }
    }
    out.push([`RtlString${unit}CopyUnicodeString`, fromCounted(unit, false)], [`RtlString${unit}CatUnicodeString`, fromCounted(unit, true)]);
  }
  out.push(...UNICODE_STRING_ROUTINES);
  return out;
}
