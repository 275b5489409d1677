/**
 * Type specifiers in C++: classes (engine/c/cpp/classes.ts), template instances, enums whose
 * enumerators also get scoped names, `auto`, and type names qualified by a namespace or found
 * through an enclosing or used namespace. Undefined hands the specifier to the C path.
 */
import type { SyntaxNode } from '../treeSitter';
import { INT, VOID_PTR, type CType } from '../types';
import { typeOfExpr } from './typer';

/** `std::nullptr_t`: the type of `nullptr`, held as a pointer as MSVC does. */
const NULLPTR_T: CType = VOID_PTR;
import type { TranslateContext } from '../translate/context';
import { typeFromSpecifier } from '../translate/declarators';
import { classType, isMethodDeclaration } from './classes';
import { AUTO } from './lowering';
import type { CppState } from './state';
import { qualifiedMemberType } from './memberTypes';
import { qualifiedAliasType, templateType } from './templates';

export function typeSpecifier(s: CppState, ctx: TranslateContext, node: SyntaxNode): CType | undefined {
  switch (node.type) {
    case 'class_specifier':
    case 'struct_specifier':
    case 'union_specifier': {
      const body = node.childForFieldName('body');
      const nameNode = node.childForFieldName('name');
      if (nameNode?.type === 'template_type') return templateType(s, ctx, nameNode);
      const isClass = node.type === 'class_specifier' || node.namedChildren.some((c) => c?.type === 'base_class_clause') || (body?.namedChildren.some((c) => c !== null && (c.type === 'function_definition' || c.type === 'access_specifier' || c.type === 'template_declaration' || c.type === 'alias_declaration' || c.type === 'type_definition' || (c.type === 'field_declaration' && (isMethodDeclaration(c) || c.children.some((x) => x?.type === 'storage_class_specifier') || c.childForFieldName('default_value') !== null || holdsClassObject(s, ctx, c))))) ?? false);
      if (!isClass || node.type === 'union_specifier') {
        if (!nameNode) return undefined;
        // A C struct: the C path builds it; in C++ its tag is also a type name, already inside its own body (`Node* next;`).
        if (body && nameNode.type === 'type_identifier' && ctx.scope.ownTag(nameNode.text) === undefined && !ctx.scope.isTypeName(nameNode.text)) {
          const early: CType = { kind: 'struct', union: node.type === 'union_specifier', tag: nameNode.text };
          ctx.scope.defineTag(nameNode.text, early);
          ctx.scope.defineTypedef(nameNode.text, early);
        }
        const t = plainCType(ctx, node);
        if (!ctx.scope.isTypeName(nameNode.text)) ctx.scope.defineTypedef(nameNode.text, t);
        return t;
      }
      // A class declared in a class is named after it (`Vector<int>::iterator`).
      const name = nameNode ? (s.enclosingClass !== undefined ? `${s.enclosingClass}::${nameNode.text}` : s.qualify(nameNode.text)) : ctx.anonymousTag();
      return classType(s, ctx, node, name).struct;
    }
    case 'template_type':
      return templateType(s, ctx, node);
    case 'enum_specifier': {
      const nameNode = node.childForFieldName('name');
      const base = node.childForFieldName('base');
      // `enum class Kind : UCHAR` is stored in its underlying type (structs shared with user mode depend on it).
      const under = base ? typeFromSpecifier(ctx, base) : undefined;
      const plain = plainCType(ctx, node);
      const t = under?.kind === 'int' && plain.kind === 'int' ? { ...plain, size: under.size, signed: under.signed, name: under.name } : plain;
      if (base && under?.kind !== 'int') ctx.error(base, `the underlying type of an enum must be an integer type, not '${ctx.snippet(base)}'`);
      if (nameNode) {
        const name = nameNode.text;
        if (!ctx.scope.isTypeName(name)) ctx.scope.defineTypedef(name, t);
        // Scoped names (`Options::Normalized`) for `enum class` and plain enums alike.
        for (const e of node.childForFieldName('body')?.namedChildren ?? []) {
          const en = e?.type === 'enumerator' ? e.childForFieldName('name')?.text : undefined;
          const v = en !== undefined ? ctx.scope.enumConstant(en) : undefined;
          if (en !== undefined && v !== undefined) ctx.scope.defineEnumConstant(`${name}::${en}`, v);
        }
      }
      return t;
    }
    case 'primitive_type':
      return node.text === 'nullptr_t' ? NULLPTR_T : undefined;
    case 'placeholder_type_specifier':
      if (node.namedChildren.some((c) => c?.type === 'decltype')) {
        ctx.error(node, "fltsim does not run 'decltype(auto)': write the type");
        return INT;
      }
      // `auto`: the declaration that uses it replaces this with its initializer's type.
      return AUTO;
    case 'dependent_type':
      // `typename C<T>::name`: the qualified name it holds.
      return node.namedChildren[0] ? typeFromSpecifier(ctx, node.namedChildren[0]) : INT;
    case 'qualified_identifier':
    case 'nested_namespace_specifier': {
      const member = node.type === 'qualified_identifier' ? (qualifiedAliasType(s, ctx, node) ?? qualifiedMemberType(s, ctx, node, (n) => templateType(s, ctx, n))) : undefined;
      if (member) return member;
      const name = node.text.replace(/\s+/g, '').replace(/^::/, '');
      if (name === 'std::nullptr_t') return NULLPTR_T;
      const t = ctx.scope.typedef(name) ?? ctx.scope.typedef(name.split('::').pop()!);
      if (t) return t;
      ctx.error(node, `unknown type name '${name}'`);
      return INT;
    }
    case 'type_identifier': {
      const name = node.text;
      if (ctx.scope.typedef(name)) return undefined;
      for (const ns of s.visibleNamespaces()) {
        const t = ctx.scope.typedef(`${ns}::${name}`);
        if (t) return t;
      }
      if (s.templates.has(name)) {
        ctx.error(node, `class template '${name}' needs its arguments here (${name}<…>)`);
        return INT;
      }
      return undefined;
    }
    case 'decltype': {
      // `decltype(x)`, `decltype(p->field)`: the type the expression has (a reference's is the object's).
      const arg = node.namedChildren.find((c) => c !== null && c.type !== 'comment');
      const t = arg ? typeOfExpr(s.types, ctx.expr(arg)) : undefined;
      if (t) return t;
      ctx.error(node, `fltsim cannot tell the type of '${ctx.snippet(node)}': write the type`);
      return INT;
    }
    default:
      return undefined;
  }
}

/** A member whose type is a C++ class (`Lock lock;`): the struct holding it is a class, so the member is constructed and destroyed. */
function holdsClassObject(s: CppState, ctx: TranslateContext, field: SyntaxNode): boolean {
  const t = field.childForFieldName('type');
  if (t?.type === 'template_type') return true;
  if (t?.type !== 'type_identifier' && t?.type !== 'qualified_identifier') return false;
  const name = t.text.replace(/\s+/g, '');
  return s.classNamed(name) !== undefined || s.classOf(ctx.scope.typedef(name)) !== undefined;
}

/** The type the C front end gives a struct or enum specifier: the C++ hooks are off while it reads it. */
function plainCType(ctx: Parameters<typeof typeFromSpecifier>[0], node: Parameters<typeof typeFromSpecifier>[1]): CType {
  const hooks = ctx.cpp;
  ctx.cpp = undefined;
  try {
    return typeFromSpecifier(ctx, node);
  } finally {
    ctx.cpp = hooks;
  }
}
