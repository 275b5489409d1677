/**
 * Overloaded operators at their use: an operator applied to a class object becomes a call of the
 * class's member operator (`a == b` → `C::operator ==(&a, &b)`) or of a free operator function taking
 * the operands (`operator ==(a, b)`); `&&`, `||` and `!` apply a class object's operator bool. An
 * operator on anything else stays the C operator.
 */
import type { AssignOp, Expr, Loc } from '../ast';
import type { SyntaxNode } from '../treeSitter';
import type { TranslateContext } from '../translate/context';
import { translateBinary, translateExpr } from '../translate/expressions';
import { callFunction } from './lowering';
import { convertPointer, findMethods, memberCall } from './inheritance';
import { lookupFunctions } from './names';
import { choose, completeArgs, convert } from './overloads';
import type { CppState } from './state';
import { materialize, objectAddress } from './temporaries';
import { typeOfExpr } from './typer';
import { sameType, VOID } from '../types';
import { assignRunsCode, copyAssign } from './copies';

/** The name a declaration of `operator<op>` is recorded under (engine/c/cpp/functions.ts). */
export function operatorKey(op: string): string {
  return op === '[]' ? 'operator[]' : `operator ${op}`;
}

/**
 * `op` applied to `operands` when one of them is a class object with an operator for it: the call,
 * or undefined for the built-in operator. `extra` is the `int` argument of a postfix `++`/`--`.
 */
export function operatorCall(s: CppState, ctx: TranslateContext, op: string, operands: Expr[], loc: Loc): Expr | undefined {
  const classes = operands.map((e) => s.classOf(typeOfExpr(s.types, e)));
  if (!classes.some((c) => c !== undefined)) return undefined;
  const key = operatorKey(op);
  const cls = classes[0];
  const members = cls ? findMethods(cls, key) : undefined;
  if (cls && members) {
    const rest = operands.slice(1);
    const f = choose(s, members.filter((m) => m.thisClass !== undefined), rest, false);
    if (f) return memberCall(cls, f, objectAddress(s, operands[0]), completeArgs(s, ctx, f, rest), loc);
  }
  const free = (lookupFunctions(s, key) ?? []).filter((f) => f.thisClass === undefined && f.type.params.length === operands.length);
  const f = free.length > 0 ? choose(s, free, operands, false) : undefined;
  return f ? callFunction(f, completeArgs(s, ctx, f, operands), loc) : undefined;
}

const lowered = new WeakSet<Expr>();

/** A chain of binary operators (the C path reads and groups it): each operator on class objects becomes its call. */
export function binaryExpression(s: CppState, ctx: TranslateContext, node: SyntaxNode): Expr {
  return overload(s, ctx, translateBinary(ctx, node));
}

function overload(s: CppState, ctx: TranslateContext, e: Expr): Expr {
  if (e.k !== 'binary' || lowered.has(e)) return e;
  const left = overload(s, ctx, e.left);
  const right = overload(s, ctx, e.right);
  let out: Expr;
  if (e.op === '&&' || e.op === '||') out = { ...e, left: convert(s, left), right: convert(s, right) };
  else {
    // Without an operator for it, a class object takes part through its conversion operator (`name == nullptr`).
    // `a + b` returning a class object by value: a temporary, destroyed at the end of the full expression.
    const call = operatorCall(s, ctx, e.op, [left, right], e.loc);
    out = call ? materialize(s, call) : { ...e, left: convert(s, left, typeOfExpr(s.types, right)), right: convert(s, right, typeOfExpr(s.types, left)) };
  }
  lowered.add(out);
  return out;
}

/** `a = b`, `a += b`: the class's assignment operator when it has one; otherwise C's (a struct copy for `=`). */
export function assignmentExpression(s: CppState, ctx: TranslateContext, node: SyntaxNode): Expr {
  const loc = ctx.loc(node);
  const op = (node.childForFieldName('operator')?.type ?? '=') as AssignOp;
  const left = translateExpr(ctx, node.childForFieldName('left')!);
  const right = translateExpr(ctx, node.childForFieldName('right')!);
  const call = operatorCall(s, ctx, op, [left, right], loc);
  if (call) return call;
  const lt = typeOfExpr(s.types, left);
  // `a = b` of a class whose bases or members have copy assignment operators: the implicit operator= (engine/c/cpp/copies.ts).
  const cls = op === '=' ? s.classOf(lt) : undefined;
  if (cls && sameType(typeOfExpr(s.types, right) ?? VOID, cls.struct) && assignRunsCode(cls)) return copyAssign(s, ctx, cls, left, right, loc);
  // `base = &derived;`: the base subobject's address.
  return { k: 'assign', op, left, right: op === '=' && lt ? convertPointer((x) => s.classOf(x), right, typeOfExpr(s.types, right), lt) : right, loc };
}
