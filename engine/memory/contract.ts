/**
 * What an allocation is and what it needs from the address space it lives in: its kinds, the
 * pointer values memory stores, the options it is made with, and the Space contract (space.ts
 * implements it). Types only, so allocation.ts and space.ts do not import each other's code.
 */
import type { CType } from '../c/types';
import type { Site } from './errors';
import type { Allocation } from './allocation';

export type AllocationKind =
  /** ExAllocatePool* and friends. */
  | 'pool'
  | 'lookaside'
  /** FltAllocateContext. */
  | 'context'
  /** A local variable of an interpreted function (freed when its function returns). */
  | 'stack'
  /** A global or static variable. */
  | 'global'
  /** A string literal. */
  | 'string'
  /** An engine object C reads and writes (FLT_CALLBACK_DATA, FILE_OBJECT…). */
  | 'engine'
  /** A handle to an engine object C never dereferences (PFLT_FILTER, PFLT_INSTANCE…). */
  | 'opaque'
  /** A function: pointers to it call it; reading through them is an error. */
  | 'code'
  /** A temporary the interpreter needs (a struct returned by value). */
  | 'temporary'
  /**
   * Memory of the user-mode program behind a request (the buffer of a read it issued, a directory
   * query's output): it lives at a user-space address, below MM_HIGHEST_USER_ADDRESS.
   */
  | 'user';

/** A function as a value (the interpreter's FunctionValue). */
export interface CodeTarget {
  readonly kind: 'function';
  readonly name: string;
}

/**
 * A pointer value as memory stores it: a pointer into an allocation (or, without provenance, to an
 * address), a function, or NULL. `Ptr` lives in pointer.ts; this module only passes them through.
 */
export interface PtrLike {
  readonly alloc: Allocation | null;
  readonly offset: number;
}
export type PointerValue = PtrLike | CodeTarget | null;

/** What an allocation needs from the address space it lives in. */
export interface Space {
  /** A read found bytes nothing wrote: report it (the default throws), then the read goes on. */
  uninitialized(a: Allocation, offset: number, size: number): void;
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

export interface AllocationOptions {
  /** Reads of never-written bytes give initialised zeros (ExAllocatePoolZero, statics, `= {0}`). */
  zeroed?: boolean;
  /** Pool tag (0 when none). */
  tag?: number;
  /** How messages name it: `pool block #3 (tag 'Tag1')`, `local 'buf' of ReadConfig`. */
  label?: string;
  /** The engine object behind it (engine and opaque kinds) or the function (code). */
  owner?: unknown;
  /** Where it was allocated. */
  site?: Site;
  /** Initial contents (a string literal's characters). */
  contents?: ArrayLike<number>;
  /** Writes fault (string literals). */
  readOnly?: boolean;
  /** The C type of the object it holds, when one was declared (locals, globals, engine objects). */
  type?: CType;
  /** The name C code uses for that object (`Ctx`), to name its members in messages. */
  name?: string;
}
