/**
 * Errors that stop an interpreted run. Each carries a kind (stable, for tests and the debugger), a
 * message in plain words, and the C location once the interpreter knows it.
 */
import type { Loc } from '../c/ast';
import { MemoryError } from '../memory/errors';

export const C_ERROR_KINDS = [
  'null-dereference', 'use-after-free', 'out-of-bounds', 'bad-pointer', 'type-mismatch', 'no-field',
  'incomplete-type', 'buffer-overflow', 'unsupported', 'undefined-name', 'not-modelled', 'division-by-zero',
  'step-budget', 'stack-overflow', 'bad-call', 'compile-error', 'internal',
  'uninitialized-read', 'not-dereferenceable', 'read-only', 'memory-limit',
] as const;
export type CErrorKind = (typeof C_ERROR_KINDS)[number];

export class CRuntimeError extends Error {
  loc?: Loc;
  /** A hint for the user: what to do about it. */
  hint?: string;

  constructor(readonly kind: CErrorKind, message: string, loc?: Loc, hint?: string) {
    super(message);
    this.loc = loc;
    this.hint = hint;
  }

  /** `file:line:col: message (hint)`, the form every front end prints. */
  describe(): string {
    const where = this.loc ? `${this.loc.file}:${this.loc.line}:${this.loc.col}: ` : '';
    return `${where}${this.message}${this.hint ? ` — ${this.hint}` : ''}`;
  }
}

export function withLoc<T extends Error>(err: T, loc: Loc): T {
  if (err instanceof CRuntimeError && !err.loc) err.loc = loc;
  return err;
}

/**
 * A memory access that failed, as the run reports it: the C expression that made it, what the memory
 * module found (`reads 4 bytes at offset 14 of a 16-byte pool block #3`), and where.
 */
export function memoryFault(err: unknown, what: string, loc?: Loc): unknown {
  if (!(err instanceof MemoryError)) return err;
  return new CRuntimeError(err.kind, `${what} ${err.message}`, loc);
}
