/**
 * The implicit copy constructor and copy assignment of a class that has none of its own. C++ copies
 * such an object member by member: a base or member object whose class has a copy constructor (or
 * copy assignment operator, or holds one that has) is copied by it, everything else by its bytes.
 * fltsim copies the bytes of the whole object first, then runs those copies over their subobjects,
 * so a class holding a string class with an owning buffer gets a buffer of its own on every copy.
 */
import type { Expr, Loc } from '../ast';
import { pointee, pointerTo, sameType, VOID, type CType } from '../types';
import { adopt, isTemporary, namesAnObject } from './pending';
import { typeOfExpr } from './typer';
import type { TranslateContext } from '../translate/context';
import { memberCall, upcast } from './inheritance';
import { addressOf, callFunction } from './lowering';
import { defaultArguments } from './defaultArguments';
import type { CppClass, CppFunction } from './model';
import { hiddenTemporary } from './hidden';
import type { CppState } from './state';

/** Whether copy-constructing a `cls` runs code of the driver's: its own copy constructor, or one of a base or member object. */
export function copyRunsCode(cls: CppClass, seen = new Set<CppClass>()): boolean {
  if (seen.has(cls)) return false;
  seen.add(cls);
  return hasCopyConstructor(cls) || cls.bases.some((b) => copyRunsCode(b, seen)) || cls.members.some((m) => copyRunsCode(m.cls, seen));
}

/** The class's own `operator=(const C&)` (or `operator=(C)`), not a move assignment. */
function copyAssignment(cls: CppClass): CppFunction | undefined {
  return cls.methods.get('operator =')?.find((f) => {
    const p = f.type.params[1]?.type;
    const target = p && f.refParams[0] ? pointee(p) : p;
    return f.type.params.length === 2 && !f.rvalueParams[0] && target !== undefined && sameType(target, cls.struct);
  });
}

/** Whether assigning a `cls` runs code of the driver's: its own copy assignment, or one of a base or member object. */
export function assignRunsCode(cls: CppClass, seen = new Set<CppClass>()): boolean {
  if (seen.has(cls)) return false;
  seen.add(cls);
  return copyAssignment(cls) !== undefined || cls.bases.some((b) => assignRunsCode(b, seen)) || cls.members.some((m) => assignRunsCode(m.cls, seen));
}

/** `src` evaluated once: its address in a hidden local when reading it twice could repeat a side effect. */
function once(s: CppState, src: Expr, cls: CppClass, loc: Loc): { setup?: Expr; at: Expr } {
  if (src.k === 'id') return { at: addressOf(src) };
  const holder = hiddenTemporary(s, pointerTo(cls.struct), loc);
  return { setup: { k: 'assign', op: '=', left: holder, right: addressOf(src), loc }, at: holder };
}

function sequence(parts: Expr[], loc: Loc): Expr {
  return parts.reduce((left, right) => ({ k: 'comma', left, right, loc }));
}

/** The class's own copy constructor (`C(const C&)`, further parameters defaulted). */
function copyConstructor(cls: CppClass): CppFunction | undefined {
  return cls.ctors.find((c) => hasCopyConstructor({ ...cls, ctors: [c] }));
}

/** Copy-constructs the object at `self` from the object `src` of the same class. */
export function copyConstruct(s: CppState, ctx: TranslateContext, cls: CppClass, self: Expr, src: Expr, loc: Loc): Expr {
  const own = copyConstructor(cls);
  if (own) return callFunction(own, [self, addressOf(src), ...defaultArguments(s, ctx, own, 1)], loc);
  const { setup, at: from } = once(s, src, cls, loc);
  const parts: Expr[] = setup ? [setup] : [];
  parts.push({ k: 'assign', op: '=', left: { k: 'unary', op: '*', arg: self, loc }, right: { k: 'unary', op: '*', arg: from, loc }, loc });
  for (const b of cls.bases) {
    if (!copyRunsCode(b)) continue;
    parts.push(copyConstruct(s, ctx, b, upcast(self, cls, b), { k: 'unary', op: '*', arg: upcast(from, cls, b), loc }, loc));
  }
  for (const m of cls.members) {
    if (!copyRunsCode(m.cls)) continue;
    parts.push(copyConstruct(s, ctx, m.cls, addressOf({ k: 'member', object: self, field: m.field, arrow: true, loc }), { k: 'member', object: from, field: m.field, arrow: true, loc }, loc));
  }
  return sequence(parts, loc);
}

/**
 * `a = b` on objects of a class without its own copy assignment whose bases or members have one:
 * the bytes, then each of those subobjects assigned by its operator. The value is the object assigned.
 */
export function copyAssign(s: CppState, ctx: TranslateContext, cls: CppClass, target: Expr, src: Expr, loc: Loc): Expr {
  const own = copyAssignment(cls);
  if (own) return memberCall(cls, own, addressOf(target), [own.refParams[0] ? addressOf(src) : src], loc);
  const dst = once(s, target, cls, loc);
  const from = once(s, src, cls, loc);
  const parts: Expr[] = [dst.setup, from.setup].filter((e): e is Expr => e !== undefined);
  // Saved subobjects first: a byte copy over an object whose member owns a buffer would lose that buffer.
  const assigned = [
    ...cls.bases.filter((b) => assignRunsCode(b)).map((b) => ({ cls: b, to: upcast(dst.at, cls, b), from: upcast(from.at, cls, b) })),
    ...cls.members.filter((m) => assignRunsCode(m.cls)).map((m) => ({ cls: m.cls, to: addressOf({ k: 'member', object: dst.at, field: m.field, arrow: true, loc }), from: addressOf({ k: 'member', object: from.at, field: m.field, arrow: true, loc }) })),
  ];
  // The other members by their bytes, one at a time, leaving the subobjects with operators untouched.
  const skip = new Set(cls.members.filter((m) => assignRunsCode(m.cls)).map((m) => m.field));
  for (const f of cls.struct.fields ?? []) {
    if (skip.has(f.name) || cls.bases.some((b) => assignRunsCode(b) && f.type === b.struct)) continue;
    if (f.type.kind === 'array') {
      parts.push({ k: 'call', callee: { k: 'id', name: 'memcpy', loc }, args: [addressOf({ k: 'member', object: dst.at, field: f.name, arrow: true, loc }), addressOf({ k: 'member', object: from.at, field: f.name, arrow: true, loc }), { k: 'sizeofType', type: f.type, loc }], loc });
      continue;
    }
    parts.push({ k: 'assign', op: '=', left: { k: 'member', object: dst.at, field: f.name, arrow: true, loc }, right: { k: 'member', object: from.at, field: f.name, arrow: true, loc }, loc });
  }
  for (const a of assigned) parts.push(copyAssign(s, ctx, a.cls, { k: 'unary', op: '*', arg: a.to, loc }, { k: 'unary', op: '*', arg: a.from, loc }, loc));
  parts.push({ k: 'unary', op: '*', arg: dst.at, loc });
  return sequence(parts, loc);
}

/**
 * An argument for a parameter of class type taken by value. C++ constructs the parameter from it: a
 * temporary becomes the parameter (the callee destroys it, engine/c/cpp/definitions.ts), a named
 * object is copied by the class's copy constructor (or the implicit one, over the members that have
 * theirs) into a hidden local whose bytes the callee receives.
 */
export function passedByValue(s: CppState, ctx: TranslateContext, a: Expr, param: CType): Expr {
  const cls = s.classOf(param);
  if (!cls || !s.fn || !sameType(typeOfExpr(s.types, a) ?? VOID, param)) return a;
  if (isTemporary(a)) return adopt(s, a);
  if (!namesAnObject(a) || !copyRunsCode(cls)) return a;
  const loc = a.loc;
  const tmp = hiddenTemporary(s, cls.struct, loc);
  const self: Expr = { k: 'unary', op: '&', arg: tmp, loc };
  return { k: 'unary', op: '*', arg: { k: 'comma', left: copyConstruct(s, ctx, cls, self, a, loc), right: self, loc }, loc };
}

/** The class declares `C(const C&)` (further parameters defaulted): `C a = b;` runs it instead of copying the bytes. */
export function hasCopyConstructor(cls: CppClass): boolean {
  return cls.ctors.some((c) => c.refParams[0] === true && !c.rvalueParams[0] && c.type.params[1]?.type.kind === 'ptr' && sameType(pointee(c.type.params[1].type)!, cls.struct) && (c.defaults.length < 2 || c.defaults[1] !== undefined));
}
