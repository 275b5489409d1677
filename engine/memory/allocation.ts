/**
 * One allocation of simulated memory, as Miri models Rust's: bytes, an initialisation state per
 * byte, and a provenance map beside the bytes (offset → the pointer value an 8-byte pointer stored
 * there carries), so a pointer written to memory and read back still knows what it points into.
 *
 * Bytes live in 4 KiB pages made on first write, so a large buffer costs only what is written. A
 * page never written reads as zero bytes that are uninitialised — or initialised, for memory its
 * API zeroes (ExAllocatePoolZero, static storage, `= {0}`).
 *
 * Accesses check bounds and liveness byte-exactly and throw a MemoryError naming the allocation;
 * callers add the C expression and location.
 */
import type { CType } from '../c/types';
import type { AllocationKind, AllocationOptions, CodeTarget } from './contract';
import { MemoryError, siteText, type Site } from './errors';
import { F32, F64, FBYTES, readScalar, setInt64, writeScalar } from './littleEndian';
import { INIT, PAGE_MASK, PAGE_SHIFT, PAGE_SIZE, POINTER, UNINIT, pageLength, type Page } from './page';

// Callers import these from here too; they live in the modules named.
export type { AllocationKind, AllocationOptions, CodeTarget } from './contract';

/**
 * A pointer value as memory stores it: a pointer into an allocation (or, without provenance, to an
 * address), a function, or NULL. `Ptr` lives in pointer.ts; this module only passes them through.
 */
export interface PtrLike {
  readonly alloc: Allocation | null;
  readonly offset: number;
}
export type PointerValue = PtrLike | CodeTarget | null;

/** A run of bytes of an allocation: `size` bytes from `offset`. */
export interface ByteRun {
  readonly offset: number;
  readonly size: number;
}

/** What an allocation needs from the address space it lives in. */
export interface Space {
  /**
   * A read found bytes nothing wrote: report it (the default throws), then the read goes on. `gaps`
   * are the never-written runs inside the read, so a partly written block can say which bytes.
   */
  uninitialized(a: Allocation, offset: number, size: number, gaps: readonly ByteRun[]): void;
  /** The allocation a pointer value points into (a function's code allocation for a function). */
  targetOf(v: PointerValue): Allocation | null;
  /** The pointer an integer address stands for (exposed provenance), or NULL for 0. */
  fromAddress(address: number | bigint): PointerValue;
  /** Records that `a`'s address escaped as an integer, so integers can point into it again. */
  expose(a: Allocation): void;
  /** The address of a pointer value (0 for NULL). */
  addressOf(v: PointerValue): number;
  /**
   * What a value stored into a pointer field becomes: pointer values pass; a view or cell gives its
   * pointer; an engine object its C address (the binding layer decides, marshal.ts).
   */
  pointerValue(v: unknown): PointerValue;
  /** A cleared page of at least `length` bytes (small ones are recycled: locals come and go). */
  newPage(length: number, zeroed: boolean): Uint8Array;
  /** Takes back the pages of a freed allocation. */
  recycle(pages: readonly (Uint8Array | undefined)[]): void;
  /**
   * Driver code read or wrote bytes of `a` (the interpreter's loads and stores call it; engine-side
   * accesses do not). Schedule exploration hears it through the space's access hook.
   */
  touch(a: Allocation, write: boolean): void;
}

export { PAGE_SIZE, newPage, reusePage } from './page';

/**
 * The pages of what holds no bytes (a handle, code, a zero-size or freed block): one shared empty
 * list, never written (every access to such an allocation fails its bounds check first), rather
 * than a new array for each of the handles a run makes.
 */
const NO_PAGES: (Page | undefined)[] = Object.freeze([]) as unknown as (Page | undefined)[];

export class Allocation {
  freed = false;
  freedAt: Site | undefined = undefined;
  /** Its address has been turned into an integer: integers can point into it again. */
  exposed = false;
  tag: number;
  label: string;
  owner: unknown;
  readonly allocatedAt: Site | undefined;
  readonly zeroed: boolean;
  /** The declared type of what it holds, if any (for naming members in messages and the debugger). */
  readonly type: CType | undefined;
  readonly name: string | undefined;
  /** size while accessible; -1 once freed or for handles and code, so one compare checks all. */
  private limit: number;
  /** The same for writes: also -1 for read-only memory. */
  private wlimit: number;
  private pages: (Page | undefined)[];
  /** Its pages are shared (options.sharedPages): freeing it leaves them to the others. */
  private readonly sharesPages: boolean;
  private prov: Map<number, PointerValue> | undefined = undefined;

  constructor(
    readonly space: Space,
    readonly id: number,
    readonly kind: AllocationKind,
    /** Address of byte 0, as a signed 64-bit integer (kernel addresses are negative). */
    readonly base: number,
    readonly size: number,
    options: AllocationOptions = {},
  ) {
    this.zeroed = options.zeroed ?? false;
    this.tag = options.tag ?? 0;
    this.label = options.label ?? `${kind} allocation #${id}`;
    this.owner = options.owner;
    this.allocatedAt = options.site;
    this.type = options.type;
    this.name = options.name;
    this.limit = kind === 'opaque' || kind === 'code' ? -1 : size;
    this.wlimit = this.limit;
    this.sharesPages = options.sharedPages !== undefined;
    this.pages = options.sharedPages ?? (size > 0 && this.limit >= 0 ? new Array<Page | undefined>(Math.ceil(size / PAGE_SIZE)) : NO_PAGES);
    if (options.contents !== undefined) this.writeBytes(0, options.contents);
    if (options.readOnly) this.wlimit = -1;
  }

  /** `a 16-byte pool block #3 (tag 'Tag1')`. */
  describe(): string {
    return `a ${this.size}-byte ${this.label}`;
  }

  /** Readable or writable at all (not freed, not a handle or code). */
  get accessible(): boolean {
    return this.limit >= 0;
  }

  /** Pointers stored in it, by offset (read-only use: debugger, tests). */
  provenance(): ReadonlyMap<number, PointerValue> {
    return this.prov ?? new Map();
  }

  /** Makes a live allocation read-only or writable again (a user region's page protection changing). */
  setReadOnly(readOnly: boolean): void {
    if (this.limit >= 0) this.wlimit = readOnly ? -1 : this.limit;
  }

  /** Marks it freed and lets its bytes go; later accesses are use-after-free. */
  release(site?: Site): void {
    this.freed = true;
    this.freedAt = site;
    this.limit = -1;
    this.wlimit = -1;
    if (!this.sharesPages) this.space.recycle(this.pages);
    this.pages = NO_PAGES;
    this.prov = undefined;
  }

  // ---- errors ----------------------------------------------------------------------------------

  /** The error for an access of `size` bytes at `offset` that failed the one-compare check. */
  fault(offset: number, size: number, verb: 'reads' | 'writes'): MemoryError {
    const what = `${verb} ${size} byte${size === 1 ? '' : 's'} at offset ${offset} of ${this.describe()}`;
    if (this.kind === 'opaque') {
      return new MemoryError('not-dereferenceable', `${verb} memory through ${this.label}, a handle C code cannot dereference (pass it to the routines that take it)`);
    }
    if (this.kind === 'code') {
      return new MemoryError('not-dereferenceable', `${verb} memory through a pointer to the function ${this.label}`);
    }
    if (verb === 'writes' && !this.freed && this.limit >= 0 && offset >= 0 && offset + size <= this.limit) {
      return new MemoryError('read-only', `${what}, which is read-only${this.kind === 'string' ? ' (string literals are constant)' : ''}`);
    }
    if (this.freed) {
      if (this.kind === 'stack') return new MemoryError('use-after-free', `${what} after the function that owned it returned (use after return)`);
      const at = siteText(this.freedAt);
      return new MemoryError('use-after-free', `${what} after it was freed${at ? ` at ${at}` : ''} (use after free)`, this.userAddress(offset));
    }
    return new MemoryError('out-of-bounds', `${what}: ${offset < 0 ? 'before its start' : `past its end${offset < this.size ? ` (only ${this.size - offset} left)` : ''}`}`, this.userAddress(offset));
  }

  /** The address of byte `offset` when this is user-mode memory (its faults are access violations). */
  private userAddress(offset: number): number | undefined {
    return this.kind === 'user' ? this.base + offset : undefined;
  }

  /** Throws unless `size` bytes at `offset` can be accessed. */
  check(offset: number, size: number, verb: 'reads' | 'writes'): void {
    if (offset < 0 || offset + size > (verb === 'writes' ? this.wlimit : this.limit)) throw this.fault(offset, size, verb);
  }

  // ---- pages and masks -------------------------------------------------------------------------

  private materialise(index: number): Page {
    const p = this.space.newPage(Math.min(PAGE_SIZE, this.size - index * PAGE_SIZE), this.zeroed);
    this.pages[index] = p;
    return p;
  }

  /** Reads of never-written or provenance-carrying bytes: report uninitialised, expose pointees. */
  private irregular(offset: number, size: number): void {
    const gaps: { offset: number; size: number }[] = [];
    let pointer = false;
    for (let i = offset; i < offset + size; i++) {
      const m = this.maskAt(i);
      if (m === UNINIT) {
        const last = gaps[gaps.length - 1];
        if (last !== undefined && last.offset + last.size === i) last.size++;
        else gaps.push({ offset: i, size: 1 });
      } else if (m === POINTER) pointer = true;
    }
    if (pointer) this.exposePointers(offset, size);
    if (gaps.length > 0) this.space.uninitialized(this, offset, size, gaps);
  }

  private maskAt(offset: number): number {
    const p = this.pages[offset >>> PAGE_SHIFT];
    if (p === undefined) return this.zeroed ? INIT : UNINIT;
    return p[pageLength(p) + (offset & PAGE_MASK)];
  }

  private setMaskAt(offset: number, m: number): void {
    const p = this.pages[offset >>> PAGE_SHIFT];
    if (p !== undefined) p[pageLength(p) + (offset & PAGE_MASK)] = m;
  }

  private exposePointers(offset: number, size: number): void {
    if (this.prov === undefined) return;
    for (let s = offset - 7; s < offset + size; s++) {
      const v = this.prov.get(s);
      if (v !== undefined) {
        const t = this.space.targetOf(v);
        if (t) this.space.expose(t);
      }
    }
  }

  /** Before a write of `size` bytes at `offset`: a pointer it overlaps becomes plain bytes. */
  private beforeWrite(offset: number, size: number): void {
    if (this.prov === undefined || this.prov.size === 0) return;
    for (let i = offset; i < offset + size; i++) {
      if (this.maskAt(i) === POINTER) this.dropPointerCovering(i);
    }
  }

  /** Forgets the provenance of the stored pointer that covers byte `i`; its bytes stay as they are. */
  private dropPointerCovering(i: number): void {
    const prov = this.prov!;
    for (let s = i; s > i - 8 && s >= 0; s--) {
      if (prov.delete(s)) {
        for (let j = s; j < s + 8 && j < this.size; j++) {
          if (this.maskAt(j) === POINTER) this.setMaskAt(j, INIT);
        }
        return;
      }
    }
  }

  /** Gives `bytes.length` bytes at `offset` those bytes and mask (one state, or a state per byte). */
  private put(offset: number, bytes: Uint8Array, mask: Uint8Array | number): void {
    let done = 0;
    const n = bytes.length;
    while (done < n) {
      const at = offset + done;
      const index = at >>> PAGE_SHIFT;
      const page = this.pages[index] ?? this.materialise(index);
      const len = pageLength(page);
      const local = at & PAGE_MASK;
      const chunk = Math.min(n - done, len - local);
      page.set(bytes.subarray(done, done + chunk), local);
      if (typeof mask === 'number') page.fill(mask, len + local, len + local + chunk);
      else page.set(mask.subarray(done, done + chunk), len + local);
      done += chunk;
    }
  }

  /** Copies out `size` bytes at `offset` with their mask (never-written pages as zeros). */
  private take(offset: number, size: number): { bytes: Uint8Array; mask: Uint8Array } {
    const bytes = new Uint8Array(size);
    const mask = new Uint8Array(size);
    let done = 0;
    while (done < size) {
      const at = offset + done;
      const index = at >>> PAGE_SHIFT;
      const local = at & PAGE_MASK;
      const page = this.pages[index];
      const len = page ? pageLength(page) : Math.min(PAGE_SIZE, this.size - index * PAGE_SIZE);
      const chunk = Math.min(size - done, len - local);
      if (page) {
        bytes.set(page.subarray(local, local + chunk), done);
        mask.set(page.subarray(len + local, len + local + chunk), done);
      } else if (this.zeroed) {
        mask.fill(INIT, done, done + chunk);
      }
      done += chunk;
    }
    return { bytes, mask };
  }

  // ---- scalar loads and stores -----------------------------------------------------------------

  /**
   * An integer of `size` bytes, little-endian. 8-byte values are numbers when they are safe
   * integers and bigints otherwise, so every 64-bit value round-trips exactly.
   */
  readInt(offset: number, size: 1 | 2 | 4 | 8, signed: boolean): number | bigint {
    if (offset < 0 || offset + size > this.limit) throw this.fault(offset, size, 'reads');
    const local = offset & PAGE_MASK;
    const page = this.pages[offset >>> PAGE_SHIFT];
    if (page === undefined || local + size > PAGE_SIZE) return this.readIntSlow(offset, size, signed);
    const m = pageLength(page) + local;
    for (let i = m; i < m + size; i++) {
      if (page[i] !== INIT) {
        this.irregular(offset, size);
        break;
      }
    }
    return readScalar(page, local, size, signed);
  }

  private readIntSlow(offset: number, size: 1 | 2 | 4 | 8, signed: boolean): number | bigint {
    this.irregular(offset, size);
    return readScalar(this.take(offset, size).bytes, 0, size, signed);
  }

  /** Stores the low `size` bytes of `value` (two's complement), little-endian. */
  writeInt(offset: number, size: 1 | 2 | 4 | 8, value: number | bigint): void {
    if (offset < 0 || offset + size > this.wlimit) throw this.fault(offset, size, 'writes');
    this.beforeWrite(offset, size);
    const local = offset & PAGE_MASK;
    const index = offset >>> PAGE_SHIFT;
    const page = this.pages[index] ?? this.materialise(index);
    if (local + size > PAGE_SIZE) {
      const bytes = new Uint8Array(8);
      writeScalar(bytes, 0, size, typeof value === 'number' ? Math.trunc(value) : value);
      this.put(offset, bytes.subarray(0, size), INIT);
      return;
    }
    writeScalar(page, local, size, value);
    const m = pageLength(page) + local;
    for (let i = m; i < m + size; i++) page[i] = INIT;
  }

  readFloat(offset: number, size: 4 | 8): number {
    if (offset < 0 || offset + size > this.limit) throw this.fault(offset, size, 'reads');
    this.irregular(offset, size);
    FBYTES.set(this.take(offset, size).bytes);
    return size === 4 ? F32[0] : F64[0];
  }

  writeFloat(offset: number, size: 4 | 8, value: number): void {
    if (offset < 0 || offset + size > this.wlimit) throw this.fault(offset, size, 'writes');
    this.beforeWrite(offset, size);
    if (size === 4) F32[0] = value;
    else F64[0] = value;
    this.put(offset, FBYTES.slice(0, size), INIT);
  }

  /**
   * A pointer stored at `offset`: the stored value when its provenance is intact; otherwise the
   * 8 bytes are an integer address, which finds its allocation only if that was exposed.
   */
  readPointer(offset: number): PointerValue {
    if (offset < 0 || offset + 8 > this.limit) throw this.fault(offset, 8, 'reads');
    if (this.prov !== undefined) {
      const v = this.prov.get(offset);
      if (v !== undefined) return v;
    }
    const address = this.readInt(offset, 8, true);
    return address === 0 ? null : this.space.fromAddress(address);
  }

  /**
   * Stores a pointer: its address as 8 bytes, and its provenance beside them. A value without
   * provenance (NULL, an integer address) stores only the integer.
   */
  writePointer(offset: number, stored: unknown): void {
    if (offset < 0 || offset + 8 > this.wlimit) throw this.fault(offset, 8, 'writes');
    const value = this.space.pointerValue(stored);
    const prov = this.prov;
    // Replacing a stored pointer in place (the usual pointer-field update): nothing else overlaps.
    const replacing = prov !== undefined && prov.has(offset);
    if (!replacing) this.beforeWrite(offset, 8);
    const address = value === null ? 0 : this.space.addressOf(value);
    const target = value === null ? null : this.space.targetOf(value);
    const state = target === null ? INIT : POINTER;
    const local = offset & PAGE_MASK;
    const index = offset >>> PAGE_SHIFT;
    const page = this.pages[index] ?? this.materialise(index);
    if (local + 8 <= PAGE_SIZE) {
      setInt64(page, local, address);
      const m = pageLength(page) + local;
      for (let i = m; i < m + 8; i++) page[i] = state;
    } else {
      const bytes = new Uint8Array(8);
      setInt64(bytes, 0, address);
      this.put(offset, bytes, state);
    }
    if (target !== null) (this.prov ??= new Map()).set(offset, value);
    else if (replacing) prov!.delete(offset);
  }

  // ---- bulk operations -------------------------------------------------------------------------

  /**
   * memmove: copies bytes, their initialisation and the provenance of every pointer wholly inside
   * the range (a pointer cut by the range's edge arrives as plain bytes). Overlap is fine.
   */
  copyFrom(src: Allocation, srcOffset: number, dstOffset: number, size: number): void {
    if (srcOffset < 0 || srcOffset + size > src.limit) throw src.fault(srcOffset, size, 'reads');
    if (dstOffset < 0 || dstOffset + size > this.wlimit) throw this.fault(dstOffset, size, 'writes');
    if (size === 0) return;
    const { bytes, mask } = src.take(srcOffset, size);
    const moved: [number, PointerValue][] = [];
    if (src.prov !== undefined && src.prov.size !== 0) {
      for (let i = 0; i < size; i++) if (mask[i] === POINTER) mask[i] = INIT;
      for (const [s, v] of src.prov) {
        if (s >= srcOffset && s + 8 <= srcOffset + size) {
          mask.fill(POINTER, s - srcOffset, s - srcOffset + 8);
          moved.push([s - srcOffset + dstOffset, v]);
        }
      }
    }
    this.beforeWrite(dstOffset, size);
    this.put(dstOffset, bytes, mask);
    if (moved.length > 0) {
      const prov = (this.prov ??= new Map());
      for (const [d, v] of moved) prov.set(d, v);
    }
  }

  /** memset: every byte `byte`, initialised, no provenance. */
  fill(offset: number, size: number, byte: number): void {
    if (offset < 0 || offset + size > this.wlimit) throw this.fault(offset, size, 'writes');
    this.beforeWrite(offset, size);
    let done = 0;
    while (done < size) {
      const at = offset + done;
      const index = at >>> PAGE_SHIFT;
      const page = this.pages[index] ?? this.materialise(index);
      const len = pageLength(page);
      const local = at & PAGE_MASK;
      const chunk = Math.min(size - done, len - local);
      page.fill(byte & 0xff, local, local + chunk);
      page.fill(INIT, len + local, len + local + chunk);
      done += chunk;
    }
  }

  /** `size` bytes as they are, after the checks a read makes (memcmp, hashing, display). */
  readBytes(offset: number, size: number): Uint8Array {
    if (offset < 0 || offset + size > this.limit) throw this.fault(offset, size, 'reads');
    if (size === 0) return new Uint8Array(0);
    this.irregular(offset, size);
    return this.take(offset, size).bytes;
  }

  /** `size` bytes as they are, initialised or not, without reporting anything (bit-field updates). */
  peek(offset: number, size: number): Uint8Array {
    if (offset < 0 || offset + size > this.limit) throw this.fault(offset, size, 'reads');
    // The bytes only: take() also builds the initialisation mask, as large again and all written.
    const bytes = new Uint8Array(size);
    for (let done = 0; done < size;) {
      const at = offset + done;
      const index = at >>> PAGE_SHIFT;
      const local = at & PAGE_MASK;
      const page = this.pages[index];
      const len = page ? pageLength(page) : Math.min(PAGE_SIZE, this.size - index * PAGE_SIZE);
      const chunk = Math.min(size - done, len - local);
      if (page) bytes.set(page.subarray(local, local + chunk), done);
      done += chunk;
    }
    return bytes;
  }

  /** Stores raw bytes, initialised, no provenance. */
  writeBytes(offset: number, bytes: ArrayLike<number>): void {
    const size = bytes.length;
    if (offset < 0 || offset + size > this.wlimit) throw this.fault(offset, size, 'writes');
    if (size === 0) return;
    this.beforeWrite(offset, size);
    this.put(offset, bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes), INIT);
  }

  /** Whether every byte of the range was written (for the debugger, which must not report reads). */
  isInitialized(offset: number, size: number): boolean {
    if (offset < 0 || offset + size > this.limit) return false;
    for (let i = offset; i < offset + size; i++) if (this.maskAt(i) === UNINIT) return false;
    return true;
  }

  /** Bytes materialised so far (what the allocation costs), for tests and benchmarks. */
  get committedBytes(): number {
    let n = 0;
    for (const p of this.pages) if (p !== undefined) n += pageLength(p);
    return n;
  }
}
