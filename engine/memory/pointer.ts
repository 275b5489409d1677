/**
 * Pointer values: an allocation plus a byte offset (Miri's provenance + address). Arithmetic moves
 * the offset and may leave the allocation — C only faults when such a pointer is used, and so does
 * fltsim, naming the offset. A pointer made from an integer that no exposed allocation holds has no
 * allocation (`alloc === null`) and `offset` is its address: it compares and prints, and any access
 * through it is an error. NULL is `null`; a function pointer is the function value itself.
 */
import type { Allocation, CodeTarget, PointerValue } from './allocation';
import { MemoryError } from './errors';

export class Ptr {
  constructor(
    /** What it points into; null for an address without provenance. */
    readonly alloc: Allocation | null,
    /** Byte offset into `alloc`, or the address itself when `alloc` is null. */
    readonly offset: number,
  ) {}

  /** The address as a signed 64-bit integer (kernel addresses are negative). */
  get address(): number {
    return this.alloc === null ? this.offset : this.alloc.base + this.offset;
  }

  /** `(PUCHAR)p + bytes`. */
  add(bytes: number): Ptr {
    return bytes === 0 ? this : new Ptr(this.alloc, this.offset + bytes);
  }
}

/** A pointer known to have provenance. */
export type AllocPtr = Ptr & { readonly alloc: Allocation };

export function isPtr(v: unknown): v is Ptr {
  return v instanceof Ptr;
}

export function isCodeTarget(v: unknown): v is CodeTarget {
  return typeof v === 'object' && v !== null && (v as CodeTarget).kind === 'function';
}

/**
 * The engine object a pointer stands for: the owner of a handle or of an engine object's memory,
 * when the pointer is at its start. Anything else gives undefined.
 */
export function ownerOf(p: unknown): unknown {
  if (!(p instanceof Ptr) || p.alloc === null || p.offset !== 0) return undefined;
  const k = p.alloc.kind;
  return k === 'opaque' || k === 'engine' ? p.alloc.owner : undefined;
}

/** The highest address of user space on x64 Windows (MM_HIGHEST_USER_ADDRESS): 0x00007FFF_FFFEFFFF. */
export const MM_HIGHEST_USER_ADDRESS = 0x7fff_fffe_ffff;
/** The first address ProbeForRead/ProbeForWrite refuse (MM_USER_PROBE_ADDRESS): 0x00007FFF_FFFF0000. */
export const MM_USER_PROBE_ADDRESS = 0x7fff_ffff_0000;

/** Whether an address (signed 64-bit, as Ptr.address gives it) is in user space; NULL's page is. */
export function isUserAddress(address: number): boolean {
  return address >= 0 && address < MM_USER_PROBE_ADDRESS;
}

/** Addresses below this are NULL plus a small offset (`&((T *)0)->Field`, a field of a NULL struct). */
export const NULL_PAGE_END = 0x10000;

/**
 * The allocation and offset an access through `p` reaches, or the error C would fault with.
 * `size` and `verb` word the message (`reads 4 bytes at offset 14 of …`).
 */
export function resolve(p: PointerValue | undefined, size: number, verb: 'reads' | 'writes'): AllocPtr {
  if (p === null || p === undefined) throw new MemoryError('null-dereference', `${verb} ${size} byte${size === 1 ? '' : 's'} through a NULL pointer`, 0);
  if (!(p instanceof Ptr)) {
    throw new MemoryError('not-dereferenceable', `${verb} memory through a pointer to the function ${(p as CodeTarget).name}`);
  }
  if (p.alloc === null) {
    const a = p.offset;
    if (a > -NULL_PAGE_END && a < NULL_PAGE_END) {
      const rel = a >= 0 ? `NULL plus ${a}` : `NULL minus ${-a}`;
      throw new MemoryError('null-dereference', `${verb} ${size} byte${size === 1 ? '' : 's'} at address ${hexAddress(a)} (${rel}): a NULL pointer with an offset`, a >= 0 ? a : undefined);
    }
    throw new MemoryError('bad-pointer', `${verb} ${size} byte${size === 1 ? '' : 's'} at address ${hexAddress(a)}, which no allocation holds (an integer turned into a pointer)`, isUserAddress(a) ? a : undefined);
  }
  return p as AllocPtr;
}

/** `0xffffa00000001000`: 16 hex digits of the 64-bit address. */
export function hexAddress(address: number | bigint): string {
  return `0x${u64Hex(address)}`;
}

/** The address as 16 hex digits, two's complement for kernel (negative) addresses. */
export function u64Hex(address: number | bigint): string {
  const big = typeof address === 'bigint' ? address : BigInt(Math.trunc(address));
  return BigInt.asUintN(64, big).toString(16).padStart(16, '0');
}

/** C's `==` on pointers: same address (a one-past-the-end pointer may equal nothing else here). */
export function pointerAddress(v: PointerValue, codeAddress: (f: CodeTarget) => number): number {
  if (v === null) return 0;
  if (v instanceof Ptr) return v.address;
  return codeAddress(v as CodeTarget);
}

/**
 * `p - q` in bytes. C defines it only within one array; across allocations it is an error, as in
 * Miri (the distance between two blocks means nothing and changes from run to run on Windows).
 */
export function byteDistance(p: PointerValue, q: PointerValue): number {
  if (p instanceof Ptr && q instanceof Ptr) {
    if (p.alloc === q.alloc) return p.offset - q.offset;
    if (p.alloc === null || q.alloc === null) return p.address - q.address;
  }
  if (p === null && q === null) return 0;
  throw new MemoryError('bad-pointer', 'subtracts two pointers that point into different objects');
}
