/**
 * Base classes and virtual functions. A base class is an anonymous member of its derived class's
 * struct (the first one at offset 0, as MSVC lays out single inheritance), so the base's members are
 * found through it and an upcast is the address of that member. A polymorphic class has a vtable: a
 * global array of function addresses, one slot per virtual function, whose address each constructor
 * stores in the object's `__vfptr` (in the first base's subobject when that base is polymorphic); a
 * virtual call reads the slot and calls through it, so a call through a base pointer runs the
 * override.
 */
import type { Expr, FunctionDef, Loc, VarDecl } from '../ast';
import { pointee, pointerTo, sameType, VOID, type CType } from '../types';
import { callFunction } from './lowering';
import { baseField, VFPTR, type CppClass, type CppFunction } from './model';

const PVOID: CType = pointerTo(VOID);

/** The member functions called `name` of `cls` or, when it declares none, of its nearest base that does. */
export function findMethods(cls: CppClass, name: string): CppFunction[] | undefined {
  const own = name === '~' ? (cls.dtor ? [cls.dtor] : undefined) : cls.methods.get(name);
  if (own) return own;
  for (const b of cls.bases) {
    const found = findMethods(b, name);
    if (found) return found;
  }
  return undefined;
}

/** A static data member of `cls` or of a base. */
export function findStatic(cls: CppClass, name: string): string | undefined {
  return cls.statics.get(name) ?? cls.bases.map((b) => findStatic(b, name)).find((x) => x !== undefined);
}

/** The bases from `from` down to `to` (excluded `from`), or undefined when `to` is not a base of `from`. */
function basePath(from: CppClass, to: CppClass): CppClass[] | undefined {
  if (from === to) return [];
  for (const b of from.bases) {
    const rest = basePath(b, to);
    if (rest) return [b, ...rest];
  }
  return undefined;
}

export function isBaseOf(base: CppClass, derived: CppClass): boolean {
  return base !== derived && basePath(derived, base) !== undefined;
}

/** `self` (a pointer to a `from`) as a pointer to its `to` subobject. */
export function upcast(self: Expr, from: CppClass, to: CppClass): Expr {
  const path = basePath(from, to);
  if (!path || path.length === 0) return self;
  let e: Expr = self;
  let arrow = true;
  for (const b of path) {
    e = { k: 'member', object: e, field: baseField(b), arrow, loc: self.loc };
    arrow = false;
  }
  return { k: 'unary', op: '&', arg: e, loc: self.loc };
}

/** A pointer argument to a class where a pointer to one of its bases is wanted: the base subobject's address. */
export function convertPointer(classOf: (t: CType | undefined) => CppClass | undefined, e: Expr, from: CType | undefined, want: CType): Expr {
  if (from?.kind !== 'ptr' || want.kind !== 'ptr') return e;
  const have = classOf(pointee(from));
  const wanted = classOf(pointee(want));
  return have && wanted && isBaseOf(wanted, have) ? upcast(e, have, wanted) : e;
}

export function isPolymorphic(cls: CppClass): boolean {
  return cls.vtable !== undefined;
}

/** The global array that holds `cls`'s vtable. */
export function vtableName(cls: CppClass): string {
  return `${cls.name}::\`vftable'`;
}

/**
 * Fills in `cls.vtable` once all its members are declared: the first base's slots, each replaced by
 * the function of `cls` that overrides it (same name and parameters, or any destructor), then a new
 * slot per virtual function `cls` adds. A function overriding a virtual one is virtual itself.
 */
export function buildVtable(cls: CppClass): void {
  const primary = cls.bases[0];
  const inherited = primary?.vtable;
  const own: { name: string; f: CppFunction }[] = [];
  for (const [name, list] of cls.methods) for (const f of list) if (f.thisClass) own.push({ name, f });
  if (cls.dtor) own.push({ name: '~', f: cls.dtor });
  if (!inherited && !own.some((o) => o.f.virtual)) return;
  const slots = inherited ? inherited.map((s) => ({ ...s })) : [];
  for (const { name, f } of own) {
    const i = slots.findIndex((s) => s.name === name && (name === '~' || sameParameters(s.fn, f)));
    if (i >= 0) {
      f.virtual = true;
      f.slot = i;
      slots[i] = { name, fn: f };
    } else if (f.virtual) {
      f.slot = slots.length;
      slots.push({ name, fn: f });
    }
  }
  cls.vtable = slots;
}

function sameParameters(a: CppFunction, b: CppFunction): boolean {
  const pa = a.type.params.slice(1);
  const pb = b.type.params.slice(1);
  return a.constThis === b.constThis && pa.length === pb.length && pa.every((p, i) => sameType(p.type, pb[i].type));
}

/** What a pure virtual function's slot calls: a stub that stops the run, as MSVC's _purecall stops the machine. */
export function pureStubName(f: CppFunction): string {
  return `${f.linkName} (pure virtual)`;
}

export function pureStub(f: CppFunction, loc: Loc): FunctionDef {
  const what = `a call of pure virtual function ${f.linkName}: the object's class does not override it (a virtual call from a constructor or destructor of the base class reaches the base's own slot)`;
  return {
    name: pureStubName(f),
    type: f.type,
    params: f.type.params.map((p, i) => ({ name: p.name ?? `<param ${i + 1}>`, type: p.type, loc })),
    body: { k: 'block', body: [{ k: 'unsupported', what, text: f.linkName, loc }], loc, endLoc: loc },
    static: true,
    loc,
    endLoc: loc,
  };
}

/** The vtable's global: the address of each slot's function, cast to PVOID. One per driver. */
export function vtableGlobal(cls: CppClass, loc: Loc): VarDecl {
  const slots = cls.vtable ?? [];
  return {
    name: vtableName(cls),
    type: { kind: 'array', of: PVOID, length: Math.max(slots.length, 1) },
    init: {
      k: 'list',
      items: slots.map((s) => ({ designators: [], value: { k: 'expr' as const, expr: { k: 'cast', type: PVOID, arg: { k: 'id', name: s.fn.pure ? pureStubName(s.fn) : s.fn.linkName, loc }, loc } as Expr, loc } })),
      loc,
    },
    inline: true,
    loc,
  };
}

/** `this->__vfptr = Class::vftable`, run by each constructor after the bases' and by each destructor first. */
export function setVfptr(cls: CppClass, self: Expr, loc: Loc): Expr {
  return {
    k: 'assign',
    op: '=',
    left: { k: 'member', object: self, field: VFPTR, arrow: true, loc },
    right: { k: 'cast', type: pointerTo(PVOID), arg: { k: 'id', name: vtableName(cls), loc }, loc },
    loc,
  };
}

/** A call of virtual `f` on `self` (a pointer to a `cls`): through the slot of the object's own vtable. */
export function virtualCall(cls: CppClass, f: CppFunction, self: Expr, args: Expr[], loc: Loc): Expr {
  const owner = f.thisClass!;
  const object = upcast(self, cls, owner);
  const slot: Expr = { k: 'index', array: { k: 'member', object, field: VFPTR, arrow: true, loc }, index: { k: 'num', value: f.slot!, type: { kind: 'int', size: 4, signed: true, name: 'int' }, loc }, loc };
  const call: Expr = { k: 'call', callee: { k: 'cast', type: pointerTo(f.type), arg: slot, loc }, args: [object, ...args], loc };
  return f.refReturn ? { k: 'unary', op: '*', arg: call, loc } : call;
}

/** A member function call: through the vtable for a virtual function unless qualified (`Base::F()`), else direct. */
export function memberCall(cls: CppClass, f: CppFunction, self: Expr, args: Expr[], loc: Loc, qualified = false): Expr {
  if (f.virtual && f.slot !== undefined && !qualified) return virtualCall(cls, f, self, args, loc);
  return callFunction(f, [upcast(self, cls, f.thisClass ?? cls), ...args], loc);
}

/** Whether destroying a `cls` runs anything: its destructor, a member object's or a base's. */
export function needsDestructor(cls: CppClass): boolean {
  return cls.dtor !== undefined || cls.members.some((m) => needsDestructor(m.cls)) || cls.bases.some(needsDestructor);
}

/** Whether constructing a `cls` runs anything: a constructor, a vtable pointer, a default member initializer, a member object's or a base's construction. */
export function needsConstruction(cls: CppClass): boolean {
  return cls.ctors.length > 0 || cls.vtable !== undefined || cls.fieldInits.length > 0 || cls.members.some((m) => needsConstruction(m.cls)) || cls.bases.some(needsConstruction);
}

/** Destroys the `cls` at `self` (a pointer): its destructor (which destroys its members and bases), or, without one, its subobjects. */
export function destroyCall(cls: CppClass, self: Expr, loc: Loc): Expr | undefined {
  if (cls.dtor) return callFunction(cls.dtor, [self], loc);
  return subobjectDestructors(cls, self, loc);
}

/** What a destructor runs after its body: the member objects' destructors in reverse declaration order, then the bases', last base first. */
export function subobjectDestructors(cls: CppClass, self: Expr, loc: Loc): Expr | undefined {
  const members = [...cls.members].reverse().map((m) => destroyCall(m.cls, { k: 'unary', op: '&', arg: { k: 'member', object: self, field: m.field, arrow: true, loc }, loc }, loc));
  const bases = [...cls.bases].reverse().map((b) => destroyCall(b, upcast(self, cls, b), loc));
  const calls = [...members, ...bases].filter((e): e is Expr => e !== undefined);
  return calls.length > 0 ? calls.reduce((left, right) => ({ k: 'comma', left, right, loc })) : undefined;
}
