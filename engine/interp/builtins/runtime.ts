/**
 * Routines that touch only the driver's own memory and need no kernel state: the C runtime pieces the
 * WDK maps its Rtl* macros onto (memcpy, memset…), the counted-string and ntstrsafe routines the
 * engine does not model, DbgPrint's formatting, and assertions. Routines with a kernel side (IRQL
 * bounds, objects, waits) are the engine's own (engine/fltmgr/routines.ts); engine/run/bindings.ts
 * puts both behind one name table.
 */
import { pointee, sizeOf, type CType } from '../../c/types';
import { Ref, rawInfo, type UnicodeString, unicodeStringText } from '../../kernel/cvalues';
import { STATUS } from '../../kernel/status';
import type { Builtin, BuiltinCall, BuiltinTable } from '../builtin';
import { CRuntimeError } from '../errors';
import { formatPrintf, readCString } from '../format';
import { adopt, copyArray, copyStruct, elementTypeOf, rawElements, store, structTypeOf, zeroInPlace } from '../memory';
import { pointersEqual } from '../pointers';

export interface RuntimeHost {
  output(text: string, call: BuiltinCall): void;
  violation(rule: string, message: string, call: BuiltinCall): void;
}

const WCHAR: CType = { kind: 'int', size: 2, signed: false, name: 'wchar_t', alias: 'WCHAR' };

function hintedElement(call: BuiltinCall, i: number): CType | undefined {
  const t = pointee(call.argTypes[i] ?? { kind: 'void' });
  return t && t.kind !== 'void' ? t : undefined;
}

function sizeOrOne(t: CType | undefined): number {
  if (!t) return 1;
  try {
    return Math.max(1, sizeOf(t));
  } catch {
    return 1;
  }
}

/** Element view of a pointer for byte-count operations: the array, start index and element type. */
function arrayView(p: unknown, hint: CType | undefined): { arr: unknown[]; start: number; elem: CType | undefined } | undefined {
  if (p instanceof Ref && Array.isArray(p.c) && typeof p.k === 'number') return { arr: p.c, start: p.k, elem: elementTypeOf(p.c) ?? hint };
  if (p && typeof p === 'object' && rawInfo(p) && !structTypeOf(p)) {
    const elem = hint && hint.kind !== 'struct' ? hint : { kind: 'int', size: 1, signed: false, name: 'unsigned char' } as CType;
    return { arr: rawElements(p, elem), start: 0, elem };
  }
  return undefined;
}

function memcpy(call: BuiltinCall): unknown {
  const [dst, src, nArg] = call.args;
  const n = Number(nArg);
  if (n === 0) return dst;
  if (dst === null || dst === undefined) throw new CRuntimeError('null-dereference', `${call.name} into a NULL destination`);
  if (src === null || src === undefined) throw new CRuntimeError('null-dereference', `${call.name} from a NULL source`);
  const srcStruct = src && typeof src === 'object' && !(src instanceof Ref) ? structTypeOf(src) ?? structHint(call, 1) : undefined;
  const dstIsObject = typeof dst === 'object' && !(dst instanceof Ref);
  if (srcStruct && dstIsObject) {
    const target = adopt(dst as object, srcStruct);
    copyStruct(target, adopt(src as object, srcStruct), srcStruct);
    return dst;
  }
  const dstStruct = dstIsObject ? structTypeOf(dst as object) ?? structHint(call, 0) : undefined;
  if (dstStruct && src && typeof src === 'object' && !(src instanceof Ref)) {
    copyStruct(adopt(dst as object, dstStruct), adopt(src as object, dstStruct), dstStruct);
    return dst;
  }
  const s = arrayView(src, hintedElement(call, 1) ?? hintedElement(call, 0));
  const d = arrayView(dst, s?.elem ?? hintedElement(call, 0));
  if (s && d) {
    const each = sizeOrOne(d.elem ?? s.elem);
    const count = Math.ceil(n / each);
    if (d.start + count > d.arr.length) {
      throw new CRuntimeError('buffer-overflow', `${call.name} writes ${n} bytes (${count} elements) into a buffer with room for ${d.arr.length - d.start}`);
    }
    if (s.start + count > s.arr.length) {
      throw new CRuntimeError('out-of-bounds', `${call.name} reads ${n} bytes (${count} elements) from a buffer holding ${s.arr.length - s.start}`);
    }
    const tmp = s.arr.slice(s.start, s.start + count);
    copyArray(d.arr, d.start, tmp, 0, count, d.elem ?? s.elem ?? WCHAR);
    return dst;
  }
  // A single scalar (e.g. copying a ULONG field).
  if (dst instanceof Ref && src instanceof Ref) {
    dst.set(src.get());
    return dst;
  }
  throw new CRuntimeError('unsupported', `${call.name} between these two kinds of memory is not supported (fltsim memory is typed; copy field by field)`);
}

function structHint(call: BuiltinCall, i: number): import('../../c/types').StructType | undefined {
  const t = hintedElement(call, i);
  return t?.kind === 'struct' ? t : undefined;
}

function memset(call: BuiltinCall): unknown {
  const [dst, fillArg, nArg] = call.args;
  const fill = Number(fillArg) & 0xff;
  const n = Number(nArg);
  if (n === 0) return dst;
  if (dst === null || dst === undefined) throw new CRuntimeError('null-dereference', `${call.name} on NULL`);
  if (typeof dst === 'object' && !(dst instanceof Ref)) {
    const st = structTypeOf(dst) ?? structHint(call, 0);
    if (st) {
      const obj = adopt(dst, st);
      if (fill !== 0) throw new CRuntimeError('unsupported', `${call.name} of a struct with a non-zero byte (${fill}) is not supported; fltsim memory is typed`);
      zeroInPlace(obj, st);
      return dst;
    }
  }
  const d = arrayView(dst, hintedElement(call, 0));
  if (d) {
    const each = sizeOrOne(d.elem);
    const count = Math.ceil(n / each);
    if (d.start + count > d.arr.length) throw new CRuntimeError('buffer-overflow', `${call.name} writes ${n} bytes into a buffer with room for ${(d.arr.length - d.start) * each}`);
    let v = 0;
    for (let b = 0; b < Math.min(each, 6); b++) v = v * 256 + fill;
    for (let i = 0; i < count; i++) {
      const cur = d.arr[d.start + i];
      if (cur && typeof cur === 'object') {
        const st = structTypeOf(cur as object);
        if (st && fill === 0) zeroInPlace(cur as object, st);
      } else d.arr[d.start + i] = fill === 0 ? (d.elem?.kind === 'ptr' ? null : 0) : v;
    }
    return dst;
  }
  if (dst instanceof Ref) {
    dst.set(fill === 0 ? 0 : fill);
    return dst;
  }
  throw new CRuntimeError('unsupported', `${call.name} on this kind of memory is not supported`);
}

function memcmp(call: BuiltinCall): unknown {
  const [a, b, nArg] = call.args;
  const n = Number(nArg);
  const va = arrayView(a, hintedElement(call, 0));
  const vb = arrayView(b, hintedElement(call, 1));
  if (va && vb) {
    const count = Math.ceil(n / sizeOrOne(va.elem));
    for (let i = 0; i < count; i++) {
      const x = Number(va.arr[va.start + i] ?? 0);
      const y = Number(vb.arr[vb.start + i] ?? 0);
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') return deepEqual(a, b) ? 0 : 1;
  throw new CRuntimeError('unsupported', `${call.name} on this kind of memory is not supported`);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return pointersEqual(a, b);
  if (a instanceof Ref || b instanceof Ref) return pointersEqual(a, b);
  const ka = Object.keys(a);
  for (const k of ka) if (!deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

// ---- counted strings ---------------------------------------------------------------------------

function usBuffer(us: UnicodeString, what: string): { arr: number[]; start: number } {
  if (!(us.Buffer instanceof Ref)) {
    if (us.Buffer === null || us.Buffer === undefined) {
      if (us.MaximumLength === 0 && us.Length === 0) return { arr: [], start: 0 };
      throw new CRuntimeError('null-dereference', `${what} has a NULL Buffer`);
    }
    const elems = rawElements(us.Buffer as object, WCHAR) as number[];
    return { arr: elems, start: 0 };
  }
  return { arr: us.Buffer.c as number[], start: us.Buffer.k as number };
}

function usText(us: unknown, what: string): string {
  if (us === null || us === undefined) throw new CRuntimeError('null-dereference', `${what} is NULL`);
  const s = us as UnicodeString;
  if (s.Length % 2 !== 0) throw new CRuntimeError('bad-pointer', `${what}: Length ${s.Length} is odd; a UNICODE_STRING counts bytes of 2-byte characters`);
  if (s.Length > s.MaximumLength) throw new CRuntimeError('bad-pointer', `${what}: Length ${s.Length} exceeds MaximumLength ${s.MaximumLength}`);
  if (s.Buffer instanceof Ref) return unicodeStringText(s);
  const b = usBuffer(s, what);
  let t = '';
  for (let i = 0; i < s.Length / 2; i++) t += String.fromCharCode(b.arr[b.start + i] ?? 0);
  return t;
}

const rtlCopyUnicodeString: Builtin = (call) => {
  const [dst, src] = call.args as [UnicodeString, UnicodeString | null];
  if (!dst) throw new CRuntimeError('null-dereference', 'RtlCopyUnicodeString: DestinationString is NULL');
  if (!src) {
    dst.Length = 0;
    return undefined;
  }
  const text = usText(src, 'SourceString');
  const n = Math.min(text.length, Math.floor(dst.MaximumLength / 2));
  const b = usBuffer(dst, 'DestinationString');
  for (let i = 0; i < n; i++) b.arr[b.start + i] = text.charCodeAt(i);
  if (n * 2 < dst.MaximumLength) b.arr[b.start + n] = 0;
  dst.Length = n * 2;
  return undefined;
};

function appendText(dst: UnicodeString, text: string): number {
  if (dst.Length + text.length * 2 > dst.MaximumLength) return STATUS.STATUS_BUFFER_TOO_SMALL;
  const b = usBuffer(dst, 'Destination');
  const at = dst.Length / 2;
  for (let i = 0; i < text.length; i++) b.arr[b.start + at + i] = text.charCodeAt(i);
  dst.Length += text.length * 2;
  if (dst.Length < dst.MaximumLength) b.arr[b.start + dst.Length / 2] = 0;
  return STATUS.STATUS_SUCCESS;
}

// ---- ntstrsafe ---------------------------------------------------------------------------------

function writeWide(dest: unknown, capacityChars: number, text: string): number {
  if (!(dest instanceof Ref) || !Array.isArray(dest.c)) throw new CRuntimeError('bad-pointer', 'destination is not a character buffer');
  if (capacityChars <= 0) return STATUS.STATUS_INVALID_PARAMETER;
  const arr = dest.c as number[];
  const start = dest.k as number;
  const room = Math.min(capacityChars, arr.length - start);
  const n = Math.min(text.length, room - 1);
  for (let i = 0; i < n; i++) arr[start + i] = text.charCodeAt(i);
  arr[start + n] = 0;
  return n < text.length ? STATUS.STATUS_BUFFER_OVERFLOW : STATUS.STATUS_SUCCESS;
}

export function runtimeBuiltins(host: RuntimeHost): BuiltinTable {
  const table: BuiltinTable = new Map();
  const def = (name: string, fn: Builtin) => table.set(name, fn);
  def('memcpy', memcpy);
  def('memmove', memcpy);
  def('memset', memset);
  def('memcmp', memcmp);
  def('RtlCompareMemory', (call) => {
    const [a, b, n] = call.args;
    const va = arrayView(a, hintedElement(call, 0));
    const vb = arrayView(b, hintedElement(call, 1));
    if (!va || !vb) throw new CRuntimeError('unsupported', 'RtlCompareMemory on this kind of memory is not supported');
    const each = sizeOrOne(va.elem);
    const count = Math.ceil(Number(n) / each);
    let i = 0;
    while (i < count && va.arr[va.start + i] === vb.arr[vb.start + i]) i++;
    return Math.min(Number(n), i * each);
  });
  def('strlen', (call) => (readCString(call.args[0]) ?? '').length);
  def('wcslen', (call) => (readCString(call.args[0]) ?? '').length);
  const cmp = (ci: boolean, limit?: number): Builtin => (call) => {
    let a = readCString(call.args[0]) ?? '';
    let b = readCString(call.args[1]) ?? '';
    if (limit !== undefined) {
      const n = Number(call.args[limit]);
      a = a.slice(0, n);
      b = b.slice(0, n);
    }
    if (ci) {
      a = a.toLowerCase();
      b = b.toLowerCase();
    }
    return a === b ? 0 : a < b ? -1 : 1;
  };
  def('strcmp', cmp(false));
  def('wcscmp', cmp(false));
  def('_stricmp', cmp(true));
  def('_wcsicmp', cmp(true));
  def('_wcsnicmp', cmp(true, 2));

  def('RtlCopyUnicodeString', rtlCopyUnicodeString);
  def('RtlAppendUnicodeStringToString', (call) => appendText(call.args[0] as UnicodeString, usText(call.args[1], 'Source')));
  def('RtlAppendUnicodeToString', (call) => appendText(call.args[0] as UnicodeString, readCString(call.args[1]) ?? ''));
  def('RtlUpcaseUnicodeChar', (call) => String.fromCharCode(Number(call.args[0])).toUpperCase().charCodeAt(0));
  def('RtlStringCbCopyW', (call) => writeWide(call.args[0], Math.floor(Number(call.args[1]) / 2), readCString(call.args[2]) ?? ''));
  def('RtlStringCchCopyW', (call) => writeWide(call.args[0], Number(call.args[1]), readCString(call.args[2]) ?? ''));
  def('RtlStringCbCatW', (call) => {
    const existing = readCString(call.args[0]) ?? '';
    return writeWide(call.args[0], Math.floor(Number(call.args[1]) / 2), existing + (readCString(call.args[2]) ?? ''));
  });
  def('RtlStringCbPrintfW', (call) => writeWide(call.args[0], Math.floor(Number(call.args[1]) / 2), formatPrintf(readCString(call.args[2]) ?? '', call.args.slice(3), call.interp.addresses)));
  def('RtlStringCchPrintfW', (call) => writeWide(call.args[0], Number(call.args[1]), formatPrintf(readCString(call.args[2]) ?? '', call.args.slice(3), call.interp.addresses)));
  def('RtlStringCbPrintfA', (call) => writeWide(call.args[0], Number(call.args[1]), formatPrintf(readCString(call.args[2]) ?? '', call.args.slice(3), call.interp.addresses)));
  def('RtlStringCbCopyA', (call) => writeWide(call.args[0], Number(call.args[1]), readCString(call.args[2]) ?? ''));
  def('RtlStringCbLengthW', (call) => {
    const s = readCString(call.args[0]);
    if (s === undefined || s.length * 2 >= Number(call.args[1])) return STATUS.STATUS_INVALID_PARAMETER;
    if (call.args[2]) store(call.args[2], { kind: 'int', size: 8, signed: false, name: 'size_t' }, s.length * 2, 'pcbLength');
    return STATUS.STATUS_SUCCESS;
  });
  def('RtlStringCchLengthW', (call) => {
    const s = readCString(call.args[0]);
    if (s === undefined || s.length >= Number(call.args[1])) return STATUS.STATUS_INVALID_PARAMETER;
    if (call.args[2]) store(call.args[2], { kind: 'int', size: 8, signed: false, name: 'size_t' }, s.length, 'pcchLength');
    return STATUS.STATUS_SUCCESS;
  });

  const print = (skip: number): Builtin => (call) => {
    const fmt = readCString(call.args[skip]);
    if (fmt === undefined) throw new CRuntimeError('bad-pointer', `${call.name}: the format is not a string`);
    host.output(formatPrintf(fmt, call.args.slice(skip + 1), call.interp.addresses), call);
    return STATUS.STATUS_SUCCESS;
  };
  def('DbgPrint', print(0));
  def('DbgPrintEx', print(2));
  def('vDbgPrintEx', print(2));
  def('DbgBreakPoint', () => undefined);
  def('__fltsim_assert', (call) => {
    const [cond, text] = call.args;
    if (!truthyValue(cond)) host.violation('assert', `assertion failed: ${readCString(text) ?? '(expression)'}`, call);
    return undefined;
  });
  def('__fltsim_list_corrupt', (call) => {
    host.violation('list-corrupt', 'a LIST_ENTRY is corrupt (its neighbours do not point back at it); Windows stops with bug check 0x139 KERNEL_SECURITY_CHECK_FAILURE', call);
    return undefined;
  });
  return table;
}

function truthyValue(v: unknown): boolean {
  if (typeof v === 'number') return v !== 0;
  return v !== null && v !== undefined && v !== false;
}
