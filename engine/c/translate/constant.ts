/**
 * Integer constant expressions (array sizes, enum values, bit-field widths, case labels): evaluated
 * at translation time from the AST.
 */
import type { Expr } from '../ast';
import { findField, IncompleteTypeError, isInteger, offsetOf, sizeOf, type CType } from '../types';
import type { TranslateContext } from './context';

export function constantValue(ctx: TranslateContext, e: Expr): number | undefined {
  try {
    return evaluate(ctx, e);
  } catch (err) {
    if (err instanceof IncompleteTypeError) return undefined;
    throw err;
  }
}

function evaluate(ctx: TranslateContext, e: Expr): number | undefined {
  switch (e.k) {
    case 'num':
      // Constant expressions here (sizes, enumerators, case labels) are numbers; a 64-bit literal
      // beyond 2^53 is used at its nearest value.
      return Number(e.value);
    case 'id':
      return ctx.scope.enumConstant(e.name);
    case 'sizeofType':
      return sizeOf(e.type);
    case 'sizeofExpr': {
      // `sizeof("literal")` counts the terminating NUL; `sizeof table / sizeof table[0]` sizes a
      // declared variable (an array's length may come from its initializer).
      if (e.arg.k === 'str') return (e.arg.value.length + 1) * (e.arg.wide ? 2 : 1);
      const t = declaredType(ctx, e.arg);
      return t ? sizeOf(t) : undefined;
    }
    case 'cast': {
      const v = evaluate(ctx, e.arg);
      if (v === undefined) return undefined;
      if (isInteger(e.type)) return wrap(v, e.type.size, e.type.signed);
      if (e.type.kind === 'ptr') return v;
      return undefined;
    }
    case 'unary': {
      const v = evaluate(ctx, e.arg);
      if (v === undefined) return undefined;
      switch (e.op) {
        case '-': return -v;
        case '+': return v;
        case '!': return v === 0 ? 1 : 0;
        case '~': return ~v;
        default: return undefined;
      }
    }
    case 'binary': {
      const a = evaluate(ctx, e.left);
      if (a === undefined) return undefined;
      if (e.op === '&&' && a === 0) return 0;
      if (e.op === '||' && a !== 0) return 1;
      const b = evaluate(ctx, e.right);
      if (b === undefined) return undefined;
      switch (e.op) {
        case '+': return a + b;
        case '-': return a - b;
        case '*': return a * b;
        case '/': return b === 0 ? undefined : Math.trunc(a / b);
        case '%': return b === 0 ? undefined : a % b;
        case '<<': return Number(BigInt(Math.trunc(a)) << BigInt(b));
        case '>>': return Number(BigInt(Math.trunc(a)) >> BigInt(b));
        case '&': return Number(BigInt(Math.trunc(a)) & BigInt(Math.trunc(b)));
        case '|': return Number(BigInt(Math.trunc(a)) | BigInt(Math.trunc(b)));
        case '^': return Number(BigInt(Math.trunc(a)) ^ BigInt(Math.trunc(b)));
        case '&&': return b !== 0 ? 1 : 0;
        case '||': return b !== 0 ? 1 : 0;
        case '==': return a === b ? 1 : 0;
        case '!=': return a !== b ? 1 : 0;
        case '<': return a < b ? 1 : 0;
        case '>': return a > b ? 1 : 0;
        case '<=': return a <= b ? 1 : 0;
        case '>=': return a >= b ? 1 : 0;
      }
      return undefined;
    }
    case 'cond': {
      const c = evaluate(ctx, e.test);
      if (c === undefined) return undefined;
      return evaluate(ctx, c !== 0 ? e.then : e.else);
    }
    case 'call':
      // FIELD_OFFSET(T, a.b) and RTL_FIELD_SIZE(T, f) are constants too.
      if (e.callee.k === 'id' && (e.callee.name === 'FIELD_OFFSET' || e.callee.name === 'offsetof') && e.args[0]?.k === 'typeArg' && e.args[0].type.kind === 'struct') {
        const path = fieldPath(e.args[1]);
        return path ? offsetOf(e.args[0].type, path) : undefined;
      }
      return undefined;
    default:
      return undefined;
  }
}

/** The type of an lvalue made of declared variables, indexing, `*` and members; else undefined. */
function declaredType(ctx: TranslateContext, e: Expr): CType | undefined {
  switch (e.k) {
    case 'id':
      return ctx.scope.objectType(e.name);
    case 'index': {
      const t = declaredType(ctx, e.array);
      return t?.kind === 'array' ? t.of : t?.kind === 'ptr' ? t.to : undefined;
    }
    case 'unary': {
      if (e.op !== '*') return undefined;
      const t = declaredType(ctx, e.arg);
      return t?.kind === 'array' ? t.of : t?.kind === 'ptr' ? t.to : undefined;
    }
    case 'member': {
      let t = declaredType(ctx, e.object);
      if (e.arrow) t = t?.kind === 'ptr' ? t.to : undefined;
      if (t?.kind !== 'struct') return undefined;
      const path = findField(t, e.field);
      return path ? path[path.length - 1]!.type : undefined;
    }
    default:
      return undefined;
  }
}

/** `a.b.c` written as an expression, as a field path. */
export function fieldPath(e: Expr | undefined): string[] | undefined {
  if (!e) return undefined;
  if (e.k === 'id') return [e.name];
  if (e.k === 'member' && !e.arrow) {
    const inner = fieldPath(e.object);
    return inner ? [...inner, e.field] : undefined;
  }
  return undefined;
}

export function wrap(v: number, size: number, signed: boolean): number {
  if (size === 8) {
    const big = signed ? BigInt.asIntN(64, BigInt(Math.trunc(v))) : BigInt.asUintN(64, BigInt(Math.trunc(v)));
    return Number(big);
  }
  const bits = size * 8;
  const mod = 2 ** bits;
  let r = Math.trunc(v) % mod;
  if (r < 0) r += mod;
  if (signed && r >= mod / 2) r -= mod;
  return r;
}
