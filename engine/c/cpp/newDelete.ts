/**
 * `new` and `delete`: calls of the driver's own `operator new`/`operator delete` (a kernel driver has
 * no C++ runtime), with placement arguments passed on, the constructor run on a non-NULL result and
 * the destructor before the memory is released.
 */
import type { Expr } from '../ast';
import type { SyntaxNode } from '../treeSitter';
import { INT, SIZE_T, VOID, pointee, pointerTo } from '../types';
import type { TranslateContext } from '../translate/context';
import { typeFromSpecifier } from '../translate/declarators';
import { translateExpr } from '../translate/expressions';
import { constructorCall } from './construction';
import { callFunction } from './lowering';
import { destroyCall, findMethods, needsConstruction, needsDestructor, virtualCall } from './inheritance';
import type { CppClass, CppFunction } from './model';
import { COOKIE, constructArray, cookieCount, destroyArray, runsCode, shiftBytes } from './objectArrays';
import type { CppState } from './state';
import { typeOfExpr } from './typer';
import { hiddenTemporary } from './hidden';

export { hiddenTemporary };

export function operatorFunction(s: CppState, ctx: TranslateContext, name: string, argCount: number, node: SyntaxNode, cls?: CppClass): CppFunction | Expr {
  // The class's own operator (or a base's) comes first, as C++ looks it up; then the global one.
  const own = cls ? findMethods(cls, name)?.filter((f) => f.thisClass === undefined) : undefined;
  const list = own && own.length > 0 ? own : (s.functions.get(name) ?? []);
  const f = list.find((c) => c.type.params.length === argCount) ?? (argCount === 1 && name.startsWith('operator delete') ? list.find((c) => c.type.params.length === 2) : undefined);
  if (f) return f;
  return {
    k: 'unsupported',
    what: `'${ctx.snippet(node)}': the driver defines no '${name}' taking ${argCount} argument${argCount === 1 ? '' : 's'} (a kernel driver has no C++ runtime: define it, e.g. on ExAllocatePool2/ExFreePool)`,
    text: ctx.snippet(node),
    loc: ctx.loc(node),
  };
}

export function newExpression(s: CppState, ctx: TranslateContext, node: SyntaxNode): Expr {
  const loc = ctx.loc(node);
  if (!s.fn) return { k: 'unsupported', what: 'new outside a function', text: ctx.snippet(node), loc };
  const base = typeFromSpecifier(ctx, node.childForFieldName('type'));
  const declarator = node.childForFieldName('declarator');
  const placement = (node.childForFieldName('placement')?.namedChildren ?? []).filter((c): c is SyntaxNode => c !== null && c.type !== 'comment').map((a) => translateExpr(ctx, a));
  const argsNode = node.childForFieldName('arguments');
  const args = (argsNode?.namedChildren ?? []).filter((c): c is SyntaxNode => c !== null && c.type !== 'comment').map((a) => translateExpr(ctx, a));
  const countNode = declarator?.type === 'new_declarator' ? declarator.namedChildren.find((c) => c !== null && c.type !== 'new_declarator') : undefined;
  const count = countNode ? translateExpr(ctx, countNode) : undefined;
  const size: Expr = count ? { k: 'binary', op: '*', left: { k: 'sizeofType', type: base, loc }, right: count, loc } : { k: 'sizeofType', type: base, loc };
  const cls = s.classOf(base);
  const op = operatorFunction(s, ctx, count ? 'operator new[]' : 'operator new', 1 + placement.length, node, cls);
  if (!('linkName' in op)) return op;
  const ptrType = pointerTo(base);
  if (count && cls && runsCode(cls)) return newObjectArray(s, ctx, cls, op, count, placement, node);
  const tmp = hiddenTemporary(s, ptrType, loc);
  const parts: Expr[] = [{ k: 'assign', op: '=', left: tmp, right: { k: 'cast', type: ptrType, arg: callFunction(op, [size, ...placement], loc), loc }, loc }];
  if (cls && (cls.ctors.length > 0 || cls.vtable || cls.bases.length > 0 || (args.length === 0 && needsConstruction(cls)))) {
    const ctor = constructorCall(s, ctx, cls, tmp, args, node);
    if (ctor) parts.push({ k: 'cond', test: tmp, then: { k: 'comma', left: ctor, right: { k: 'num', value: 0, type: INT, loc }, loc }, else: { k: 'num', value: 0, type: INT, loc }, loc });
  } else if (args.length === 1 && !count) {
    parts.push({ k: 'cond', test: tmp, then: { k: 'assign', op: '=', left: { k: 'unary', op: '*', arg: tmp, loc }, right: args[0], loc }, else: { k: 'num', value: 0, type: INT, loc }, loc });
  }
  parts.push(tmp);
  return parts.reduce((left, right) => ({ k: 'comma', left, right, loc }));
}

export function deleteExpression(s: CppState, ctx: TranslateContext, node: SyntaxNode): Expr {
  const loc = ctx.loc(node);
  if (!s.fn) return { k: 'unsupported', what: 'delete outside a function', text: ctx.snippet(node), loc };
  const isArray = node.children.some((c) => c?.type === '[');
  const argNode = node.namedChildren.find((c) => c !== null && c.type !== 'comment')!;
  const arg = translateExpr(ctx, argNode);
  const t = typeOfExpr(s.types, arg);
  const target = t ? pointee(t) : undefined;
  const cls = s.classOf(target);
  const name = isArray ? 'operator delete[]' : 'operator delete';
  const op = operatorFunction(s, ctx, name, 1, node, cls);
  if (!('linkName' in op)) return op;
  if (cls && needsDestructor(cls) && isArray) return deleteObjectArray(s, ctx, cls, op, arg, node);
  let p = arg;
  const steps: Expr[] = [];
  if (arg.k !== 'id') {
    p = hiddenTemporary(s, t ?? pointerTo(VOID), loc);
    steps.push({ k: 'assign', op: '=', left: p, right: arg, loc });
  }
  const opArgs: Expr[] = [{ k: 'cast', type: pointerTo(VOID), arg: p, loc }];
  if (op.type.params.length === 2) opArgs.push(target && target.kind !== 'void' ? { k: 'sizeofType', type: target, loc } : { k: 'num', value: 0, type: SIZE_T, loc });
  let release: Expr = { k: 'cast', type: VOID, arg: callFunction(op, opArgs, loc), loc };
  // A virtual destructor is found through the object's vtable: `delete base` destroys the whole derived object.
  const virtualDtor = cls ? findMethods(cls, '~')?.find((d) => d.virtual && d.slot !== undefined) : undefined;
  const dtor = cls && virtualDtor ? virtualCall(cls, virtualDtor, p, [], loc) : cls ? destroyCall(cls, p, loc) : undefined;
  if (dtor) release = { k: 'comma', left: dtor, right: release, loc };
  // Deleting a null pointer does nothing.
  steps.push({ k: 'cond', test: p, then: { k: 'comma', left: release, right: { k: 'num', value: 0, type: INT, loc }, loc }, else: { k: 'num', value: 0, type: INT, loc }, loc });
  return steps.reduce((left, right) => ({ k: 'comma', left, right, loc }));
}

/**
 * `new T[n]` of a class that runs code: `operator new[]` for the objects (and the cookie when T has a
 * destructor), then each object's default constructor, first to last, when the memory came back.
 */
function newObjectArray(s: CppState, ctx: TranslateContext, cls: CppClass, op: CppFunction, count: Expr, placement: Expr[], node: SyntaxNode): Expr {
  const loc = ctx.loc(node);
  const ptrType = pointerTo(cls.struct);
  const cookie = needsDestructor(cls) ? COOKIE : 0;
  const n = hiddenTemporary(s, SIZE_T, loc);
  const block = hiddenTemporary(s, pointerTo(VOID), loc);
  const objects = hiddenTemporary(s, ptrType, loc);
  const size: Expr = { k: 'binary', op: '+', left: { k: 'binary', op: '*', left: { k: 'sizeofType', type: cls.struct, loc }, right: n, loc }, right: { k: 'num', value: cookie, type: SIZE_T, loc }, loc };
  const zero: Expr = { k: 'num', value: 0, type: INT, loc };
  const filled: Expr[] = [];
  if (cookie) filled.push({ k: 'assign', op: '=', left: cookieCount(block, loc), right: n, loc });
  filled.push({ k: 'assign', op: '=', left: objects, right: shiftBytes(block, cookie, ptrType, loc), loc });
  filled.push(constructArray(s, ctx, cls, objects, n, node), zero);
  const steps: Expr[] = [
    { k: 'assign', op: '=', left: n, right: count, loc },
    { k: 'assign', op: '=', left: objects, right: { k: 'cast', type: ptrType, arg: zero, loc }, loc },
    { k: 'assign', op: '=', left: block, right: callFunction(op, [size, ...placement], loc), loc },
    { k: 'cond', test: block, then: filled.reduce((left, right) => ({ k: 'comma', left, right, loc })), else: zero, loc },
    objects,
  ];
  return steps.reduce((left, right) => ({ k: 'comma', left, right, loc }));
}

/** `delete[] p` of a class with a destructor: the count from the cookie, each object destroyed last to first, then the whole block released. */
function deleteObjectArray(s: CppState, ctx: TranslateContext, cls: CppClass, op: CppFunction, arg: Expr, node: SyntaxNode): Expr {
  const loc = ctx.loc(node);
  const p = hiddenTemporary(s, pointerTo(cls.struct), loc);
  const block = hiddenTemporary(s, pointerTo(VOID), loc);
  const n = hiddenTemporary(s, SIZE_T, loc);
  const zero: Expr = { k: 'num', value: 0, type: INT, loc };
  const opArgs: Expr[] = [block];
  if (op.type.params.length === 2) opArgs.push({ k: 'binary', op: '+', left: { k: 'binary', op: '*', left: { k: 'sizeofType', type: cls.struct, loc }, right: n, loc }, right: { k: 'num', value: COOKIE, type: SIZE_T, loc }, loc });
  const release: Expr[] = [
    { k: 'assign', op: '=', left: block, right: shiftBytes(p, -COOKIE, pointerTo(VOID), loc), loc },
    { k: 'assign', op: '=', left: n, right: cookieCount(block, loc), loc },
    destroyArray(s, ctx, cls, p, n, node)!,
    { k: 'cast', type: VOID, arg: callFunction(op, opArgs, loc), loc },
    zero,
  ];
  const steps: Expr[] = [
    { k: 'assign', op: '=', left: p, right: arg, loc },
    // Deleting a null pointer does nothing.
    { k: 'cond', test: p, then: release.reduce((left, right) => ({ k: 'comma', left, right, loc })), else: zero, loc },
  ];
  return steps.reduce((left, right) => ({ k: 'comma', left, right, loc }));
}
