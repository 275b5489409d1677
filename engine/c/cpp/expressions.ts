/**
 * C++ expressions the C path cannot read: `this`, names (engine/c/cpp/names.ts), member access
 * through class objects, conditions and `!` on class objects (their conversion operators), C++
 * casts, `new`/`delete`, `sizeof` of a qualified variable, and calls (engine/c/cpp/calls.ts).
 */
import type { Expr } from '../ast';
import { INT, SIZE_T, alignOf, pointee } from '../types';
import type { SyntaxNode } from '../treeSitter';
import type { TranslateContext } from '../translate/context';
import { applyDeclarator, typeFromSpecifier } from '../translate/declarators';
import { translateExpr, translateInitializer } from '../translate/expressions';
import { callExpression } from './calls';
import { needsDestructor } from './inheritance';
import { identifier, qualifiedIdentifier } from './names';
import { deleteExpression, newExpression } from './newDelete';
import { assignmentExpression, binaryExpression, operatorCall } from './operators';
import { arrowObject, classOfObject, convert } from './overloads';
import type { CppState } from './state';
import { templateType } from './templates';
import { lambdaExpression } from './lambdas';
import { afterDestroying, fullExpression, materialize, temporaryObject } from './temporaries';

const UNSUPPORTED_EXPR: Record<string, string> = {
  throw_expression: 'C++ exceptions (kernel code has none)',
  co_await_expression: 'coroutines',
  fold_expression: 'fold expressions',
  user_defined_literal: 'user-defined literals',
};

export function cppExpression(s: CppState, ctx: TranslateContext, node: SyntaxNode): Expr | undefined {
  const loc = ctx.loc(node);
  if (node.type === 'lambda_expression') return lambdaExpression(s, ctx, node);
  if (UNSUPPORTED_EXPR[node.type]) return { k: 'unsupported', what: UNSUPPORTED_EXPR[node.type], text: ctx.snippet(node), loc };
  switch (node.type) {
    case 'this':
      return { k: 'id', name: 'this', loc };
    case 'alignof_expression': {
      // `alignof(T)`: the alignment MSVC gives the type (x64).
      const desc = node.childForFieldName('type');
      if (desc?.type !== 'type_descriptor') return undefined;
      const t = applyDeclarator(ctx, desc.childForFieldName('declarator'), typeFromSpecifier(ctx, desc.childForFieldName('type'))).type;
      return { k: 'num', value: alignOf(s.refTypes.has(t) ? pointee(t)! : t), type: SIZE_T, loc };
    }
    case 'condition_clause': {
      const v = node.childForFieldName('value');
      if (!v || v.type === 'declaration' || node.childForFieldName('initializer')) return { k: 'unsupported', what: 'a declaration inside a condition', text: ctx.snippet(node), loc };
      // A condition is a full expression: its temporaries are destroyed before the branch runs.
      const { value, dtors } = fullExpression(s, () => convert(s, translateExpr(ctx, v)));
      return afterDestroying(s, value, dtors);
    }
    case 'unary_expression': {
      const op = node.childForFieldName('operator')?.type ?? '';
      const arg = translateExpr(ctx, node.childForFieldName('argument')!);
      const call = operatorCall(s, ctx, op, [arg], loc);
      if (call) return call;
      if (op === '!') return { k: 'unary', op: '!', arg: convert(s, arg), loc };
      return { k: 'unary', op: op as '-' | '+' | '~', arg, loc };
    }
    case 'pointer_expression': {
      if (node.childForFieldName('operator')?.type !== '*') return undefined;
      const arg = translateExpr(ctx, node.childForFieldName('argument')!);
      return operatorCall(s, ctx, '*', [arg], loc) ?? { k: 'unary', op: '*', arg, loc };
    }
    case 'update_expression': {
      const opNode = node.childForFieldName('operator')!;
      const argNode = node.childForFieldName('argument')!;
      const prefix = opNode.startIndex < argNode.startIndex;
      const arg = translateExpr(ctx, argNode);
      // The postfix form of an overloaded ++/-- takes a dummy int.
      const call = operatorCall(s, ctx, opNode.type, prefix ? [arg] : [arg, { k: 'num', value: 0, type: INT, loc }], loc);
      if (call) return call;
      return { k: 'unary', op: opNode.type === '++' ? (prefix ? '++x' : 'x++') : prefix ? '--x' : 'x--', arg, loc };
    }
    case 'conditional_expression':
      return {
        k: 'cond',
        test: convert(s, translateExpr(ctx, node.childForFieldName('condition')!)),
        then: translateExpr(ctx, node.childForFieldName('consequence')!),
        else: translateExpr(ctx, node.childForFieldName('alternative')!),
        loc,
      };
    case 'binary_expression':
      return binaryExpression(s, ctx, node);
    case 'assignment_expression':
      return assignmentExpression(s, ctx, node);
    case 'identifier':
      return identifier(s, ctx, node.text, node);
    case 'qualified_identifier':
      return qualifiedIdentifier(s, ctx, node);
    case 'field_expression': {
      const arrow = node.childForFieldName('operator')?.type === '->';
      const object = arrowObject(s, translateExpr(ctx, node.childForFieldName('argument')!), arrow);
      const field = node.childForFieldName('field')!.text;
      const st = classOfObject(s, object, arrow);
      const member: Expr = { k: 'member', object, field, arrow, loc };
      return st?.refFields.has(field) ? { k: 'unary', op: '*', arg: member, loc } : member;
    }
    case 'subscript_expression': {
      // The C++ grammar holds the index in a list (C++23 allows several).
      const indices = node.childForFieldName('indices')?.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type !== 'comment') ?? [];
      if (indices.length !== 1) return { k: 'unsupported', what: 'a subscript with several indices', text: ctx.snippet(node), loc };
      const array = translateExpr(ctx, node.childForFieldName('argument')!);
      const index = translateExpr(ctx, indices[0]);
      return operatorCall(s, ctx, '[]', [array, index], loc) ?? { k: 'index', array, index, loc };
    }
    case 'call_expression': {
      // A class object returned by value is a temporary, destroyed at the end of the full expression.
      const call = callExpression(s, ctx, node);
      return call && materialize(s, call);
    }
    case 'compound_literal_expression': {
      // `T{a, b}` of a class with a constructor or destructor: a temporary object.
      const t = node.childForFieldName('type');
      const type = t ? typeFromSpecifier(ctx, t) : undefined;
      const values = (node.childForFieldName('value')?.namedChildren ?? []).filter((c): c is SyntaxNode => c !== null && c.type !== 'comment');
      // `ULONG{6}`, `int{}`: a functional cast of one value (or zero) to a scalar type, not a C compound literal.
      if (type && type.kind !== 'struct' && type.kind !== 'array' && values.length <= 1) return { k: 'cast', type, arg: values[0] ? translateExpr(ctx, values[0]) : { k: 'num', value: 0, type: INT, loc }, loc };
      const cls = type ? s.classOf(type) : undefined;
      if (!cls || (cls.ctors.length === 0 && !needsDestructor(cls))) {
        // An aggregate `P{ a, b }`: C's compound literal, of the type C++ writes without a type descriptor.
        const value = node.childForFieldName('value');
        return type && value ? { k: 'compound', type, init: translateInitializer(ctx, value), loc } : undefined;
      }
      return temporaryObject(s, ctx, cls, values.map((v) => translateExpr(ctx, v)), node);
    }
    case 'sizeof_expression': {
      // `sizeof(Ring<ULONG, 8>)`: the C++ grammar reads a class template's instance there as an expression.
      const inner = node.childForFieldName('value');
      const instance = inner?.type === 'parenthesized_expression' ? inner.namedChildren.find((c) => c !== null && c.type !== 'comment') : undefined;
      if (instance?.type === 'template_function' && s.templates.has(instance.childForFieldName('name')?.text ?? '')) return { k: 'sizeofType', type: templateType(s, ctx, instance), loc };
      // `sizeof(ns::table)`: the C++ grammar reads a qualified name in parentheses as a type.
      const named = node.childForFieldName('type')?.childForFieldName('type');
      if (named?.type !== 'qualified_identifier' || node.childForFieldName('type')?.childForFieldName('declarator')) return undefined;
      const e = qualifiedIdentifier(s, ctx, named);
      return e.k === 'id' && s.variable(e.name) ? { k: 'sizeofExpr', arg: e, loc } : undefined;
    }
    case 'new_expression':
      return newExpression(s, ctx, node);
    case 'delete_expression':
      return deleteExpression(s, ctx, node);
    case 'template_function':
      // `CONTAINING_RECORD(entry, FullItem<Header>, Entry)`: the arguments name a class template's instance, a type.
      if (s.templates.has(node.childForFieldName('name')?.text ?? '') && node.parent?.type === 'argument_list') return { k: 'typeArg', type: templateType(s, ctx, node), loc };
      return { k: 'unsupported', what: `a call of function template '${node.childForFieldName('name')?.text}' (fltsim runs class templates only)`, text: ctx.snippet(node), loc };
    default:
      return undefined;
  }
}
