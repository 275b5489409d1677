/**
 * Engine state for objects that C code embeds in its own memory (KEVENT, FAST_MUTEX, KSPIN_LOCK,
 * ERESOURCE, EX_PUSH_LOCK, FLT_CALLBACK_DATA_QUEUE, lookaside lists). C passes such an object by
 * address; the binding layer hands the routine a view (a struct), a cell (a scalar such as
 * KSPIN_LOCK) or the pointer. State is keyed by the address — allocation and offset — so every
 * pointer to the same object finds the same state, and nothing here keeps driver memory alive.
 * Objects a TypeScript caller passes are keyed by identity.
 */
import { addressOf, ownerOrPointer } from './marshal';
import { Allocation } from '../memory/allocation';
import { memberAt } from '../memory/typed';
import { isOutParam } from './cvalues';
import type { Co } from './coroutine';

export class ObjectStates<T> {
  private readonly byObject = new WeakMap<object, T>();
  private readonly byAddress = new WeakMap<object, Map<number | string, T>>();

  get(key: unknown): T | undefined {
    const a = addressOf(key);
    if (a === undefined) return undefined;
    if (isAddress(a)) return this.byAddress.get(a.alloc)?.get(a.offset);
    return this.byObject.get(a);
  }

  /** False when `key` cannot identify an object (NULL, a number). */
  set(key: unknown, value: T): boolean {
    const a = addressOf(key);
    if (a === undefined) return false;
    if (isAddress(a)) {
      let m = this.byAddress.get(a.alloc);
      if (!m) {
        m = new Map();
        this.byAddress.set(a.alloc, m);
      }
      m.set(a.offset, value);
      return true;
    }
    this.byObject.set(a, value);
    return true;
  }

  delete(key: unknown): void {
    const a = addressOf(key);
    if (a === undefined) return;
    if (isAddress(a)) this.byAddress.get(a.alloc)?.delete(a.offset);
    else this.byObject.delete(a);
  }
}

function isAddress(a: object): a is { alloc: object; offset: number | string } {
  return 'alloc' in a && 'offset' in a && Object.keys(a).length === 2;
}

/** Can this value identify an object for ObjectStates? */
export function isAddressable(key: unknown): boolean {
  return addressOf(key) !== undefined;
}

/** A short name for an object passed by address: what C memory it is in, or `fallback`. */
export function addressName(key: unknown, fallback: string, whole?: number): string {
  const a = addressOf(key);
  if (a !== undefined && isAddress(a)) {
    if (typeof a.offset === 'string') return `&${a.offset}`;
    if (!(a.alloc instanceof Allocation)) return `&[${a.offset}]`;
    // `&Lock`, `&Globals.Lock`: the C name of a declared object and the member; else the block.
    const m = a.alloc;
    if (m.name !== undefined && m.type !== undefined) return `&${m.name}${memberAt(m.type, a.offset, whole)}`;
    return a.offset === 0 ? `&(${m.label})` : `&(${m.label})+${a.offset}`;
  }
  return fallback;
}

/** Writes through an optional out-pointer (`PKIRQL OldIrql`, `PFLT_FILTER *RetFilter`). */
export function writeOut(ptr: unknown, value: unknown): void {
  if (isOutParam(ptr)) ptr.set(value);
  else if (typeof ptr === 'object' && ptr !== null && 'v' in (ptr as object)) (ptr as { v: unknown }).v = value;
}

/** Stores `value` through a PLARGE_INTEGER out-parameter (a LARGE_INTEGER view, or a plain cell). */
export function writeLargeOut(out: unknown, value: number | bigint): void {
  if (typeof out === 'object' && out !== null && 'QuadPart' in (out as object)) (out as { QuadPart: number | bigint }).QuadPart = value;
  else writeOut(out, value);
}

/** `*p` for an in/out parameter (`PSIZE_T ViewSize`, `PULONG ReplyLength`): the value, or the engine object a stored pointer stands for. */
export function readOut(p: unknown): unknown {
  if (isOutParam(p)) return ownerOrPointer(p.get());
  if (typeof p === 'object' && p !== null && 'v' in p) return (p as { v: unknown }).v;
  return undefined;
}

/** A HANDLE: opaque to C, closed by ZwClose. */
export class KHandle {
  closed = false;
  /** What closing the handle does to its object (a section loses its handle). */
  onClose: (() => void) | undefined = undefined;
  /** The I/O closing it sends before ZwClose returns (a file handle's cleanup and close). */
  closeIo: (() => Co<void>) | undefined = undefined;
  constructor(
    readonly object: unknown,
    /** `registry key \REGISTRY\…`, `thread Worker`: for messages and the snapshot. */
    readonly what: string,
    /** The process whose handle table holds it; null for a kernel handle (OBJ_KERNEL_HANDLE) or a System thread's. */
    readonly process: object | null = null,
  ) {}
}
