/**
 * The address space of one run, split as x64 Windows splits it. Every allocation gets a base address
 * that is never reused, with a gap after it, handed out in allocation order — so `%p` prints the
 * same addresses on every run and replay of a scenario, and a pointer one past the end of a block
 * never equals the start of the next. Kernel memory (pool, stacks, globals, every engine object)
 * lives in the kernel half (0xffffa000_00000000 upwards); the user-mode program's buffers in the user
 * half (0x00000250_00000000 upwards), so an address tells which side it is on, as ProbeForRead and
 * drivers' own checks expect. Addresses are signed 64-bit numbers: kernel ones are negative, and
 * C's pointer comparisons order them unsigned (interp/pointers.ts).
 *
 * Turning a pointer into an integer exposes its allocation (Miri's "exposed provenance"); an integer
 * turned back into a pointer finds the exposed allocation holding that address, freed or not, so a
 * round trip through ULONG_PTR works and a stale integer still reports use-after-free. Only exposed
 * allocations are indexed, so a run that frees millions of blocks keeps none of them.
 */
import { Allocation, type ByteRun, type PointerValue, type Space } from './allocation';
import { neverWritten } from './neverWritten';
import type { AllocationKind, AllocationOptions, CodeTarget } from './contract';
import { newPage, reusePage } from './page';
import { MemoryError, type Site } from './errors';
import { MM_HIGHEST_USER_ADDRESS, Ptr, u64Hex, type AllocPtr } from './pointer';

/** Address of the first allocation: 0xffffa000_00000000 as a signed 64-bit integer. */
export const FIRST_ADDRESS = -0x6000_0000_0000;
/** Address of the first user-mode allocation (an address like the heaps of an x64 process). */
export const FIRST_USER_ADDRESS = 0x250_0000_0000;
/** Where a debugger's own allocations go (0xffffc000_00000000 upwards): never where the run's do. */
const OBSERVER_ADDRESS = -0x4000_0000_0000;
/** Bases are aligned to this (MEMORY_ALLOCATION_ALIGNMENT on x64). */
const ALIGN = 16;
/** Space left after each allocation. */
const GAP = 16;
/** What a function's code allocation spans (nothing reads it; it only needs an address). */
const CODE_SIZE = 16;

/** `512 MiB`, `12 KiB`: sizes as a user reads them. */
function mib(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${+(bytes / 1024).toFixed(1)} KiB`;
}

export type UninitializedHandler = (a: Allocation, offset: number, size: number, gaps: readonly ByteRun[]) => void;

export interface UninitializedReporter {
  uninitializedMemory(a: Allocation, offset: number, size: number, gaps: readonly ByteRun[]): void;
}

export class AddressSpace implements Space {
  private nextId = 1;
  private next = FIRST_ADDRESS;
  private nextUser = FIRST_USER_ADDRESS;
  /**
   * While a debugger looks (watches, hovers, conditions), what it makes lives apart — its own
   * addresses and ids — and nothing becomes exposed, so a run's addresses and behaviour do not
   * depend on what was looked at.
   */
  private observing = false;
  private nextObserverId = -1;
  private nextObserver = OBSERVER_ADDRESS;
  /** Exposed allocations by base address (bases grow with ids, so appends keep the order mostly). */
  private readonly exposedList: Allocation[] = [];
  private readonly code = new WeakMap<object, Allocation>();
  private readonly handles = new WeakMap<object, Allocation>();

  /**
   * What reading never-written bytes does. The default throws; the interpreter reports a violation
   * and lets the read go on with the bytes as they are (zeros).
   */
  onUninitialized: UninitializedHandler = (a, offset, size, gaps) => {
    throw new MemoryError('uninitialized-read', `reads ${size} byte${size === 1 ? '' : 's'} at offset ${offset} of ${a.describe()}${neverWritten(size, gaps)}`);
  };

  /**
   * When set, told of such reads instead of `onUninitialized` (the interpreter, for every run). An
   * object rather than a closure: see "Hooks are objects" in docs/architecture.md.
   */
  uninitializedReporter: UninitializedReporter | null = null;

  allocate(kind: AllocationKind, size: number, options?: AllocationOptions): Allocation {
    if (!Number.isInteger(size) || size < 0) throw new MemoryError('bad-pointer', `cannot allocate ${size} bytes`);
    if (this.observing) {
      const base = this.nextObserver;
      this.nextObserver = alignUp(base + Math.max(size, 1), ALIGN) + GAP;
      return new Allocation(this, this.nextObserverId--, kind, base, size, options);
    }
    const id = this.nextId++;
    let a: Allocation;
    if (kind === 'user') {
      const base = alignUp(this.nextUser, Math.max(ALIGN, options?.align ?? ALIGN));
      const end = alignUp(base + Math.max(size, 1), ALIGN);
      if (end > MM_HIGHEST_USER_ADDRESS) throw new MemoryError('bad-pointer', `cannot allocate ${size} bytes of user-mode memory: the user half of the address space is full`);
      this.nextUser = end + GAP;
      a = new Allocation(this, id, kind, base, size, options);
    } else {
      const base = this.next;
      this.next = alignUp(base + Math.max(size, 1), ALIGN) + GAP;
      a = new Allocation(this, id, kind, base, size, options);
    }
    if (this.onAllocate !== null) this.onAllocate(a);
    return a;
  }

  /**
   * Told of every allocation of the run (not a debugger's own), for a debugger that finds memory by
   * address and re-arms data breakpoints when it replays a run. Null: nobody listens.
   */
  onAllocate: ((a: Allocation) => void) | null = null;

  /**
   * Told of every load and store driver code makes (schedule exploration's footprints: the kernel
   * sets it when the run's schedule policy observes). Null: nobody listens, nothing is reported.
   * A debugger's looks (`observe`) are never reported.
   */
  accessHook: ((a: Allocation, write: boolean) => void) | null = null;

  touch(a: Allocation, write: boolean): void {
    if (this.accessHook !== null && !this.observing) this.accessHook(a, write);
  }

  /** Runs `fn` as an observer: what it allocates is set apart and nothing is exposed (see `observing`). */
  observe<T>(fn: () => T): T {
    const was = this.observing;
    this.observing = true;
    try {
      return fn();
    } finally {
      this.observing = was;
    }
  }

  /** A pointer to byte `offset` of `a`. */
  pointer(a: Allocation, offset = 0): AllocPtr {
    return new Ptr(a, offset) as AllocPtr;
  }

  /**
   * Frees `a`. Returns false when it was freed already (the caller reports the double free with its
   * own rule id and wording).
   */
  free(a: Allocation, site?: Site): boolean {
    if (a.freed) return false;
    a.release(site);
    return true;
  }

  /** The code allocation of a function value: what a function pointer stored in memory points at. */
  codeFor(fn: CodeTarget): Allocation {
    let a = this.code.get(fn);
    if (a === undefined) {
      a = this.allocate('code', CODE_SIZE, { label: fn.name, owner: fn });
      this.code.set(fn, a);
    }
    return a;
  }

  /**
   * The handle C code holds for an engine object it never dereferences (a filter, an instance, a
   * work item): one opaque allocation per object, so the pointer compares, prints and converts
   * back to its owner. `label` may be a function: it then runs only when the handle is made (most
   * calls find it made).
   */
  handleFor(owner: object, label: string | ((owner: object) => string)): AllocPtr {
    let a = this.handles.get(owner);
    if (a === undefined) {
      a = this.allocate('opaque', 0, { label: typeof label === 'string' ? label : label(owner), owner });
      this.handles.set(owner, a);
    }
    return new Ptr(a, 0) as AllocPtr;
  }

  /**
   * How a stored value that is not already a pointer value becomes one (an engine object: its C
   * address). Set by the binding layer; without it such a store is an error.
   */
  toPointer: ((v: object) => PointerValue) | undefined = undefined;

  // ---- Space ------------------------------------------------------------------------------------

  uninitialized(a: Allocation, offset: number, size: number, gaps: readonly ByteRun[]): void {
    if (this.uninitializedReporter !== null) this.uninitializedReporter.uninitializedMemory(a, offset, size, gaps);
    else this.onUninitialized(a, offset, size, gaps);
  }

  /** Freed small pages by size class (16 << i bytes): a call that takes a local's address reuses one. */
  private readonly pagePool: Uint8Array[][] = [[], [], [], [], [], []];

  /**
   * Bytes held in pages of live allocations: what the run has written, which is what it costs (a
   * block allocated but never written costs nothing). Past `writtenLimit` a write that needs a new
   * page fails with `memory-limit`, so no driver can exhaust the process hosting it.
   */
  written = 0;
  writtenLimit = Infinity;
  /** The end of the memory-limit message: where to raise the limit (engine/limits.ts's limitHint). */
  writtenHint = '';

  newPage(length: number, zeroed: boolean): Uint8Array {
    const c = sizeClass(length);
    const bytes = c < 0 ? length : 16 << c;
    if (this.written + bytes > this.writtenLimit) {
      throw new MemoryError('memory-limit', `would write past the run's memory limit: ${mib(this.written)} of memory is written already and the limit is ${mib(this.writtenLimit)}${this.writtenHint ? `; ${this.writtenHint}` : ''}`);
    }
    this.written += bytes;
    const free = c < 0 ? undefined : this.pagePool[c].pop();
    return free === undefined ? newPage(bytes, zeroed) : reusePage(free, zeroed);
  }

  recycle(pages: readonly (Uint8Array | undefined)[]): void {
    for (const p of pages) {
      if (p === undefined) continue;
      this.written -= p.length >>> 1;
      const c = sizeClass(p.length >>> 1);
      if (c < 0 || (16 << c) !== p.length >>> 1 || this.pagePool[c].length >= MAX_POOLED) continue;
      p.fill(0);
      this.pagePool[c].push(p);
    }
  }

  targetOf(v: PointerValue): Allocation | null {
    if (v === null) return null;
    if (v instanceof Ptr) return v.alloc;
    return this.codeFor(v as CodeTarget);
  }

  pointerValue(v: unknown): PointerValue {
    if (v === null || v === undefined || v === 0) return null;
    if (v instanceof Ptr) return v;
    if (typeof v !== 'object') throw new MemoryError('bad-pointer', `stores ${typeof v === 'number' || typeof v === 'bigint' ? `the integer ${v}` : `a ${typeof v}`} where a pointer belongs`);
    if ((v as CodeTarget).kind === 'function') return v as CodeTarget;
    const own = (v as { $ptr?: Ptr }).$ptr ?? (v as { ptr?: unknown }).ptr;
    if (own instanceof Ptr) return own;
    if (this.toPointer) return this.toPointer(v);
    throw new MemoryError('bad-pointer', 'stores an object that has no address in C memory where a pointer belongs');
  }

  expose(a: Allocation): void {
    if (a.exposed || this.observing) return;
    a.exposed = true;
    const list = this.exposedList;
    let i = list.length;
    while (i > 0 && list[i - 1].base > a.base) i--;
    list.splice(i, 0, a);
  }

  fromAddress(address: number | bigint): PointerValue {
    const addr = typeof address === 'bigint' ? Number(BigInt.asIntN(64, address)) : address;
    if (addr === 0) return null;
    const a = this.exposedAt(addr);
    if (a === undefined) return new Ptr(null, addr);
    if (a.kind === 'code' && addr === a.base) return a.owner as CodeTarget;
    return new Ptr(a, addr - a.base);
  }

  /** The exposed allocation whose bytes (or one-past-the-end) include `addr`. */
  private exposedAt(addr: number): Allocation | undefined {
    const list = this.exposedList;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const a = list[mid];
      if (addr < a.base) hi = mid - 1;
      else if (addr > a.base + a.size) lo = mid + 1;
      else return a;
    }
    return undefined;
  }

  // ---- integers --------------------------------------------------------------------------------

  /** The address of a pointer value, without exposing it (comparisons, display). */
  addressOf(v: PointerValue): number {
    if (v === null) return 0;
    if (v instanceof Ptr) return v.address;
    return this.codeFor(v as CodeTarget).base;
  }

  /** A pointer cast to an integer: its address, and its allocation becomes findable by address. */
  exposeAddress(v: PointerValue): number {
    const t = this.targetOf(v);
    if (t !== null) this.expose(t);
    return this.addressOf(v);
  }

  /** `%p`: 16 hex digits (of an integer too, as printf prints whatever it is given). */
  format(v: PointerValue | number | bigint): string {
    if (typeof v === 'number' || typeof v === 'bigint') return u64Hex(v);
    return u64Hex(this.addressOf(v));
  }
}

/** Pages kept per size class. */
const MAX_POOLED = 256;

/** The size class of a small page (16, 32, … 512 bytes), or -1 for larger ones. */
function sizeClass(length: number): number {
  if (length > 512) return -1;
  let c = 0;
  while (16 << c < length) c++;
  return c;
}

function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}
