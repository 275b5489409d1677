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
import type { CppFunction } from './model';
import type { CppState } from './state';
import { typeOfExpr } from './typer';
import { hiddenTemporary } from './hidden';

export { hiddenTemporary };

export function operatorFunction(s: CppState, ctx: TranslateContext, name: string, argCount: number, node: SyntaxNode): CppFunction | Expr {
  const list = s.functions.get(name) ?? [];
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
  const op = operatorFunction(s, ctx, count ? 'operator new[]' : 'operator new', 1 + placement.length, node);
  if (!('linkName' in op)) return op;
  const ptrType = pointerTo(base);
  const tmp = hiddenTemporary(s, ptrType, loc);
  const parts: Expr[] = [{ k: 'assign', op: '=', left: tmp, right: { k: 'cast', type: ptrType, arg: callFunction(op, [size, ...placement], loc), loc }, loc }];
  const cls = s.classOf(base);
  if (cls && (cls.ctors.length > 0 || cls.vtable || cls.bases.length > 0 || (args.length === 0 && needsConstruction(cls)))) {
    if (count) return { k: 'unsupported', what: `new[] of class ${cls.name}, which has a constructor`, text: ctx.snippet(node), loc };
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
  if (cls && needsDestructor(cls) && isArray) return { k: 'unsupported', what: `delete[] of class ${cls.name}, which has a destructor`, text: ctx.snippet(node), loc };
  const name = isArray ? 'operator delete[]' : 'operator delete';
  const op = operatorFunction(s, ctx, name, 1, node);
  if (!('linkName' in op)) return op;
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
