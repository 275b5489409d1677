/**
 * The run's memory as a debugger's memory view sees it: bytes by address. The address space hands
 * out addresses in allocation order (kernel and user halves each growing upwards) and keeps no list
 * of what it made, so the debuggee keeps one here, fed by the World's `onAllocate`, sorted by
 * construction. Freed blocks are dropped now and then so a long session does not keep every local
 * it ever saw; bytes that belong to no live allocation (the gaps between blocks, freed pool, a
 * returned frame's locals) read as unreadable, never as zeros.
 */
import type { Allocation } from '../../memory/allocation';
import { hexAddress } from '../../memory/pointer';

/** How many freed entries may pile up (relative to the live ones) before they are dropped. */
const PRUNE_FACTOR = 2;
const PRUNE_MIN = 4096;

export interface MemoryRead {
  /** The first address read, as the protocol writes addresses (`0xffffa000…`). */
  address: string;
  /** The readable bytes from there on (possibly none). */
  bytes: Uint8Array;
  /** Bytes after them that cannot be read (no allocation, freed, a handle), up to the next readable byte or the end of the request. */
  unreadable: number;
  /** Why the first unreadable byte cannot be read, for messages. */
  why?: string;
}

export type MemoryWrite = { ok: true; allocation: Allocation; offset: number } | { ok: false; message: string };

/** `0xffffa00000001000` → its signed 64-bit address; undefined for text that is not one. */
export function parseAddress(text: string): number | undefined {
  const t = text.trim();
  if (!/^(0x[0-9a-f]{1,16}|\d{1,20})$/i.test(t)) return undefined;
  const n = Number(BigInt.asIntN(64, BigInt(t)));
  return Number.isSafeInteger(n) ? n : undefined;
}

export function memoryReferenceOf(address: number): string {
  return hexAddress(address);
}

export class MemoryIndex {
  /** Kernel-half (negative) and user-half allocations, each in address (and id) order. */
  private readonly halves: [Allocation[], Allocation[]] = [[], []];
  private sinceprune = 0;

  add(a: Allocation): void {
    if (a.kind === 'code' || a.kind === 'opaque') return;
    this.halves[a.base < 0 ? 0 : 1].push(a);
    if (++this.sinceprune > Math.max(PRUNE_MIN, PRUNE_FACTOR * this.size)) this.prune();
  }

  private get size(): number {
    return this.halves[0].length + this.halves[1].length;
  }

  private prune(): void {
    this.sinceprune = 0;
    for (let i = 0; i < 2; i++) this.halves[i] = this.halves[i]!.filter((a) => !a.freed);
  }

  /** The allocation with this id, if the run made it and it is still indexed. */
  byId(id: number): Allocation | undefined {
    for (const list of this.halves) {
      const i = lowerBound(list, (a) => a.id >= id);
      if (i < list.length && list[i]!.id === id) return list[i];
    }
    return undefined;
  }

  /** The indexed allocation whose bytes hold `address` (freed ones too, until pruned). */
  at(address: number): Allocation | undefined {
    const list = this.halves[address < 0 ? 0 : 1];
    const i = lowerBound(list, (a) => a.base > address) - 1;
    const a = list[i];
    return a !== undefined && address < a.base + a.size ? a : undefined;
  }

  /** The first live allocation starting after `address`, to know where unreadable bytes end. */
  private nextStart(address: number): number | undefined {
    const list = this.halves[address < 0 ? 0 : 1];
    for (let i = lowerBound(list, (a) => a.base > address); i < list.length; i++) {
      if (list[i]!.accessible && list[i]!.size > 0) return list[i]!.base;
    }
    return undefined;
  }

  /** Up to `count` bytes from `address`: the readable run there, then how many after it cannot be read. */
  read(address: number, count: number): MemoryRead {
    const a = this.at(address);
    if (a !== undefined && a.accessible) {
      const offset = address - a.base;
      const n = Math.min(count, a.size - offset);
      const bytes = a.peek(offset, n);
      const rest = count - n;
      return { address: hexAddress(address), bytes, unreadable: rest > 0 ? this.unreadableFrom(address + n, rest) : 0 };
    }
    const why = a === undefined ? 'no allocation holds this address' : a.freed ? `${a.describe()} was freed` : `${a.describe()} cannot be read`;
    return { address: hexAddress(address), bytes: new Uint8Array(0), unreadable: this.unreadableFrom(address, count), why };
  }

  private unreadableFrom(address: number, count: number): number {
    const a = this.at(address);
    if (a !== undefined && a.accessible) return 0;
    const next = this.nextStart(address);
    return next === undefined ? count : Math.min(count, next - address);
  }

  /** Where `size` bytes at `address` can be written: wholly inside one live, writable allocation. */
  writable(address: number, size: number): MemoryWrite {
    const a = this.at(address);
    if (a === undefined) return { ok: false, message: `no allocation holds ${hexAddress(address)}` };
    const offset = address - a.base;
    try {
      a.check(offset, size, 'writes');
    } catch (e) {
      return { ok: false, message: `cannot write ${size} byte${size === 1 ? '' : 's'} at ${hexAddress(address)}: ${(e as Error).message.replace(/^(reads|writes) /, '')}` };
    }
    return { ok: true, allocation: a, offset };
  }
}

/** The first index whose element satisfies `past` (a predicate that is false, then true, along the list). */
function lowerBound<T>(list: readonly T[], past: (x: T) => boolean): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (past(list[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
