/**
 * Constructing objects: a constructor call chosen by its arguments, and what a constructor (or the
 * implicit one) runs before its body — the bases' constructors, the vtable pointer, then each member
 * in declaration order: member objects constructed, other members set from the initializer list or
 * their default member initializers (brace lists through a compound literal).
 */
import type { Expr, Stmt } from '../ast';
import type { SyntaxNode } from '../treeSitter';
import { INT, sameType, type CType } from '../types';
import type { TranslateContext } from '../translate/context';
import { translateExpr, translateInitializer } from '../translate/expressions';
import { addressOf, callFunction } from './lowering';
import type { CppClass } from './model';
import { setVfptr, upcast } from './inheritance';
import { copyConstruct, copyRunsCode, hasCopyConstructor } from './copies';
import { choose, completeArgs } from './overloads';
import { adopt, isTemporary } from './pending';
import type { CppState } from './state';
import { typeOfExpr } from './typer';

export function constructorCall(s: CppState, ctx: TranslateContext, cls: CppClass, self: Expr, args: Expr[], at: SyntaxNode): Expr | undefined {
  if (cls.ctors.length === 0) {
    if (args.length > 0 && cls.bases.length === 0 && !cls.vtable) return aggregateInit(s, ctx, cls, self, args, at);
    if (args.length > 0) ctx.error(at, `${cls.name} has no constructor taking ${args.length} argument${args.length === 1 ? '' : 's'}`);
    // The implicit constructor constructs the bases, sets the vtable pointer, then initialises the members.
    const loc = ctx.loc(at);
    const sets: Expr[] = [...baseConstructors(s, ctx, cls, self, new Map(), at)];
    if (cls.vtable) sets.push(setVfptr(cls, self, loc));
    sets.push(...memberSetup(s, ctx, cls, self, new Map(), at));
    return sets.length > 0 ? sets.reduce((left, right) => ({ k: 'comma', left, right, loc })) : undefined;
  }
  const ctor = choose(s, cls.ctors, args, true);
  if (!ctor) {
    ctx.error(at, `no constructor of ${cls.name} takes ${args.length} argument${args.length === 1 ? '' : 's'} (${cls.ctors.map((c) => c.linkName).join('; ')})`);
    return undefined;
  }
  return callFunction(ctor, [self, ...completeArgs(s, ctx, ctor, args)], ctx.loc(at));
}

/** What a member initializer list gives one member: its values (`m(a, b)`, `m{a, b}`) and where it is written. */
interface GivenInit {
  values: SyntaxNode[];
  brace?: SyntaxNode;
  at: SyntaxNode;
}

/** `: _lock(lock), count(0)` and default member initializers, as assignments through `this`. */
export function memberInitializers(s: CppState, ctx: TranslateContext, node: SyntaxNode, cls: CppClass): Stmt[] {
  const list = node.namedChildren.find((c) => c?.type === 'field_initializer_list');
  const given = new Map<string, GivenInit>();
  const baseArgs = new Map<CppClass, { args: Expr[]; at: SyntaxNode }>();
  const loc = ctx.loc(node);
  const self: Expr = { k: 'id', name: 'this', loc };
  for (const fi of list?.namedChildren ?? []) {
    if (fi?.type !== 'field_initializer') continue;
    const name = fi.namedChildren[0]!.text;
    const argsNode = fi.namedChildren[1];
    const values = (argsNode?.namedChildren ?? []).filter((c): c is SyntaxNode => c !== null && c.type !== 'comment');
    const base = cls.bases.find((b) => b.name === name || simpleName(b) === name.replace(/<.*$/, '') || b.name === s.qualify(name));
    if (base) {
      baseArgs.set(base, { args: values.map((v) => translateExpr(ctx, v)), at: fi });
      continue;
    }
    if (name === simpleName(cls) || name === cls.name) {
      // A delegating constructor: the other constructor does all the initialising, then this body runs.
      const call = constructorCall(s, ctx, cls, self, values.map((v) => translateExpr(ctx, v)), fi);
      return call ? [{ k: 'expr', expr: call, loc: ctx.loc(fi) }] : [];
    }
    if (!cls.struct.fields?.some((f) => f.name === name)) {
      ctx.error(fi, `'${name}' is neither a member nor a direct base class of ${cls.name}`);
      continue;
    }
    given.set(name, { values, brace: argsNode?.type === 'initializer_list' ? argsNode : undefined, at: fi });
  }
  // Bases first, then the vtable pointer (so virtual calls from here on reach this class's functions), then the members in declaration order.
  const first: Expr[] = baseConstructors(s, ctx, cls, self, baseArgs, node);
  if (cls.vtable) first.push(setVfptr(cls, self, loc));
  return [...first, ...memberSetup(s, ctx, cls, self, given, node)].map((expr) => ({ k: 'expr', expr, loc: expr.loc }));
}

/**
 * The members' initialisation in declaration order, as C++ runs it whatever order the list is
 * written in: each member object constructed (with the list's arguments, its default member
 * initializer, or its default constructor), each other member assigned what the list or its default
 * member initializer gives.
 */
function memberSetup(s: CppState, ctx: TranslateContext, cls: CppClass, self: Expr, given: Map<string, GivenInit>, at: SyntaxNode): Expr[] {
  const out: Expr[] = [];
  for (const field of cls.struct.fields ?? []) {
    const explicit = given.get(field.name);
    const fallback = cls.fieldInits.find((fi) => fi.field === field.name)?.value;
    const init: GivenInit | undefined = explicit ?? (fallback ? { values: fallback.type === 'initializer_list' ? [] : [fallback], brace: fallback.type === 'initializer_list' ? fallback : undefined, at: fallback } : undefined);
    const loc = ctx.loc(init?.at ?? at);
    const target: Expr = { k: 'member', object: self, field: field.name, arrow: true, loc };
    const member = cls.members.find((m) => m.field === field.name)?.cls;
    if (member) {
      const e = memberObject(s, ctx, member, target, init, at);
      if (e) out.push(e);
      continue;
    }
    if (!init) continue;
    if (init.brace) {
      out.push(braceAssign(ctx, field.type, target, init.brace));
      continue;
    }
    if (init.values.length > 1) ctx.error(init.at, `member '${field.name}' is initialised with ${init.values.length} values, but it is not an object of a class with a constructor`);
    if (init.values.length === 0) continue;
    let value = translateExpr(ctx, init.values[0]);
    if (cls.refFields.has(field.name)) value = addressOf(value);
    out.push({ k: 'assign', op: '=', left: target, right: value, loc });
  }
  return out;
}

/** `T{a, b}` of a class without constructors (an aggregate): each member in order from its value, member objects through their constructors; the rest as the implicit constructor leaves them. */
function aggregateInit(s: CppState, ctx: TranslateContext, cls: CppClass, self: Expr, args: Expr[], at: SyntaxNode): Expr | undefined {
  const fields = cls.struct.fields ?? [];
  if (args.length > fields.length) ctx.error(at, `${cls.name} has ${fields.length} member${fields.length === 1 ? '' : 's'} but is given ${args.length} values`);
  const loc = ctx.loc(at);
  const out: Expr[] = [];
  fields.forEach((field, i) => {
    const target: Expr = { k: 'member', object: self, field: field.name, arrow: true, loc };
    const member = cls.members.find((m) => m.field === field.name)?.cls;
    const e = member ? memberFrom(s, ctx, member, target, i < args.length ? [args[i]] : [], at) : i < args.length ? ({ k: 'assign', op: '=', left: target, right: cls.refFields.has(field.name) ? addressOf(args[i]) : args[i], loc } as Expr) : undefined;
    if (e) out.push(e);
  });
  return out.length > 0 ? out.reduce((left, right) => ({ k: 'comma', left, right, loc })) : undefined;
}

/** A member object: its constructor with the given arguments (`m_lock()`, `m_name(L"x", 3)`, `m_name{…}`), or a copy of a value of its own class. */
function memberObject(s: CppState, ctx: TranslateContext, member: CppClass, target: Expr, init: GivenInit | undefined, at: SyntaxNode): Expr | undefined {
  const where = init?.at ?? at;
  if (init?.brace && member.ctors.length === 0 && member.members.length === 0) return braceAssign(ctx, member.struct, target, init.brace);
  const nodes = init?.brace ? init.brace.namedChildren.filter((c): c is SyntaxNode => c !== null && c.type !== 'comment') : init?.values ?? [];
  return memberFrom(s, ctx, member, target, nodes.map((v) => translateExpr(ctx, v)), where);
}

/** A member object made from `args`: a copy of a value of its own class, or its constructor's call. */
function memberFrom(s: CppState, ctx: TranslateContext, member: CppClass, target: Expr, args: Expr[], where: SyntaxNode): Expr | undefined {
  const self = addressOf(target);
  const sameClass = args.length === 1 && sameType(typeOfExpr(s.types, args[0]) ?? INT, member.struct);
  // A copy of a named object of a class without its own copy constructor: the implicit one, over the members that have theirs.
  if (sameClass && !isTemporary(args[0]) && !hasCopyConstructor(member) && copyRunsCode(member)) return copyConstruct(s, ctx, member, self, args[0], ctx.loc(where));
  if (sameClass && (isTemporary(args[0]) || !hasCopyConstructor(member))) {
    // A temporary of the member's class becomes the member (no copy, no destructor at the end of the statement);
    // a copy without a copy constructor copies the bytes, as the implicit one copies the members.
    adopt(s, args[0]);
    return { k: 'assign', op: '=', left: target, right: args[0], loc: ctx.loc(where) };
  }
  return constructorCall(s, ctx, member, self, args, where);
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

/** `int _byKind[3] = {};` / `_stats{…}`: a member of `type` set from a brace list, through a compound literal. */
function braceAssign(ctx: TranslateContext, type: CType, target: Expr, list: SyntaxNode): Expr {
  const loc = ctx.loc(list);
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

