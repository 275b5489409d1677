/**
 * `auto` in a declaration (local or at namespace scope): the type its initializer has — an array
 * decays to a pointer, `auto*` points to the initializer's pointee — or a message naming what fltsim
 * could not type, so a wrong guess never sizes an object.
 */
import type { Initializer } from '../ast';
import type { SyntaxNode } from '../treeSitter';
import { INT, pointerTo, type CType } from '../types';
import type { TranslateContext } from '../translate/context';
import { AUTO } from './lowering';
import type { CppState } from './state';
import { typeOfExpr } from './typer';


/** Whether `t` is `auto` or `auto*` still waiting for its initializer. */
export function isAuto(t: CType): boolean {
  return t === AUTO || (t.kind === 'ptr' && t.to === AUTO);
}

/** The type `auto` (or `auto*`, `auto&`) stands for in declarator `d`, given its initializer. */
export function deduceAuto(s: CppState, ctx: TranslateContext, d: SyntaxNode, t: CType, init: Initializer | undefined, ref: boolean): CType {
  const inferred = init?.k === 'expr' ? typeOfExpr(s.types, init.expr) : undefined;
  if (!inferred && init?.k === 'expr' && init.expr.k === 'unsupported') {
    // The initializer is itself refused (a lambda): say that, not that its type is unknown.
    ctx.error(d, `fltsim does not run ${init.expr.what}`);
    return INT;
  }
  if (!inferred) {
    const callee = init?.k === 'expr' && init.expr.k === 'call' && init.expr.callee.k === 'id' ? init.expr.callee.name : undefined;
    const why = callee && !s.functionTypeOf(callee) ? ` ('${callee}' is not declared, and fltsim does not model it)` : '';
    ctx.error(d, `fltsim cannot tell the type 'auto' stands for in '${ctx.snippet(d)}'${why}: write the type`);
    return INT;
  }
  const out = t === AUTO ? (inferred.kind === 'array' ? pointerTo(inferred.of) : inferred) : pointerTo(inferred);
  if (ref) s.refTypes.add(out);
  return out;
}
