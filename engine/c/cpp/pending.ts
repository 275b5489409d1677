/**
 * Which lowered expressions are class temporaries whose destructor is still to run at the end of
 * their full expression (engine/c/cpp/temporaries.ts makes them), and taking one over: an object
 * initialised from a temporary becomes that object, so its destructor no longer runs there.
 */
import type { Expr } from '../ast';
import type { CppState } from './state';

/** Per temporary expression with a destructor: that destructor's call, while it is pending. */
const PENDING = new WeakMap<Expr, Expr>();

/** Records `e` as a temporary whose destructor call `dtor` runs at the end of the full expression. */
export function holdUntilEnd(s: CppState, e: Expr, dtor: Expr): void {
  if (!s.fn) return;
  s.fn.temps.push(dtor);
  PENDING.set(e, dtor);
}

/** Whether `e` is a temporary whose destructor is still pending. */
export function isTemporary(e: Expr): boolean {
  return PENDING.has(e);
}

/** An object initialised from temporary `e` takes it over: its destructor no longer runs at the end of the full expression. */
export function adopt(s: CppState, e: Expr): Expr {
  const dtor = PENDING.get(e);
  if (dtor && s.fn) {
    const i = s.fn.temps.indexOf(dtor);
    if (i >= 0) s.fn.temps.splice(i, 1);
  }
  return e;
}

/** An expression that names an object that outlives the statement (a copy of it runs the copy constructor), not a call's result or a temporary. */
export function namesAnObject(e: Expr): boolean {
  return e.k === 'id' || e.k === 'member' || e.k === 'index' || (e.k === 'unary' && e.op === '*' && !isTemporary(e));
}
