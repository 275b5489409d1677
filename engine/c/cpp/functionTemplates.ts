/**
 * Function templates and member function templates: declared, then instantiated once per list of
 * type arguments — given explicitly (`Max<ULONG>(a, b)`) or deduced from the call's arguments
 * (`Max(a, b)`) — as a function named with its arguments (`Max<unsigned long>`), defined in the file
 * that uses it. Member functions of class templates written outside the class are defined for each
 * instance of the class.
 */
import type { Expr } from '../ast';
import type { SyntaxNode } from '../treeSitter';
import { pointee, pointerTo, typeName, type CType } from '../types';
import type { TranslateContext } from '../translate/context';
import { applyDeclarator, typeFromSpecifier } from '../translate/declarators';
import { functionDefinition } from './definitions';
import { functionDeclaratorOf } from './functions';
import type { CppClass, CppFunction, FunctionTemplate } from './model';
import type { CppState } from './state';
import { bindArguments, type TemplateArgument } from './templateArguments';
import { typeOfExpr } from './typer';

/** The names of a template's type parameters, or undefined (with an error) when one is not a type. */
export function typeParameters(ctx: TranslateContext, node: SyntaxNode): string[] | undefined {
  const names: string[] = [];
  for (const p of node.childForFieldName('parameters')?.namedChildren ?? []) {
    if (!p || p.type === 'comment') continue;
    if (p.type !== 'type_parameter_declaration' && p.type !== 'optional_type_parameter_declaration') {
      ctx.error(p, `templates with a parameter that is not a type ('${ctx.snippet(p)}') are not supported yet: fltsim runs templates with type parameters`);
      return undefined;
    }
    names.push(p.namedChildren.find((c) => c?.type === 'type_identifier')?.text ?? '');
  }
  return names;
}

/** The simple name a function definition declares (`Max`, `C<T>::Get` → `Get`). */
function declaredName(fn: SyntaxNode): string | undefined {
  const d = fn.childForFieldName('declarator');
  const fd = d ? functionDeclaratorOf(d) : undefined;
  return fd?.childForFieldName('declarator')?.text.replace(/\s+/g, '');
}

/** `template<typename T> R F(…) {…}` at file scope, or `template<…> R C<T>::F(…) {…}`: remembered until used. */
export function functionTemplateDeclaration(s: CppState, ctx: TranslateContext, node: SyntaxNode, fn: SyntaxNode, owner?: CppClass): boolean {
  const written = declaredName(fn);
  if (!written) return false;
  const classTemplate = /^([A-Za-z_]\w*)<[^]*>::/.exec(written)?.[1];
  if (classTemplate && !owner) {
    // A member of a class template defined outside the class.
    const tpl = s.templates.get(classTemplate);
    if (!tpl) return false;
    tpl.members.push(fn);
    for (const [, cls] of tpl.instances) defineMember(s, ctx, tpl.params, [...instanceArgs(cls)], fn, cls);
    return true;
  }
  const params = typeParameters(ctx, node);
  if (!params) return true;
  const simple = written.split('::').pop()!;
  const tpl: FunctionTemplate = { name: owner ? simple : s.qualify(simple), params, node: fn, owner, instances: new Map() };
  if (owner) owner.memberTemplates.set(simple, tpl);
  else s.functionTemplates.set(tpl.name, tpl);
  return true;
}

/** The type arguments an instance of a class template was made with. */
const ARGS = new WeakMap<CppClass, TemplateArgument[]>();
export function rememberInstanceArgs(cls: CppClass, args: TemplateArgument[]): void {
  ARGS.set(cls, args);
}
export function instanceArgs(cls: CppClass): TemplateArgument[] {
  return ARGS.get(cls) ?? [];
}

/** Defines an out-of-class member of a class template for one instance, with the template's parameters bound. */
export function defineMember(s: CppState, ctx: TranslateContext, params: string[], args: readonly TemplateArgument[], fn: SyntaxNode, cls: CppClass): void {
  const saved = ctx.scope;
  ctx.scope = ctx.scope.child();
  try {
    bindArguments(ctx, params, args);
    functionDefinition(s, ctx, fn, cls);
  } finally {
    ctx.scope = saved;
  }
}

/** A function template named `name` where the call is (enclosing and used namespaces first). */
export function lookupFunctionTemplate(s: CppState, name: string): FunctionTemplate | undefined {
  const plain = name.replace(/^::/, '');
  for (const ns of s.visibleNamespaces()) {
    const t = s.functionTemplates.get(`${ns}::${plain}`);
    if (t) return t;
  }
  return s.functionTemplates.get(plain);
}

/** The explicit type arguments of `F<A, B>`; undefined entries are not types. */
export function explicitArguments(ctx: TranslateContext, list: SyntaxNode | null): (CType | undefined)[] {
  return (list?.namedChildren ?? []).filter((a): a is SyntaxNode => a !== null && a.type !== 'comment').map((a) => {
    if (a.type !== 'type_descriptor') return undefined;
    return applyDeclarator(ctx, a.childForFieldName('declarator'), typeFromSpecifier(ctx, a.childForFieldName('type'))).type;
  });
}

/**
 * The instance a call needs: the explicit arguments first, the rest deduced from the call's
 * arguments where a parameter is written `T`, `T*`, `T&` or `const T&`. A message when that leaves
 * a parameter unknown.
 */
export function instanceFor(s: CppState, ctx: TranslateContext, tpl: FunctionTemplate, explicit: (CType | undefined)[], args: Expr[]): CppFunction | string {
  const bound = new Map<string, CType>();
  explicit.forEach((t, i) => {
    if (t && tpl.params[i]) bound.set(tpl.params[i], t);
  });
  const d = tpl.node.childForFieldName('declarator');
  const fd = d ? functionDeclaratorOf(d) : undefined;
  const ps = (fd?.childForFieldName('parameters')?.namedChildren ?? []).filter((p): p is SyntaxNode => p?.type === 'parameter_declaration' || p?.type === 'optional_parameter_declaration');
  ps.forEach((p, i) => {
    const written = p.childForFieldName('type')?.text.replace(/\b(const|volatile|typename)\b/g, '').trim();
    if (!written || !tpl.params.includes(written) || bound.has(written) || !args[i]) return;
    let t = typeOfExpr(s.types, args[i]);
    if (t?.kind === 'array') t = pointerTo(t.of);
    let decl = p.childForFieldName('declarator');
    while (t && decl?.type === 'pointer_declarator') {
      t = pointee(t);
      decl = decl.childForFieldName('declarator');
    }
    if (t) bound.set(written, t);
  });
  const missing = tpl.params.filter((p) => !bound.has(p));
  // An argument fltsim refuses (a generic lambda) is why: name it, not the parameter it leaves unknown.
  const refused = args.find((a) => a.k === 'unsupported');
  if (missing.length > 0 && refused?.k === 'unsupported') return refused.what;
  if (missing.length > 0) return `fltsim cannot deduce ${missing.map((m) => `'${m}'`).join(', ')} of function template '${tpl.name}' here: write the arguments (${tpl.name}<…>)`;
  const types = tpl.params.map((p) => bound.get(p)!);
  const key = `${tpl.name}<${types.map(typeName).join(', ')}>`;
  const known = tpl.instances.get(key);
  if (known) return known;
  const saved = { scope: ctx.scope, name: s.instanceName };
  ctx.scope = ctx.scope.child();
  s.instanceName = key;
  try {
    tpl.params.forEach((p, i) => ctx.scope.defineTypedef(p, types[i]));
    functionDefinition(s, ctx, tpl.node, tpl.owner);
  } finally {
    ctx.scope = saved.scope;
    s.instanceName = saved.name;
  }
  const made = (tpl.owner ? tpl.owner.methods.get(key) : s.functions.get(key))?.[0];
  if (!made) return `function template '${tpl.name}' could not be instantiated for ${key}`;
  tpl.instances.set(key, made);
  return made;
}
