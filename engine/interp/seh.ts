/**
 * Structured exception handling as MSVC's `__try` / `__except` / `__finally` / `__leave` behave
 * in kernel mode, on the interpreter's frames.
 *
 * An exception is raised by a kernel routine (ExRaiseStatus, ProbeForWrite: an SehException) or by
 * an access through a bad user-space address (a CRuntimeError whose memory fault was in user space:
 * an access violation). The first `__try` (or C call) it reaches runs the search, as Windows'
 * dispatcher does before anything unwinds: the filters of the enclosing `__except`s, innermost
 * first, each evaluated in its own frame with the raising frames still alive. EXCEPTION_EXECUTE_HANDLER
 * (any positive value) picks that handler; EXCEPTION_CONTINUE_SEARCH goes on outwards;
 * EXCEPTION_CONTINUE_EXECUTION is refused, as Windows refuses it for a noncontinuable exception
 * (STATUS_NONCONTINUABLE_EXCEPTION is raised in its place), and for an access violation fltsim stops
 * the run (it cannot resume a faulting access). Then the exception unwinds: every `__finally` on the
 * way runs, and the chosen handler's body runs in its frame. When no filter accepts it, nothing
 * unwinds: the run stops as Windows stops, with bug check 0x1E KMODE_EXCEPTION_NOT_HANDLED (for an
 * access violation, with the memory error the access made).
 *
 * The search never looks past the C function the engine called (a callback): Windows has the
 * engine's own frames (the Filter Manager's, the I/O manager's) between them.
 */
import type { Loc } from '../c/ast';
import { KMODE_EXCEPTION_NOT_HANDLED, SehException, accessViolation } from '../kernel/exceptions';
import { formatStatus, STATUS } from '../kernel/status';
import type { Co } from '../kernel/coroutine';
import { run, type CE } from './compiled';
import { CRuntimeError } from './errors';
import { CFrame, Completion, type SehHost, type SehScope, type StmtCode } from './frame';
import { num } from './conversions';
import { LEAVE } from './stmtFlow';

/**
 * The exception a thrown value stands for, or undefined when it is not one (a run-stopping error:
 * a bad kernel address, a limit, an unmodelled routine).
 */
export function asException(e: unknown): SehException | undefined {
  if (e instanceof SehException) return e;
  if (e instanceof CRuntimeError && e.accessViolation !== undefined && !e.unhandled) {
    const av = e.accessViolation;
    const ex = accessViolation(e.message, av.write, av.address, e);
    e.exception = ex;
    return ex;
  }
  return undefined;
}

/** Whether a thrown value is (or stands for) a structured exception, without making one. */
export function isException(e: unknown): boolean {
  return e instanceof SehException || (e instanceof CRuntimeError && e.accessViolation !== undefined && !e.unhandled);
}

/**
 * The error that stops the run for an exception nobody handled: the access's own memory error for
 * an access violation, otherwise the bug check.
 */
export function unhandledError(e: SehException, where: CFrame | undefined): CRuntimeError {
  const origin = e.origin;
  if (origin instanceof CRuntimeError) {
    origin.unhandled = true;
    return origin;
  }
  const loc = where ? { file: where.file, line: where.line, col: where.column } : undefined;
  const err = new CRuntimeError(
    'unhandled-exception',
    `${e.message}, and no __except handler took it: Windows stops with bug check 0x${KMODE_EXCEPTION_NOT_HANDLED.toString(16).toUpperCase()} KMODE_EXCEPTION_NOT_HANDLED (exception code ${formatStatus(e.code)})`,
    loc,
    'guard the call with __try/__except, or fix what raises it',
  );
  err.unhandled = true;
  return err;
}

/** Whether some `__try/__except` of the running C code (up to the engine's call into it) guards this point. */
export function guardedByExcept(frames: readonly unknown[]): boolean {
  for (let i = frames.length - 1; i >= 0; i--) {
    const f = frames[i];
    if (!(f instanceof CFrame)) return false;
    if (f.seh !== undefined && f.seh.length > 0) return true;
    if (f.engineEntry) return false;
  }
  return false;
}

/** The innermost C frame of a stack. */
function innermost(frames: readonly unknown[]): CFrame | undefined {
  for (let i = frames.length - 1; i >= 0; i--) if (frames[i] instanceof CFrame) return frames[i] as CFrame;
  return undefined;
}

/**
 * The search: the first enclosing `__except` whose filter accepts `e`, or null. Sets `e.target`.
 * A filter asking to continue a noncontinuable exception raises STATUS_NONCONTINUABLE_EXCEPTION,
 * which is searched for from that filter outwards and becomes the exception that unwinds.
 */
export function* searchHandler(host: SehHost, e: SehException): Co<SehException> {
  const frames = host.frames();
  let current = e;
  let i = frames.length - 1;
  let j = -1;
  for (; i >= 0; i--, j = -1) {
    const f = frames[i];
    if (!(f instanceof CFrame)) break;
    const scopes = f.seh;
    if (scopes !== undefined) {
      for (j = j < 0 ? scopes.length - 1 : j; j >= 0; j--) {
        const scope = scopes[j]!;
        const verdict = yield* evaluateFilter(scope, current);
        if (verdict > 0) {
          current.target = scope;
          return current;
        }
        if (verdict < 0) {
          if (current.code === STATUS.STATUS_ACCESS_VIOLATION && current.origin !== undefined) {
            throw new CRuntimeError(
              'unsupported',
              `the exception filter returned EXCEPTION_CONTINUE_EXECUTION for an access violation (${current.what}); Windows would run the faulting access again, which fltsim does not do`,
              scope.loc,
              'return EXCEPTION_EXECUTE_HANDLER or EXCEPTION_CONTINUE_SEARCH',
            );
          }
          current = new SehException(STATUS.STATUS_NONCONTINUABLE_EXCEPTION, `an exception filter at ${scope.loc.file}:${scope.loc.line} asked to continue after ${formatStatus(current.code)}, which cannot be continued`);
        }
      }
    }
    if (f.engineEntry) break;
  }
  current.target = null;
  return current;
}

function* evaluateFilter(scope: SehScope, e: SehException): Co<number> {
  const f = scope.frame;
  const before = f.exception;
  f.exception = e;
  try {
    return Math.sign(num(yield* scope.filter(f)));
  } finally {
    f.exception = before;
  }
}

/**
 * Makes sure `caught` has been searched for: returns the exception to unwind with (its target
 * set), or throws the run-stopping error when nobody handles it. Values that are not exceptions
 * come back as they are.
 */
export function* dispatch(host: SehHost, caught: unknown): Co<unknown> {
  const e = asException(caught);
  if (e === undefined) return caught;
  if (e.target !== undefined) return e;
  const searched = yield* searchHandler(host, e);
  if (searched.target === null) throw unhandledError(searched, innermost(host.frames()));
  return searched;
}

/** `__try { body } __except (filter) { handler }` / `__try { body } __finally { fin }`. */
export function tryStatement(loc: Loc, body: StmtCode, handler: { filter: CE; body: StmtCode } | undefined, fin: StmtCode | undefined): StmtCode {
  const filterCode = handler?.filter;
  const filter = filterCode === undefined ? undefined : (f: CFrame) => run(filterCode, f);
  return function* (f) {
    const scope: SehScope | undefined = filter === undefined ? undefined : { frame: f, filter, loc };
    if (scope !== undefined) (f.seh ??= []).push(scope);
    let guarded = scope !== undefined;
    let c: Completion;
    try {
      c = yield* body(f);
    } catch (caught) {
      // The search runs while this __try still guards: its own filter is the first one asked.
      // The host is the run's (compiled code is shared by runs, so it is read through the frame).
      const e = yield* dispatch(f.env.rt.hooks.seh, caught);
      if (guarded) f.seh!.pop();
      guarded = false;
      if (!(e instanceof SehException)) throw e;
      if (fin !== undefined) {
        // A return, goto or break out of a __finally while unwinding ends the unwind there.
        const fc = yield* runFinally(f, fin, true);
        if (fc !== Completion.Normal) return fc;
      }
      if (scope === undefined || e.target !== scope) throw e;
      const before = f.exception;
      f.exception = e;
      try {
        c = yield* handler!.body(f);
      } finally {
        f.exception = before;
      }
      return c === LEAVE ? Completion.Normal : c;
    } finally {
      if (guarded) f.seh!.pop();
    }
    if (c === LEAVE) c = Completion.Normal;
    if (fin !== undefined) {
      // Leaving the guarded body by return, goto, break or continue is abnormal termination too.
      const fc = yield* runFinally(f, fin, c !== Completion.Normal);
      if (fc !== Completion.Normal) return fc;
    }
    return c;
  };
}

function* runFinally(f: CFrame, fin: StmtCode, abnormal: boolean): Co<Completion> {
  const before = f.abnormalTermination;
  f.abnormalTermination = abnormal;
  try {
    return yield* fin(f);
  } finally {
    f.abnormalTermination = before;
  }
}
