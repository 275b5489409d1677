/**
 * Routines that touch only the driver's own memory and need no kernel state: the C runtime pieces the
 * WDK maps its Rtl* macros onto (memcpy, memset…), the counted-string and ntstrsafe routines the
 * engine does not model, DbgPrint's formatting, and assertions. They work on bytes: memcpy copies
 * bytes, initialisation and pointer provenance between any two objects; memset writes any byte.
 * Routines with a kernel side (IRQL bounds, objects, waits) are the engine's own
 * (engine/fltmgr/routines.ts); engine/run/bindings.ts puts both behind one name table.
 */
import { STATUS } from '../../kernel/status';
import type { PointerValue } from '../../memory/allocation';
import { Ptr, resolve } from '../../memory/pointer';
import { encodeChars } from '../../memory/strings';
import { VOID_PTR } from '../../c/types';
import type { Builtin, BuiltinCall, BuiltinTable } from '../builtin';
import { CRuntimeError } from '../errors';
import { formatPrintf, readCString } from '../format';
import { copyBytes, store } from '../memory';
import { access, size, str, unicodeString, usText, writeUs } from './callArgs';
import { exceptionBuiltins } from './exceptions';
import { argumentsOf, varArgBuiltins } from './varArgs';
import { sortingBuiltins } from './sorting';
import { mathBuiltins } from './mathFunctions';
import { safeStringBuiltins } from './safeStrings';

export interface RuntimeHost {
  output(text: string, call: BuiltinCall): void;
  violation(rule: string, message: string, call: BuiltinCall): void;
}


function bytesAt(call: BuiltinCall, p: unknown, n: number): Uint8Array {
  return access(call, () => {
    const r = resolve(p as PointerValue, n, 'reads');
    return r.alloc.readBytes(r.offset, n);
  });
}

const memcpy: Builtin = (call) => {
  const [dst, src, nArg] = call.args;
  const n = size(nArg);
  if (n === 0) return dst;
  if (dst === null || dst === undefined) throw new CRuntimeError('null-dereference', `${call.name} into a NULL destination`, call.loc);
  if (src === null || src === undefined) throw new CRuntimeError('null-dereference', `${call.name} from a NULL source`, call.loc);
  copyBytes(dst, src, n, call.name, call.loc);
  return dst;
};

const memset: Builtin = (call) => {
  const [dst, fill, nArg] = call.args;
  const n = size(nArg);
  if (n === 0) return dst;
  if (dst === null || dst === undefined) throw new CRuntimeError('null-dereference', `${call.name} on NULL`, call.loc);
  access(call, () => {
    const r = resolve(dst as PointerValue, n, 'writes');
    r.alloc.fill(r.offset, n, Number(fill) & 0xff);
  });
  return dst;
};

const memcmp: Builtin = (call) => {
  const [a, b, nArg] = call.args;
  const n = size(nArg);
  if (n === 0) return 0;
  const x = bytesAt(call, a, n);
  const y = bytesAt(call, b, n);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
};

// ---- counted strings ---------------------------------------------------------------------------


const rtlCopyUnicodeString: Builtin = (call) => {
  const [dstArg, src] = call.args;
  const dst = unicodeString(call, dstArg, 'DestinationString');
  if (src === null || src === undefined) {
    dst.Length = 0;
    return undefined;
  }
  const text = usText(call, src, 'SourceString');
  const n = Math.min(text.length, Math.floor((dst.MaximumLength as number) / 2));
  writeUs(call, dst, 0, text.slice(0, n));
  dst.Length = n * 2;
  return undefined;
};

function appendText(call: BuiltinCall, dstArg: unknown, text: string): number {
  const dst = unicodeString(call, dstArg, 'Destination');
  const length = dst.Length as number;
  if (length + text.length * 2 > (dst.MaximumLength as number)) return STATUS.STATUS_BUFFER_TOO_SMALL;
  writeUs(call, dst, length / 2, text);
  dst.Length = length + text.length * 2;
  return STATUS.STATUS_SUCCESS;
}

// ---- ntstrsafe ---------------------------------------------------------------------------------


/**
 * The CRT's _snprintf/_snwprintf: at most `count` characters; the terminator only when it fits; the
 * number of characters written, or -1 when the text was cut.
 */
function snprintf(call: BuiltinCall, charSize: 1 | 2): number {
  const dest = call.args[0];
  if (!(dest instanceof Ptr)) throw new CRuntimeError('bad-pointer', `${call.name}: the destination is not a character buffer`, call.loc);
  const count = size(call.args[1]);
  const text = formatPrintf(str(call, 2, charSize), call.args.slice(3), call.interp.addresses);
  const n = Math.min(text.length, count);
  access(call, () => {
    const bytes = encodeChars(text.slice(0, n), charSize, text.length < count);
    if (bytes.length === 0) return;
    const r = resolve(dest, bytes.length, 'writes');
    r.alloc.writeBytes(r.offset, bytes);
  });
  return text.length > count ? -1 : n;
}

/** The string at argument i up to its NUL, or its first `max` characters when it has none before. */

/** The runtime's routines that need no host: one table for every run, made on first use. */
let shared: ReadonlyMap<string, Builtin> | undefined;

/**
 * The runtime routines that touch only their arguments, shared by every run (a run is built per
 * explored schedule; making ~150 closures for each was ~9 KB a run). Read-only: a run adds its own
 * entries in its own table (engine/run/bindings.ts), and the few routines that speak to the run
 * come from `hostedRuntimeBuiltins`.
 */
export function runtimeBuiltins(): ReadonlyMap<string, Builtin> {
  return (shared ??= sharedRuntimeBuiltins());
}

/** The runtime routines that report to the run: debugger output and failed assertions. */
export function hostedRuntimeBuiltins(host: RuntimeHost): [string, Builtin][] {
  const print = (skip: number): Builtin => (call) => {
    const fmt = access(call, () => readCString(call.args[skip]));
    if (fmt === undefined) throw new CRuntimeError('bad-pointer', `${call.name}: the format is not a string`, call.loc);
    host.output(access(call, () => formatPrintf(fmt, call.args.slice(skip + 1), call.interp.addresses)), call);
    return STATUS.STATUS_SUCCESS;
  };
  // The va_list forms read their values from the list's slots as the format asks (varArgs.ts).
  const vprint = (prefixAt: number | undefined, formatAt: number): Builtin => (call) => {
    const fmt = access(call, () => readCString(call.args[formatAt]));
    if (fmt === undefined) throw new CRuntimeError('bad-pointer', `${call.name}: the format is not a string`, call.loc);
    const prefix = prefixAt === undefined ? '' : access(call, () => readCString(call.args[prefixAt])) ?? '';
    host.output(prefix + access(call, () => formatPrintf(fmt, argumentsOf(call, fmt, call.args[formatAt + 1]), call.interp.addresses)), call);
    return STATUS.STATUS_SUCCESS;
  };
  return [
    ['DbgPrint', print(0)],
    ['DbgPrintEx', print(2)],
    ['vDbgPrintEx', vprint(undefined, 2)],
    ['vDbgPrintExWithPrefix', vprint(0, 3)],
    [
      '__fltsim_assert',
      (call) => {
        const [cond, text] = call.args;
        if (!truthyValue(cond)) host.violation('assert', `assertion failed: ${readCString(text) ?? '(expression)'}`, call);
        return undefined;
      },
    ],
    [
      '__fltsim_list_corrupt',
      (call) => {
        host.violation('list-corrupt', 'a LIST_ENTRY is corrupt (its neighbours do not point back at it); Windows stops with bug check 0x139 KERNEL_SECURITY_CHECK_FAILURE', call);
        return undefined;
      },
    ],
  ];
}

function sharedRuntimeBuiltins(): BuiltinTable {
  const table: BuiltinTable = new Map();
  const def = (name: string, fn: Builtin) => table.set(name, fn);
  def('memcpy', memcpy);
  def('memmove', memcpy);
  def('memset', memset);
  def('memcmp', memcmp);
  def('RtlCompareMemory', (call) => {
    const [a, b, nArg] = call.args;
    const n = size(nArg);
    const x = bytesAt(call, a, n);
    const y = bytesAt(call, b, n);
    let i = 0;
    while (i < n && x[i] === y[i]) i++;
    return i;
  });
  def('strlen', (call) => str(call, 0, 1).length);
  // strstr/wcsstr: a pointer into the first string where the second starts, or NULL.
  const find = (charSize: 1 | 2): Builtin => (call) => {
    const i = str(call, 0, charSize).indexOf(str(call, 1, charSize));
    return i < 0 ? null : (call.args[0] as Ptr).add(i * charSize);
  };
  def('strstr', find(1));
  def('wcsstr', find(2));
  def('wcslen', (call) => str(call, 0, 2).length);
  const cmp = (charSize: 1 | 2, ci: boolean, limit?: number): Builtin => (call) => {
    // The n-forms read no further than N characters, as the C run-time does: a counted buffer
    // (a UNICODE_STRING's) compared up to its length is never read past its end.
    const n = limit === undefined ? undefined : size(call.args[limit]);
    let a = str(call, 0, charSize, n);
    let b = str(call, 1, charSize, n);
    if (ci) {
      a = a.toLowerCase();
      b = b.toLowerCase();
    }
    return a === b ? 0 : a < b ? -1 : 1;
  };
  def('strcmp', cmp(1, false));
  def('wcscmp', cmp(2, false));
  def('_stricmp', cmp(1, true));
  def('_wcsicmp', cmp(2, true));
  def('_wcsnicmp', cmp(2, true, 2));
  def('wcsncmp', cmp(2, false, 2));
  def('strncmp', cmp(1, false, 2));
  def('_strnicmp', cmp(1, true, 2));
  def('wcsnlen', (call) => str(call, 0, 2, size(call.args[1])).length);
  // _strupr/_strlwr/_wcsupr/_wcslwr change the string in place and return it; the kernel's CRT runs
  // in the C locale, so only ASCII letters change. toupper and friends take and return one character.
  const caseOf = (upper: boolean) => (text: string) => text.replace(upper ? /[a-z]/g : /[A-Z]/g, (c) => (upper ? c.toUpperCase() : c.toLowerCase()));
  const inPlace = (charSize: 1 | 2, upper: boolean): Builtin => (call) => {
    const dest = call.args[0];
    if (!(dest instanceof Ptr)) throw new CRuntimeError('bad-pointer', `${call.name}: the string is not a character buffer`, call.loc);
    const text = caseOf(upper)(str(call, 0, charSize));
    access(call, () => {
      const bytes = encodeChars(text, charSize, false);
      if (bytes.length === 0) return;
      const r = resolve(dest, bytes.length, 'writes');
      r.alloc.writeBytes(r.offset, bytes);
    });
    return dest;
  };
  def('_strupr', inPlace(1, true));
  def('_strlwr', inPlace(1, false));
  def('_wcsupr', inPlace(2, true));
  def('_wcslwr', inPlace(2, false));
  const oneChar = (upper: boolean): Builtin => (call) => {
    const c = Number(call.args[0]);
    return c >= 0 && c < 0x80 ? caseOf(upper)(String.fromCharCode(c)).charCodeAt(0) : c;
  };
  def('toupper', oneChar(true));
  def('tolower', oneChar(false));
  def('towupper', oneChar(true));
  def('towlower', oneChar(false));
  def('strnlen', (call) => str(call, 0, 1, size(call.args[1])).length);

  for (const [name, fn] of crtStringBuiltins()) def(name, fn);
  for (const [name, fn] of safeStringBuiltins()) if (!table.has(name)) def(name, fn);
  for (const [name, fn] of varArgBuiltins(table)) def(name, fn);
  for (const [name, fn] of sortingBuiltins()) def(name, fn);
  for (const [name, fn] of mathBuiltins()) def(name, fn);

  def('RtlCopyUnicodeString', rtlCopyUnicodeString);
  def('RtlAppendUnicodeStringToString', (call) => appendText(call, call.args[0], usText(call, call.args[1], 'Source')));
  def('RtlAppendUnicodeToString', (call) => appendText(call, call.args[0], str(call, 1, 2)));
  def('RtlUpcaseUnicodeChar', (call) => String.fromCharCode(Number(call.args[0])).toUpperCase().charCodeAt(0));
  def('_snwprintf', (call) => snprintf(call, 2));
  def('_snprintf', (call) => snprintf(call, 1));

  def('DbgBreakPoint', () => undefined);
  for (const [name, fn] of exceptionBuiltins()) def(name, fn);
  return table;
}

// ---- string.h / wchar.h / stdlib.h ---------------------------------------------------------------

const EINVAL = 22;
const ERANGE = 34;
const STRUNCATE = 80;
/** _TRUNCATE, (size_t)-1, as the interpreter hands it over (a 64-bit count). */
const TRUNCATE = 2 ** 64 - 1;

/** Writes `text` (and a NUL when `terminate`) at `dest`, whose bounds the write checks. */
function writeChars(call: BuiltinCall, dest: unknown, text: string, charSize: 1 | 2, terminate = true): void {
  if (!(dest instanceof Ptr)) throw new CRuntimeError('null-dereference', `${call.name}: the destination is not a character buffer`, call.loc);
  access(call, () => {
    const bytes = encodeChars(text, charSize, terminate);
    if (bytes.length === 0) return;
    const r = resolve(dest, bytes.length, 'writes');
    r.alloc.writeBytes(r.offset, bytes);
  });
}

/** The secure forms' failure: the destination is emptied (when it can be) and the error returned. */
function secureFail(call: BuiltinCall, dest: unknown, capacity: number, charSize: 1 | 2, code: number): number {
  if (dest instanceof Ptr && capacity > 0) writeChars(call, dest, '', charSize);
  return code;
}

/**
 * The run-time string routines kernel code links (strcpy, wcsncpy_s, wcsrchr, atoi…). The unbounded
 * ones write through the destination's real bounds, so an overflow is an out-of-bounds write at the
 * call; the _s forms return EINVAL/ERANGE/STRUNCATE as the kernel CRT does (it has no invalid
 * parameter handler that ends the process).
 */
function crtStringBuiltins(): [string, Builtin][] {
  const out: [string, Builtin][] = [];
  const def = (name: string, fn: Builtin) => out.push([name, fn]);
  for (const [prefix, charSize] of [['str', 1], ['wcs', 2]] as const) {
    const find = (last: boolean): Builtin => (call) => {
      const text = str(call, 0, charSize);
      const c = String.fromCharCode(Number(call.args[1]) & (charSize === 1 ? 0xff : 0xffff));
      const i = c === '\0' ? text.length : last ? text.lastIndexOf(c) : text.indexOf(c);
      return i < 0 ? null : (call.args[0] as Ptr).add(i * charSize);
    };
    def(`${prefix}chr`, find(false));
    def(`${prefix}rchr`, find(true));
    def(`${prefix}cpy`, (call) => {
      writeChars(call, call.args[0], str(call, 1, charSize), charSize);
      return call.args[0];
    });
    def(`${prefix}cat`, (call) => {
      const dest = call.args[0];
      const at = str(call, 0, charSize).length;
      writeChars(call, dest instanceof Ptr ? dest.add(at * charSize) : dest, str(call, 1, charSize), charSize);
      return dest;
    });
    // strncpy: at most N characters; a shorter source is padded with NULs to N, a longer one leaves
    // the destination unterminated.
    def(`${prefix}ncpy`, (call) => {
      const n = size(call.args[2]);
      const text = str(call, 1, charSize, n);
      writeChars(call, call.args[0], text.padEnd(n, '\0'), charSize, false);
      return call.args[0];
    });
    def(`${prefix}cpy_s`, (call) => {
      const [dest, cap, src] = call.args;
      const capacity = size(cap);
      if (!(dest instanceof Ptr) || capacity === 0) return EINVAL;
      if (!(src instanceof Ptr)) return secureFail(call, dest, capacity, charSize, EINVAL);
      const text = str(call, 2, charSize);
      if (text.length >= capacity) return secureFail(call, dest, capacity, charSize, ERANGE);
      writeChars(call, dest, text, charSize);
      return 0;
    });
    def(`${prefix}ncpy_s`, (call) => {
      const [dest, cap, src, countArg] = call.args;
      const capacity = size(cap);
      const count = size(countArg);
      if (!(dest instanceof Ptr) || capacity === 0) return EINVAL;
      if (!(src instanceof Ptr)) return count === 0 ? secureFail(call, dest, capacity, charSize, 0) : secureFail(call, dest, capacity, charSize, EINVAL);
      const truncate = count >= TRUNCATE;
      const text = str(call, 2, charSize, truncate ? 1 << 20 : count);
      if (text.length >= capacity) {
        if (!truncate) return secureFail(call, dest, capacity, charSize, ERANGE);
        writeChars(call, dest, text.slice(0, capacity - 1), charSize);
        return STRUNCATE;
      }
      writeChars(call, dest, text, charSize);
      return 0;
    });
    def(`${prefix}cat_s`, (call) => {
      const [dest, cap, src] = call.args;
      const capacity = size(cap);
      if (!(dest instanceof Ptr) || capacity === 0) return EINVAL;
      if (!(src instanceof Ptr)) return secureFail(call, dest, capacity, charSize, EINVAL);
      const head = str(call, 0, charSize, capacity);
      if (head.length >= capacity) return secureFail(call, dest, capacity, charSize, EINVAL);
      const tail = str(call, 2, charSize);
      if (head.length + tail.length >= capacity) return secureFail(call, dest, capacity, charSize, ERANGE);
      writeChars(call, dest.add(head.length * charSize), tail, charSize);
      return 0;
    });
  }
  // sprintf/swprintf without a count (the kernel CRT's non-conforming swprintf): the destination's
  // bounds decide, as on Windows a longer text overruns the buffer.
  for (const [name, charSize] of [['sprintf', 1], ['swprintf', 2]] as const) {
    def(name, (call) => {
      const text = formatPrintf(str(call, 1, charSize), call.args.slice(2), call.interp.addresses);
      writeChars(call, call.args[0], text, charSize);
      return text.length;
    });
  }
  const parse = (call: BuiltinCall, unsigned: boolean): number => {
    const text = str(call, 0, 1);
    const base = call.args.length > 2 ? size(call.args[2]) : 10;
    const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX](?=[0-9a-fA-F]))?([0-9a-zA-Z]*)/.exec(text)!;
    const radix = base === 0 ? (m[2] ? 16 : m[3].startsWith('0') ? 8 : 10) : base;
    let digits = m[3];
    const valid = digits.search(new RegExp(`[^${'0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, radix)}]`, 'i'));
    if (valid >= 0) digits = digits.slice(0, valid);
    const consumed = digits.length === 0 ? 0 : m[0].length - m[3].length + digits.length;
    if (call.args[1] instanceof Ptr) store(call.args[1], VOID_PTR, (call.args[0] as Ptr).add(consumed), 'EndPtr', call.loc);
    let v = digits.length === 0 ? 0 : parseInt(digits, radix);
    if (m[1] === '-') v = -v;
    if (unsigned) return v < 0 ? (v >>> 0) : Math.min(v, 0xffffffff);
    return Math.max(-0x80000000, Math.min(v, 0x7fffffff));
  };
  def('atoi', (call) => parse({ ...call, args: [call.args[0]] } as BuiltinCall, false));
  def('atol', (call) => parse({ ...call, args: [call.args[0]] } as BuiltinCall, false));
  def('strtol', (call) => parse(call, false));
  def('strtoul', (call) => parse(call, true));
  def('abs', (call) => Math.abs(Number(call.args[0]) | 0) | 0);
  def('labs', (call) => Math.abs(Number(call.args[0]) | 0) | 0);
  return out;
}

function truthyValue(v: unknown): boolean {
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'bigint') return v !== 0n;
  if (v instanceof Ptr) return v.alloc !== null || v.offset !== 0;
  return v !== null && v !== undefined && v !== false;
}

