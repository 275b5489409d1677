/**
 * Constructing objects: a constructor call chosen by its arguments, the member initializer list and
 * default member initializers a constructor (or the implicit one) runs first, and brace-initialised
 * members.
 */
import type { Expr, Stmt } from '../ast';
import type { SyntaxNode } from '../treeSitter';
import { INT, pointee, sameType } from '../types';
import type { TranslateContext } from '../translate/context';
import { translateExpr, translateInitializer } from '../translate/expressions';
import { addressOf, callFunction } from './lowering';
import type { CppClass } from './model';
import { setVfptr, upcast } from './inheritance';
import { choose, completeArgs } from './overloads';
import type { CppState } from './state';

export function constructorCall(s: CppState, ctx: TranslateContext, cls: CppClass, self: Expr, args: Expr[], at: SyntaxNode): Expr | undefined {
  if (cls.ctors.length === 0) {
    if (args.length > 0) ctx.error(at, `${cls.name} has no constructor taking ${args.length} argument${args.length === 1 ? '' : 's'}`);
    // The implicit constructor constructs the bases, sets the vtable pointer and runs the default member initializers.
    const loc = ctx.loc(at);
    const sets: Expr[] = [...baseConstructors(s, ctx, cls, self, new Map(), at)];
    if (cls.vtable) sets.push(setVfptr(cls, self, loc));
    sets.push(...cls.fieldInits.map((fi): Expr => {
      if (fi.value.type === 'initializer_list') return braceAssign(s, ctx, cls, fi.field, { k: 'member', object: self, field: fi.field, arrow: true, loc }, fi.value);
      let value = translateExpr(ctx, fi.value);
      if (cls.refFields.has(fi.field)) value = addressOf(value);
      return { k: 'assign', op: '=', left: { k: 'member', object: self, field: fi.field, arrow: true, loc }, right: value, loc };
    }));
    return sets.length > 0 ? sets.reduce((left, right) => ({ k: 'comma', left, right, loc })) : undefined;
  }
  const ctor = choose(s, cls.ctors, args, true);
  if (!ctor) {
    ctx.error(at, `no constructor of ${cls.name} takes ${args.length} argument${args.length === 1 ? '' : 's'} (${cls.ctors.map((c) => c.linkName).join('; ')})`);
    return undefined;
  }
  return callFunction(ctor, [self, ...completeArgs(s, ctx, ctor, args)], ctx.loc(at));
}

/** `: _lock(lock), count(0)` and default member initializers, as assignments through `this`. */
export function memberInitializers(s: CppState, ctx: TranslateContext, node: SyntaxNode, cls: CppClass): Stmt[] {
  const out: Stmt[] = [];
  const list = node.namedChildren.find((c) => c?.type === 'field_initializer_list');
  const explicit = new Set<string>();
  const assign = (field: string, valueNode: SyntaxNode | undefined, at: SyntaxNode): void => {
    const loc = ctx.loc(at);
    const target: Expr = { k: 'member', object: { k: 'id', name: 'this', loc }, field, arrow: true, loc };
    if (!valueNode) return;
    if (valueNode.type === 'initializer_list') {
      out.push({ k: 'expr', expr: braceAssign(s, ctx, cls, field, target, valueNode), loc });
      return;
    }
    let value = translateExpr(ctx, valueNode);
    if (cls.refFields.has(field)) value = addressOf(value);
    out.push({ k: 'expr', expr: { k: 'assign', op: '=', left: target, right: value, loc }, loc });
  };
  const baseArgs = new Map<CppClass, { args: Expr[]; at: SyntaxNode }>();
  for (const fi of list?.namedChildren ?? []) {
    if (fi?.type !== 'field_initializer') continue;
    const name = fi.namedChildren[0]!.text;
    const base = cls.bases.find((b) => b.name === name || simpleName(b) === name.replace(/<.*$/, '') || b.name === s.qualify(name));
    if (base) {
      const values = (fi.namedChildren[1]?.namedChildren ?? []).filter((c): c is SyntaxNode => c !== null && c.type !== 'comment');
      baseArgs.set(base, { args: values.map((v) => translateExpr(ctx, v)), at: fi });
      continue;
    }
    const args = fi.namedChildren[1];
    const values = (args?.namedChildren ?? []).filter((c): c is SyntaxNode => c !== null && c.type !== 'comment');
    if (name === simpleName(cls) || name === cls.name) {
      // A delegating constructor: the other constructor does all the initialising, then this body runs.
      const loc = ctx.loc(fi);
      const call = constructorCall(s, ctx, cls, { k: 'id', name: 'this', loc }, values.map((v) => translateExpr(ctx, v)), fi);
      return call ? [{ k: 'expr', expr: call, loc }] : [];
    }
    if (!cls.struct.fields?.some((f) => f.name === name)) {
      ctx.error(fi, `'${name}' is neither a member nor a direct base class of ${cls.name}`);
      continue;
    }
    explicit.add(name);
    if (values.length > 1) ctx.error(fi, `member '${name}' is initialised with ${values.length} values; fltsim runs no member constructors`);
    assign(name, values[0], fi);
  }
  const defaults = cls.fieldInits.filter((fi) => !explicit.has(fi.field)).map((fi) => {
    const saved = out.length;
    assign(fi.field, fi.value, fi.value);
    return out.splice(saved);
  }).flat();
  // Bases first, then the vtable pointer (so virtual calls from here on reach this class's functions), then the members.
  const loc = ctx.loc(node);
  const self: Expr = { k: 'id', name: 'this', loc };
  const first: Stmt[] = baseConstructors(s, ctx, cls, self, baseArgs, node).map((expr) => ({ k: 'expr', expr, loc }));
  if (cls.vtable) first.push({ k: 'expr', expr: setVfptr(cls, self, loc), loc });
  return [...first, ...defaults, ...out];
}

function simpleName(cls: CppClass): string {
  return cls.name.split('::').pop()!.replace(/<.*$/, '');
}

/** Each base's constructor on its subobject, in declaration order: with the arguments the initializer list gave it, or the default one. */
function baseConstructors(s: CppState, ctx: TranslateContext, cls: CppClass, self: Expr, given: Map<CppClass, { args: Expr[]; at: SyntaxNode }>, at: SyntaxNode): Expr[] {
  const out: Expr[] = [];
  for (const b of cls.bases) {
    const g = given.get(b);
    const call = constructorCall(s, ctx, b, upcast(self, cls, b), g?.args ?? [], g?.at ?? at);
    if (call) out.push(call);
  }
  return out;
}

/** `int _byKind[3] = {};` / `_stats{…}`: a member set from a brace list, through a compound literal. */
export function braceAssign(s: CppState, ctx: TranslateContext, cls: CppClass, field: string, target: Expr, list: SyntaxNode): Expr {
  const loc = ctx.loc(list);
  const type = cls.struct.fields?.find((f) => f.name === field)?.type ?? INT;
  const init = translateInitializer(ctx, list);
  if (type.kind === 'array') {
    // Arrays cannot be assigned in C: copy the literal's bytes.
    return { k: 'call', callee: { k: 'id', name: 'memcpy', loc }, args: [{ k: 'unary', op: '&', arg: target, loc }, { k: 'compound', type, init, loc }, { k: 'sizeofType', type, loc }], loc };
  }
  if (type.kind === 'struct') return { k: 'assign', op: '=', left: target, right: { k: 'compound', type, init, loc }, loc };
  const first = init.k === 'list' ? init.items[0]?.value : init;
  const value: Expr = first?.k === 'expr' ? first.expr : { k: 'num', value: 0, type: INT, loc };
  return { k: 'assign', op: '=', left: target, right: value, loc };
}

/** The class declares `C(const C&)` (further parameters defaulted): `C a = b;` runs it instead of copying the bytes. */
export function hasCopyConstructor(cls: CppClass): boolean {
  return cls.ctors.some((c) => c.refParams[0] === true && !c.rvalueParams[0] && c.type.params[1]?.type.kind === 'ptr' && sameType(pointee(c.type.params[1].type)!, cls.struct) && (c.defaults.length < 2 || c.defaults[1] !== undefined));
}
