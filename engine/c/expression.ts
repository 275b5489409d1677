/**
 * Parses a C expression typed by a user (a watch, a breakpoint condition, a logpoint's `{…}`) in the
 * context of a translation unit: its macros expand and its type names resolve, as if the expression
 * were written at the end of that file.
 */
import type { Expr } from './ast';
import type { TranslationUnit } from './program';
import { SourceMap } from './preprocess';
import { tokenizeLine, type PpToken } from './pp/tokens';
import { PreprocessError } from './pp/macros';
import { NestingError, TranslateContext } from './translate/context';
import { nestingMessage } from '../limits';
import { translateExpr } from './translate/expressions';
import { createCParser, type SyntaxNode } from './treeSitter';

export type ParsedExpression = { ok: true; expr: Expr } | { ok: false; message: string };

const PREFIX = 'void __fltsim_expression(void) { (';
const SUFFIX = '); }';

export function parseExpression(text: string, unit: TranslationUnit): ParsedExpression {
  const trimmed = text.trim();
  if (trimmed.length === 0) return { ok: false, message: 'the expression is empty' };
  const chars = Array.from({ length: trimmed.length }, (_, i) => i + 1);
  let tokens: PpToken[];
  try {
    tokens = unit.macros.expand(tokenizeLine(trimmed, '<expression>', chars.map(() => 1), chars));
  } catch (e) {
    if (e instanceof PreprocessError) return { ok: false, message: e.message };
    throw e;
  }
  const body = tokens.map((t, i) => (i > 0 && t.space ? ` ${t.text}` : t.text)).join('');
  const source = `${PREFIX}${body}${SUFFIX}`;
  const tree = createCParser().parse(source);
  if (!tree) return { ok: false, message: 'the expression could not be parsed' };
  try {
    const fn = tree.rootNode.namedChildren.find((n) => n?.type === 'function_definition');
    const stmt = fn?.childForFieldName('body')?.namedChildren[0];
    const node = stmt?.type === 'expression_statement' ? stmt.namedChildren[0] : undefined;
    if (!node || tree.rootNode.hasError || node.startIndex !== PREFIX.length - 1 || node.endIndex !== source.length - SUFFIX.length + 1) {
      return { ok: false, message: `'${trimmed}' is not a C expression` };
    }
    const map = new SourceMap([0], [{ file: '<expression>', line: 1, col: 1 }]);
    const ctx = new TranslateContext(source, map, unit.scope, translateExpr);
    let expr: Expr;
    try {
      expr = translateExpr(ctx, unwrap(node));
    } catch (e) {
      if (e instanceof NestingError) return { ok: false, message: `the expression is ${nestingMessage()}` };
      throw e;
    }
    const error = ctx.diagnostics.find((d) => d.severity === 'error');
    if (error) return { ok: false, message: error.message };
    return { ok: true, expr };
  } finally {
    tree.delete();
  }
}

function unwrap(node: SyntaxNode): SyntaxNode {
  // The wrapper added one pair of parentheses around the user's text.
  if (node.type === 'parenthesized_expression' && node.namedChildren.length === 1) return node.namedChildren[0]!;
  return node;
}
