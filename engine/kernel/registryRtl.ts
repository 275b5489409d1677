/**
 * The Rtl registry helpers: RtlQueryRegistryValues (the query-table protocol), RtlWriteRegistryValue,
 * RtlDeleteRegistryValue, RtlCheckRegistryKey and RtlCreateRegistryKey. Paths are relative to one of
 * the RTL_REGISTRY_* roots, or to a key handle (RTL_REGISTRY_HANDLE).
 *
 * The query table, entry by entry until one has neither QueryRoutine nor Name:
 * - SUBKEY: later entries read the subkey Name; TOPKEY: back to the key Path names;
 * - DIRECT: the value goes to EntryContext (a UNICODE_STRING for strings — its buffer allocated from
 *   paged pool when NULL —, the bytes themselves for data of 4 bytes or less, else a buffer whose
 *   first LONG gives its size: negative for the data alone, positive for length, type and data);
 * - otherwise QueryRoutine runs for the value (for every value when Name is NULL; once per string of
 *   a REG_MULTI_SZ unless NOEXPAND), and an error it returns ends the query with that status;
 * - without NOEXPAND a REG_EXPAND_SZ value is expanded (environment.ts) and given as REG_SZ;
 * - a missing value takes DefaultType/DefaultData when DefaultType is not REG_NONE, fails the query
 *   with REQUIRED, else is skipped; TYPECHECK refuses a value of another type; DELETE deletes it after.
 */
import type { Kernel } from './kernel';
import type { Co } from './coroutine';
import { isFunctionValue, WideText } from './cvalues';
import { pointerOf } from './marshal';
import type { DriverFn } from './driverFn';
import { nameOf } from './driverFn';
import type { PoolRoutines } from './pool';
import type { RtlRoutines } from './rtl';
import { STATUS } from './status';
import { Ptr, resolve, type AllocPtr } from '../memory/pointer';
import { readCString } from '../memory/strings';
import { sizeOf } from '../c/types';
import { viewOf, type StructView } from '../memory/view';
import { RegKey, REG_EXPAND_SZ, REG_MULTI_SZ, REG_NONE, REG_SZ, SERVICES_KEY, describeValue, multiStrings, utf16Bytes, utf16Text, type RegValue } from './registryTree';
import type { RegistryRoutines } from './registry';
import { SYSTEM_ENVIRONMENT, environmentBlock, expandEnvironment } from './environment';

const RTL_REGISTRY_HANDLE = 0x40000000;
const RTL_REGISTRY_OPTIONAL = 0x80000000;
const ROOTS = [
  '',
  SERVICES_KEY,
  '\\REGISTRY\\MACHINE\\SYSTEM\\CurrentControlSet\\Control',
  '\\REGISTRY\\MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion',
  '\\REGISTRY\\MACHINE\\HARDWARE\\DEVICEMAP',
  // The current user: the scenario's programs run as the default user.
  '\\REGISTRY\\USER\\.DEFAULT',
];

const SUBKEY = 0x1;
const TOPKEY = 0x2;
const REQUIRED = 0x4;
const NOVALUE = 0x8;
const NOEXPAND = 0x10;
const DIRECT = 0x20;
const DELETE = 0x40;
const NOSTRING = 0x80;
const TYPECHECK = 0x100;

/** 'Rtlq': the tag of the string buffers RtlQueryRegistryValues allocates for DIRECT entries. */
const QUERY_TAG = 0x716c7452;

/** The pointer behind a C pointer argument or field (a Ptr, a view or a cell); undefined for NULL. */
function asPtr(v: unknown): Ptr | undefined {
  const p = pointerOf(v);
  return p instanceof Ptr ? p : undefined;
}

/** A PCWSTR argument's text (empty for NULL). */
function wideText(v: unknown): string {
  if (v instanceof WideText) return v.text;
  const p = asPtr(v);
  return p === undefined ? '' : readCString(p, 2);
}

export class RegistryRtlRoutines {
  constructor(
    private readonly k: Kernel,
    private readonly registry: RegistryRoutines,
    private readonly pool: PoolRoutines,
    private readonly rtl: RtlRoutines,
  ) {}

  /** The key RelativeTo and Path name, or a status (with a violation for a bad RelativeTo). */
  private keyAt(routine: string, RelativeTo: number, Path: unknown, create = false): RegKey | number {
    const k = this.k;
    const rel = Number(RelativeTo) >>> 0;
    if ((rel & RTL_REGISTRY_HANDLE) !== 0) {
      const key = this.registry.keyOf(routine, Path, 0);
      return key;
    }
    const base = ROOTS[rel & ~RTL_REGISTRY_OPTIONAL];
    if (base === undefined) {
      k.violation('invalid-parameter', `${routine}: RelativeTo ${rel} is none of RTL_REGISTRY_ABSOLUTE…RTL_REGISTRY_USER, nor RTL_REGISTRY_HANDLE`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const path = wideText(Path);
    const full = base === '' ? path : path === '' ? base : `${base}\\${path.replace(/^\\/, '')}`;
    if (create) {
      if (!full.toUpperCase().startsWith('\\REGISTRY\\')) return STATUS.STATUS_OBJECT_NAME_INVALID;
      const existing = this.registry.tree.find(full);
      if (existing instanceof RegKey) return existing;
      const key = this.registry.tree.ensure(full);
      k.emit('registry', 0, `${routine}: created ${key.path}`);
      return key;
    }
    const key = this.registry.tree.find(full);
    if (key === 'invalid') return STATUS.STATUS_OBJECT_NAME_INVALID;
    if (key === 'not-found') return STATUS.STATUS_OBJECT_NAME_NOT_FOUND;
    return key;
  }

  *RtlQueryRegistryValues(RelativeTo: number, Path: unknown, QueryTable: unknown, Context: unknown, Environment: unknown): Co<number> {
    return yield* this.query('RtlQueryRegistryValues', RelativeTo, Path, QueryTable, Context, Environment);
  }

  *RtlQueryRegistryValuesEx(RelativeTo: number, Path: unknown, QueryTable: unknown, Context: unknown, Environment: unknown): Co<number> {
    return yield* this.query('RtlQueryRegistryValuesEx', RelativeTo, Path, QueryTable, Context, Environment);
  }

  private *query(routine: string, RelativeTo: number, Path: unknown, QueryTable: unknown, Context: unknown, Environment: unknown): Co<number> {
    const k = this.k;
    k.checkIrql(routine);
    const table = asPtr(QueryTable);
    if (table === undefined) {
      k.violation('null-param', `${routine} needs a QueryTable (an array of RTL_QUERY_REGISTRY_TABLE ended by a zeroed entry)`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const top = this.keyAt(routine, RelativeTo, Path);
    if (typeof top === 'number') return top;
    const environment = asPtr(Environment);
    const env = environment === undefined ? SYSTEM_ENVIRONMENT : environmentBlock(environment);
    const st = k.marshal.struct('_RTL_QUERY_REGISTRY_TABLE');
    const size = sizeOf(st);
    let current = top;
    for (let i = 0; ; i++) {
      const e = viewOf(table.add(i * size), st);
      const fn = (e.QueryRoutine ?? null) as DriverFn | null;
      const nameP = asPtr(e.Name) ?? null;
      if ((fn === null || fn === undefined) && (nameP === null || nameP === undefined)) return STATUS.STATUS_SUCCESS;
      const flags = Number(e.Flags) >>> 0;
      const name = nameP === null ? undefined : readCString(nameP, 2);
      if (flags & TOPKEY) current = top;
      if (flags & SUBKEY) {
        if (name === undefined) {
          k.violation('invalid-parameter', `${routine}: entry ${i} has RTL_QUERY_REGISTRY_SUBKEY but no Name (the subkey's name)`);
          return STATUS.STATUS_INVALID_PARAMETER;
        }
        const sub = this.registry.tree.findFrom(top, name);
        if (!(sub instanceof RegKey)) return STATUS.STATUS_OBJECT_NAME_NOT_FOUND;
        current = sub;
        if (fn === null || fn === undefined) continue;
        for (const v of [...current.values.values()]) {
          const r = yield* this.deliver(routine, e, flags, v.name, v, Context, env);
          if (r !== STATUS.STATUS_SUCCESS) return r;
        }
        continue;
      }
      if ((flags & DIRECT) === 0 && !isFunctionValue(fn) && typeof fn !== 'function') {
        if (flags & TOPKEY) continue;
        k.violation('invalid-parameter', `${routine}: entry ${i} ("${name ?? ''}") has neither a QueryRoutine nor RTL_QUERY_REGISTRY_DIRECT`);
        return STATUS.STATUS_INVALID_PARAMETER;
      }
      if (flags & NOVALUE) {
        if (flags & DIRECT) continue;
        const r = yield* this.callRoutine(e, fn!, name ?? '', REG_NONE, null, 0, Context);
        if (r !== STATUS.STATUS_SUCCESS) return r;
        continue;
      }
      if (name === undefined) {
        if (flags & DIRECT) {
          k.violation('invalid-parameter', `${routine}: entry ${i} has RTL_QUERY_REGISTRY_DIRECT but no Name; a direct entry reads one named value`);
          return STATUS.STATUS_INVALID_PARAMETER;
        }
        for (const v of [...current.values.values()]) {
          const r = yield* this.deliver(routine, e, flags, v.name, v, Context, env);
          if (r !== STATUS.STATUS_SUCCESS) return r;
        }
        continue;
      }
      let v: RegValue | undefined = current.value(name);
      if (v === undefined) {
        const dtype = Number(e.DefaultType) >>> 0;
        if (flags & REQUIRED) return STATUS.STATUS_OBJECT_NAME_NOT_FOUND;
        if (dtype === REG_NONE) continue;
        v = { name, type: dtype, data: this.defaultData(dtype, e.DefaultData, Number(e.DefaultLength) >>> 0) };
      } else if (flags & TYPECHECK) {
        const want = flags >>> 24;
        if (v.type !== want) return STATUS.STATUS_OBJECT_TYPE_MISMATCH;
      }
      const r = yield* this.deliver(routine, e, flags, name, v, Context, env);
      if (r !== STATUS.STATUS_SUCCESS) return r;
      if ((flags & DELETE) && current.value(name) !== undefined) this.registry.tree.deleteValue(current, name, this.registry.now());
    }
  }

  /** DefaultData as a value's bytes; a DefaultLength of 0 for a string type means "up to its NUL". */
  private defaultData(type: number, dataArg: unknown, length: number): Uint8Array {
    const data = asPtr(dataArg);
    if (data === undefined) return new Uint8Array(0);
    if (length === 0 && (type === REG_SZ || type === REG_EXPAND_SZ)) return utf16Bytes(readCString(data, 2), true);
    if (length === 0 && type === REG_MULTI_SZ) {
      const out: string[] = [];
      for (let p = data; ; ) {
        const s = readCString(p, 2);
        if (s === '') break;
        out.push(s);
        p = p.add((s.length + 1) * 2);
      }
      return utf16Bytes(out.map((s) => `${s}\0`).join('') + '\0', false);
    }
    if (length === 0) return new Uint8Array(0);
    const r = resolve(data, length, 'reads');
    return r.alloc.readBytes(r.offset, length);
  }

  /** One value to one entry: into EntryContext (DIRECT) or through QueryRoutine. */
  private *deliver(routine: string, e: StructView, flags: number, name: string, v: RegValue, Context: unknown, env: ReadonlyMap<string, string>): Co<number> {
    // Expanded, a REG_EXPAND_SZ value is a REG_SZ: its text with the environment's variables in it.
    if (v.type === REG_EXPAND_SZ && (flags & NOEXPAND) === 0) v = { ...v, type: REG_SZ, data: utf16Bytes(expandEnvironment(utf16Text(v.data), env), true) };
    if (flags & DIRECT) return this.direct(routine, e, flags, v);
    const fn = e.QueryRoutine as DriverFn;
    if (v.type === REG_MULTI_SZ && (flags & NOEXPAND) === 0) {
      for (const s of multiStrings(v.data)) {
        const data = utf16Bytes(s, true);
        const r = yield* this.callRoutine(e, fn, name, REG_SZ, data, data.length, Context);
        if (r !== STATUS.STATUS_SUCCESS) return r;
      }
      return STATUS.STATUS_SUCCESS;
    }
    return yield* this.callRoutine(e, fn, name, v.type, v.data, v.data.length, Context);
  }

  private *callRoutine(e: StructView, fn: DriverFn, name: string, type: number, data: Uint8Array | null, length: number, Context: unknown): Co<number> {
    const k = this.k;
    const space = k.marshal.space;
    const nameBytes = utf16Bytes(name, true);
    const nameP = space.pointer(space.allocate('engine', nameBytes.length, { label: `value name "${name}"`, contents: nameBytes }));
    const dataP = data === null || data.length === 0 ? null : space.pointer(space.allocate('engine', data.length, { label: `data of value "${name}" (${data.length} bytes)`, contents: data }));
    const r = yield* k.callDriver(k.current, fn, nameOf(fn, 'QueryRoutine'), [nameP, type, dataP, length, Context ?? null, e.EntryContext ?? null]);
    return Number(r) >>> 0 >= 0x80000000 ? Number(r) >>> 0 : STATUS.STATUS_SUCCESS;
  }

  /** A DIRECT entry's EntryContext receives the value (see the header). */
  private direct(routine: string, e: StructView, flags: number, v: RegValue): number {
    const k = this.k;
    const target = asPtr(e.EntryContext);
    if (target === undefined) {
      k.violation('null-param', `${routine}: the RTL_QUERY_REGISTRY_DIRECT entry for "${v.name}" has no EntryContext to store the value in`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const isString = (v.type === REG_SZ || v.type === REG_EXPAND_SZ || v.type === REG_MULTI_SZ) && (flags & NOSTRING) === 0;
    if (isString) {
      const us = viewOf(target, k.marshal.struct('_UNICODE_STRING'));
      const bytes = v.data.length >= 2 ? v.data : utf16Bytes('', true);
      const length = Math.max(0, bytes.length - 2);
      if (us.Buffer === null || us.Buffer === undefined) {
        const block: AllocPtr = this.pool.allocate(routine, bytes.length, 'PagedPool', QUERY_TAG);
        block.alloc.writeBytes(block.offset, bytes);
        this.rtl.adoptPoolString(block);
        us.Buffer = block;
        us.MaximumLength = bytes.length;
      } else {
        if (Number(us.MaximumLength) < bytes.length) return STATUS.STATUS_BUFFER_TOO_SMALL;
        const r = resolve(us.Buffer as Ptr, bytes.length, 'writes');
        r.alloc.writeBytes(r.offset, bytes);
      }
      us.Length = length;
      return STATUS.STATUS_SUCCESS;
    }
    if (v.data.length <= 4) {
      if (v.data.length > 0) {
        const r = resolve(target, v.data.length, 'writes');
        r.alloc.writeBytes(r.offset, v.data);
      }
      return STATUS.STATUS_SUCCESS;
    }
    // More than a ULONG: the buffer's first LONG says how big it is (negative: data only).
    const head = resolve(target, 4, 'reads');
    const declared = Number(head.alloc.readInt(head.offset, 4, true));
    if (declared < 0) {
      if (v.data.length > -declared) return STATUS.STATUS_BUFFER_TOO_SMALL;
      const r = resolve(target, v.data.length, 'writes');
      r.alloc.writeBytes(r.offset, v.data);
      return STATUS.STATUS_SUCCESS;
    }
    if (v.data.length + 8 > declared) {
      k.emit('registry', 0, `${routine}: "${v.name}" (${describeValue(v)}) needs ${v.data.length + 8} bytes at EntryContext, whose first LONG says ${declared} (STATUS_BUFFER_TOO_SMALL); for data over 4 bytes set that LONG to the buffer's size, negated to get the data alone`);
      return STATUS.STATUS_BUFFER_TOO_SMALL;
    }
    const out = new Uint8Array(8 + v.data.length);
    const dv = new DataView(out.buffer);
    dv.setUint32(0, v.data.length, true);
    dv.setUint32(4, v.type, true);
    out.set(v.data, 8);
    const r = resolve(target, out.length, 'writes');
    r.alloc.writeBytes(r.offset, out);
    return STATUS.STATUS_SUCCESS;
  }

  RtlWriteRegistryValue(RelativeTo: number, Path: unknown, ValueName: unknown, ValueType: number, ValueData: unknown, ValueLength: number): number {
    const k = this.k;
    k.checkIrql('RtlWriteRegistryValue');
    const key = this.keyAt('RtlWriteRegistryValue', RelativeTo, Path);
    if (typeof key === 'number') return key;
    const name = wideText(ValueName);
    const size = Number(ValueLength) >>> 0;
    let data: Uint8Array = new Uint8Array(0);
    const dataP = asPtr(ValueData);
    if (size > 0) {
      if (dataP === undefined) {
        k.violation('null-param', `RtlWriteRegistryValue was given ValueLength ${size} but no ValueData`);
        return STATUS.STATUS_INVALID_PARAMETER;
      }
      const r = resolve(dataP, size, 'reads');
      data = r.alloc.readBytes(r.offset, size);
    }
    this.registry.tree.setValue(key, name, Number(ValueType) >>> 0, data, this.registry.now());
    k.emit('registry', 0, `RtlWriteRegistryValue: ${key.path} "${name}" = ${describeValue({ type: Number(ValueType) >>> 0, data })}`);
    return STATUS.STATUS_SUCCESS;
  }

  RtlDeleteRegistryValue(RelativeTo: number, Path: unknown, ValueName: unknown): number {
    this.k.checkIrql('RtlDeleteRegistryValue');
    const key = this.keyAt('RtlDeleteRegistryValue', RelativeTo, Path);
    if (typeof key === 'number') return key;
    const name = wideText(ValueName);
    return this.registry.tree.deleteValue(key, name, this.registry.now()) ? STATUS.STATUS_SUCCESS : STATUS.STATUS_OBJECT_NAME_NOT_FOUND;
  }

  RtlCheckRegistryKey(RelativeTo: number, Path: unknown): number {
    this.k.checkIrql('RtlCheckRegistryKey');
    const key = this.keyAt('RtlCheckRegistryKey', RelativeTo, Path);
    return typeof key === 'number' ? key : STATUS.STATUS_SUCCESS;
  }

  /** Creates the key and every missing key on its path. */
  RtlCreateRegistryKey(RelativeTo: number, Path: unknown): number {
    this.k.checkIrql('RtlCreateRegistryKey');
    const key = this.keyAt('RtlCreateRegistryKey', RelativeTo, Path, true);
    return typeof key === 'number' ? key : STATUS.STATUS_SUCCESS;
  }
}

