/**
 * Structured exceptions, as kernel code raises them: ExRaiseStatus, the probes of user buffers, an
 * access through a bad user-space address. The kernel side only raises; the interpreter
 * (interp/seh.ts) finds the `__except` whose filter accepts it, runs the `__finally` blocks on the
 * way, and turns one nobody handles into the bug check Windows would stop with.
 */
import { formatStatus, STATUS, type NtStatus } from './status';

/** EXCEPTION_NONCONTINUABLE in EXCEPTION_RECORD.ExceptionFlags. */
export const EXCEPTION_NONCONTINUABLE = 0x1;

/** The filter results `__except (filter)` may give. */
export const EXCEPTION_DISPOSITION = {
  EXECUTE_HANDLER: 1,
  CONTINUE_SEARCH: 0,
  CONTINUE_EXECUTION: -1,
} as const;

/** Bug check 0x1E: a kernel-mode exception no handler accepted. */
export const KMODE_EXCEPTION_NOT_HANDLED = 0x1e;

export class SehException extends Error {
  /** The handler that accepted it, once the search ran (interp/seh.ts); null when none did. */
  target: object | null | undefined = undefined;
  /** EXCEPTION_RECORD.ExceptionInformation: for an access violation, read (0) or write (1), then the address. */
  readonly information: readonly (number | bigint)[];

  constructor(
    /** The NTSTATUS it carries (GetExceptionCode). */
    readonly code: NtStatus,
    /** What raised it, as a user reads it: `ProbeForWrite(0xffffa000…, 16, 1): the range is not in user space`. */
    readonly what: string,
    options: {
      /** ExRaiseStatus's exceptions cannot be continued; an access violation can be re-tried. */
      continuable?: boolean;
      information?: readonly (number | bigint)[];
      /** The error the run would have stopped with had the access not been in user space. */
      cause?: Error;
    } = {},
  ) {
    super(`${formatStatus(code)} raised: ${what}`);
    this.continuable = options.continuable ?? false;
    this.information = options.information ?? [];
    this.origin = options.cause;
  }

  readonly continuable: boolean;
  readonly origin: Error | undefined;

  /** EXCEPTION_RECORD.ExceptionFlags. */
  get flags(): number {
    return this.continuable ? 0 : EXCEPTION_NONCONTINUABLE;
  }
}

/** STATUS_ACCESS_VIOLATION for an access to user-space memory that is not there. */
export function accessViolation(what: string, write: boolean, address: number, cause?: Error): SehException {
  return new SehException(STATUS.STATUS_ACCESS_VIOLATION, what, { continuable: true, information: [write ? 1 : 0, address], ...(cause ? { cause } : {}) });
}
