/**
 * The interpreter's access to byte memory (engine/memory): loads and stores of C objects through
 * pointer values, with the C expression and location in every error, and the storage of locals,
 * globals and temporaries.
 *
 * Every load and store here tells the allocation's address space (`space.touch`): schedule
 * exploration's footprints of driver code. Keep that on any new access path.
 *
 * Values the interpreter holds: integers (numbers; 8-byte ones bigints beyond 2^53), floats,
 * pointers (`Ptr`, a function value, or null), and for a struct or array the pointer to its storage
 * (a struct "value" is where it lives; assignment copies its bytes).
 */
import type { Loc } from '../c/ast';
import { sizeOf, typeName, type CType, type IntType, type StructType } from '../c/types';
import type { PointerValue } from '../memory/allocation';
import { resolve, type AllocPtr } from '../memory/pointer';
import type { AddressSpace } from '../memory/space';
import { fieldPlace, loadAt, loadBits, storeAt, storeBits, type FieldPlace } from '../memory/typed';
import { CRuntimeError, memoryFault } from './errors';

/** Bytes a scalar access of type `t` touches. */
export function accessSize(t: CType): number {
  return t.kind === 'int' || t.kind === 'float' ? t.size : 8;
}

/** `*p` for a scalar type `t`; a struct or array "loads" as the pointer to its storage. */
export function load(p: unknown, t: CType, what: string, loc?: Loc): unknown {
  if (t.kind === 'struct' || t.kind === 'array') {
    if (p === null || p === undefined) throw nullDeref(what, loc);
    return p;
  }
  try {
    const r = resolve(p as PointerValue, accessSize(t), 'reads');
    r.alloc.space.touch(r.alloc, false);
    return loadAt(r.alloc, r.offset, t);
  } catch (e) {
    throw memoryFault(e, what, loc);
  }
}

/** `*p = v` for a scalar type; for a struct, `v` is the source's storage and its bytes are copied. */
export function store(p: unknown, t: CType, v: unknown, what: string, loc?: Loc): void {
  try {
    if (t.kind === 'struct' || t.kind === 'array') {
      copyBytes(p, v, sizeOf(t), what, loc);
      return;
    }
    const r = resolve(p as PointerValue, accessSize(t), 'writes');
    r.alloc.space.touch(r.alloc, true);
    storeAt(r.alloc, r.offset, t, v);
  } catch (e) {
    throw memoryFault(e, what, loc);
  }
}

/** A bit-field read: the field's bits of the unit at `p`. */
export function loadBitField(p: unknown, place: FieldPlace, what: string, loc?: Loc): unknown {
  const unit = place.type as IntType;
  try {
    const r = resolve(p as PointerValue, unit.size, 'reads');
    r.alloc.space.touch(r.alloc, false);
    return loadBits(r.alloc, r.offset, unit, place.bitOffset!, place.bits!);
  } catch (e) {
    throw memoryFault(e, what, loc);
  }
}

export function storeBitField(p: unknown, place: FieldPlace, v: unknown, what: string, loc?: Loc): void {
  const unit = place.type as IntType;
  try {
    const r = resolve(p as PointerValue, unit.size, 'writes');
    r.alloc.space.touch(r.alloc, true);
    storeBits(r.alloc, r.offset, unit, place.bitOffset!, place.bits!, typeof v === 'bigint' ? v : Number(v ?? 0));
  } catch (e) {
    throw memoryFault(e, what, loc);
  }
}

/** memmove of `size` bytes (struct assignment, struct arguments, memcpy). */
export function copyBytes(dst: unknown, src: unknown, size: number, what: string, loc?: Loc): void {
  if (size === 0) return;
  try {
    const s = resolve(src as PointerValue, size, 'reads');
    const d = resolve(dst as PointerValue, size, 'writes');
    s.alloc.space.touch(s.alloc, false);
    d.alloc.space.touch(d.alloc, true);
    d.alloc.copyFrom(s.alloc, s.offset, d.offset, size);
  } catch (e) {
    throw memoryFault(e, what, loc);
  }
}

/** The place of field `name` in struct `st`, or a compile error naming the struct. */
export function fieldOf(st: StructType, name: string, what: string): FieldPlace {
  if (!st.fields) throw new CRuntimeError('incomplete-type', `${what}: ${typeName(st)} is incomplete here; its fields are not visible`);
  try {
    return fieldPlace(st, name);
  } catch {
    throw new CRuntimeError('no-field', `${what}: ${typeName(st)} has no field '${name}'`);
  }
}

function nullDeref(what: string, loc?: Loc): CRuntimeError {
  return new CRuntimeError('null-dereference', `NULL pointer dereference: ${what} is NULL (on Windows this bug-checks with PAGE_FAULT_IN_NONPAGED_AREA)`, loc);
}

/** Storage for a C object of type `t`: zeroed for statics and `= {0}`, uninitialised otherwise. */
export function allocateObject(space: AddressSpace, kind: 'stack' | 'global' | 'temporary', t: CType, label: string, zeroed: boolean, name?: string): AllocPtr {
  let size: number;
  try {
    size = sizeOf(t);
  } catch {
    throw new CRuntimeError('incomplete-type', `cannot create ${label}: ${typeName(t)} has no size here (its definition is not visible)`);
  }
  return space.pointer(space.allocate(kind, size, { label, zeroed, type: t, name }));
}

/** Zeroes the storage `p` points at (`= {0}`, the part of an aggregate an initializer leaves out). */
export function zeroFill(p: AllocPtr, size: number): void {
  p.alloc.fill(p.offset, size, 0);
}

