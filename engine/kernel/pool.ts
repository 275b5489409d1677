/**
 * Pool and lookaside memory. Every block is an allocation of bytes in the run's address space
 * (engine/memory): uninitialised, or zeroed for the routines that zero it. The engine tracks who
 * allocated it, where, and whether it was freed, to report leaks, double frees, frees with the wrong
 * tag and frees of things that are not pool memory; a freed block's bytes are gone, so a read
 * through a stale pointer is a use after free naming where it was freed.
 */
import type { PoolType } from './cvalues';
import type { Allocation as Memory, AllocationKind } from '../memory/allocation';
import { Ptr, type AllocPtr } from '../memory/pointer';
import { Irql, irqlName } from './irql';
import type { Kernel } from './kernel';
import { ObjectStates, addressName, isAddressable } from './objects';
import type { SourceLocation } from './events';
import { formatLimit, limitHint } from '../limits';

/** POOL_TYPE values (wdm.h). */
export const POOL_TYPE = {
  NonPagedPool: 0,
  PagedPool: 1,
  NonPagedPoolMustSucceed: 2,
  NonPagedPoolCacheAligned: 4,
  PagedPoolCacheAligned: 5,
  NonPagedPoolNx: 512,
  NonPagedPoolNxCacheAligned: 516,
  NonPagedPoolSessionNx: 544,
} as const;

/** POOL_FLAGS bits for ExAllocatePool2 (wdm.h). */
export const POOL_FLAG = {
  USE_QUOTA: 0x1,
  UNINITIALIZED: 0x2,
  SESSION: 0x4,
  CACHE_ALIGNED: 0x8,
  RAISE_ON_FAILURE: 0x20,
  NON_PAGED: 0x40,
  NON_PAGED_EXECUTE: 0x80,
  PAGED: 0x100,
} as const;

/** The engine's record of one pool block (the allocation's owner). */
export interface Allocation {
  block: AllocPtr;
  id: number;
  size: number;
  tag: number;
  pool: PoolType;
  routine: string;
  time: number;
  thread: string;
  location?: SourceLocation;
  freed: boolean;
  freedAt?: SourceLocation;
  /** Lookaside list the block came from, if any. */
  list?: LookasideList;
}


/** x64 sizeof of NPAGED_LOOKASIDE_LIST and PAGED_LOOKASIDE_LIST (both cache-aligned): how a list is named. */
const LOOKASIDE_LIST_SIZE = 128;
export class LookasideList {
  outstanding = 0;
  deleted = false;
  constructor(
    readonly name: string,
    readonly paged: boolean,
    readonly size: number,
    readonly tag: number,
  ) {}
}

/** `'Tag1'` for a pool tag stored as a little-endian ULONG, as !pool prints it. */
export function tagText(tag: number): string {
  let s = '';
  for (let i = 0; i < 4; i++) {
    const c = (tag >>> (8 * i)) & 0xff;
    s += c >= 32 && c < 127 ? String.fromCharCode(c) : '.';
  }
  return s;
}

function isPagedType(type: number): boolean {
  // Paged types are the odd values below NonPagedPoolNx (PagedPool, PagedPoolCacheAligned, …).
  return type < 512 && (type & 1) === 1;
}

/** The engine's record of the pool block `p` points to the start of, if it is one. */
export function poolBlock(p: unknown): Allocation | undefined {
  if (!(p instanceof Ptr) || p.alloc === null || p.offset !== 0) return undefined;
  const owner = p.alloc.owner as Allocation | undefined;
  return owner !== undefined && owner.block?.alloc === p.alloc ? owner : undefined;
}

const KIND: Record<PoolType, AllocationKind> = {
  NonPagedPool: 'pool',
  PagedPool: 'pool',
  NonPagedPoolNx: 'pool',
  Lookaside: 'lookaside',
  Context: 'context',
  Stack: 'stack',
  Static: 'global',
};

export class PoolRoutines {
  private nextId = 1;
  /** Allocations not freed yet, in allocation order. */
  readonly live = new Map<number, Allocation>();
  private readonly lists = new ObjectStates<LookasideList>();
  private listCount = 0;

  /** Bytes of the blocks in `live`: what the `pool` limit bounds. */
  private inUse = 0;

  constructor(private readonly k: Kernel) {}

  /**
   * True when an allocation of `size` bytes by `routine` fails: one the scenario makes fail on
   * purpose, or one past the `pool` limit, which fails as Windows fails an allocation it cannot
   * satisfy (NULL or STATUS_INSUFFICIENT_RESOURCES), with an event in the timeline saying why.
   */
  refuses(routine: string, size: number): boolean {
    if (this.k.allocationFails(routine)) return true;
    if (this.inUse + size <= this.k.poolLimit) return false;
    this.k.emit('alloc-fail', size, `${routine} of ${formatLimit(size)} bytes fails: ${formatLimit(this.inUse)} bytes of pool are in use and the pool limit is ${formatLimit(this.k.poolLimit)}; ${limitHint('pool')}`);
    return true;
  }

  /** Allocates a tracked block; used by every allocating routine of the engine. */
  allocate(routine: string, size: number, pool: PoolType, tag: number, list?: LookasideList, zeroed = false): AllocPtr {
    const id = this.nextId++;
    const t = this.k.current;
    const f = t.cFrame();
    const label = `${pool === 'Context' ? 'context' : pool === 'Lookaside' ? 'lookaside' : 'pool'} block #${id} (tag '${tagText(tag)}')`;
    const site = f ? { file: f.file!, line: f.line ?? 0, column: f.column } : undefined;
    const mem = this.k.memory.allocate(KIND[pool], size, { tag, label, zeroed, site });
    const block = this.k.memory.pointer(mem);
    const a: Allocation = { block, id, size, tag, pool, routine, time: this.k.now, thread: t.name, freed: false };
    if (site) a.location = site;
    if (list) a.list = list;
    mem.owner = a;
    this.live.set(id, a);
    this.inUse += size;
    return block;
  }

  /** Marks a block freed; records the misuse and returns false when it cannot be freed. */
  free(routine: string, block: unknown, expect?: { tag?: number; list?: LookasideList }): boolean {
    const k = this.k;
    if (block === null || block === undefined) {
      k.violation('null-param', `${routine}(NULL)`);
      return false;
    }
    const a = poolBlock(block);
    if (a === undefined) {
      const inside = block instanceof Ptr && block.alloc !== null ? poolOwner(block.alloc) : undefined;
      const what = inside
        ? `a pointer ${(block as Ptr).offset} bytes into block ${inside.id}, not its start`
        : block instanceof Ptr && block.alloc !== null ? `${block.alloc.describe()}, which no pool allocation returned` : 'memory that no pool allocation returned';
      k.violation('pool-bad-free', `${routine} was given ${what}`);
      return false;
    }
    if (a.freed) {
      k.violation('pool-double-free', `${routine} frees block ${a.id} (${a.size} bytes, tag '${tagText(a.tag)}') a second time${a.freedAt ? `; it was freed at ${a.freedAt.file}:${a.freedAt.line}` : ''}`);
      return false;
    }
    if (expect?.list && a.list !== expect.list) {
      k.violation('pool-bad-free', `${routine} returns block ${a.id} to ${expect.list.name}, but it came from ${a.list ? a.list.name : a.routine}`);
      return false;
    }
    if (expect?.tag !== undefined && expect.tag !== a.tag) {
      k.violation('pool-tag-mismatch', `${routine} frees block ${a.id} with tag '${tagText(expect.tag)}', allocated with '${tagText(a.tag)}'`);
    }
    a.freed = true;
    const f = k.current.cFrame();
    if (f) a.freedAt = { file: f.file!, line: f.line ?? 0, column: f.column };
    k.memory.free(a.block.alloc, a.freedAt);
    if (a.list) a.list.outstanding--;
    this.live.delete(a.id);
    this.inUse -= a.size;
    return true;
  }

  allocation(block: unknown): Allocation | undefined {
    return poolBlock(block);
  }

  private checkPaged(routine: string, paged: boolean): void {
    const t = this.k.current;
    if (paged && t.irql >= Irql.DISPATCH_LEVEL) {
      this.k.violation('pool-paged-at-dispatch', `${routine} allocates paged pool at ${irqlName(t.irql)}`);
    }
  }

  /** An Ex*-style allocation by POOL_TYPE value, checked and named for `routine`. */
  typed(routine: string, type: number, size: number, tag: number, zeroed = false): AllocPtr | null {
    this.k.checkIrql(routine);
    const paged = isPagedType(type);
    this.checkPaged(routine, paged);
    if (this.refuses(routine, Number(size))) return null;
    return this.allocate(routine, Number(size), paged ? 'PagedPool' : type >= 512 ? 'NonPagedPoolNx' : 'NonPagedPool', tag, undefined, zeroed);
  }

  ExAllocatePoolWithTag(PoolType: number, NumberOfBytes: number, Tag: number): AllocPtr | null {
    return this.typed('ExAllocatePoolWithTag', PoolType, NumberOfBytes, Tag);
  }

  ExAllocatePool(PoolType: number, NumberOfBytes: number): AllocPtr | null {
    return this.typed('ExAllocatePool', PoolType, NumberOfBytes, 0x656e6f4e /* 'None' */);
  }

  ExAllocatePoolWithQuotaTag(PoolType: number, NumberOfBytes: number, Tag: number): AllocPtr | null {
    return this.typed('ExAllocatePoolWithTag', PoolType, NumberOfBytes, Tag);
  }

  ExAllocatePoolZero(PoolType: number, NumberOfBytes: number, Tag: number): AllocPtr | null {
    return this.typed('ExAllocatePoolZero', PoolType, NumberOfBytes, Tag, true);
  }

  ExAllocatePoolUninitialized(PoolType: number, NumberOfBytes: number, Tag: number): AllocPtr | null {
    return this.typed('ExAllocatePoolUninitialized', PoolType, NumberOfBytes, Tag);
  }

  ExAllocatePoolQuotaZero(PoolType: number, NumberOfBytes: number, Tag: number): AllocPtr | null {
    return this.typed('ExAllocatePoolZero', PoolType, NumberOfBytes, Tag, true);
  }

  /** POOL_FLAGS form: POOL_FLAG_PAGED selects paged pool; NON_PAGED(_EXECUTE) nonpaged. */
  ExAllocatePool2(Flags: number | bigint, NumberOfBytes: number, Tag: number): AllocPtr | null {
    const f = Number(Flags);
    const paged = (f & POOL_FLAG.PAGED) !== 0;
    // ExAllocatePool2 zeroes the block unless POOL_FLAG_UNINITIALIZED is given.
    return this.typed('ExAllocatePool2', paged ? POOL_TYPE.PagedPool : POOL_TYPE.NonPagedPoolNx, NumberOfBytes, Tag, (f & POOL_FLAG.UNINITIALIZED) === 0);
  }

  ExFreePoolWithTag(P: unknown, Tag: number): void {
    this.k.checkIrql('ExFreePoolWithTag');
    this.free('ExFreePoolWithTag', P, { tag: Tag });
  }

  ExFreePool(P: unknown): void {
    this.k.checkIrql('ExFreePool');
    this.free('ExFreePool', P);
  }

  // --- lookaside lists ---

  ExInitializeNPagedLookasideList(Lookaside: unknown, _Allocate: unknown, _Free: unknown, _Flags: number, Size: number, Tag: number, _Depth: number): void {
    this.k.checkIrql('ExInitializeNPagedLookasideList');
    this.initList('ExInitializeNPagedLookasideList', Lookaside, false, Size, Tag);
  }

  ExInitializePagedLookasideList(Lookaside: unknown, _Allocate: unknown, _Free: unknown, _Flags: number, Size: number, Tag: number, _Depth: number): void {
    this.k.checkIrql('ExInitializePagedLookasideList');
    this.initList('ExInitializePagedLookasideList', Lookaside, true, Size, Tag);
  }

  ExAllocateFromNPagedLookasideList(Lookaside: unknown): AllocPtr | null {
    return this.fromList('ExAllocateFromNPagedLookasideList', Lookaside);
  }

  ExAllocateFromPagedLookasideList(Lookaside: unknown): AllocPtr | null {
    return this.fromList('ExAllocateFromPagedLookasideList', Lookaside);
  }

  ExFreeToNPagedLookasideList(Lookaside: unknown, Entry: unknown): void {
    this.toList('ExFreeToNPagedLookasideList', Lookaside, Entry);
  }

  ExFreeToPagedLookasideList(Lookaside: unknown, Entry: unknown): void {
    this.toList('ExFreeToPagedLookasideList', Lookaside, Entry);
  }

  ExDeleteNPagedLookasideList(Lookaside: unknown): void {
    this.deleteList('ExDeleteNPagedLookasideList', Lookaside);
  }

  ExDeletePagedLookasideList(Lookaside: unknown): void {
    this.deleteList('ExDeletePagedLookasideList', Lookaside);
  }

  private initList(routine: string, l: unknown, paged: boolean, size: number, tag: number): void {
    if (!isAddressable(l)) {
      this.k.violation('null-param', `${routine} needs the address of a lookaside list`);
      return;
    }
    this.lists.set(l, new LookasideList(addressName(l, `Lookaside#${++this.listCount}`, LOOKASIDE_LIST_SIZE), paged, size, tag));
  }

  private list(routine: string, l: unknown): LookasideList | null {
    const st = this.lists.get(l);
    if (st === undefined) {
      this.k.violation('uninitialized-object', `${routine} used a lookaside list that was never initialized`);
      return null;
    }
    return st;
  }

  private fromList(routine: string, l: unknown): AllocPtr | null {
    this.k.checkIrql(routine);
    const st = this.list(routine, l);
    if (st === null) return null;
    this.checkPaged(routine, st.paged);
    if (this.refuses(routine, st.size)) return null;
    st.outstanding++;
    return this.allocate(routine, st.size, 'Lookaside', st.tag, st);
  }

  private toList(routine: string, l: unknown, entry: unknown): void {
    this.k.checkIrql(routine);
    const st = this.list(routine, l);
    if (st === null) return;
    this.free(routine, entry, { list: st });
  }

  private deleteList(routine: string, l: unknown): void {
    this.k.checkIrql(routine);
    const st = this.list(routine, l);
    if (st) st.deleted = true;
  }

  /** End of run: every block still allocated is a leak. */
  checkLeaks(): void {
    for (const a of this.live.values()) {
      // Context memory belongs to FltAllocateContext's reference counting, which reports its own leaks.
      if (a.pool === 'Context') continue;
      const where = a.location ? ` at ${a.location.file}:${a.location.line}` : '';
      this.k.violation('pool-leak', `${a.routine} block ${a.id} (${a.size} bytes, tag '${tagText(a.tag)}') allocated by ${a.thread}${where} was never freed`, 0, this.k.outside);
    }
  }
}

function poolOwner(m: Memory): Allocation | undefined {
  const owner = m.owner as Allocation | undefined;
  return owner !== undefined && owner.block?.alloc === m ? owner : undefined;
}
