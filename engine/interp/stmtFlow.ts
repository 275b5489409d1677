/**
 * What compiled statements share at run time: the hooks every statement calls, the completion of
 * `__leave`, running a statement list with its labels, and a loop passing its head.
 */
import type { Loc } from '../c/ast';
import { Trap, type Co } from '../kernel/coroutine';
import type { CRuntimeError } from './errors';
import { Completion, type CFrame, type SehHost, type StmtCode } from './frame';

export interface StmtHooks {
  /** Called at every statement before the debugger may stop: counts steps, enforces the budget. */
  onStatement(f: CFrame): void;
  /** Where `__try` finds the running thread's frames to search for an exception's handler. */
  seh: SehHost;
  /**
   * A statement that cannot be compiled (an unknown name or field) still loads, and fails only if
   * it runs; tools that want every such problem up front (scripts/wdk-surface.ts) listen here.
   */
  onCompileError?(err: CRuntimeError): void;
}

/** `__leave`: ends the enclosing `__try` block normally. */
export const LEAVE = 5 as Completion;

/**
 * Runs a statement list from index `i`, following a `goto` to a label of this list; any other
 * completion (or a `goto` to a label elsewhere) ends the list and is handed to the caller.
 */
export function* runStatements(codes: readonly StmtCode[], labels: ReadonlyMap<string, number>, i: number, f: CFrame): Co<Completion> {
  while (i < codes.length) {
    const c = yield* codes[i](f);
    if (c === Completion.Normal) {
      i++;
      continue;
    }
    if (c === Completion.Goto) {
      const j = labels.get(f.gotoLabel!);
      if (j !== undefined) {
        f.gotoLabel = undefined;
        i = j;
        continue;
      }
    }
    return c;
  }
  return Completion.Normal;
}

/** A loop passing its head (or a do-while its condition) again: counted, and a place the debugger may stop. */
export function* loopHead(f: CFrame, loc: Loc): Co<void> {
  f.file = loc.file;
  f.line = loc.line;
  f.column = loc.col;
  f.env.rt.hooks.onStatement(f);
  yield Trap.Stmt;
}
