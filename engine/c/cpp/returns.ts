/**
 * `return` in a C++ function: a reference's address, a class object by value (engine/c/cpp/
 * temporaries.ts, returnedObject), and the temporaries of the returned expression destroyed after the
 * value is taken and before the function's own locals (their `__finally` runs as the return leaves).
 */
import type { Expr, Stmt } from '../ast';
import { INT, pointerTo } from '../types';
import { typeOfExpr } from './typer';
import type { SyntaxNode } from '../treeSitter';
import type { TranslateContext } from '../translate/context';
import { translateExpr } from '../translate/expressions';
import { addressOf, AUTO } from './lowering';
import { hiddenTemporary } from './hidden';
import type { CppState, FunctionState } from './state';
import { destroyStatements, fullExpression, returnedObject } from './temporaries';

export function returnStatement(s: CppState, ctx: TranslateContext, node: SyntaxNode): Stmt {
  const fn = s.fn!;
  const loc = ctx.loc(node);
  const v = node.namedChildren.find((c) => c !== null && c.type !== 'comment');
  const cls = fn.refReturn ? undefined : s.classOf(fn.ret);
  const { value, dtors } = fullExpression(s, () => {
    if (!v) return undefined;
    const e = translateExpr(ctx, v);
    if (fn.deduceReturn && fn.ret === AUTO) deduceReturn(s, ctx, fn, e, v);
    if (fn.refReturn) return addressOf(e);
    return cls ? returnedObject(s, ctx, cls, e, v) : e;
  });
  if (dtors.length === 0) return { k: 'return', value, loc };
  const destroy = destroyStatements(dtors, loc);
  if (!value) return { k: 'block', body: [...destroy, { k: 'return', loc }], loc, endLoc: loc };
  if (fn.ret.kind === 'void') return { k: 'block', body: [{ k: 'expr', expr: value, loc }, ...destroy, { k: 'return', loc }], loc, endLoc: loc };
  // The value is taken before the temporaries it was computed from are destroyed.
  const keep = hiddenTemporary(s, fn.ret, loc);
  return { k: 'block', body: [{ k: 'expr', expr: { k: 'assign', op: '=', left: keep, right: value, loc }, loc }, ...destroy, { k: 'return', value: keep, loc }], loc, endLoc: loc };
}

/** A lambda without `-> T` returns the type of its first returned value (an array decays, as `auto` does). */
function deduceReturn(s: CppState, ctx: TranslateContext, fn: FunctionState, e: Expr, at: SyntaxNode): void {
  const t = typeOfExpr(s.types, e);
  if (!t) {
    ctx.error(at, `fltsim cannot tell the type this lambda returns ('${ctx.snippet(at)}'): write it after the parameters (-> T)`);
    fn.ret = INT;
    return;
  }
  fn.ret = t.kind === 'array' ? pointerTo(t.of) : t;
}
