/** How an expression is named in error messages: `'p->Field'`, `the result of Foo()`. */
import type { Expr } from '../c/ast';
import { typeName } from '../c/types';

export function describe(e: Expr): string {
  switch (e.k) {
    case 'id': return `'${e.name}'`;
    case 'member': return `'${inner(e.object)}${e.arrow ? '->' : '.'}${e.field}'`;
    case 'unary': return e.op === '*' ? `'*${inner(e.arg)}'` : 'the expression';
    case 'index': return `'${inner(e.array)}[…]'`;
    case 'call': return e.callee.k === 'id' ? `the result of ${e.callee.name}()` : 'a call result';
    default: return 'the expression';
  }
}

/** An operand as it reads inside a larger expression's description. */
function inner(e: Expr): string {
  if (e.k === 'call') return e.callee.k === 'id' ? `${e.callee.name}()` : '(…)()';
  if (e.k === 'cast') return `(${typeName(e.type)})${inner(e.arg)}`;
  return describe(e).replace(/'/g, '');
}
