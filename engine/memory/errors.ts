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
