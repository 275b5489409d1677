/**
 * Class temporaries: `T(args)`, `T{args}`, a call's class result, an argument converted to the class
 * of a `const T&` parameter. Each lives in a hidden local of its function and is read as
 * `*(construct, &tmp)`, so it is an object whose address can be taken (`Foo(x).Bar()`, a reference
 * parameter). When its class has a destructor, the destructor call waits in the function's list of
 * pending temporaries until the full expression ends — the statement, the return value, the
 * condition — and runs there, the last one constructed first. An object initialised from a temporary
 * (`T a = f();`, `return T(x);`) takes it over instead: no copy, and no destructor at the end of the
 * statement.
 */
import type { Expr, Loc, Stmt } from '../ast';
import type { SyntaxNode } from '../treeSitter';
import type { TranslateContext } from '../translate/context';
import { constructorCall } from './construction';
import { copyConstruct, copyRunsCode } from './copies';
import { addressOf } from './lowering';
import { destroyCall, needsDestructor } from './inheritance';
import type { CppClass } from './model';
import { hiddenTemporary } from './hidden';
import { adopt, holdUntilEnd, isTemporary, namesAnObject } from './pending';
import type { CppState } from './state';
import { typeOfExpr } from './typer';

export { namesAnObject };

function held(s: CppState, cls: CppClass, tmp: Expr, init: Expr | undefined, loc: Loc): Expr {
  const address: Expr = { k: 'unary', op: '&', arg: tmp, loc };
  const e: Expr = { k: 'unary', op: '*', arg: init ? { k: 'comma', left: init, right: address, loc } : address, loc };
  const dtor = needsDestructor(cls) ? destroyCall(cls, address, loc) : undefined;
  if (dtor) holdUntilEnd(s, e, dtor);
  return e;
}

/** `T(args)` / `T{args}`: a temporary object of class `cls`, constructed where the expression is evaluated. */
export function temporaryObject(s: CppState, ctx: TranslateContext, cls: CppClass, args: Expr[], at: SyntaxNode): Expr {
  const loc = ctx.loc(at);
  if (!s.fn) return { k: 'unsupported', what: `a temporary object of class ${cls.name} outside a function`, text: ctx.snippet(at), loc };
  const tmp = hiddenTemporary(s, cls.struct, loc);
  return held(s, cls, tmp, constructorCall(s, ctx, cls, { k: 'unary', op: '&', arg: tmp, loc }, args, at), loc);
}

/** A call returning a class object by value whose class has a destructor: the result is held as a temporary. */
export function materialize(s: CppState, e: Expr): Expr {
  // Only a call's own result: a reference returned (`*call`) names an object that lives on.
  if (!s.fn || e.k !== 'call') return e;
  const cls = s.classOf(typeOfExpr(s.types, e));
  if (!cls || !needsDestructor(cls)) return e;
  const tmp = hiddenTemporary(s, cls.struct, e.loc);
  return held(s, cls, tmp, { k: 'assign', op: '=', left: tmp, right: e, loc: e.loc }, e.loc);
}

/**
 * The address of the object a member function or member operator is called on. A call's class result
 * without a destructor is not held by materialize(); it is stored in a hidden local here so it has
 * an address (`Make().Get()`, `(a | b) == c`).
 */
export function objectAddress(s: CppState, e: Expr): Expr {
  const cls = e.k === 'call' && s.fn ? s.classOf(typeOfExpr(s.types, e)) : undefined;
  if (!cls) return addressOf(e);
  const tmp = hiddenTemporary(s, cls.struct, e.loc);
  const address: Expr = { k: 'unary', op: '&', arg: tmp, loc: e.loc };
  return { k: 'comma', left: { k: 'assign', op: '=', left: tmp, right: e, loc: e.loc }, right: address, loc: e.loc };
}


/**
 * What `return e;` hands back from a function returning a class by value: a temporary itself (C++17
 * elides that copy); a named object through the class's move constructor, or its copy constructor,
 * into a hidden local whose bytes the caller receives (the local itself is still destroyed at the
 * scope's end); without either, the bytes, as the implicit copy copies the members.
 */
export function returnedObject(s: CppState, ctx: TranslateContext, cls: CppClass, e: Expr, at: SyntaxNode): Expr {
  if (isTemporary(e)) return adopt(s, e);
  if (!namesAnObject(e)) return e;
  const loc = ctx.loc(at);
  const move = cls.ctors.find((c) => c.rvalueParams[0] === true && c.type.params.length === 2);
  if (!move && !copyRunsCode(cls)) return e;
  const arg: Expr = move ? { k: 'unary', op: '*', arg: { k: 'cast', type: move.type.params[1].type, arg: addressOf(e), loc }, loc } : e;
  const tmp = hiddenTemporary(s, cls.struct, loc);
  const self: Expr = { k: 'unary', op: '&', arg: tmp, loc };
  const ctor = move ? constructorCall(s, ctx, cls, self, [arg], at) : copyConstruct(s, ctx, cls, self, arg, loc);
  return { k: 'unary', op: '*', arg: ctor ? { k: 'comma', left: ctor, right: { k: 'unary', op: '&', arg: tmp, loc }, loc } : { k: 'unary', op: '&', arg: tmp, loc }, loc };
}

/** Lowers one full expression: what `translate` made, and the destructor calls of the temporaries it left, the last constructed first. */
export function fullExpression<T>(s: CppState, translate: () => T): { value: T; dtors: Expr[] } {
  const state = s.fn;
  if (!state) return { value: translate(), dtors: [] };
  const outer = state.temps;
  state.temps = [];
  try {
    const value = translate();
    // Operands run left to right but are not always lowered in that order: the last constructed is the one written last
    // (of two written at one place, the outer call, lowered after its object).
    const order = (a: Expr, b: Expr) => b.loc.line - a.loc.line || b.loc.col - a.loc.col;
    return { value, dtors: [...state.temps].reverse().sort(order) };
  } finally {
    state.temps = outer;
  }
}

/** `cond` evaluated, then the temporaries it made destroyed, its value kept in a hidden local: a condition that is a full expression. */
export function afterDestroying(s: CppState, value: Expr, dtors: Expr[]): Expr {
  if (dtors.length === 0) return value;
  const loc = value.loc;
  const t = typeOfExpr(s.types, value);
  const keep = hiddenTemporary(s, t && t.kind !== 'void' && t.kind !== 'struct' ? t : { kind: 'int', size: 4, signed: true, name: 'int' }, loc);
  const steps: Expr[] = [{ k: 'assign', op: '=', left: keep, right: value, loc }, ...dtors, keep];
  return steps.reduce((left, right) => ({ k: 'comma', left, right, loc }));
}

/** Statements that run the destructors of a full expression's temporaries. */
export function destroyStatements(dtors: Expr[], loc: Loc): Stmt[] {
  return dtors.map((expr) => ({ k: 'expr', expr, loc }));
}
