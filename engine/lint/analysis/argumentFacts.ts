/**
 * What is known about an argument where a routine is handed to a queue: a work item's context
 * passed as `&Local`, or under `if (Ctx)` / after `if (!Ctx) return;`, is never NULL in the queued
 * routine, so the routine's own NULL test of it has one feasible side only (a worker's
 * `if (!Context) return;` is not a path that leaks the work item).
 */
import type { CallExpr, Expr, Stmt } from '../frontend/ir';
import { classify } from './conditions';
import { addressOf, isNonNullLiteral, pathOf, strip } from '../frontend/exprs';

/** Whether a statement always leaves the enclosing sequence (return, goto, break, continue, leave). */
function leaves(s: Stmt | undefined): boolean {
  if (!s) return false;
  if (s.k === 'return' || s.k === 'goto' || s.k === 'break' || s.k === 'continue' || s.k === 'leave') return true;
  if (s.k === 'block') return leaves(s.body[s.body.length - 1]);
  return false;
}

function containsCall(s: Stmt | Expr | undefined, call: CallExpr): boolean {
  if (!s || typeof s !== 'object') return false;
  if (s === (call as unknown)) return true;
  for (const v of Object.values(s)) {
    if (Array.isArray(v)) { if (v.some((x) => x && typeof x === 'object' && containsCall(x as Stmt, call))) return true; }
    else if (v && typeof v === 'object' && 'k' in v && containsCall(v as Stmt, call)) return true;
  }
  return false;
}

/** Whether `cond` being `truth` means `path` is not NULL. */
function provesNonNull(cond: Expr, truth: boolean, path: string): boolean {
  const c = classify(cond);
  return !!c && c.atom.k === 'nonnull' && c.atom.path === path && c.pos === truth;
}

/**
 * Whether argument `index` of `call` (a statement somewhere in `body`) cannot be NULL: an address,
 * a non-NULL literal, or a variable the enclosing code has tested (the call is on the non-NULL
 * side of an `if`, or follows an `if` whose NULL side leaves).
 */
export function argumentNonNull(body: Stmt, call: CallExpr, index: number): boolean {
  const arg = call.args[index];
  if (!arg) return false;
  if (addressOf(arg) || isNonNullLiteral(strip(arg))) return true;
  const path = pathOf(arg);
  if (!path) return false;
  const within = (s: Stmt): boolean => {
    switch (s.k) {
      case 'block': case 'case': {
        for (const x of s.body) {
          if (containsCall(x, call)) return within(x);
          // `if (!Ctx) return;` before the call: past it, Ctx is not NULL.
          if (x.k === 'if' && !x.else && leaves(x.then) && provesNonNull(x.cond, false, path)) return true;
        }
        return false;
      }
      case 'if':
        if (containsCall(s.then, call)) return provesNonNull(s.cond, true, path) || within(s.then);
        if (s.else && containsCall(s.else, call)) return provesNonNull(s.cond, false, path) || within(s.else);
        return false;
      case 'while': case 'do': case 'for': case 'switch': return within(s.body);
      case 'label': return s.body ? within(s.body) : false;
      case 'try': return containsCall(s.body, call) ? within(s.body) : false;
      default: return false;
    }
  };
  return within(body);
}
