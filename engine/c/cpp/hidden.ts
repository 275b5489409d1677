/** Hidden locals the lowering declares at the top of the function being lowered. */
import type { Expr, Loc } from '../ast';
import type { CType } from '../types';
import type { CppState } from './state';

/** A hidden local of the function being lowered, declared at the top of its body. */
export function hiddenTemporary(s: CppState, type: CType, loc: Loc): Expr {
  const name = `new$${++s.hiddenCount}`;
  s.fn!.hidden.push({ name, type, loc });
  s.fn!.locals[0].set(name, { type, ref: false });
  return { k: 'id', name, loc };
}
