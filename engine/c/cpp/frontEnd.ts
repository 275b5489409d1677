/**
 * The C++ front end: lowers the subset of C++ kernel drivers use onto the C syntax tree the
 * interpreter already runs (docs/interpreter.md, "C++"). The C translator (engine/c/translate) asks
 * these hooks first for every node of a C++ file; anything they do not answer is C and goes the C way.
 * The lowering itself lives in one module per concept, all sharing the unit's CppState:
 * declarations (functions.ts, globals.ts, definitions.ts), classes.ts and construction.ts,
 * templates.ts, local objects and destructors (locals.ts), name lookup (names.ts) and overload
 * resolution (overloads.ts), implicit copies (copies.ts), newDelete.ts, expressions.ts and calls.ts,
 * rangeFor.ts, defaulted.ts and typeSpecifiers.ts.
 */
import type { Expr, Stmt } from '../ast';
import type { SyntaxNode } from '../treeSitter';
import { pointerTo, type CType } from '../types';
import type { CppHooks, TranslateContext } from '../translate/context';
import { typeFromSpecifier } from '../translate/declarators';
import { translateExpr } from '../translate/expressions';
import { destroyStatements, fullExpression } from './temporaries';
import { functionDefinition } from './definitions';
import { cppExpression } from './expressions';
import { globalDeclaration } from './globals';
import { block, localDeclaration } from './locals';
import { rangeFor } from './rangeFor';
import { declaringCondition, forWithDeclaration } from './conditionInit';
import { returnStatement } from './returns';
import { aliasType } from './memberTypes';
import { CppState, type PreludeTables, type UnitTables } from './state';
import { templateDeclaration } from './templates';
import { typeSpecifier } from './typeSpecifiers';
import { staticAssertion } from './staticAssert';
import { instanceArgs } from './functionTemplates';

export type { PreludeTables, UnitTables } from './state';

const UNSUPPORTED_STMT: Record<string, string> = {
  try_statement: 'C++ exceptions (try/catch; kernel code has none, use __try/__except)',
  throw_statement: 'C++ exceptions (throw; kernel code has none)',
  co_return_statement: 'coroutines',
};

export class CppFrontEnd implements CppHooks {
  private readonly s: CppState;

  constructor(unit: UnitTables, prelude: PreludeTables | undefined) {
    this.s = new CppState(unit, prelude);
  }

  /** True when the node was C++ and is handled; false hands it to the C path. */
  topLevel(ctx: TranslateContext, node: SyntaxNode, cTopLevel: (node: SyntaxNode) => void): boolean {
    const s = this.s;
    switch (node.type) {
      case 'linkage_specification': {
        const body = node.childForFieldName('body');
        s.externC++;
        try {
          if (body?.type === 'declaration_list') for (const c of body.namedChildren) { if (c) this.topLevelOrC(ctx, c, cTopLevel); }
          else if (body) this.topLevelOrC(ctx, body, cTopLevel);
        } finally {
          s.externC--;
        }
        return true;
      }
      case 'namespace_definition': {
        const name = node.childForFieldName('name')?.text;
        if (name) s.namespaces.push(...name.split('::'));
        // `inline namespace v1 { … }`: its names are also names of the enclosing namespace (versioned APIs).
        if (name && node.children.some((c) => c?.type === 'inline')) {
          s.usings.push(s.namespaces.join('::'));
          s.inlineNamespaces.add(s.namespaces.join('::'));
        }
        try {
          for (const c of node.childForFieldName('body')?.namedChildren ?? []) if (c) this.topLevelOrC(ctx, c, cTopLevel);
        } finally {
          if (name) s.namespaces.length -= name.split('::').length;
        }
        return true;
      }
      case 'using_declaration': {
        // `using namespace N;` makes N's names visible unqualified; `using N::x;` likewise for x.
        const target = node.namedChildren.find((c) => c?.type === 'identifier' || c?.type === 'qualified_identifier' || c?.type === 'namespace_identifier');
        if (target) s.usings.push(node.text.includes('namespace') ? target.text : target.text.split('::').slice(0, -1).join('::'));
        return true;
      }
      case 'alias_declaration': {
        const alias = aliasType(ctx, node);
        if (alias) ctx.scope.defineTypedef(alias.name, alias.type);
        return true;
      }
      case 'template_declaration':
        templateDeclaration(s, ctx, node);
        return true;
      case 'class_specifier':
      case 'struct_specifier':
      case 'union_specifier':
        typeFromSpecifier(ctx, node);
        return true;
      case 'function_definition':
        functionDefinition(s, ctx, node);
        return true;
      case 'declaration':
        globalDeclaration(s, ctx, node);
        return true;
      case 'static_assert_declaration':
        // Inside a template's instance the assertion may sit in a branch `if constexpr` discards, or in a
        // member C++ would never instantiate (fltsim defines every member of every instance): judged outside templates only.
        if (s.instanceName === undefined && !(s.fn?.cls && instanceArgs(s.fn.cls).length > 0)) staticAssertion(ctx, node);
        return true;
      default:
        return false;
    }
  }

  private topLevelOrC(ctx: TranslateContext, node: SyntaxNode, cTopLevel: (node: SyntaxNode) => void): void {
    if (!this.topLevel(ctx, node, cTopLevel)) cTopLevel(node);
  }

  typeSpecifier(ctx: TranslateContext, node: SyntaxNode): CType | undefined {
    return typeSpecifier(this.s, ctx, node);
  }

  expr(ctx: TranslateContext, node: SyntaxNode): Expr | undefined {
    return cppExpression(this.s, ctx, node);
  }

  declarator(ctx: TranslateContext, node: SyntaxNode, type: CType): { name?: string; type: CType; next: SyntaxNode | null } | undefined {
    switch (node.type) {
      case 'reference_declarator': {
        const ptr = pointerTo(type);
        this.s.refTypes.add(ptr);
        if (node.children.some((c) => c?.type === '&&')) this.s.rvalueTypes.add(ptr);
        return { type: ptr, next: node.namedChildren.find((c) => c !== null && c.type !== 'type_qualifier') ?? null };
      }
      case 'abstract_reference_declarator': {
        const ptr = pointerTo(type);
        this.s.refTypes.add(ptr);
        if (node.children.some((c) => c?.type === '&&')) this.s.rvalueTypes.add(ptr);
        return { type: ptr, next: node.namedChildren[0] ?? null };
      }
      case 'qualified_identifier':
      case 'destructor_name':
      case 'operator_name':
        return { name: node.text.replace(/\s+/g, ''), type, next: null };
      case 'structured_binding_declarator':
        ctx.error(node, 'fltsim does not run structured bindings');
        return { name: '<binding>', type, next: null };
      default:
        return undefined;
    }
  }

  stmt(ctx: TranslateContext, node: SyntaxNode): Stmt | undefined {
    const loc = ctx.loc(node);
    if (UNSUPPORTED_STMT[node.type]) return { k: 'unsupported', what: UNSUPPORTED_STMT[node.type], text: ctx.snippet(node), loc };
    switch (node.type) {
      case 'compound_statement':
        return this.s.fn ? block(this.s, ctx, node) : undefined;
      case 'declaration': {
        if (!this.s.fn) return undefined;
        const { value: { stmts, destroy }, dtors } = fullExpression(this.s, () => localDeclaration(this.s, ctx, node));
        // Outside a block (a lone `case`/`if` body) a declaration's destructor has nowhere to go.
        if (destroy.length > 0) ctx.error(node, 'an object with a destructor declared outside a block (directly under a case label?): fltsim needs braces around its scope');
        const all = [...stmts, ...destroyStatements(dtors, loc)];
        return all.length === 1 ? all[0] : { k: 'block', body: all, loc, endLoc: loc };
      }
      case 'expression_statement': {
        const e = this.s.fn ? node.namedChildren.find((c) => c !== null && c.type !== 'comment') : undefined;
        if (!e) return undefined;
        const { value, dtors } = fullExpression(this.s, () => translateExpr(ctx, e));
        const stmt: Stmt = { k: 'expr', expr: value, loc };
        return dtors.length > 0 ? { k: 'block', body: [stmt, ...destroyStatements(dtors, loc)], loc, endLoc: loc } : stmt;
      }
      case 'return_statement':
        return this.s.fn ? returnStatement(this.s, ctx, node) : undefined;
      case 'for_range_loop':
        return rangeFor(this.s, ctx, node);
      case 'if_statement':
      case 'switch_statement':
      case 'while_statement':
        return declaringCondition(this.s, ctx, node);
      case 'for_statement':
        return forWithDeclaration(this.s, ctx, node);
      case 'alias_declaration':
      case 'using_declaration':
      case 'static_assert_declaration':
        this.topLevel(ctx, node, () => undefined);
        return { k: 'empty', loc };
      default:
        return undefined;
    }
  }
}
