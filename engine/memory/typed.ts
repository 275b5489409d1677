/**
 * Loads and stores by C type over byte memory, with the x64 layouts of engine/c/types.ts:
 * integers little-endian (8-byte ones exact: numbers when safe, bigints beyond 2^53), floats,
 * pointers with their provenance, bit-fields inside their storage unit, and byte copies for structs,
 * unions and arrays (which C copies as a whole, provenance and initialisation included).
 */
import { layoutOf, sizeOf, type CType, type Field, type IntType, type StructType } from '../c/types';
import type { Allocation, PointerValue } from './allocation';
import { MemoryError } from './errors';
import { Ptr, resolve } from './pointer';

/** Where a field lives, relative to the start of its struct (through anonymous members). */
export interface FieldPlace {
  readonly name: string;
  readonly type: CType;
  readonly offset: number;
  /** Bit-fields: first bit inside the storage unit at `offset`, and width. */
  readonly bitOffset?: number;
  readonly bits?: number;
}

const PLACES = new WeakMap<StructType, Map<string, FieldPlace>>();

/** Every field reachable by name in `st` (anonymous members' fields included), with its place. */
export function fieldPlaces(st: StructType): Map<string, FieldPlace> {
  let places = PLACES.get(st);
  if (places === undefined) {
    places = new Map();
    collect(st, 0, places);
    // A forward-declared struct may be completed later: only cache a complete one.
    if (st.fields) PLACES.set(st, places);
  }
  return places;
}

function collect(st: StructType, base: number, out: Map<string, FieldPlace>): void {
  if (!st.fields) return;
  const layout = layoutOf(st);
  const bitPos = bitOffsets(st);
  for (const f of st.fields) {
    const offset = base + layout.offsets.get(f.name)!;
    if (f.name.startsWith('<anonymous')) {
      if (f.type.kind === 'struct' && f.bits === undefined) {
        // C11 anonymous members: their fields are the outer struct's (the first name wins).
        const inner = new Map<string, FieldPlace>();
        collect(f.type, offset, inner);
        for (const [k, v] of inner) if (!out.has(k)) out.set(k, v);
      }
      // The member itself by its (unspellable) name: how the C++ front end reaches a base-class subobject.
      if (!out.has(f.name)) out.set(f.name, { name: f.name, type: f.type, offset });
      continue;
    }
    if (out.has(f.name)) continue;
    if (f.bits !== undefined) out.set(f.name, { name: f.name, type: f.type, offset, bitOffset: bitPos.get(f)!, bits: f.bits });
    else out.set(f.name, { name: f.name, type: f.type, offset });
  }
}

/**
 * First bit of each bit-field inside its storage unit. layoutOf places the units (MSVC packs
 * adjacent bit-fields of one declared size into one unit); positions follow from the widths.
 */
function bitOffsets(st: StructType): Map<Field, number> {
  const layout = layoutOf(st);
  const out = new Map<Field, number>();
  let unit = -1;
  let unitSize = 0;
  let used = 0;
  for (const f of st.fields ?? []) {
    if (f.bits === undefined) {
      unit = -1;
      continue;
    }
    const off = layout.offsets.get(f.name)!;
    const size = sizeOf(f.type);
    if (st.union || off !== unit || size !== unitSize) {
      unit = off;
      unitSize = size;
      used = 0;
    }
    out.set(f, used);
    used += f.bits;
  }
  return out;
}

/** The place of field `name` of `st`, or an error naming the struct. */
export function fieldPlace(st: StructType, name: string): FieldPlace {
  const p = fieldPlaces(st).get(name);
  if (p === undefined) {
    if (!st.fields) throw new MemoryError('bad-pointer', `${st.displayName ?? st.tag} is incomplete here: its fields are not known`);
    throw new MemoryError('bad-pointer', `${st.displayName ?? st.tag} has no field '${name}'`);
  }
  return p;
}

// ---- scalars -----------------------------------------------------------------------------------

/** A scalar (integer, float, pointer) of type `t` at `offset` of `a`. */
export function loadAt(a: Allocation, offset: number, t: CType): unknown {
  switch (t.kind) {
    case 'int':
      return a.readInt(offset, t.size, t.signed);
    case 'float':
      return a.readFloat(offset, t.size);
    case 'ptr':
      return a.readPointer(offset);
    default:
      throw new MemoryError('bad-pointer', `a ${t.kind} is not loaded as one value; copy its bytes`);
  }
}

/** Stores a scalar of type `t` at `offset` of `a`. */
export function storeAt(a: Allocation, offset: number, t: CType, v: unknown): void {
  switch (t.kind) {
    case 'int':
      a.writeInt(offset, t.size, intValue(v));
      return;
    case 'float':
      a.writeFloat(offset, t.size, Number(v));
      return;
    case 'ptr':
      a.writePointer(offset, v);
      return;
    default:
      throw new MemoryError('bad-pointer', `a ${t.kind} is not stored as one value; copy its bytes`);
  }
}

function intValue(v: unknown): number | bigint {
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === null || v === undefined) return 0;
  throw new MemoryError('bad-pointer', 'stores a non-integer value into an integer');
}

/** `*p` for a scalar type. */
export function load(p: PointerValue | undefined, t: CType): unknown {
  const r = resolve(p, safeSize(t), 'reads');
  return loadAt(r.alloc, r.offset, t);
}

/** `*p = v` for a scalar type. */
export function store(p: PointerValue | undefined, t: CType, v: unknown): void {
  const r = resolve(p, safeSize(t), 'writes');
  storeAt(r.alloc, r.offset, t, v);
}

function safeSize(t: CType): number {
  return t.kind === 'int' || t.kind === 'float' ? t.size : 8;
}

// ---- bit-fields --------------------------------------------------------------------------------

/** A bit-field's value: `bits` bits from `bitOffset` of the unit at `offset`, sign-extended if signed. */
export function loadBits(a: Allocation, offset: number, unit: IntType, bitOffset: number, bits: number): number | bigint {
  const raw = a.readInt(offset, unit.size, false);
  if (unit.size === 8) {
    const v = BigInt.asUintN(bits, BigInt(raw) >> BigInt(bitOffset));
    const out = unit.signed ? BigInt.asIntN(bits, v) : v;
    const n = Number(out);
    return Number.isSafeInteger(n) ? n : out;
  }
  const shifted = Math.floor((raw as number) / 2 ** bitOffset) % 2 ** bits;
  if (unit.signed && !unit.boolean && shifted >= 2 ** (bits - 1)) return shifted - 2 ** bits;
  return shifted;
}

/** Writes a bit-field, leaving the other bits of its unit as they were. */
export function storeBits(a: Allocation, offset: number, unit: IntType, bitOffset: number, bits: number, value: number | bigint): void {
  const old = a.peek(offset, unit.size);
  let cur = 0n;
  for (let i = unit.size - 1; i >= 0; i--) cur = (cur << 8n) | BigInt(old[i]);
  const mask = ((1n << BigInt(bits)) - 1n) << BigInt(bitOffset);
  const v = (BigInt.asUintN(bits, BigInt(typeof value === 'number' ? Math.trunc(value) : value)) << BigInt(bitOffset)) & mask;
  const next = (cur & ~mask) | v;
  a.writeInt(offset, unit.size, unit.size === 8 ? next : Number(next));
}

// ---- aggregates --------------------------------------------------------------------------------

/** memmove(dst, src, size): bytes, initialisation and provenance. */
export function copy(dst: PointerValue | undefined, src: PointerValue | undefined, size: number): void {
  if (size === 0) return;
  const s = resolve(src, size, 'reads');
  const d = resolve(dst, size, 'writes');
  d.alloc.copyFrom(s.alloc, s.offset, d.offset, size);
}

/** memset(dst, byte, size). */
export function fill(dst: PointerValue | undefined, byte: number, size: number): void {
  if (size === 0) return;
  const d = resolve(dst, size, 'writes');
  d.alloc.fill(d.offset, size, byte);
}

/** A pointer to field `name` of the struct `p` points at. */
export function fieldPointer(p: Ptr, st: StructType, name: string): Ptr {
  return p.add(fieldPlace(st, name).offset);
}

/**
 * A scalar as a debugger shows it: the bytes as they are, with no report of uninitialised bytes
 * and no exposure of provenance (looking must not change the run). Undefined when the bytes were
 * never written or the memory cannot be read.
 */
export function peekAt(a: Allocation, offset: number, t: CType): unknown {
  const size = t.kind === 'int' || t.kind === 'float' ? t.size : t.kind === 'ptr' ? 8 : 0;
  if (size === 0 || !a.accessible || offset < 0 || offset + size > a.size || !a.isInitialized(offset, size)) return undefined;
  if (t.kind === 'ptr') {
    const p = a.provenance().get(offset);
    if (p !== undefined) return p;
  }
  const bytes = a.peek(offset, size);
  const view = new DataView(bytes.buffer);
  if (t.kind === 'float') return size === 4 ? view.getFloat32(0, true) : view.getFloat64(0, true);
  if (size === 8) {
    const big = t.kind === 'int' && !t.signed ? view.getBigUint64(0, true) : view.getBigInt64(0, true);
    const n = Number(big);
    const v = Number.isSafeInteger(n) ? n : big;
    if (t.kind === 'ptr') return v === 0 ? null : new Ptr(null, Number(v));
    return v;
  }
  const it = t as IntType;
  if (size === 4) return it.signed ? view.getInt32(0, true) : view.getUint32(0, true);
  if (size === 2) return it.signed ? view.getInt16(0, true) : view.getUint16(0, true);
  return it.signed ? view.getInt8(0) : view.getUint8(0);
}

/**
 * The member of an object of type `t` that byte `offset` belongs to, as C would name it from the
 * object (`.Flags`, `[3]`, `.Name.Buffer`), or '' for the object itself or padding.
 */
export function memberAt(t: CType, offset: number, whole?: number): string {
  // The start of an object of `whole` bytes (a kernel object the caller knows the size of): named
  // as itself, not by the first member of its own internals.
  if (whole !== undefined && offset === 0 && sizeOf(t) <= whole) return '';
  if (t.kind === 'array') {
    const each = sizeOf(t.of);
    if (each === 0) return '';
    const i = Math.floor(offset / each);
    return `[${i}]${memberAt(t.of, offset - i * each, whole)}`;
  }
  if (t.kind !== 'struct' || !t.fields) return '';
  for (const p of fieldPlaces(t).values()) {
    const size = p.bits !== undefined ? (p.type as IntType).size : p.type.kind === 'array' && p.type.length === undefined ? 0 : sizeOf(p.type);
    if (offset >= p.offset && offset < p.offset + size) return `.${p.name}${memberAt(p.type, offset - p.offset, whole)}`;
  }
  return '';
}
