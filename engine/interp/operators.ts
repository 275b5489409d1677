/** C's operators compiled: unary, increments, binary (pointer arithmetic included), assignments, `?:`. */
import type { Expr } from '../c/ast';
import { INT, LONGLONG, isArithmetic, isInteger, pointee, pointerTo as ptrType, typeName, type CType } from '../c/types';
import { arith, bitNot, commonType, compareValues, convertArith, type ArithOp, type IntValue } from './arith';
import { lift1, lift2, type CE } from './compiled';
import type { ExprCompiling } from './compileScope';
import { describe } from './describeExpr';
import { CRuntimeError } from './errors';
import { load, loadBitField, store, storeBitField } from './memory';
import { intOf, normalize, num, valueConverter } from './conversions';
import { compileAddress, compilePlace, modifyPlace, readPlace } from './places';
import { pointerAdd, pointerCompare, pointerDiff, pointersEqual, truthy } from './pointers';

export function compileUnary(c: ExprCompiling, e: Expr & { k: 'unary' }): CE {
  switch (e.op) {
    case '&':
      return compileAddress(c, e.arg);
    case '*': {
      const p = c.compile(e.arg);
      const to = pointee(p.t);
      if (!to) throw new CRuntimeError('compile-error', `${describe(e)}: '*' applied to a ${typeName(p.t)}`, e.loc);
      if (to.kind === 'func') return p;
      return readPlace(c.scope, compilePlace(c, e));
    }
    case '-':
    case '+':
    case '~': {
      const a = c.compile(e.arg);
      if (!isArithmetic(a.t)) throw new CRuntimeError('compile-error', `unary '${e.op}' on a ${typeName(a.t)}`, e.loc);
      const t = a.t.kind === 'int' && a.t.size < 4 ? INT : a.t;
      if (e.op === '+') return lift1(t, a, (v) => convertArith(intOf(v), t));
      if (e.op === '-') return lift1(t, a, (v) => negate(intOf(v), t));
      return lift1(t, a, (v) => bitNot(convertArith(intOf(v), t), t));
    }
    case '!': {
      const a = c.compile(e.arg);
      return lift1(INT, a, (v) => (truthy(v) ? 0 : 1));
    }
    case '++x':
    case '--x':
    case 'x++':
    case 'x--':
      return increment(c, e);
  }
}

function increment(c: ExprCompiling, e: Expr & { k: 'unary' }): CE {
  const delta = e.op === '++x' || e.op === 'x++' ? 1 : -1;
  const post = e.op === 'x++' || e.op === 'x--';
  const p = compilePlace(c, e.arg);
  const t = p.t;
  const what = p.what;
  const step = (old: unknown): unknown => (t.kind === 'ptr' ? pointerAdd(old, delta, t.to, what) : convertArith(arith('+', convertArith(intOf(old), commonType(t, INT)), delta, commonType(t, INT)), t));
  return modifyPlace(c.scope, p, (old) => {
    const next = step(old);
    return [next, post ? old : next];
  });
}

export function compileBinary(c: ExprCompiling, e: Expr & { k: 'binary' }): CE {
  const a = c.compile(e.left);
  const b = c.compile(e.right);
  const op = e.op;
  if (op === '&&' || op === '||') {
    if (a.s && b.s) {
      const as = a.s;
      const bs = b.s;
      return op === '&&'
        ? { t: INT, s: (f) => (truthy(as(f)) && truthy(bs(f)) ? 1 : 0) }
        : { t: INT, s: (f) => (truthy(as(f)) || truthy(bs(f)) ? 1 : 0) };
    }
    return {
      t: INT,
      g: function* (f) {
        const x = truthy(a.s ? a.s(f) : yield* a.g!(f));
        if (op === '&&' && !x) return 0;
        if (op === '||' && x) return 1;
        return truthy(b.s ? b.s(f) : yield* b.g!(f)) ? 1 : 0;
      },
    };
  }
  const pa = pointee(a.t);
  const pb = pointee(b.t);
  const what = describe(e);
  if (op === '==' || op === '!=') {
    if (pa || pb || a.t.kind === 'ptr' || b.t.kind === 'ptr') {
      const eq = op === '==';
      return lift2(INT, a, b, (x, y, f) => (pointersEqual(x, y, f.env.space) === eq ? 1 : 0));
    }
  }
  if ((op === '<' || op === '>' || op === '<=' || op === '>=') && (pa || pb)) {
    return lift2(INT, a, b, (x, y, f) => (compareValues(op, pointerCompare(x, y, f.env.space), 0) ? 1 : 0));
  }
  if ((op === '+' || op === '-') && pa && isInteger(b.t)) {
    const neg = op === '-';
    return lift2(a.t.kind === 'array' ? ptrType(pa) : a.t, a, b, (p, n) => pointerAdd(p, neg ? -num(n) : num(n), pa, what));
  }
  if (op === '+' && pb && isInteger(a.t)) return lift2(b.t.kind === 'array' ? ptrType(pb) : b.t, a, b, (n, p) => pointerAdd(p, num(n), pb, what));
  if (op === '-' && pa && pb) return lift2(LONGLONG, a, b, (p, q) => pointerDiff(p, q, pa, what));
  if (!isArithmetic(a.t) || !isArithmetic(b.t)) {
    throw new CRuntimeError('compile-error', `operator '${op}' between a ${typeName(a.t)} and a ${typeName(b.t)}`, e.loc);
  }
  if (op === '<<' || op === '>>') {
    const t = a.t.kind === 'int' && a.t.size < 4 ? INT : a.t;
    return lift2(t, a, b, (x, y) => arith(op, convertArith(intOf(x), t), num(y), t));
  }
  const t = commonType(a.t, b.t);
  if (op === '==' || op === '!=' || op === '<' || op === '>' || op === '<=' || op === '>=') {
    return lift2(INT, a, b, (x, y) => (compareValues(op, convertArith(intOf(x), t), convertArith(intOf(y), t)) ? 1 : 0));
  }
  const aop = op as ArithOp;
  return lift2(t, a, b, (x, y) => arith(aop, convertArith(intOf(x), t), convertArith(intOf(y), t), t));
}

export function compileAssign(c: ExprCompiling, e: Expr & { k: 'assign' }): CE {
  const p = compilePlace(c, e.left);
  const t = p.t;
  const value = c.compile(e.right);
  const { what, loc } = p;
  if (e.op === '=') {
    const conv = valueConverter(value.t, t, e.loc);
    if (p.slot) {
      const slot = p.slot.slot;
      return lift1(t, value, (v, f) => (f.vars[slot] = conv(v, f)));
    }
    const bits = p.bits;
    return lift2(t, p.ptr!, value, (q, v, f) => {
      const converted = conv(v, f);
      if (bits) storeBitField(q, bits, converted, what, loc);
      else store(q, t, converted, what, loc);
      return converted;
    });
  }
  const op = e.op.slice(0, -1) as ArithOp;
  const tp = pointee(t);
  const vt = value.t;
  const combine = (old: unknown, v: unknown): unknown => {
    if (tp && (op === '+' || op === '-')) return pointerAdd(old, op === '-' ? -num(v) : num(v), tp, what);
    const ct = op === '<<' || op === '>>' ? (t.kind === 'int' && t.size < 4 ? INT : t) : commonType(t, vt);
    return convertArith(arith(op, convertArith(intOf(old), ct), op === '<<' || op === '>>' ? num(v) : convertArith(intOf(v), ct), ct), t);
  };
  if (p.slot) {
    const local = p.slot;
    const slot = local.slot;
    const scope = c.scope;
    return lift1(t, value, (v, f) => {
      let old = f.vars[slot];
      if (old === undefined) {
        scope.uninitialized(f, local, loc);
        old = t.kind === 'ptr' ? null : 0;
      }
      return (f.vars[slot] = combine(old, v));
    });
  }
  const bits = p.bits;
  return lift2(t, p.ptr!, value, (q, v) => {
    const old = bits ? loadBitField(q, bits, what, loc) : normalize(load(q, t, what, loc), t);
    const next = combine(old, v);
    if (bits) storeBitField(q, bits, next, what, loc);
    else store(q, t, next, what, loc);
    return next;
  });
}

/** `test ? a : b`: both arms converted to their common type. */
export function compileConditional(c: ExprCompiling, e: Expr & { k: 'cond' }): CE {
  const test = c.compile(e.test);
  const a = c.compile(e.then);
  const b = c.compile(e.else);
  const t = condType(a.t, b.t);
  const ca = c.convertTo(a, t);
  const cb = c.convertTo(b, t);
  if (test.s && ca.s && cb.s) {
    const ts = test.s;
    const as = ca.s;
    const bs = cb.s;
    return { t, s: (f) => (truthy(ts(f)) ? as(f) : bs(f)) };
  }
  return { t, g: function* (f) { return truthy(test.s ? test.s(f) : yield* test.g!(f)) ? (ca.s ? ca.s(f) : yield* ca.g!(f)) : (cb.s ? cb.s(f) : yield* cb.g!(f)); } };
}

function negate(v: IntValue, t: CType): IntValue {
  if (t.kind === 'float') return -Number(v);
  return convertArith(typeof v === 'bigint' ? -v : -Math.trunc(v), t);
}

function condType(a: CType, b: CType): CType {
  if (isArithmetic(a) && isArithmetic(b)) return commonType(a, b);
  if (a.kind === 'ptr') return a;
  if (b.kind === 'ptr') return b;
  if (a.kind === 'array') return ptrType(a.of);
  return a;
}
