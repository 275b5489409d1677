/**
 * C++'s `static_assert(cond, "why")` declaration, at file scope, in a namespace or in a function:
 * judged as C's static assertions are (engine/c/translate/staticAssert.ts) — a false one is an error
 * at its line carrying its message (MSVC's C2338), one fltsim cannot evaluate a warning.
 */
import type { SyntaxNode } from '../treeSitter';
import type { TranslateContext } from '../translate/context';
import { judgeStaticAssertion } from '../translate/staticAssert';

export function staticAssertion(ctx: TranslateContext, node: SyntaxNode): void {
  const cond = node.childForFieldName('condition');
  if (cond) judgeStaticAssertion(ctx, node, cond, node.childForFieldName('message') ?? undefined);
}
