/**
 * Pointer arithmetic, comparison and truth on byte memory: a pointer is an allocation and a byte
 * offset (engine/memory/pointer.ts), so `p + n` moves the offset by n elements, `p - q` is a byte
 * distance within one allocation, and CONTAINING_RECORD is the field offset subtracted.
 */
import { offsetOf, sizeOf, type CType, type StructType } from '../c/types';
import type { CodeTarget, PointerValue } from '../memory/allocation';
import { MemoryError } from '../memory/errors';
import { byteDistance, Ptr } from '../memory/pointer';
import type { AddressSpace } from '../memory/space';
import { CRuntimeError, memoryFault } from './errors';

export function truthy(v: unknown): boolean {
  if (typeof v === 'number') return v !== 0;
  if (v === null || v === undefined) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return v !== 0n;
  if (v instanceof Ptr) return v.alloc !== null || v.offset !== 0;
  return true;
}

/** The address a pointer or integer stands for, for `==` and relational operators. */
function addressOf(v: unknown, space: AddressSpace): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(BigInt.asIntN(64, v));
  if (typeof v === 'boolean') return v ? 1 : 0;
  return space.addressOf(v as PointerValue);
}

export function pointersEqual(a: unknown, b: unknown, space: AddressSpace): boolean {
  if (a === b) return true;
  if (a instanceof Ptr && b instanceof Ptr && a.alloc === b.alloc) return a.offset === b.offset;
  return addressOf(a, space) === addressOf(b, space);
}

/**
 * Relational comparison of two pointers: by address, which follows the offset within one
 * allocation. Pointers compare unsigned, so every kernel address (negative as a signed 64-bit
 * number) is above every user address, as `p > (PVOID)0x80000000` expects.
 */
export function pointerCompare(a: unknown, b: unknown, space: AddressSpace): number {
  if (a instanceof Ptr && b instanceof Ptr && a.alloc === b.alloc) return a.offset - b.offset;
  const x = addressOf(a, space);
  const y = addressOf(b, space);
  if (x < 0 !== y < 0) return x < 0 ? 1 : -1;
  return x - y;
}

function elementSize(elem: CType): number {
  if (elem.kind === 'void' || elem.kind === 'func') return 1; // GNU C and MSVC: void * steps by bytes
  return sizeOf(elem);
}

/** `p + n` for a pointer to `elem`. */
export function pointerAdd(p: unknown, n: number, elem: CType, what: string): unknown {
  if (n === 0) return p ?? null;
  const bytes = n * elementSize(elem);
  if (p instanceof Ptr) {
    const q = p.add(bytes);
    return q.alloc === null && q.offset === 0 ? null : q;
  }
  if (p === null || p === undefined) return new Ptr(null, bytes);
  if (typeof p === 'object' && (p as CodeTarget).kind === 'function') throw new CRuntimeError('bad-pointer', `${what}: arithmetic on a function pointer`);
  throw new CRuntimeError('bad-pointer', `${what}: arithmetic on a non-pointer`);
}

/** `p - q` in elements of `elem`. */
export function pointerDiff(a: unknown, b: unknown, elem: CType, what: string): number {
  try {
    const bytes = byteDistance(toPointer(a), toPointer(b));
    return Math.trunc(bytes / elementSize(elem));
  } catch (e) {
    throw memoryFault(e, `${what}:`);
  }
}

function toPointer(v: unknown): PointerValue {
  if (v === undefined || v === null) return null;
  if (v instanceof Ptr) return v;
  throw new MemoryError('bad-pointer', 'subtracts something that is not a data pointer');
}

/**
 * CONTAINING_RECORD(address, TYPE, Field): the address of the record whose `Field` is at `address`
 * — pure arithmetic, as in the WDK. A pointer that does not really point into such a record is
 * caught when the result is used.
 */
export function containingRecord(p: unknown, st: StructType, path: string[]): unknown {
  const off = offsetOf(st, path);
  if (p === null || p === undefined) return new Ptr(null, -off);
  if (p instanceof Ptr) return p.add(-off);
  throw new CRuntimeError('bad-pointer', 'CONTAINING_RECORD of a non-pointer');
}
