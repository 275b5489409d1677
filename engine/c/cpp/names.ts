/**
 * Name lookup in C++ expressions: what an unqualified name, a `::name` or a `N::name` stands for —
 * a local (read through when it is a reference), a member of the class of the current method
 * (`this->name`), a static member, a global or function of an enclosing or used namespace, or a
 * scoped enumerator. Undefined hands the name to the C path unchanged.
 */
import type { Expr, Loc } from '../ast';
import type { SyntaxNode } from '../treeSitter';
import { findField, INT } from '../types';
import { findMethods, findStatic } from './inheritance';
import type { TranslateContext } from '../translate/context';
import type { CppState } from './state';
import { CLOSURE, type CppFunction } from './model';

/** An unqualified name: a local, a member of the class of the current method, a name of an enclosing or used namespace. */
export function identifier(s: CppState, ctx: TranslateContext, name: string, node: SyntaxNode): Expr | undefined {
  const loc = ctx.loc(node);
  const state = s.fn;
  const reading = state ? undefined : s.readingClass;
  const own = reading && findStatic(reading, name);
  if (own) return { k: 'id', name: own, loc };
  if (state) {
    for (let i = state.locals.length - 1; i >= 0; i--) {
      const v = state.locals[i].get(name);
      if (v?.captured) {
        const member: Expr = { k: 'member', object: { k: 'id', name: CLOSURE, loc }, field: name, arrow: true, loc };
        return v.ref ? { k: 'unary', op: '*', arg: member, loc } : member;
      }
      // A `const` integer local reads as the object too (its address can be taken, a reference bound
      // to it); constant contexts still see its value (evaluate() looks the name up as a constant).
      if (v) return v.ref ? { k: 'unary', op: '*', arg: { k: 'id', name, loc }, loc } : ctx.scope.enumConstant(name) !== undefined ? { k: 'id', name, loc } : undefined;
    }
    const cls = state.cls;
    if (cls) {
      if (findField(cls.struct, name)) {
        const member: Expr = { k: 'member', object: { k: 'id', name: 'this', loc }, field: name, arrow: true, loc };
        return cls.refFields.has(name) ? { k: 'unary', op: '*', arg: member, loc } : member;
      }
      const st = findStatic(cls, name);
      if (st) return { k: 'id', name: st, loc };
      // A static member function named as a value (`&CreateOperation` handed to a registration routine).
      const fs = findMethods(cls, name)?.filter((f) => f.thisClass === undefined);
      if (fs && fs.length > 0) return { k: 'id', name: fs[0].linkName, loc };
    }
  }
  if (s.constants.has(name) && ctx.scope.enumConstant(name) !== undefined) return s.globals.has(name) ? globalUse(s, name, loc) : undefined;
  if (s.globals.has(name) || s.unit.globals.some((g) => g.name === name)) return globalUse(s, name, loc);
  for (const ns of s.visibleNamespaces()) {
    const q = `${ns}::${name}`;
    if (s.globals.has(q)) return globalUse(s, q, loc);
    const f = s.functions.get(q);
    if (f) return { k: 'id', name: f[0].linkName, loc };
  }
  const f = s.functions.get(name);
  if (f) return { k: 'id', name: f[0].linkName, loc };
  return undefined;
}

/** `::name`: the global one, skipping locals and members. */
function identifierGlobal(s: CppState, ctx: TranslateContext, name: string, node: SyntaxNode): Expr | undefined {
  const loc = ctx.loc(node);
  if (s.globals.has(name)) return globalUse(s, name, loc);
  const f = s.functions.get(name);
  if (f) return { k: 'id', name: f[0].linkName, loc };
  return undefined;
}

function globalUse(s: CppState, name: string, loc: Loc): Expr {
  const g = s.globals.get(name);
  return g?.ref ? { k: 'unary', op: '*', arg: { k: 'id', name, loc }, loc } : { k: 'id', name, loc };
}

export function qualifiedIdentifier(s: CppState, ctx: TranslateContext, node: SyntaxNode): Expr {
  const loc = ctx.loc(node);
  const full = node.text.replace(/\s+/g, '');
  const name = full.replace(/^::/, '');
  if (full.startsWith('::') && !name.includes('::')) return identifierGlobal(s, ctx, name, node) ?? { k: 'id', name, loc };
  const parts = name.split('::');
  const simple = parts[parts.length - 1];
  const cls = s.classNamed(parts.slice(0, -1).join('::'));
  if (cls) {
    const st = findStatic(cls, simple);
    if (st) return { k: 'id', name: st, loc };
    const m = findMethods(cls, simple);
    if (m) return { k: 'id', name: m[0].linkName, loc };
  }
  for (const candidate of [name, ...s.visibleNamespaces().map((ns) => `${ns}::${name}`)]) {
    if (s.globals.has(candidate)) return globalUse(s, candidate, loc);
    const f = s.functions.get(candidate);
    if (f) return { k: 'id', name: f[0].linkName, loc };
  }
  // `Enum::Value` of a scoped enum.
  const ec = ctx.scope.enumConstant(name) ?? ctx.scope.enumConstant(simple);
  if (ec !== undefined) return { k: 'num', value: ec, type: INT, loc };
  return { k: 'id', name, loc };
}

/** The functions a called name may mean: `::f`, `C::m`, or `f` in the innermost namespace that has it. */
export function lookupFunctions(s: CppState, name: string): CppFunction[] | undefined {
  const plain = name.replace(/^::/, '');
  if (name.startsWith('::')) return s.functions.get(plain);
  const parts = plain.split('::');
  if (parts.length > 1) {
    const owner = s.classNamed(parts.slice(0, -1).join('::'));
    const m = owner ? findMethods(owner, parts[parts.length - 1]) : undefined;
    if (m) return m;
  }
  for (const ns of s.visibleNamespaces()) {
    const f = s.functions.get(`${ns}::${plain}`);
    if (f) return f;
  }
  return s.functions.get(plain);
}

