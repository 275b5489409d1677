/**
 * Engine state for objects that C code embeds in its own memory (KEVENT, FAST_MUTEX, KSPIN_LOCK,
 * ERESOURCE, EX_PUSH_LOCK, FLT_CALLBACK_DATA_QUEUE, lookaside lists). C passes such an object by
 * address: a struct arrives as the object itself, a scalar-typed one (KSPIN_LOCK is a ULONG_PTR,
 * EX_PUSH_LOCK may be declared as one) as a `Ref` to the field or variable holding it. State is
 * keyed by object identity, or by (container, key) for a Ref, so two Refs to the same field find
 * the same state and nothing here keeps driver memory alive.
 */
import { Ref } from './cvalues';

export class ObjectStates<T> {
  private readonly byObject = new WeakMap<object, T>();
  private readonly byRef = new WeakMap<object, Map<string | number, T>>();

  get(key: unknown): T | undefined {
    if (key instanceof Ref) return this.byRef.get(key.c as object)?.get(key.k);
    if (typeof key === 'object' && key !== null) return this.byObject.get(key);
    return undefined;
  }

  /** False when `key` cannot identify an object (NULL, a number). */
  set(key: unknown, value: T): boolean {
    if (key instanceof Ref) {
      let m = this.byRef.get(key.c as object);
      if (!m) {
        m = new Map();
        this.byRef.set(key.c as object, m);
      }
      m.set(key.k, value);
      return true;
    }
    if (typeof key === 'object' && key !== null) {
      this.byObject.set(key, value);
      return true;
    }
    return false;
  }

  delete(key: unknown): void {
    if (key instanceof Ref) this.byRef.get(key.c as object)?.delete(key.k);
    else if (typeof key === 'object' && key !== null) this.byObject.delete(key);
  }
}

/** Can this value identify an object for ObjectStates? */
export function isAddressable(key: unknown): boolean {
  return key instanceof Ref || (typeof key === 'object' && key !== null);
}

/** A short name for an object passed by address: `&Lock` for a Ref to a field, `KEVENT#3` otherwise. */
export function addressName(key: unknown, fallback: string): string {
  if (key instanceof Ref) return typeof key.k === 'number' ? `&[${key.k}]` : `&${key.k}`;
  return fallback;
}

/** Writes through an optional out-pointer (`PKIRQL OldIrql`, `PFLT_FILTER *RetFilter`). */
export function writeOut(ptr: unknown, value: unknown): void {
  if (ptr instanceof Ref) ptr.set(value);
  else if (typeof ptr === 'object' && ptr !== null && 'v' in (ptr as object)) (ptr as { v: unknown }).v = value;
}

/** A HANDLE: opaque to C, closed by ZwClose. */
export class KHandle {
  closed = false;
  constructor(
    readonly object: unknown,
    /** `registry key \REGISTRY\…`, `thread Worker`: for messages and the snapshot. */
    readonly what: string,
  ) {}
}
