/**
 * Static local objects (`static Registry r;` in a function or member function): constructed the
 * first time control passes the declaration, as C++ says. The guard is a plain flag, as MSVC's code
 * is with /Zc:threadSafeInit- — the thread-safe form needs the C runtime a kernel driver does not
 * have. A class with a destructor has it registered, after the construction, with `atexit`, which is
 * what MSVC's code calls: a driver with such objects defines `atexit` itself (its own small C++
 * runtime, which runs the registered functions at unload, last first). Without one the call stops the
 * run naming `atexit`, where MSVC's link fails on the unresolved symbol.
 */
import type { Expr, Loc, Stmt } from '../ast';
import type { SyntaxNode } from '../treeSitter';
import { INT, VOID, pointerTo } from '../types';
import type { TranslateContext } from '../translate/context';
import { constructorCall } from './construction';
import { destroyCall } from './inheritance';
import type { CppClass } from './model';
import type { CppState } from './state';

/** What runs where `static T name(args);` is declared (after the object's own static declaration). */
export function staticLocalObject(s: CppState, ctx: TranslateContext, cls: CppClass, name: string, args: Expr[], at: SyntaxNode, loc: Loc): Stmt[] {
  const n = ++s.hiddenCount;
  const guard: Expr = { k: 'id', name: `${name}$constructed${n}`, loc };
  const self: Expr = { k: 'unary', op: '&', arg: { k: 'id', name, loc }, loc };
  const once: Stmt[] = [{ k: 'expr', expr: { k: 'assign', op: '=', left: guard, right: { k: 'num', value: 1, type: INT, loc }, loc }, loc }];
  const ctor = constructorCall(s, ctx, cls, self, args, at);
  if (ctor) once.push({ k: 'expr', expr: ctor, loc });
  const holder = `${name}$object${n}`;
  const dtor = destroyCall(cls, { k: 'id', name: holder, loc }, loc);
  if (dtor) {
    // The thunk MSVC names "`dynamic atexit destructor for 'name''": it reaches the object through a file-scope pointer.
    const thunk = `\`dynamic atexit destructor for '${name}'' ${n}`;
    s.unit.globals.push({ name: holder, type: pointerTo(cls.struct), storage: 'static', loc });
    s.unit.functions.set(thunk, { name: thunk, type: { kind: 'func', ret: VOID, params: [], variadic: false }, params: [], body: { k: 'block', body: [{ k: 'expr', expr: dtor, loc }], loc, endLoc: loc }, static: true, loc, endLoc: loc });
    once.push({ k: 'expr', expr: { k: 'assign', op: '=', left: { k: 'id', name: holder, loc }, right: self, loc }, loc });
    once.push({ k: 'expr', expr: { k: 'call', callee: { k: 'id', name: 'atexit', loc }, args: [{ k: 'unary', op: '&', arg: { k: 'id', name: thunk, loc }, loc }], loc }, loc });
  }
  return [
    { k: 'decl', decls: [{ name: `${name}$constructed${n}`, type: INT, storage: 'static', loc }], loc },
    { k: 'if', test: { k: 'unary', op: '!', arg: guard, loc }, then: { k: 'block', body: once, loc, endLoc: loc }, loc },
  ];
}
