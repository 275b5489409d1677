/**
 * Class templates: declared, then instantiated once per argument list (`AutoLock<FastMutex>`) as a
 * class named with its arguments, with C++17 deduction from a constructor's arguments.
 */
import type { Expr } from '../ast';
import type { SyntaxNode } from '../treeSitter';
import { INT, pointee, type CType } from '../types';
import type { TranslateContext } from '../translate/context';
import { applyDeclarator, typeFromSpecifier } from '../translate/declarators';
import { classType } from './classes';
import { functionDeclaratorOf, isFunctionDeclarator } from './functions';
import { defineMember, functionTemplateDeclaration, instanceArgs, rememberInstanceArgs } from './functionTemplates';
import { defineMemberTypes } from './memberTypes';
import type { AliasTemplate, ClassTemplate, CppClass } from './model';
import type { CppState } from './state';
import { typeOfExpr } from './typer';
import { matchPartial, readPartial } from './partialSpecialisations';
import { argumentName, bindArguments, readArguments, templateParameters, type TemplateArgument } from './templateArguments';

export function templateDeclaration(s: CppState, ctx: TranslateContext, node: SyntaxNode): void {
  const inner = node.namedChildren.find((c) => c !== null && c.type !== 'template_parameter_list' && c.type !== 'comment');
  const params = (node.childForFieldName('parameters')?.namedChildren ?? []).filter((p): p is SyntaxNode => p !== null);
  if (inner && (inner.type === 'class_specifier' || inner.type === 'struct_specifier') && inner.childForFieldName('body') && inner.childForFieldName('name')?.type === 'template_type') {
    specialisation(s, ctx, node, inner, params);
    return;
  }
  if (inner && (inner.type === 'class_specifier' || inner.type === 'struct_specifier') && inner.childForFieldName('body')) {
    const parameters = templateParameters(ctx, params);
    if (typeof parameters === 'string') {
      ctx.error(node, `fltsim does not run ${parameters}`);
      return;
    }
    const nameNode = inner.childForFieldName('name')!;
    const owner = nameNode.type === 'qualified_identifier' ? nameNode.childForFieldName('scope') : undefined;
    const outer = owner?.type === 'template_type' ? s.templates.get(owner.childForFieldName('name')?.text ?? '') : undefined;
    if (outer) {
      // `template<class T> class Vector<T>::iterator {…}`: a nested class of each instance, past and future.
      const member = { name: nameNode.childForFieldName('name')!.text, node: inner };
      outer.memberClasses.push(member);
      for (const [, cls] of outer.instances) defineMemberClass(s, ctx, outer, cls, member);
      return;
    }
    const name = nameNode.text;
    s.templates.set(name, { name, params: parameters.names, parameters, node: inner, instances: new Map(), members: [], memberClasses: [], unsupportedMembers: [], partials: [], specialisations: new Map() });
    return;
  }
  if (inner && (inner.type === 'struct_specifier' || inner.type === 'class_specifier') && !inner.childForFieldName('body')) return;
  if (inner?.type === 'alias_declaration') {
    // `template<ULONG Tag> using NPString = BasicString<WCHAR, NonPaged, Tag>;`: each use names the aliased type with the arguments bound.
    const parameters = templateParameters(ctx, params);
    const name = inner.childForFieldName('name')?.text;
    const type = inner.childForFieldName('type');
    if (typeof parameters === 'string') ctx.error(node, `fltsim does not run ${parameters}`);
    else if (name && type) s.aliasTemplates.set(s.qualify(name), { parameters, type });
    return;
  }
  if (inner?.type === 'function_definition' && params.length === 0 && memberSpecialisation(s, ctx, inner)) return;
  if (inner?.type === 'function_definition' && functionTemplateDeclaration(s, ctx, node, inner)) return;
  // A function template's declaration: its definition, further on, is what instances are made from.
  if (inner?.type === 'declaration' && inner.childForFieldName('declarator') && isFunctionDeclarator(inner.childForFieldName('declarator')!)) return;
  // `template<class K> template<class It> Map<K>::Map(It, It) {…}`: a header full of templates may hold one the driver never uses.
  const owner = inner?.type === 'template_declaration' ? classTemplateOf(s, inner) : undefined;
  if (owner) {
    owner.unsupportedMembers.push(node);
    for (const [name] of owner.instances) ctx.error(node, `fltsim does not run member templates of a class template written outside the class ('${ctx.snippet(node)}'), needed by ${name}`);
    return;
  }
  ctx.error(node, `fltsim does not run template specialisations or this kind of template ('${ctx.snippet(node)}') yet; class and function templates with type parameters run`);
}

export function templateType(s: CppState, ctx: TranslateContext, node: SyntaxNode, scope?: string): CType {
  const simple = node.childForFieldName('name')?.text ?? '';
  const alias = aliasTemplate(s, scope ? `${scope}::${simple}` : simple);
  if (alias) return aliasInstance(s, ctx, alias, node);
  const found = templateArguments(s, ctx, node);
  return found ? instantiate(s, ctx, found.tpl, found.args).struct : INT;
}

/** The class template `C<A, B>` names and its type arguments; undefined (with an error at the node) when fltsim cannot make that instance. */
function templateArguments(s: CppState, ctx: TranslateContext, node: SyntaxNode): { tpl: ClassTemplate; args: TemplateArgument[] } | undefined {
  const name = node.childForFieldName('name')!.text;
  const tpl = s.templates.get(name);
  if (!tpl) {
    ctx.error(node, `'${name}' is not a class template fltsim knows`);
    return undefined;
  }
  const args = readArguments(ctx, tpl.parameters, (node.childForFieldName('arguments')?.namedChildren ?? []).filter((a): a is SyntaxNode => a !== null && a.type !== 'comment'));
  if (typeof args === 'string') {
    ctx.error(node, `fltsim cannot make '${ctx.snippet(node)}': ${args}`);
    return undefined;
  }
  return { tpl, args };
}

function instanceKey(s: CppState, tpl: ClassTemplate, args: readonly TemplateArgument[]): string {
  // `C<int&>` and `C<int*>` are two instances: a reference is a pointer only to the lowering.
  const shown = args.map((a) => (typeof a !== 'number' && s.refTypes.has(a) ? `${argumentName(pointee(a)!)} ${s.rvalueTypes.has(a) ? '&&' : '&'}` : argumentName(a)));
  return `${tpl.name}<${shown.join(', ')}>`;
}

/**
 * `template<> struct Traits<int> {…}`: the body that instance is made from instead of the primary
 * template's. A partial specialisation is kept when fltsim can choose it (engine/c/cpp/partialSpecialisations.ts).
 */
function specialisation(s: CppState, ctx: TranslateContext, node: SyntaxNode, inner: SyntaxNode, params: SyntaxNode[]): void {
  const nameNode = inner.childForFieldName('name')!;
  if (params.length > 0) {
    const tpl = s.templates.get(nameNode.childForFieldName('name')?.text ?? '');
    const partial = tpl ? readPartial(ctx, params, nameNode, inner) : `no primary template '${nameNode.childForFieldName('name')?.text}' before it`;
    if (typeof partial === 'string') ctx.error(node, `fltsim does not run this partial specialisation of a class template ('${nameNode.text}': ${partial}); write a separate class`);
    else tpl!.partials.push(partial);
    return;
  }
  const found = templateArguments(s, ctx, nameNode);
  if (!found) return;
  const key = instanceKey(s, found.tpl, found.args);
  if (found.tpl.instances.has(key)) {
    ctx.error(node, `the specialisation ${key} comes after the instance was already used: declare it before its first use`);
    return;
  }
  found.tpl.specialisations.set(key, inner);
}

export function instantiate(s: CppState, ctx: TranslateContext, tpl: ClassTemplate, args: TemplateArgument[]): CppClass {
  const key = instanceKey(s, tpl, args);
  const known = tpl.instances.get(key);
  if (known) return known;
  const full = tpl.specialisations.get(key);
  const partial = full ? undefined : tpl.partials.map((p) => ({ p, bound: matchPartial(s, p, args) })).find((m) => m.bound !== undefined);
  const special = full ?? partial?.p.node;
  const saved = { scope: ctx.scope, fn: s.fn };
  ctx.scope = ctx.scope.child();
  s.fn = undefined;
  try {
    if (!special) bindArguments(ctx, tpl.params, args);
    else if (partial) bindArguments(ctx, partial.p.params, partial.bound!);
    const cls = classType(s, ctx, special ?? tpl.node, key, (c) => {
      // Inside its own body the template's name means this instance.
      tpl.instances.set(key, c);
      ctx.scope.defineTypedef(tpl.name, c.struct);
      rememberInstanceArgs(c, args);
    });
    // A specialisation is a class of its own: the primary template's members written outside it are not its members.
    if (special) return cls;
    for (const m of tpl.unsupportedMembers) ctx.error(m, `fltsim does not run member templates of a class template written outside the class ('${ctx.snippet(m)}'), needed by ${key}`);
    for (const m of tpl.memberClasses) defineMemberClass(s, ctx, tpl, cls, m);
    for (const m of tpl.members) defineMember(s, ctx, tpl.params, args, m, cls);
    return cls;
  } finally {
    ctx.scope = saved.scope;
    s.fn = saved.fn;
  }
}

/**
 * `template<> void C<WCHAR>::F(…) {…}`: a member function written for one instance only. The instance
 * is made here (as C++ instantiates the class at an explicit specialisation of its member) and the
 * function defined for it alone. False when the definition is no such member.
 */
function memberSpecialisation(s: CppState, ctx: TranslateContext, fn: SyntaxNode): boolean {
  const d = fn.childForFieldName('declarator');
  const name = d ? functionDeclaratorOf(d)?.childForFieldName('declarator') : undefined;
  const scope = name?.type === 'qualified_identifier' ? name.childForFieldName('scope') : undefined;
  if (scope?.type !== 'template_type' || !s.templates.has(scope.childForFieldName('name')?.text ?? '')) return false;
  const cls = s.classOf(templateType(s, ctx, scope));
  if (!cls) return true;
  defineMember(s, ctx, [], [], fn, cls);
  return true;
}

/** The class template whose member a (nested) template declaration defines: `C<T>::F`. */
function classTemplateOf(s: CppState, node: SyntaxNode): ClassTemplate | undefined {
  let inner: SyntaxNode | null | undefined = node;
  while (inner?.type === 'template_declaration') inner = inner.namedChildren.find((c) => c !== null && c.type !== 'template_parameter_list' && c.type !== 'comment');
  const d = inner?.type === 'function_definition' || inner?.type === 'declaration' ? inner.childForFieldName('declarator') : undefined;
  const name = d ? functionDeclaratorOf(d)?.childForFieldName('declarator') : undefined;
  const scope = name?.type === 'qualified_identifier' ? name.childForFieldName('scope') : undefined;
  return scope?.type === 'template_type' ? s.templates.get(scope.childForFieldName('name')?.text ?? '') : undefined;
}

/** A nested class of a class template's instance, written outside the class: its body read with the instance's arguments bound. */
function defineMemberClass(s: CppState, ctx: TranslateContext, tpl: ClassTemplate, cls: CppClass, member: { name: string; node: SyntaxNode }): void {
  const saved = { scope: ctx.scope, enclosing: s.enclosingClass };
  ctx.scope = ctx.scope.child();
  s.enclosingClass = cls.name;
  try {
    bindArguments(ctx, tpl.params, instanceArgs(cls));
    defineMemberTypes(cls, ctx.scope);
    const nested = classType(s, ctx, member.node, `${cls.name}::${member.name}`);
    cls.typedefs.set(member.name, nested.struct);
  } finally {
    ctx.scope = saved.scope;
    s.enclosingClass = saved.enclosing;
  }
}

/** `AutoLock locker(m);`: the template arguments deduced from the constructor's arguments (C++17). */
export function deduce(s: CppState, ctx: TranslateContext, tpl: ClassTemplate, args: Expr[], at: SyntaxNode): CppClass | undefined {
  const body = tpl.node.childForFieldName('body');
  for (const m of body?.namedChildren ?? []) {
    if (!m || (m.type !== 'function_definition' && m.type !== 'declaration' && m.type !== 'field_declaration')) continue;
    const fd = m.childForFieldName('declarator') ? functionDeclaratorOf(m.childForFieldName('declarator')!) : undefined;
    if (!fd || fd.childForFieldName('declarator')?.text !== tpl.name) continue;
    const ps = (fd.childForFieldName('parameters')?.namedChildren ?? []).filter((p): p is SyntaxNode => p?.type === 'parameter_declaration' || p?.type === 'optional_parameter_declaration');
    if (ps.length < args.length) continue;
    const bound = new Map<string, CType>();
    args.forEach((a, i) => {
      const pt = ps[i].childForFieldName('type')?.text;
      if (!pt || !tpl.params.includes(pt)) return;
      let t = typeOfExpr(s.types, a);
      if (t && ps[i].childForFieldName('declarator')?.type === 'pointer_declarator') t = pointee(t);
      if (t) bound.set(pt, t);
    });
    if (tpl.params.every((p) => bound.has(p))) return instantiate(s, ctx, tpl, tpl.params.map((p) => bound.get(p)!));
  }
  ctx.error(at, `fltsim cannot deduce the template arguments of '${tpl.name}' here: write them (${tpl.name}<…>)`);
  return undefined;
}

/** `kstd::Pair<UCHAR>`: an alias template named with its namespace; undefined for anything else. */
export function qualifiedAliasType(s: CppState, ctx: TranslateContext, node: SyntaxNode): CType | undefined {
  const last = node.childForFieldName('name');
  const scope = node.childForFieldName('scope')?.text.replace(/\s+/g, '').replace(/^::/, '');
  if (last?.type !== 'template_type' || !scope || !aliasTemplate(s, `${scope}::${last.childForFieldName('name')?.text ?? ''}`)) return undefined;
  return templateType(s, ctx, last, scope);
}

function aliasTemplate(s: CppState, name: string): AliasTemplate | undefined {
  if (s.templates.has(name)) return undefined;
  for (const q of [name, ...s.visibleNamespaces().map((ns) => `${ns}::${name}`)]) {
    const a = s.aliasTemplates.get(q);
    if (a) return a;
  }
  return undefined;
}

/** `NPString<'gaT1'>`: the aliased type, read with the alias's parameters bound to the arguments written. */
function aliasInstance(s: CppState, ctx: TranslateContext, alias: AliasTemplate, node: SyntaxNode): CType {
  const args = readArguments(ctx, alias.parameters, (node.childForFieldName('arguments')?.namedChildren ?? []).filter((a): a is SyntaxNode => a !== null && a.type !== 'comment'));
  if (typeof args === 'string') {
    ctx.error(node, `fltsim cannot make '${ctx.snippet(node)}': ${args}`);
    return INT;
  }
  const saved = ctx.scope;
  ctx.scope = ctx.scope.child();
  try {
    bindArguments(ctx, alias.parameters.names, args);
    return applyDeclarator(ctx, alias.type.childForFieldName('declarator'), typeFromSpecifier(ctx, alias.type.childForFieldName('type'))).type;
  } finally {
    ctx.scope = saved;
  }
}
