/**
 * How C values look in memory, shared by the engine (which creates objects C code reads, such as
 * FLT_CALLBACK_DATA) and the interpreter (which runs the C). Memory is typed objects, not bytes:
 *
 * - integers are JS numbers (wrapped to their C width by the interpreter); 64-bit values are exact
 *   up to 2^53;
 * - a struct or union is a plain JS object whose keys are the C field names; an array is a JS array;
 * - a pointer to a whole struct object is that object itself (identity is pointer equality);
 * - a pointer to anything else — a scalar variable, a field holding a scalar, an array element — is
 *   a `Ref` to (container, key);
 * - NULL is `null`; a function pointer is a `FunctionValue`;
 * - opaque kernel objects (PFLT_FILTER, PFLT_INSTANCE, PETHREAD, work items…) are engine objects
 *   passed around as pointers and never dereferenced by C;
 * - memory from a pool allocation, a lookaside list or FltAllocateContext starts as a raw block
 *   (`allocateRaw`) that takes the type of its first typed access, as C's effective-type rule says.
 */

export class Ref {
  constructor(
    /** A struct object, an array, or a variable frame. */
    readonly c: Record<string, unknown> | unknown[],
    /** Field name or array index. */
    readonly k: string | number,
  ) {}

  get(): unknown {
    return (this.c as Record<string | number, unknown>)[this.k];
  }

  set(value: unknown): void {
    (this.c as Record<string | number, unknown>)[this.k] = value;
  }

  equals(other: unknown): boolean {
    return other instanceof Ref && other.c === this.c && other.k === this.k;
  }
}

/** A C function as a value. `call` is how the engine invokes it (as a driver callback). */
export interface FunctionValue {
  readonly kind: 'function';
  /** `PreRead`, or `counting!PreRead` when shown across modules. */
  readonly name: string;
  readonly module?: string;
  readonly call: (...args: unknown[]) => unknown;
}

export function isFunctionValue(value: unknown): value is FunctionValue {
  return typeof value === 'object' && value !== null && (value as FunctionValue).kind === 'function';
}

export type PoolType = 'NonPagedPool' | 'PagedPool' | 'NonPagedPoolNx' | 'Lookaside' | 'Context' | 'Stack' | 'Static';

export interface RawInfo {
  size: number;
  pool: PoolType;
  tag: number;
  /** Set by the allocator: a stable id for leak reports and `%p`. */
  id: number;
  freed: boolean;
}

const RAW = new WeakMap<object, RawInfo>();

/** A block of untyped memory; the interpreter gives it a type on first typed access. */
export function allocateRaw(size: number, pool: PoolType, tag: number, id: number): Record<string, unknown> {
  const block: Record<string, unknown> = {};
  RAW.set(block, { size, pool, tag, id, freed: false });
  return block;
}

export function rawInfo(block: object): RawInfo | undefined {
  return RAW.get(block);
}

/** LARGE_INTEGER: QuadPart with LowPart/HighPart views that stay consistent, as the C union does. */
export class LargeInteger {
  QuadPart: number;
  constructor(value = 0) {
    this.QuadPart = value;
  }
  get LowPart(): number {
    return Number(BigInt.asUintN(32, BigInt(Math.trunc(this.QuadPart))));
  }
  set LowPart(v: number) {
    this.QuadPart = this.HighPart * 0x100000000 + (v >>> 0);
  }
  get HighPart(): number {
    return Number(BigInt.asIntN(32, BigInt(Math.trunc(this.QuadPart)) >> 32n));
  }
  set HighPart(v: number) {
    this.QuadPart = (v | 0) * 0x100000000 + this.LowPart;
  }
  /** The anonymous-struct spelling `u.LowPart`. */
  get u(): { LowPart: number; HighPart: number } {
    return this as unknown as { LowPart: number; HighPart: number };
  }
}

/** A NUL-terminated wide string as a WCHAR array. */
export function wideChars(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) out.push(text.charCodeAt(i));
  out.push(0);
  return out;
}

/** A NUL-terminated narrow string as a CHAR array. */
export function narrowChars(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) out.push(text.charCodeAt(i) & 0xff);
  out.push(0);
  return out;
}

export interface UnicodeString {
  Length: number;
  MaximumLength: number;
  Buffer: Ref | null;
}

/** UNICODE_STRING over a fresh buffer; Length excludes the terminator, in bytes as in C. */
export function makeUnicodeString(text: string): UnicodeString {
  const chars = wideChars(text);
  return { Length: text.length * 2, MaximumLength: chars.length * 2, Buffer: new Ref(chars, 0) };
}

/** Reads a UNICODE_STRING's text (Length bytes from Buffer). */
export function unicodeStringText(us: UnicodeString | null | undefined): string {
  if (!us || !(us.Buffer instanceof Ref)) return '';
  const arr = us.Buffer.c as number[];
  const start = us.Buffer.k as number;
  let s = '';
  for (let i = 0; i < us.Length / 2; i++) s += String.fromCharCode(arr[start + i] ?? 0);
  return s;
}

export interface ListEntry {
  Flink: ListEntry | null;
  Blink: ListEntry | null;
}

/** A LIST_ENTRY head or link, initially unlinked (NULL links, as zeroed memory has). */
export function makeListEntry(): ListEntry {
  return { Flink: null, Blink: null };
}

interface ParentLink {
  parent: object;
  key: string | number;
}

/**
 * The link lives on the child under a symbol (symbols are invisible to Object.keys, JSON and
 * for-in) and names the child it belongs to, so a shallow copy of the child does not inherit it.
 * A symbol property costs a few nanoseconds where a WeakMap entry costs hundreds and weighs on the
 * garbage collector; the WeakMap remains for objects that cannot take a property (frozen ones).
 */
const PARENT_KEY: unique symbol = Symbol('fltsim.parent');

interface StoredLink extends ParentLink {
  child: object;
}

const FROZEN_PARENT = new WeakMap<object, ParentLink>();

/**
 * Records that `child` is embedded (by value, not by pointer) in `parent` under `key`. This is what
 * lets CONTAINING_RECORD(&Data->QueueLinks, FLT_CALLBACK_DATA, QueueLinks) find Data again, and
 * pointer arithmetic walk an array of structs. Anything that builds a C-visible object with embedded
 * structs calls this for each embedded struct; pointer-valued fields are not embedded.
 */
export function embed<T extends object>(parent: object, key: string | number, child: T): T {
  if (Object.isExtensible(child)) (child as { [PARENT_KEY]?: StoredLink })[PARENT_KEY] = { parent, key, child };
  else FROZEN_PARENT.set(child, { parent, key });
  (parent as Record<string | number, unknown>)[key] = child;
  return child;
}

export function parentOf(child: object): ParentLink | undefined {
  const link = (child as { [PARENT_KEY]?: StoredLink })[PARENT_KEY];
  if (link !== undefined && link.child === child) return link;
  return FROZEN_PARENT.get(child);
}

/**
 * The elements from where `pointer` points to the end of its array. C code hands the engine arrays
 * as a pointer to their first element (`Registration.OperationRegistration`); that pointer is a
 * `Ref(array, i)` for scalars or the element object itself for structs (found through `embed`).
 * A plain JS array is accepted too, for tests written in TypeScript.
 */
export function arrayFrom(pointer: unknown): unknown[] | undefined {
  if (Array.isArray(pointer)) return pointer;
  if (pointer instanceof Ref && Array.isArray(pointer.c) && typeof pointer.k === 'number') return pointer.c.slice(pointer.k);
  if (typeof pointer === 'object' && pointer !== null) {
    const link = parentOf(pointer);
    if (link && Array.isArray(link.parent) && typeof link.key === 'number') return link.parent.slice(link.key);
    return [pointer];
  }
  return undefined;
}
