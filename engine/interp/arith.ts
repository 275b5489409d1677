/**
 * C integer and floating arithmetic on JS numbers: the usual arithmetic conversions, wrapping to
 * the width of the result type, and 64-bit bitwise operations through BigInt (JS bitwise operators
 * are 32-bit).
 */
import { DOUBLE, INT, LONGLONG, UINT, ULONGLONG, type CType, type IntType } from '../c/types';
import { CRuntimeError } from './errors';

export function wrapInt(v: number, t: IntType): number {
  if (t.boolean) return v ? 1 : 0;
  switch (t.size) {
    case 4:
      return t.signed ? v | 0 : v >>> 0;
    case 2:
      return t.signed ? (v << 16) >> 16 : v & 0xffff;
    case 1:
      return t.signed ? (v << 24) >> 24 : v & 0xff;
    default:
      if (Number.isSafeInteger(v)) {
        if (!t.signed && v < 0) return Number(BigInt.asUintN(64, BigInt(v)));
        return v;
      }
      if (!Number.isFinite(v)) return 0;
      return Number(t.signed ? BigInt.asIntN(64, BigInt(Math.trunc(v))) : BigInt.asUintN(64, BigInt(Math.trunc(v))));
  }
}

/** Converts an arithmetic value to type `t` (int: truncation and wrap; float: as is). */
export function convertArith(v: number, t: CType): number {
  if (t.kind === 'int') return wrapInt(Math.trunc(v), t);
  if (t.kind === 'float') return t.size === 4 ? Math.fround(v) : v;
  return v;
}

/** Integer promotion: anything narrower than int becomes int. */
export function promote(t: CType): CType {
  if (t.kind === 'int' && t.size < 4) return INT;
  return t;
}

/** The common type of a binary arithmetic operation. */
export function commonType(a: CType, b: CType): CType {
  if (a.kind === 'float' || b.kind === 'float') return DOUBLE;
  const pa = promote(a) as IntType;
  const pb = promote(b) as IntType;
  if (pa.kind !== 'int' || pb.kind !== 'int') return INT;
  const size = Math.max(pa.size, pb.size);
  if (size === 8) {
    const unsigned = (pa.size === 8 && !pa.signed) || (pb.size === 8 && !pb.signed);
    return unsigned ? ULONGLONG : LONGLONG;
  }
  const unsigned = !pa.signed || !pb.signed;
  return unsigned ? UINT : INT;
}

export type ArithOp = '+' | '-' | '*' | '/' | '%' | '<<' | '>>' | '&' | '|' | '^';

/** One arithmetic operation with both operands already converted to `t`. */
export function arith(op: ArithOp, a: number, b: number, t: CType): number {
  if (t.kind === 'float') {
    switch (op) {
      case '+': return a + b;
      case '-': return a - b;
      case '*': return a * b;
      case '/': return a / b;
      default: throw new CRuntimeError('unsupported', `operator '${op}' on floating-point values`);
    }
  }
  const it = t as IntType;
  const wide = it.size === 8;
  switch (op) {
    case '+': return wrapInt(a + b, it);
    case '-': return wrapInt(a - b, it);
    case '*':
      if (wide || Math.abs(a * b) > Number.MAX_SAFE_INTEGER) return wrapInt(Number(BigInt(a) * BigInt(b)), it);
      return wrapInt(a * b, it);
    case '/':
      if (b === 0) throw new CRuntimeError('division-by-zero', 'integer division by zero (on Windows this raises STATUS_INTEGER_DIVIDE_BY_ZERO)');
      return wrapInt(Math.trunc(a / b), it);
    case '%':
      if (b === 0) throw new CRuntimeError('division-by-zero', 'integer remainder by zero (on Windows this raises STATUS_INTEGER_DIVIDE_BY_ZERO)');
      return wrapInt(a % b, it);
    case '<<':
      if (!wide) return wrapInt(Number(BigInt.asUintN(32, BigInt(a) << BigInt(b & 31))), it);
      return wrapInt(Number(BigInt.asUintN(64, BigInt(a) << BigInt(b & 63))), it);
    case '>>':
      if (!wide) return it.signed ? (a | 0) >> (b & 31) : (a >>> 0) >>> (b & 31);
      return wrapInt(Number(BigInt(a) >> BigInt(b & 63)), it);
    case '&':
      if (!wide) return wrapInt(a & b, it);
      return wrapInt(Number(BigInt.asUintN(64, BigInt(a)) & BigInt.asUintN(64, BigInt(b))), it);
    case '|':
      if (!wide) return wrapInt(a | b, it);
      return wrapInt(Number(BigInt.asUintN(64, BigInt(a)) | BigInt.asUintN(64, BigInt(b))), it);
    case '^':
      if (!wide) return wrapInt(a ^ b, it);
      return wrapInt(Number(BigInt.asUintN(64, BigInt(a)) ^ BigInt.asUintN(64, BigInt(b))), it);
  }
}

export function bitNot(a: number, t: CType): number {
  const it = t as IntType;
  if (it.size === 8) return wrapInt(Number(~BigInt(a)), it);
  return wrapInt(~a, it);
}
