/**
 * `static_assert(expr, "message")` and C11's `_Static_assert`, at file scope or in a block: checked
 * while translating, as the compiler does, and contributing nothing to the program.
 */
import type { Expr } from '../ast';
import type { SyntaxNode } from '../treeSitter';
import { constantValue } from './constant';
import type { TranslateContext } from './context';

const NAMES: ReadonlySet<string> = new Set(['static_assert', '_Static_assert']);

/**
 * True when `node` (an expression statement) is a static assertion; it has then been checked: a
 * false one is an error naming its message, one fltsim cannot evaluate is a warning. An assertion
 * whose values leave the range doubles hold exactly (64-bit limits) is not judged, so the
 * evaluator's rounding never fails code the compiler accepts.
 */
export function checkStaticAssertion(ctx: TranslateContext, node: SyntaxNode): boolean {
  const call = node.namedChildren.find((c) => c !== null && c.type !== 'comment');
  if (call?.type !== 'call_expression' || !NAMES.has(call.childForFieldName('function')?.text ?? '')) return false;
  const args = call.childForFieldName('arguments')?.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type !== 'comment') ?? [];
  if (args.length < 1 || args.length > 2) {
    ctx.error(call, `${call.childForFieldName('function')!.text} takes a constant expression and an optional message`);
    return true;
  }
  judgeStaticAssertion(ctx, call, args[0], args[1]);
  return true;
}

/** Checks one assertion (also C++'s `static_assert` declaration, engine/c/cpp/frontEnd.ts), reporting at `at`. */
export function judgeStaticAssertion(ctx: TranslateContext, at: SyntaxNode, condition: SyntaxNode, messageNode: SyntaxNode | undefined): void {
  const cond = ctx.expr(condition);
  const value = constantValue(ctx, cond);
  if (value === undefined) {
    ctx.warn(at, `fltsim cannot evaluate the static assertion '${condition.text}' as a constant; it is not checked`);
  } else if (value === 0 && exact(ctx, cond)) {
    const message = messageNode ? ctx.expr(messageNode) : undefined;
    const text = message?.k === 'str' ? message.value : condition.text;
    ctx.error(at, `static assertion failed: ${text}`);
  }
}

function exact(ctx: TranslateContext, e: Expr): boolean {
  const v = constantValue(ctx, e);
  if (v !== undefined && !Number.isSafeInteger(v)) return false;
  switch (e.k) {
    case 'cast': case 'unary': return exact(ctx, e.arg);
    case 'binary': return exact(ctx, e.left) && exact(ctx, e.right);
    case 'cond': return exact(ctx, e.test) && exact(ctx, e.then) && exact(ctx, e.else);
    default: return true;
  }
}
