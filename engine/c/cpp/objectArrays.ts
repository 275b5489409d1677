/**
 * Arrays of objects whose class has a constructor or destructor: a local array (`Slot slots[3];`,
 * also of several dimensions) and `new T[n]` / `delete[] p`. Each class gets two helper functions in
 * the file that uses them — construct `n` objects from the first, destroy them from the last — so
 * the objects are constructed in index order and destroyed in reverse, as C++ does. `new T[n]` of a
 * class with a destructor stores the count in front of the objects (MSVC's array cookie, a size_t),
 * which `delete[]` reads to destroy them before it hands the whole block to `operator delete[]`.
 */
import type { Expr, FunctionDef, Loc, Stmt } from '../ast';
import type { SyntaxNode } from '../treeSitter';
import { CHAR, INT, SIZE_T, VOID, pointerTo, type CType } from '../types';
import type { TranslateContext } from '../translate/context';
import { constructorCall } from './construction';
import { destroyCall, needsConstruction, needsDestructor } from './inheritance';
import type { CppClass } from './model';
import type { CppState } from './state';

/** The class of an array's innermost elements and how many there are, when they need constructing or destroying. */
export function objectArray(s: CppState, t: CType): { cls: CppClass; count: number } | undefined {
  let count = 1;
  let el = t;
  while (el.kind === 'array') {
    if (el.length === undefined) return undefined;
    count *= el.length;
    el = el.of;
  }
  const cls = el === t ? undefined : s.classOf(el);
  return cls && runsCode(cls) ? { cls, count } : undefined;
}

/** A class whose objects need their constructor or destructor run. */
export function runsCode(cls: CppClass): boolean {
  return cls.ctors.length > 0 || cls.vtable !== undefined || cls.bases.length > 0 || needsConstruction(cls) || needsDestructor(cls);
}

/** `construct(first, n)`: the default constructor of each object, first to last. */
export function constructArray(s: CppState, ctx: TranslateContext, cls: CppClass, first: Expr, count: Expr, at: SyntaxNode): Expr {
  const name = helper(s, ctx, cls, 'construct', at);
  return { k: 'call', callee: { k: 'id', name, loc: first.loc }, args: [first, count], loc: first.loc };
}

/** `destroy(first, n)`: the destructor of each object, last to first; undefined when the class has none. */
export function destroyArray(s: CppState, ctx: TranslateContext, cls: CppClass, first: Expr, count: Expr, at: SyntaxNode): Expr | undefined {
  if (!needsDestructor(cls)) return undefined;
  const name = helper(s, ctx, cls, 'destroy', at);
  return { k: 'call', callee: { k: 'id', name, loc: first.loc }, args: [first, count], loc: first.loc };
}

/** The size of MSVC's array cookie on x64: the element count, in front of the objects. */
export const COOKIE = 8;

export function cookieCount(block: Expr, loc: Loc): Expr {
  return { k: 'unary', op: '*', arg: { k: 'cast', type: pointerTo(SIZE_T), arg: block, loc }, loc };
}

/** `(char*)p ± 8`: between the objects and the block that holds the cookie. */
export function shiftBytes(p: Expr, by: number, to: CType, loc: Loc): Expr {
  return { k: 'cast', type: to, arg: { k: 'binary', op: '+', left: { k: 'cast', type: pointerTo(CHAR), arg: p, loc }, right: { k: 'num', value: by, type: INT, loc }, loc }, loc };
}

function helper(s: CppState, ctx: TranslateContext, cls: CppClass, what: 'construct' | 'destroy', at: SyntaxNode): string {
  const name = `${cls.name}[] (${what})`;
  if (s.unit.functions.has(name)) return name;
  const loc = ctx.loc(at);
  const ptr = pointerTo(cls.struct);
  const p: Expr = { k: 'id', name: 'p', loc };
  const n: Expr = { k: 'id', name: 'n', loc };
  const i: Expr = { k: 'id', name: 'i', loc };
  const element = (index: Expr): Expr => ({ k: 'unary', op: '&', arg: { k: 'index', array: p, index, loc }, loc });
  let body: Stmt;
  if (what === 'construct') {
    const ctor = constructorCall(s, ctx, cls, element(i), [], at) ?? { k: 'num', value: 0, type: INT, loc };
    body = { k: 'for', init: { k: 'decl', decls: [{ name: 'i', type: SIZE_T, init: { k: 'expr', expr: { k: 'num', value: 0, type: INT, loc }, loc }, loc }], loc }, test: { k: 'binary', op: '<', left: i, right: n, loc }, update: { k: 'unary', op: 'x++', arg: i, loc }, body: { k: 'expr', expr: ctor, loc }, loc };
  } else {
    const dtor = destroyCall(cls, element({ k: 'binary', op: '-', left: i, right: { k: 'num', value: 1, type: INT, loc }, loc }), loc) ?? { k: 'num', value: 0, type: INT, loc };
    body = { k: 'for', init: { k: 'decl', decls: [{ name: 'i', type: SIZE_T, init: { k: 'expr', expr: n, loc }, loc }], loc }, test: { k: 'binary', op: '>', left: i, right: { k: 'num', value: 0, type: INT, loc }, loc }, update: { k: 'unary', op: 'x--', arg: i, loc }, body: { k: 'expr', expr: dtor, loc }, loc };
  }
  const def: FunctionDef = {
    name,
    type: { kind: 'func', ret: VOID, params: [{ name: 'p', type: ptr }, { name: 'n', type: SIZE_T }], variadic: false },
    params: [{ name: 'p', type: ptr, loc }, { name: 'n', type: SIZE_T, loc }],
    body: { k: 'block', body: [body], loc, endLoc: loc },
    static: true,
    loc,
    endLoc: loc,
  };
  s.unit.functions.set(name, def);
  return name;
}
