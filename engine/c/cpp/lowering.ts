/** Small pieces of C every part of the C++ lowering builds: a call of a C++ function, an address, a sized array. */
import type { Expr, Initializer, Loc } from '../ast';
import type { CType } from '../types';
import type { CppFunction } from './model';

/** A call of a C++ function by its link name; a reference it returns is read through. */
export function callFunction(f: CppFunction, args: Expr[], loc: Loc): Expr {
  const e: Expr = { k: 'call', callee: { k: 'id', name: f.linkName, loc }, args, loc };
  return f.refReturn ? { k: 'unary', op: '*', arg: e, loc } : e;
}

/** `&e`, or the pointer itself when `e` reads through one (a reference). */
export function addressOf(e: Expr): Expr {
  if (e.k === 'unary' && e.op === '*') return e.arg;
  // `return a < b ? b : a;` from a function returning `const T&`: a conditional of two lvalues is one.
  if (e.k === 'cond') return { ...e, then: addressOf(e.then), else: addressOf(e.else) };
  return { k: 'unary', op: '&', arg: e, loc: e.loc };
}

/** `T x[] = { … }` and `char s[] = "…"` take their length from the initializer, as in C. */
export function sizedByInitializer(type: CType, init: Initializer | undefined): CType {
  if (type.kind !== 'array' || type.length !== undefined || !init) return type;
  if (init.k === 'list') return { ...type, length: init.items.length };
  if (init.expr.k === 'str') return { ...type, length: init.expr.value.length + 1 };
  return type;
}

/** `auto`'s stand-in until the initializer's type replaces it. */
export const AUTO: CType = { kind: 'int', size: 4, signed: true, name: 'auto' };
