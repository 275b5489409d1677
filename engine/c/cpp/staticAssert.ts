/**
 * `static_assert(cond, "why")` at file scope or in a function: evaluated as the compiler does, and a
 * false one is an error at its line carrying its message (MSVC's C2338). A condition fltsim cannot
 * evaluate as a constant (a constexpr function's result, say) is left unchecked: the check is the
 * compiler's, and fltsim does not fail a driver on a guess.
 */
import type { SyntaxNode } from '../treeSitter';
import type { TranslateContext } from '../translate/context';
import { constantValue } from '../translate/constant';
import { translateExpr } from '../translate/expressions';

export function staticAssertion(ctx: TranslateContext, node: SyntaxNode): void {
  const cond = node.childForFieldName('condition');
  if (!cond) return;
  const value = constantValue(ctx, translateExpr(ctx, cond));
  if (value !== 0) return;
  const message = node.childForFieldName('message');
  const why = message ? `: ${message.text}` : '';
  ctx.error(node, `static_assert failed (${ctx.snippet(cond)})${why}`);
}
