/**
 * `static_assert(e, "why")` / `_Static_assert(e, "why")` (C11, and MSVC's spelling in C): a check made
 * at compile time, so a header may state the layout it relies on. The grammar reads one as a call in
 * an expression statement; it is evaluated here, at file scope and in blocks alike, and never runs.
 */
import type { Stmt } from '../ast';
import type { SyntaxNode } from '../treeSitter';
import { constantValue } from './constant';
import type { TranslateContext } from './context';

const NAMES: ReadonlySet<string> = new Set(['static_assert', '_Static_assert']);

/** The call of an expression statement that is a static assertion, else undefined. */
function assertionCall(node: SyntaxNode): SyntaxNode | undefined {
  if (node.type !== 'expression_statement') return undefined;
  const call = node.namedChildren.find((c) => c !== null && c.type !== 'comment');
  if (call?.type !== 'call_expression') return undefined;
  const fn = call.childForFieldName('function');
  return fn?.type === 'identifier' && NAMES.has(fn.text) ? call : undefined;
}

/**
 * Checks a static assertion and returns true when `node` is one. A condition that holds, or that
 * fltsim cannot evaluate (it depends on something the translator does not fold), passes quietly: the
 * driver's compiler has the final word on those; one that is false is an error at its line.
 */
export function checkStaticAssertion(ctx: TranslateContext, node: SyntaxNode): boolean {
  const call = assertionCall(node);
  if (!call) return false;
  const args = (call.childForFieldName('arguments')?.namedChildren ?? []).filter((a): a is SyntaxNode => a !== null && a.type !== 'comment');
  if (args.length < 1 || args.length > 2) {
    ctx.error(node, `${call.childForFieldName('function')!.text} takes a constant expression and, optionally, a message string`);
    return true;
  }
  const value = constantValue(ctx, ctx.expr(args[0]));
  if (value === 0) {
    const why = args[1]?.type === 'string_literal' ? `: ${args[1].text}` : '';
    ctx.error(node, `static assertion failed${why} ('${args[0].text}' is false with fltsim's x64 layouts)`);
  }
  return true;
}

/** The statement a static assertion stands for inside a function: nothing that runs. */
export function staticAssertionStmt(ctx: TranslateContext, node: SyntaxNode): Stmt | undefined {
  return checkStaticAssertion(ctx, node) ? { k: 'empty', loc: ctx.loc(node) } : undefined;
}
