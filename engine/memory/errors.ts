/**
 * What a memory access can do wrong. The memory module only knows allocations and offsets; callers
 * (the interpreter, the engine's routines) add the C expression and source location.
 */

export type MemoryErrorKind =
  | 'null-dereference'
  | 'use-after-free'
  | 'out-of-bounds'
  | 'uninitialized-read'
  | 'not-dereferenceable'
  | 'read-only'
  | 'bad-pointer'
  /** Writing needed a new page past the run's `memory` limit (engine/limits.ts). */
  | 'memory-limit';

export class MemoryError extends Error {
  constructor(
    readonly kind: MemoryErrorKind,
    message: string,
    /**
     * The address of an access to user space (NULL's page included), else undefined: on Windows
     * such a fault is an access violation a `__try` can handle; a bad kernel address is a bug check.
     */
    readonly userAddress: number | undefined = undefined,
  ) {
    super(message);
  }
}

/** Where something happened, for "freed at x.c:12" in messages. */
export interface Site {
  file: string;
  line: number;
  column?: number;
}

export function siteText(site: Site | undefined): string {
  return site ? `${site.file}:${site.line}${site.column ? `:${site.column}` : ''}` : '';
}
