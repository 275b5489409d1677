/**
 * C++ function declarations: a declarator read into a CppFunction (its owner class, `this`,
 * reference parameters, default arguments, const-ness), overloads told apart and named for the
 * linker, and the prototype the unit declares. Refuses, at the name, what fltsim does not lower.
 */
import type { Loc } from '../ast';
import type { SyntaxNode } from '../treeSitter';
import { VOID, pointee, pointerTo, sameType, typeName, type CType, type FunctionType } from '../types';
import type { TranslateContext } from '../translate/context';
import { applyDeclarator, decayParameter, typeFromSpecifier } from '../translate/declarators';
import { storageOf } from '../translate/statements';
import type { CppClass, CppFunction } from './model';
import type { CppState } from './state';

export function isFunctionDeclarator(d: SyntaxNode): boolean {
  let cur: SyntaxNode | null = d;
  while (cur) {
    if (cur.type === 'function_declarator' || cur.type === 'operator_cast') return true;
    if (cur.type === 'init_declarator' || cur.type === 'parenthesized_declarator') return false;
    cur = cur.childForFieldName('declarator') ?? cur.namedChildren.find((c) => c?.type.endsWith('declarator')) ?? null;
  }
  return false;
}

/** The function_declarator under the pointer/reference declarators of a return type. */
export function functionDeclaratorOf(d: SyntaxNode): SyntaxNode | undefined {
  let cur: SyntaxNode | null = d;
  while (cur && cur.type !== 'function_declarator' && cur.type !== 'operator_cast') cur = cur.childForFieldName('declarator') ?? cur.namedChildren.find((c) => c?.type.endsWith('declarator')) ?? null;
  return cur ?? undefined;
}

/** Declares (or finds the earlier declaration of) a function; `cls` for a member declared in its class. */
export function declareFunction(s: CppState, ctx: TranslateContext, node: SyntaxNode, d: SyntaxNode, base: CType, defining: boolean, cls?: CppClass, isStatic = false): CppFunction | undefined {
  const found = functionDeclaratorOf(d);
  if (!found) return undefined;
  // `operator bool() const`: a conversion operator; its parameters sit in an abstract declarator.
  const cast = found.type === 'operator_cast' ? found : undefined;
  const fd = cast ? cast.childForFieldName('declarator') ?? found : found;
  const nameNode = cast ?? fd.childForFieldName('declarator')!;
  let written = nameNode.text.replace(/\s+/g, '');
  if (cast) written = `${written.replace(/operator.*$/, '')}operator cast`;
  else if (nameNode.type === 'operator_name' || /::operator/.test(written)) written = written.replace(/operator/, 'operator ').replace(/\s*\[\s*\]/, '[]');
  if (/operator (&&|\|\||,)$/.test(written)) {
    // Overloads of these lose the order and short-circuit of the built-in operator: no driver needs them.
    ctx.error(nameNode, `fltsim does not run an overloaded '${written.split('::').pop()}': write a named member function instead`);
    return undefined;
  }
  const constThis = fd.children.some((c) => c?.type === 'type_qualifier' && c.text === 'const');
  const isVirtual = node.children.some((c) => c?.type === 'virtual') || d.children.some((c) => c?.type === 'virtual') || fd.children.some((c) => c?.type === 'virtual_specifier');
  // `virtual void F() = 0;`
  const pure = isVirtual && node.childForFieldName('default_value')?.text === '0';
  if (isVirtual && !cls && !/::/.test(written)) {
    ctx.error(node, `'virtual' outside a class ('${written}')`);
    return undefined;
  }
  // Owner: the class being defined, or the class a qualified name names (`void C::M() { … }`).
  const parts = written.split('::').filter((p, i) => p !== '' || i > 0);
  if (written.startsWith('::')) parts.shift();
  let simple = parts[parts.length - 1];
  let owner = cls;
  if (!owner && parts.length > 1) owner = s.classNamed(parts.slice(0, -1).join('::'));
  const ownerName = owner?.name;
  const isCtor = owner !== undefined && (simple === owner.name.split('::').pop()!.replace(/<.*$/, '') || simple === ownerName);
  const isDtor = simple.startsWith('~');
  if (isDtor) simple = '~';
  // A class's own operator new/delete are static members even when not written so (C++ says they are).
  let memberStatic = isStatic || (owner !== undefined && /^operator (new|delete)/.test(simple));
  if (owner && !cls) {
    // An out-of-class definition: the class said whether it is static.
    const known = isCtor ? owner.ctors : isDtor ? (owner.dtor ? [owner.dtor] : []) : (owner.methods.get(simple) ?? []);
    memberStatic = memberStatic || (known.length > 0 && known.every((k) => k.thisClass === undefined));
  }
  const ret = cast ? applyDeclarator(ctx, null, typeFromSpecifier(ctx, cast.childForFieldName('type'))).type : isCtor || isDtor ? VOID : returnType(s, d, found, base);
  const refReturn = s.refTypes.has(ret);
  const { params, refs, rvalues, defaults } = parameters(s, ctx, fd.childForFieldName('parameters'));
  const variadic = fd.childForFieldName('parameters')?.children.some((c) => c?.type === '...' || c?.type === 'variadic_parameter') ?? false;
  const thisType = owner && !memberStatic ? [{ name: 'this', type: pointerTo(owner.struct) }] : [];
  const type: FunctionType = { kind: 'func', ret, params: [...thisType, ...params], variadic };
  let qualified: string;
  if (owner) qualified = `${owner.name}::${isDtor ? `~${owner.name.split('::').pop()!.replace(/<.*$/, '')}` : isCtor ? owner.name.split('::').pop()! : simple}`;
  else if (parts.length > 1) qualified = parts.join('::');
  else qualified = s.externC > 0 ? simple : s.qualify(simple);
  if (s.instanceName !== undefined && !isCtor && !isDtor) {
    // An instance of a function template: named with its arguments, apart from the template's other instances.
    simple = s.instanceName;
    qualified = owner ? `${owner.name}::${simple}` : simple;
  }
  const list = s.functions.get(qualified) ?? [];
  const same = list.find((f) => f.constThis === constThis && (cast ? sameType(f.type.ret, ret) : f.type.params.length === type.params.length && f.type.params.every((p, i) => sameType(p.type, type.params[i].type)) && f.rvalueParams.every((r, i) => r === rvalues[i]) && f.refParams.every((r, i) => r === refs[i])));
  if (same) {
    if (defining) {
      if (same.defined) ctx.error(nameNode, `function '${same.linkName}' is defined twice`);
      same.defined = true;
      same.type = type;
      same.loc = ctx.loc(nameNode);
    }
    if (isVirtual) same.virtual = true;
    for (let i = 0; i < defaults.length; i++) same.defaults[i] ??= defaults[i];
    return same;
  }
  // The first signature keeps the plain name; later overloads are decorated with their parameters.
  const linkName = list.length === 0 ? qualified : cast ? `${qualified} ${typeName(ret)}` : `${qualified}(${params.map((p, i) => (rvalues[i] ? `${typeName(pointee(p.type)!)} &&` : refs[i] ? `${typeName(pointee(p.type)!)} &` : typeName(p.type))).join(', ')})${constThis ? ' const' : ''}`;
  const f: CppFunction = { linkName, type, refParams: refs, rvalueParams: rvalues, refReturn, defaults, thisClass: owner && !memberStatic ? owner : undefined, memberOf: owner, constThis, virtual: isVirtual, pure, defined: defining, loc: ctx.loc(nameNode) };
  list.push(f);
  s.functions.set(qualified, list);
  const alias = s.withoutInline(qualified);
  if (alias && !s.functions.has(alias)) s.functions.set(alias, list);
  if (owner) {
    if (isCtor) owner.ctors.push(f);
    else if (isDtor) owner.dtor = f;
    else owner.methods.set(simple, [...(owner.methods.get(simple) ?? []), f]);
  }
  if (!s.unit.prototypes.has(linkName)) {
    const proto: { name: string; type: FunctionType; loc: Loc; static?: boolean } = { name: linkName, type, loc: f.loc };
    // In a class, `static` makes a static member function, not a function internal to the file.
    if (storageOf(node) === 'static' && !owner) proto.static = true;
    s.unit.prototypes.set(linkName, proto);
  }
  return f;
}

/** The return type: the pointers and references written around the function declarator. */
export function returnType(s: CppState, d: SyntaxNode, fd: SyntaxNode, base: CType): CType {
  let t = base;
  let cur: SyntaxNode | null = d;
  while (cur && cur !== fd) {
    if (cur.type === 'pointer_declarator') t = pointerTo(t);
    else if (cur.type === 'reference_declarator') {
      t = pointerTo(t);
      s.refTypes.add(t);
    }
    cur = cur.childForFieldName('declarator') ?? cur.namedChildren.find((c) => c?.type.endsWith('declarator')) ?? null;
  }
  return t;
}

export function parameters(s: CppState, ctx: TranslateContext, list: SyntaxNode | null): { params: { name?: string; type: CType }[]; refs: boolean[]; rvalues: boolean[]; defaults: (SyntaxNode | undefined)[] } {
  const params: { name?: string; type: CType }[] = [];
  const refs: boolean[] = [];
  const rvalues: boolean[] = [];
  const defaults: (SyntaxNode | undefined)[] = [];
  for (const p of list?.namedChildren ?? []) {
    if (!p || (p.type !== 'parameter_declaration' && p.type !== 'optional_parameter_declaration')) continue;
    const base = typeFromSpecifier(ctx, p.childForFieldName('type'));
    const d = applyDeclarator(ctx, p.childForFieldName('declarator'), base);
    if (d.type.kind === 'void' && !d.name) continue;
    const type = decayParameter(d.type);
    params.push({ name: d.name, type });
    refs.push(s.refTypes.has(d.type));
    rvalues.push(s.rvalueTypes.has(d.type));
    defaults.push(p.childForFieldName('default_value') ?? undefined);
  }
  return { params, refs, rvalues, defaults };
}
