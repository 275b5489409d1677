/**
 * C integer and floating arithmetic: the usual arithmetic conversions, wrapping to the width of the
 * result type, and 64-bit values exact over their whole range. An integer of 1, 2 or 4 bytes is a
 * JS number; an 8-byte one is a number while it is a safe integer and a bigint beyond 2^53 (so
 * pointers cast to ULONG_PTR, 0xABABABABABABABAB and ~0ULL survive arithmetic and round trips).
 * Operations on safe numbers stay on numbers; only results that leave the safe range use BigInt.
 */
import { DOUBLE, INT, LONGLONG, UINT, ULONGLONG, type CType, type IntType } from '../c/types';
import { CRuntimeError } from './errors';

/** An integer value as the interpreter holds it. */
export type IntValue = number | bigint;

/** The canonical form of a 64-bit value: a number when it is a safe integer. */
export function canonical(v: bigint): IntValue {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
}

export function wrapInt(v: IntValue, t: IntType): IntValue {
  if (t.boolean) return v ? 1 : 0;
  if (typeof v === 'bigint') {
    const bits = t.size * 8;
    const w = t.signed ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v);
    return t.size === 8 ? canonical(w) : Number(w);
  }
  switch (t.size) {
    case 4:
      return t.signed ? v | 0 : v >>> 0;
    case 2:
      return t.signed ? (v << 16) >> 16 : v & 0xffff;
    case 1:
      return t.signed ? (v << 24) >> 24 : v & 0xff;
    default:
      if (Number.isSafeInteger(v)) return !t.signed && v < 0 ? BigInt.asUintN(64, BigInt(v)) : v;
      if (!Number.isFinite(v)) return 0;
      return canonical(t.signed ? BigInt.asIntN(64, BigInt(Math.trunc(v))) : BigInt.asUintN(64, BigInt(Math.trunc(v))));
  }
}

/** Converts an arithmetic value to type `t` (int: truncation and wrap; float: as is). */
export function convertArith(v: IntValue, t: CType): IntValue {
  if (t.kind === 'int') return wrapInt(typeof v === 'number' ? Math.trunc(v) : v, t);
  if (t.kind === 'float') {
    const n = Number(v);
    return t.size === 4 ? Math.fround(n) : n;
  }
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

function divideByZero(op: ArithOp): CRuntimeError {
  return new CRuntimeError('division-by-zero', `integer ${op === '/' ? 'division' : 'remainder'} by zero (on Windows this raises STATUS_INTEGER_DIVIDE_BY_ZERO)`);
}

/** One arithmetic operation with both operands already converted to `t`. */
export function arith(op: ArithOp, a: IntValue, b: IntValue, t: CType): IntValue {
  if (t.kind === 'float') {
    const x = Number(a);
    const y = Number(b);
    switch (op) {
      case '+': return x + y;
      case '-': return x - y;
      case '*': return x * y;
      case '/': return x / y;
      default: throw new CRuntimeError('unsupported', `operator '${op}' on floating-point values`);
    }
  }
  const it = t as IntType;
  if (it.size === 8) return arith64(op, a, b, it);
  const x = a as number;
  const y = b as number;
  switch (op) {
    case '+': return wrapInt(x + y, it);
    case '-': return wrapInt(x - y, it);
    case '*':
      if (Math.abs(x * y) > Number.MAX_SAFE_INTEGER) return wrapInt(BigInt(x) * BigInt(y), it);
      return wrapInt(x * y, it);
    case '/':
      if (y === 0) throw divideByZero(op);
      return wrapInt(Math.trunc(x / y), it);
    case '%':
      if (y === 0) throw divideByZero(op);
      return wrapInt(x % y, it);
    case '<<': return wrapInt(Number(BigInt.asUintN(32, BigInt(x) << BigInt(y & 31))), it);
    case '>>': return it.signed ? (x | 0) >> (y & 31) : (x >>> 0) >>> (y & 31);
    case '&': return wrapInt(x & y, it);
    case '|': return wrapInt(x | y, it);
    case '^': return wrapInt(x ^ y, it);
  }
}

const SMALL = 2 ** 31;

function arith64(op: ArithOp, a: IntValue, b: IntValue, t: IntType): IntValue {
  if (typeof a === 'number' && typeof b === 'number') {
    switch (op) {
      case '+':
      case '-': {
        const r = op === '+' ? a + b : a - b;
        if (Number.isSafeInteger(r)) return wrapInt(r, t);
        break;
      }
      case '*': {
        const r = a * b;
        if (Number.isSafeInteger(r)) return wrapInt(r, t);
        break;
      }
      case '/':
      case '%':
        if (b === 0) throw divideByZero(op);
        // Floating division is exact enough to truncate only for small operands.
        if (Math.abs(a) < SMALL && Math.abs(b) < SMALL) return wrapInt(op === '/' ? Math.trunc(a / b) : a % b, t);
        break;
    }
  }
  const x = BigInt(a);
  const y = BigInt(b);
  let r: bigint;
  switch (op) {
    case '+': r = x + y; break;
    case '-': r = x - y; break;
    case '*': r = x * y; break;
    case '/':
      if (y === 0n) throw divideByZero(op);
      r = x / y;
      break;
    case '%':
      if (y === 0n) throw divideByZero(op);
      r = x % y;
      break;
    case '<<': r = x << (y & 63n); break;
    case '>>': r = (t.signed ? BigInt.asIntN(64, x) : BigInt.asUintN(64, x)) >> (y & 63n); break;
    case '&': r = x & y; break;
    case '|': r = x | y; break;
    case '^': r = x ^ y; break;
  }
  return wrapInt(r, t);
}

export function bitNot(a: IntValue, t: CType): IntValue {
  const it = t as IntType;
  if (it.size === 8) return wrapInt(~BigInt(a), it);
  return wrapInt(~(a as number), it);
}

/** C's relational and equality operators on two values of one (converted) type. */
export function compareValues(op: string, a: IntValue, b: IntValue): boolean {
  switch (op) {
    // `==`: a number and a bigint of one value are equal (values are canonical, but operands of
    // different types meet here).
    case '==': return a == b;
    case '!=': return a != b;
    case '<': return a < b;
    case '>': return a > b;
    case '<=': return a <= b;
    default: return a >= b;
  }
}
