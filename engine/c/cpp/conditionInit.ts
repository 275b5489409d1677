/**
 * Conditions that declare: `if (init; cond)`, `switch (init; cond)` (C++17), and a declaration as the
 * condition itself (`if (auto p = Find())`, `while (ULONG n = Next())`). Each becomes a block holding
 * the declarations and then the statement, so the declared objects are in scope in every branch and
 * their destructors run when the statement ends (for `while`, at the end of every round). A `for`
 * whose first clause declares is lowered the same way.
 */
import type { Expr, Stmt } from '../ast';
import type { SyntaxNode } from '../treeSitter';
import type { TranslateContext } from '../translate/context';
import { translateExpr } from '../translate/expressions';
import { translateStmt } from '../translate/statements';
import { scopedStatements } from './locals';
import { identifier } from './names';
import { convert } from './overloads';
import type { CppState } from './state';
import { afterDestroying, fullExpression } from './temporaries';

/** The lowered statement, or undefined when its condition declares nothing (the plain path handles it). */
export function declaringCondition(s: CppState, ctx: TranslateContext, node: SyntaxNode): Stmt | undefined {
  const clause = node.childForFieldName('condition');
  if (!s.fn || clause?.type !== 'condition_clause') return undefined;
  const init = clause.childForFieldName('initializer');
  const value = clause.childForFieldName('value');
  if (!value || (!init && value.type !== 'declaration')) return undefined;
  const loc = ctx.loc(node);
  const items = [...(init?.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type !== 'comment') ?? []), ...(value.type === 'declaration' ? [value] : [])];
  const test = (): Expr => {
    if (value.type !== 'declaration') {
      // A condition is a full expression: its temporaries are destroyed before the branch runs.
      const { value: e, dtors } = fullExpression(s, () => convert(s, translateExpr(ctx, value)));
      return afterDestroying(s, e, dtors);
    }
    const declared = declaredName(value);
    return convert(s, (declared && identifier(s, ctx, declared.text, declared)) || { k: 'id', name: declared?.text ?? '', loc });
  };
  switch (node.type) {
    case 'if_statement':
      return scopedStatements(s, ctx, node, items, () => {
        const alt = node.childForFieldName('alternative');
        const elseNode = alt?.namedChildren.find((c) => c !== null && c.type !== 'comment');
        return { k: 'if', test: test(), then: translateStmt(ctx, node.childForFieldName('consequence')!), else: elseNode ? translateStmt(ctx, elseNode) : undefined, loc };
      });
    case 'switch_statement':
      return scopedStatements(s, ctx, node, items, () => ({ k: 'switch', test: test(), body: translateStmt(ctx, node.childForFieldName('body')!), loc }));
    case 'while_statement':
      // Declared afresh each round: `for (;;) { T x = …; if (x) body; else break; }`.
      return {
        k: 'for',
        body: scopedStatements(s, ctx, node, items, () => ({ k: 'if', test: test(), then: translateStmt(ctx, node.childForFieldName('body')!), else: { k: 'break', loc }, loc })),
        loc,
      };
    default:
      return undefined;
  }
}

/**
 * `for (auto p = First; p < Last; ++p)`: the declaration lowered as any C++ local (`auto` deduced, a
 * reference, an object constructed), in a scope around the loop, so an object it declares is destroyed
 * when the loop ends.
 */
export function forWithDeclaration(s: CppState, ctx: TranslateContext, node: SyntaxNode): Stmt | undefined {
  const init = node.childForFieldName('initializer');
  if (!s.fn || init?.type !== 'declaration') return undefined;
  const loc = ctx.loc(node);
  return scopedStatements(s, ctx, node, [init], () => {
    const test = node.childForFieldName('condition');
    const update = node.childForFieldName('update');
    return {
      k: 'for',
      test: test ? convert(s, translateExpr(ctx, test)) : undefined,
      update: update ? translateExpr(ctx, update) : undefined,
      body: translateStmt(ctx, node.childForFieldName('body')!),
      loc,
    };
  });
}

/** The name a condition's declaration declares (`auto* p`, `T& r` included). */
function declaredName(decl: SyntaxNode): SyntaxNode | undefined {
  let d: SyntaxNode | null = decl.childForFieldName('declarator');
  while (d && d.type !== 'identifier') d = d.childForFieldName('declarator') ?? d.namedChildren.find((c) => c !== null && c.type !== 'type_qualifier') ?? null;
  return d ?? undefined;
}
