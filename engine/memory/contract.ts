/**
 * What an allocation is made as: its kinds, a function as a value, and the options it is made with.
 * Types only. The pointer values and the Space contract name Allocation, so they live in
 * allocation.ts (a type import back from here would be an import cycle).
 */
import type { CType } from '../c/types';
import type { Site } from './errors';

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
  /** The base address's alignment, above the usual 16 bytes (user-mode regions: 64 KiB). */
  align?: number;
  /** The C type of the object it holds, when one was declared (locals, globals, engine objects). */
  type?: CType;
  /** The name C code uses for that object (`Ctx`), to name its members in messages. */
  name?: string;
  /**
   * Pages it shares with other allocations (a mapped view and the file's cached pages, as on
   * Windows one physical page backs both): used as they are, not copied, never recycled when it is
   * freed. Its size must be whole pages.
   */
  sharedPages?: (Uint8Array | undefined)[];
}
