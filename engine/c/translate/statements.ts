/**
 * Statements and declarations inside function bodies.
 */
import type { Expr, Stmt, VarDecl } from '../ast';
import type { SyntaxNode } from '../treeSitter';
import { INT, withAlias, type CType } from '../types';
import type { TranslateContext } from './context';
import { applyDeclarator, typeFromSpecifier } from './declarators';
import { translateExpr, translateInitializer } from './expressions';
import { checkStaticAssertion } from './staticAssert';
import { constantValue } from './constant';

export function translateBlock(ctx: TranslateContext, node: SyntaxNode): Stmt & { k: 'block' } {
  const outer = ctx.scope;
  ctx.scope = outer.child();
  try {
    const body: Stmt[] = [];
    for (const c of node.namedChildren) {
      if (!c || c.type === 'comment') continue;
      body.push(translateStmt(ctx, c));
    }
    return { k: 'block', body, loc: ctx.loc(node), endLoc: ctx.endLoc(node) };
  } finally {
    ctx.scope = outer;
  }
}

export function translateStmt(ctx: TranslateContext, node: SyntaxNode): Stmt {
  return ctx.nested(node, () => translateStmtNode(ctx, node));
}

function translateStmtNode(ctx: TranslateContext, node: SyntaxNode): Stmt {
  if (ctx.cpp) {
    const s = ctx.cpp.stmt(ctx, node);
    if (s) return s;
  }
  const loc = ctx.loc(node);
  switch (node.type) {
    case 'compound_statement':
      return translateBlock(ctx, node);
    case 'expression_statement': {
      if (checkStaticAssertion(ctx, node)) return { k: 'empty', loc };
      const e = node.namedChildren.find((c) => c !== null && c.type !== 'comment');
      return e ? { k: 'expr', expr: translateExpr(ctx, e), loc } : { k: 'empty', loc };
    }
    case 'declaration':
      return { k: 'decl', decls: translateDeclaration(ctx, node), loc };
    case 'type_definition':
      translateTypedef(ctx, node);
      return { k: 'empty', loc };
    case 'if_statement': {
      const alt = node.childForFieldName('alternative');
      const elseStmt = alt ? alt.namedChildren.find((c) => c !== null && c.type !== 'comment') : undefined;
      return {
        k: 'if',
        test: translateExpr(ctx, node.childForFieldName('condition')!),
        then: translateStmt(ctx, node.childForFieldName('consequence')!),
        else: elseStmt ? translateStmt(ctx, elseStmt) : undefined,
        loc,
      };
    }
    case 'while_statement':
      return { k: 'while', test: translateExpr(ctx, node.childForFieldName('condition')!), body: translateStmt(ctx, node.childForFieldName('body')!), loc };
    case 'do_statement':
      return { k: 'do', body: translateStmt(ctx, node.childForFieldName('body')!), test: translateExpr(ctx, node.childForFieldName('condition')!), loc };
    case 'for_statement': {
      const outer = ctx.scope;
      ctx.scope = outer.child();
      try {
        const init = node.childForFieldName('initializer');
        const test = node.childForFieldName('condition');
        const update = node.childForFieldName('update');
        return {
          k: 'for',
          init: init ? (init.type === 'declaration' ? { k: 'decl', decls: translateDeclaration(ctx, init), loc: ctx.loc(init) } : { k: 'expr', expr: translateExpr(ctx, init), loc: ctx.loc(init) }) : undefined,
          test: test ? translateExpr(ctx, test) : undefined,
          update: update ? translateExpr(ctx, update) : undefined,
          body: translateStmt(ctx, node.childForFieldName('body')!),
          loc,
        };
      } finally {
        ctx.scope = outer;
      }
    }
    case 'switch_statement':
      return { k: 'switch', test: translateExpr(ctx, node.childForFieldName('condition')!), body: translateStmt(ctx, node.childForFieldName('body')!), loc };
    case 'case_statement': {
      const valueNode = node.childForFieldName('value');
      const body: Stmt[] = [];
      for (const c of node.namedChildren) {
        if (!c || c === valueNode || c.type === 'comment') continue;
        if (valueNode && c.startIndex === valueNode.startIndex && c.endIndex === valueNode.endIndex) continue;
        body.push(translateStmt(ctx, c));
      }
      return { k: 'case', value: valueNode ? caseLabel(ctx, valueNode) : undefined, body, loc };
    }
    case 'break_statement':
      return { k: 'break', loc };
    case 'continue_statement':
      return { k: 'continue', loc };
    case 'return_statement': {
      const v = node.namedChildren.find((c) => c !== null && c.type !== 'comment');
      return { k: 'return', value: v ? translateExpr(ctx, v) : undefined, loc };
    }
    case 'goto_statement':
      return { k: 'goto', label: node.childForFieldName('label')!.text, loc };
    case 'labeled_statement': {
      const label = node.childForFieldName('label')!.text;
      const inner = node.namedChildren.find((c) => c !== null && c.type !== 'statement_identifier' && c.type !== 'comment');
      return { k: 'label', name: label, body: inner ? translateStmt(ctx, inner) : undefined, loc };
    }
    case 'seh_try_statement': {
      const body = translateStmt(ctx, node.childForFieldName('body')!);
      const except = node.namedChildren.find((c) => c?.type === 'seh_except_clause');
      const fin = node.namedChildren.find((c) => c?.type === 'seh_finally_clause');
      return {
        k: 'try',
        body,
        handler: except ? { filter: translateExpr(ctx, except.childForFieldName('filter')!), body: translateStmt(ctx, except.childForFieldName('body')!) } : undefined,
        finally: fin ? translateStmt(ctx, fin.namedChildren.find((c) => c?.type === 'compound_statement')!) : undefined,
        loc,
      };
    }
    case 'seh_leave_statement':
      return { k: 'leave', loc };
    case 'attributed_statement': {
      const inner = node.namedChildren.find((c) => c !== null && c.type !== 'attribute_declaration');
      return inner ? translateStmt(ctx, inner) : { k: 'empty', loc };
    }
    case 'struct_specifier':
    case 'union_specifier':
    case 'enum_specifier':
      typeFromSpecifier(ctx, node);
      return { k: 'empty', loc };
    case 'ERROR':
      return { k: 'unsupported', what: 'code the C parser could not read', text: ctx.snippet(node), loc };
    default:
      return { k: 'unsupported', what: `the statement '${node.type.replace(/_/g, ' ')}'`, text: ctx.snippet(node), loc };
  }
}

export function storageOf(node: SyntaxNode): VarDecl['storage'] {
  for (const c of node.children) {
    if (c?.type === 'storage_class_specifier') {
      const t = c.text;
      if (t === 'static' || t === 'extern' || t === 'register' || t === 'auto') return t;
    }
  }
  return undefined;
}

/** `int a = 1, *b;` to one VarDecl per declarator. */
export function translateDeclaration(ctx: TranslateContext, node: SyntaxNode): VarDecl[] {
  const base = typeFromSpecifier(ctx, node.childForFieldName('type'));
  const storage = storageOf(node);
  const out: VarDecl[] = [];
  for (const d of node.childrenForFieldName('declarator')) {
    if (!d || d.isMissing) continue;
    const declared = applyDeclarator(ctx, d, base);
    if (!declared.name) continue;
    // The name is in scope from its declarator on (its own initializer sees it).
    if (declared.type.kind !== 'func') ctx.scope.defineObject(declared.name);
    const valueNode = d.type === 'init_declarator' ? d.childForFieldName('value') : null;
    let type: CType = declared.type;
    const init = valueNode ? translateInitializer(ctx, valueNode) : undefined;
    // `T x[] = { … }` and `char s[] = "…"` take their length from the initializer.
    if (type.kind === 'array' && type.length === undefined && init) {
      if (init.k === 'list') type = { ...type, length: init.items.length };
      else if (init.expr.k === 'str') type = { ...type, length: init.expr.value.length + 1 };
    }
    if (type.kind !== 'func') ctx.scope.setObjectType(declared.name, type);
    out.push({ name: declared.name, type, init, storage, loc: ctx.loc(declared.node ?? d) });
  }
  return out;
}

export function translateTypedef(ctx: TranslateContext, node: SyntaxNode): void {
  const base = typeFromSpecifier(ctx, node.childForFieldName('type'));
  for (const d of node.childrenForFieldName('declarator')) {
    if (!d) continue;
    const declared = applyDeclarator(ctx, d, base);
    if (declared.name) ctx.scope.defineTypedef(declared.name, withAlias(declared.type, declared.name));
  }
}

/** A case label folded to its value: in C++ a `const` integer object is a constant expression too. */
function caseLabel(ctx: TranslateContext, node: SyntaxNode): Expr {
  const e = translateExpr(ctx, node);
  if (!namesSomething(e)) return e;
  const v = constantValue(ctx, e);
  return v === undefined ? e : { k: 'num', value: v, type: INT, loc: e.loc };
}

function namesSomething(e: Expr): boolean {
  switch (e.k) {
    case 'id':
      return true;
    case 'unary':
    case 'cast':
      return namesSomething(e.arg);
    case 'binary':
      return namesSomething(e.left) || namesSomething(e.right);
    default:
      return false;
  }
}
