/**
 * Interlocked singly linked lists (SLIST_HEADER / SLIST_ENTRY): push, pop and flush are atomic
 * (one engine step each, as one lock-free instruction sequence is on Windows), entries are linked
 * through their own Next fields in the driver's memory, and the header's first 8 bytes hold the
 * depth (low 16 bits) and a sequence number bumped by every change, where x64 keeps them. What the
 * header's second half holds on Windows (the first entry's address) is kept by the engine instead.
 *
 * Checks: an entry not 16-byte aligned (Windows requires MEMORY_ALLOCATION_ALIGNMENT) and an entry
 * pushed while already on the list are `invalid-parameter`; a header used before InitializeSListHead
 * (and never zeroed) works as an empty one.
 */
import { bufferPlace, writeBuffer } from './buffers';
import type { Kernel } from './kernel';
import { Ptr } from '../memory/pointer';
import type { Allocation } from '../memory/allocation';

const MEMORY_ALLOCATION_ALIGNMENT = 16;

interface Place {
  alloc: Allocation;
  offset: number;
}

interface ListState {
  entries: Place[];
  sequence: number;
}

export class SListRoutines {
  private readonly lists = new WeakMap<Allocation, Map<number, ListState>>();

  constructor(private readonly k: Kernel) {}

  InitializeSListHead(SListHead: unknown): void {
    const at = this.head('InitializeSListHead', SListHead);
    if (at === undefined) return;
    this.states(at.alloc).set(at.offset, { entries: [], sequence: 0 });
    writeBuffer(this.k.marshal, SListHead, 0, new Uint8Array(16));
  }

  InterlockedPushEntrySList(ListHead: unknown, ListEntry: unknown): Ptr | null {
    return this.push('InterlockedPushEntrySList', ListHead, ListEntry);
  }

  InterlockedPopEntrySList(ListHead: unknown): Ptr | null {
    return this.pop('InterlockedPopEntrySList', ListHead);
  }

  InterlockedFlushSList(ListHead: unknown): Ptr | null {
    return this.flush('InterlockedFlushSList', ListHead);
  }

  QueryDepthSList(SListHead: unknown): number {
    return this.depth('QueryDepthSList', SListHead);
  }

  /** The Lock argument is ignored on x64, as Windows ignores it. */
  ExInterlockedPushEntrySList(ListHead: unknown, ListEntry: unknown, _Lock: unknown): Ptr | null {
    return this.push('ExInterlockedPushEntrySList', ListHead, ListEntry);
  }

  ExInterlockedPopEntrySList(ListHead: unknown, _Lock: unknown): Ptr | null {
    return this.pop('ExInterlockedPopEntrySList', ListHead);
  }

  ExInterlockedFlushSList(ListHead: unknown): Ptr | null {
    return this.flush('ExInterlockedFlushSList', ListHead);
  }

  ExQueryDepthSList(SListHead: unknown): number {
    return this.depth('ExQueryDepthSList', SListHead);
  }

  private push(routine: string, ListHead: unknown, ListEntry: unknown): Ptr | null {
    const k = this.k;
    k.checkIrql(routine);
    const at = this.head(routine, ListHead);
    const entry = ListEntry === null || ListEntry === undefined ? null : bufferPlace(k.marshal, ListEntry);
    if (at === undefined) return null;
    if (entry === null) {
      k.violation('null-param', `${routine} needs the SLIST_ENTRY to push`);
      return null;
    }
    if ((entry.alloc.base + entry.offset) % MEMORY_ALLOCATION_ALIGNMENT !== 0) {
      k.violation('invalid-parameter', `${routine}: the SLIST_ENTRY is not ${MEMORY_ALLOCATION_ALIGNMENT}-byte aligned (allocate entries from pool, or declare them DECLSPEC_ALIGN(MEMORY_ALLOCATION_ALIGNMENT))`);
    }
    const s = this.state(at);
    if (s.entries.some((e) => e.alloc === entry.alloc && e.offset === entry.offset)) {
      k.violation('invalid-parameter', `${routine}: the SLIST_ENTRY is already on this list; pushing it again would make the list loop`);
      return null;
    }
    const first = s.entries.at(-1);
    entry.alloc.writePointer(entry.offset, first === undefined ? null : new Ptr(first.alloc, first.offset));
    s.entries.push(entry);
    this.changed(ListHead, s);
    return first === undefined ? null : new Ptr(first.alloc, first.offset);
  }

  private pop(routine: string, ListHead: unknown): Ptr | null {
    this.k.checkIrql(routine);
    const at = this.head(routine, ListHead);
    if (at === undefined) return null;
    const s = this.state(at);
    const e = s.entries.pop();
    if (e === undefined) return null;
    this.changed(ListHead, s);
    return new Ptr(e.alloc, e.offset);
  }

  /** Empties the list; returns its first entry, whose Next fields still chain the rest. */
  private flush(routine: string, ListHead: unknown): Ptr | null {
    this.k.checkIrql(routine);
    const at = this.head(routine, ListHead);
    if (at === undefined) return null;
    const s = this.state(at);
    const first = s.entries.at(-1);
    s.entries = [];
    this.changed(ListHead, s);
    return first === undefined ? null : new Ptr(first.alloc, first.offset);
  }

  private depth(routine: string, SListHead: unknown): number {
    this.k.checkIrql(routine);
    const at = this.head(routine, SListHead);
    return at === undefined ? 0 : this.state(at).entries.length;
  }

  private head(routine: string, v: unknown): Place | undefined {
    const at = v === null || v === undefined ? null : bufferPlace(this.k.marshal, v);
    if (at === null) {
      this.k.violation('null-param', `${routine} needs the SLIST_HEADER`);
      return undefined;
    }
    return at;
  }

  private states(alloc: Allocation): Map<number, ListState> {
    let m = this.lists.get(alloc);
    if (m === undefined) this.lists.set(alloc, (m = new Map()));
    return m;
  }

  private state(at: Place): ListState {
    const m = this.states(at.alloc);
    let s = m.get(at.offset);
    if (s === undefined) m.set(at.offset, (s = { entries: [], sequence: 0 }));
    return s;
  }

  /** The header's depth and sequence, where x64 keeps them. */
  private changed(ListHead: unknown, s: ListState): void {
    s.sequence = (s.sequence + 1) % 2 ** 32;
    const bytes = new Uint8Array(8);
    const dv = new DataView(bytes.buffer);
    dv.setUint16(0, s.entries.length, true);
    dv.setUint32(2, s.sequence, true);
    writeBuffer(this.k.marshal, ListHead, 0, bytes);
  }
}
