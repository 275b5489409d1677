/**
 * Which parameters a function only reads through (`Helper(name)` that looks at
 * `name->Name`): it neither releases, stores, returns nor passes on the pointer itself, so a caller
 * that holds a reference in that argument still holds it after the call. Read from the function's
 * own IR alone, so a helper of another file of the driver answers the same as one of this file.
 */
import type { Expr, FunctionIR } from '../frontend/ir';
import { strip, visitExpr } from '../frontend/exprs';
import { forEachExpr } from '../frontend/walk';

export function paramOnlyRead(ir: FunctionIR, index: number): boolean {
  const param = ir.params[index]?.name;
  if (ir.hasError || !param) return false;
  const isParam = (e: Expr | undefined) => !!e && strip(e).k === 'id' && (strip(e) as { name: string }).name === param;
  for (const v of ir.locals.values()) if (isParam(v.init)) return false;
  let taken = false;
  forEachExpr(ir.body, (top) => {
    if (isParam(top)) taken = true;
    visitExpr(top, (x) => {
      if (x.k === 'call' && x.args.some(isParam)) taken = true;
      else if (x.k === 'assign' && (isParam(x.right) || isParam(x.left))) taken = true;
      else if (x.k === 'unary' && x.op === '&' && isParam(x.arg)) taken = true;
      else if ((x.k === 'init' || x.k === 'cond' || x.k === 'comma') && [...(x.k === 'init' ? x.items : x.k === 'cond' ? [x.then, x.else] : [x.right])].some(isParam)) taken = true;
    });
  });
  return !taken;
}

/** The indexes of the parameters `ir` only reads (a `P…` typedef is a pointer the IR does not mark). */
export function paramsOnlyRead(ir: FunctionIR): number[] {
  const out: number[] = [];
  ir.params.forEach((_, i) => { if (paramOnlyRead(ir, i)) out.push(i); });
  return out;
}
