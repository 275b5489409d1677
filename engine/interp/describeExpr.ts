/** How an expression is named in error messages: `'p->Field'`, `the result of Foo()`. */
import type { Expr } from '../c/ast';
import { typeName } from '../c/types';

export function describe(e: Expr): string {
  const va = vaArg(e);
  if (va !== undefined) return `'${va}'`;
  switch (e.k) {
    case 'id': return `'${e.name}'`;
    case 'member': return `'${inner(e.object)}${e.arrow ? '->' : '.'}${e.field}'`;
    case 'unary': return e.op === '*' ? `'*${inner(e.arg)}'` : 'the expression';
    case 'index': return `'${inner(e.array)}[…]'`;
    case 'call': return e.callee.k === 'id' ? `the result of ${e.callee.name}()` : 'a call result';
    default: return 'the expression';
  }
}

/**
 * `va_arg(ap, T)` expands to `*(T *)__fltsim_va_arg(&(ap), sizeof(T))` (engine/c/prelude/crt.ts); a
 * message names it as the driver wrote it, not by the prelude's helper.
 */
function vaArg(e: Expr): string | undefined {
  if (e.k !== 'unary' || e.op !== '*' || e.arg.k !== 'cast' || e.arg.type.kind !== 'ptr') return undefined;
  const call = e.arg.arg;
  if (call.k !== 'call' || call.callee.k !== 'id' || call.callee.name !== '__fltsim_va_arg') return undefined;
  const ap = call.args[0];
  return `va_arg(${ap?.k === 'unary' && ap.op === '&' ? inner(ap.arg) : '…'}, ${typeName(e.arg.type.to)})`;
}

/** An operand as it reads inside a larger expression's description. */
function inner(e: Expr): string {
  const va = vaArg(e);
  if (va !== undefined) return va;
  if (e.k === 'call') return e.callee.k === 'id' ? `${e.callee.name}()` : '(…)()';
  if (e.k === 'cast') return `(${typeName(e.type)})${inner(e.arg)}`;
  return describe(e).replace(/'/g, '');
}
