/**
 * Errors that stop an interpreted run. Each carries a kind (stable, for tests and the debugger), a
 * message in plain words, and the C location once the interpreter knows it.
 */
import type { Loc } from '../c/ast';
import type { SehException } from '../kernel/exceptions';
import { MemoryError } from '../memory/errors';
import { NotModelled } from '../kernel/notModelled';

export const C_ERROR_KINDS = [
  'null-dereference', 'use-after-free', 'out-of-bounds', 'bad-pointer', 'type-mismatch', 'no-field',
  'incomplete-type', 'buffer-overflow', 'unsupported', 'undefined-name', 'not-modelled', 'division-by-zero',
  'step-budget', 'stack-overflow', 'bad-call', 'compile-error', 'internal',
  'uninitialized-read', 'not-dereferenceable', 'read-only', 'memory-limit', 'unhandled-exception',
  // Not a C error: the kernel model went round in circles without running driver code (kernel/stall.ts).
  'no-progress',
] as const;
export type CErrorKind = (typeof C_ERROR_KINDS)[number];

export class CRuntimeError extends Error {
  loc?: Loc;
  /** A hint for the user: what to do about it. */
  hint?: string;
  /**
   * A memory fault at a user-space address: on Windows an access violation, which a `__try` can
   * handle (interp/seh.ts); the run stops with this error only if none does.
   */
  accessViolation: { address: number; write: boolean } | undefined = undefined;
  /** The exception search found no handler for it: it stops the run, nothing catches it again. */
  unhandled = false;
  /** The access violation it was raised as, once a `__try` saw it. */
  exception: SehException | undefined = undefined;

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
/**
 * What a routine's failure becomes at its call: a memory fault as `memoryFault` says, and a call
 * the engine refuses to answer (NotModelled) the same stop, located at the calling line.
 */
export function routineFault(err: unknown, what: string, loc: Loc): unknown {
  if (err instanceof NotModelled) return new CRuntimeError('not-modelled', err.message, loc);
  return memoryFault(err, what, loc);
}

export function memoryFault(err: unknown, what: string, loc?: Loc): unknown {
  if (!(err instanceof MemoryError)) return err;
  const e = new CRuntimeError(err.kind, `${what} ${err.message}`, loc);
  if (err.userAddress !== undefined) e.accessViolation = { address: err.userAddress, write: err.message.startsWith('writes') };
  return e;
}
