/**
 * Compiles C expressions to closures. An expression without a call compiles to a plain function of
 * the frame; one with a call compiles to a generator, because the call may block the simulated
 * thread or run driver callbacks. Static C types decide conversions, wrapping and pointer steps.
 */
import type { Expr, Loc } from '../c/ast';
import {
  DOUBLE, INT, LONGLONG, SIZE_T, ULONGLONG, VOID, VOID_PTR, isArithmetic, isInteger, pointee, pointerTo as ptrType, sizeOf,
  typeName, IncompleteTypeError, type CType, type FunctionType, type StructType,
} from '../c/types';
import { isFunctionValue, LargeInteger, Ref, type FunctionValue } from '../kernel/cvalues';
import type { Co } from '../kernel/coroutine';
import { arith, bitNot, commonType, convertArith, type ArithOp } from './arith';
import { CRuntimeError, withLoc } from './errors';
import type { CFrame, LocalVar } from './frame';
import { adopt, asStruct, copyStruct, fieldChain, load, pointerTo, store, zeroValue, type AddressSpace } from './memory';
import { compileInitializer } from './initializers';
import { normalize, num, returnConverter, sameShape, valueConverter } from './conversions';
import { containingRecord, pointerAdd, pointerCompare, pointerDiff, pointersEqual, truthy } from './pointers';

export type Sync = (f: CFrame) => unknown;
export type Gen = (f: CFrame) => Co<unknown>;

/** A compiled expression: exactly one of `s` (plain) or `g` (generator) is set. */
export interface CE {
  t: CType;
  s?: Sync;
  g?: Gen;
  /** The expression denotes a struct object (rvalue of struct type). */
  isConst?: boolean;
}

export interface GlobalSlot {
  type: CType;
  store: Record<string, unknown>;
  key: string;
}

/** What the compiler needs from the module and the interpreter. */
export interface CompileScope {
  local(name: string): LocalVar | undefined;
  global(name: string): GlobalSlot | undefined;
  functionValue(name: string): FunctionValue | undefined;
  /** Type of a declared function (prototype or definition). */
  functionType(name: string): FunctionType | undefined;
  stringLiteral(value: string, wide: boolean): Ref;
  addresses: AddressSpace;
  /** Compiles a call to something that is not a C function of this module (a kernel routine). */
  externalCall(name: string, args: CE[], argExprs: Expr[], loc: Loc, type: FunctionType | undefined): CE;
  /** Calls through a function pointer (a C function of any module, or a routine). */
  callValue(fn: unknown, args: unknown[], loc: Loc): Co<unknown>;
  /** Reading a local that was never assigned: reported once per variable. */
  uninitialized(local: LocalVar, loc: Loc): void;
  /** The name of the function being compiled (for __FUNCTION__). */
  functionName: string;
  /** Told about each expression that failed to compile (it fails when it runs). */
  compileError?(err: CRuntimeError): void;
  /**
   * Present while a schedule is explored: every read and write of memory outside the frame is
   * reported through it (the call sites are marked `touch`).
   */
  touch?(pointer: unknown, write: boolean): void;
}

function describe(e: Expr): string {
  switch (e.k) {
    case 'id': return `'${e.name}'`;
    case 'member': return `'${describe(e.object).replace(/'/g, '')}${e.arrow ? '->' : '.'}${e.field}'`;
    case 'unary': return e.op === '*' ? `'*${describe(e.arg).replace(/'/g, '')}'` : 'the expression';
    case 'index': return `'${describe(e.array).replace(/'/g, '')}[…]'`;
    case 'call': return e.callee.k === 'id' ? `the result of ${e.callee.name}()` : 'a call result';
    default: return 'the expression';
  }
}

/** Runs a compiled expression inside generator code. */
export function* run(ce: CE, f: CFrame): Co<unknown> {
  return ce.s ? ce.s(f) : yield* ce.g!(f);
}

function lift1(t: CType, a: CE, fn: (x: unknown, f: CFrame) => unknown): CE {
  if (a.s) {
    const as = a.s;
    return { t, s: (f) => fn(as(f), f) };
  }
  const ag = a.g!;
  return { t, g: function* (f) { return fn(yield* ag(f), f); } };
}

function lift2(t: CType, a: CE, b: CE, fn: (x: unknown, y: unknown, f: CFrame) => unknown): CE {
  if (a.s && b.s) {
    const as = a.s;
    const bs = b.s;
    return { t, s: (f) => fn(as(f), bs(f), f) };
  }
  return {
    t,
    g: function* (f) {
      const x = yield* run(a, f);
      const y = yield* run(b, f);
      return fn(x, y, f);
    },
  };
}

export class ExprCompiler {
  constructor(private readonly scope: CompileScope) {}

  /** An rvalue: arrays decay to pointers, functions to function pointers. */
  compile(e: Expr): CE {
    try {
      return this.rvalue(e);
    } catch (err) {
      if (err instanceof CRuntimeError || err instanceof IncompleteTypeError) {
        // Compile errors surface when the code runs, at its line: the rest of the driver still runs.
        const error = err instanceof CRuntimeError ? withLoc(err, e.loc) : new CRuntimeError('compile-error', err.message, e.loc);
        this.scope.compileError?.(error);
        return { t: INT, s: () => { throw error; } };
      }
      throw err;
    }
  }

  private rvalue(e: Expr): CE {
    switch (e.k) {
      case 'num':
        return { t: e.type, s: () => e.value, isConst: true };
      case 'float':
        return { t: DOUBLE, s: () => e.value, isConst: true };
      case 'str': {
        const ref = this.scope.stringLiteral(e.value, e.wide);
        return { t: ptrType(e.wide ? { kind: 'int', size: 2, signed: false, name: 'wchar_t', alias: 'WCHAR' } : { kind: 'int', size: 1, signed: true, name: 'char' }), s: () => ref };
      }
      case 'id':
        return this.identifier(e);
      case 'binary':
        return this.binary(e);
      case 'assign':
        return this.assign(e);
      case 'unary':
        return this.unary(e);
      case 'call':
        return this.call(e);
      case 'member':
      case 'index':
        return this.loadPlace(e);
      case 'cast':
        return this.cast(e.type, this.compile(e.arg), e.loc);
      case 'sizeofType':
        return { t: SIZE_T, s: () => sizeOf(e.type), isConst: true };
      case 'sizeofExpr': {
        const t = this.typeOnly(e.arg);
        const size = sizeOf(t);
        return { t: SIZE_T, s: () => size, isConst: true };
      }
      case 'cond': {
        const test = this.compile(e.test);
        const a = this.compile(e.then);
        const b = this.compile(e.else);
        const t = condType(a.t, b.t);
        const ca = this.convertTo(a, t);
        const cb = this.convertTo(b, t);
        if (test.s && ca.s && cb.s) {
          const ts = test.s;
          const as = ca.s;
          const bs = cb.s;
          return { t, s: (f) => (truthy(ts(f)) ? as(f) : bs(f)) };
        }
        return { t, g: function* (f) { return truthy(yield* run(test, f)) ? yield* run(ca, f) : yield* run(cb, f); } };
      }
      case 'comma': {
        const a = this.compile(e.left);
        const b = this.compile(e.right);
        return lift2(b.t, a, b, (_x, y) => y);
      }
      case 'compound': {
        const type = e.type;
        const plan = this.initPlan(type, e.init);
        return {
          t: type.kind === 'array' ? ptrType(type.of) : type,
          g: function* (f) {
            const v = zeroValue(type);
            yield* plan(v, f);
            return type.kind === 'array' ? new Ref(v as unknown[], 0) : v;
          },
        };
      }
      case 'typeArg':
        throw new CRuntimeError('compile-error', `the type name '${typeName(e.type)}' is used as a value`, e.loc);
      case 'unsupported':
        throw new CRuntimeError('unsupported', `fltsim cannot run ${e.what}: '${e.text}'`, e.loc, 'rewrite it in the C subset fltsim runs (see docs/interpreter.md)');
    }
  }

  /** The static type of an expression, without compiling code for it (for sizeof). */
  typeOnly(e: Expr): CType {
    if (e.k === 'id') {
      const l = this.scope.local(e.name);
      if (l) return l.type;
      const g = this.scope.global(e.name);
      if (g) return g.type;
    }
    if (e.k === 'unary' && e.op === '*') {
      const inner = this.typeOnly(e.arg);
      const to = pointee(inner);
      if (to) return to;
    }
    if (e.k === 'member') {
      const objType = this.typeOnly(e.object);
      const st = e.arrow ? pointee(objType) : objType;
      if (st?.kind === 'struct') {
        const chain = fieldChain(st, e.field, describe(e));
        return chain[chain.length - 1].type;
      }
    }
    if (e.k === 'index') {
      const to = pointee(this.typeOnly(e.array));
      if (to) return to;
    }
    if (e.k === 'str') return { kind: 'array', of: { kind: 'int', size: e.wide ? 2 : 1, signed: !e.wide, name: e.wide ? 'wchar_t' : 'char' }, length: e.value.length + 1 };
    return this.compile(e).t;
  }

  private identifier(e: Expr & { k: 'id' }): CE {
    const local = this.scope.local(e.name);
    if (local) {
      const slot = local.slot;
      const t = local.type;
      if (t.kind === 'array') return { t: ptrType(t.of), s: (f) => pointerTo(f.vars, slot, t) };
      if (t.kind === 'struct') return { t, s: (f) => pointerTo(f.vars, slot, t) };
      const scope = this.scope;
      const loc = e.loc;
      return {
        t,
        s: (f) => {
          const v = f.vars[slot];
          if (v === undefined) {
            scope.uninitialized(local, loc);
            f.vars[slot] = t.kind === 'ptr' ? null : 0;
            return f.vars[slot];
          }
          return v;
        },
      };
    }
    const g = this.scope.global(e.name);
    if (g) {
      const { store: st, key, type: t } = g;
      if (t.kind === 'array') return { t: ptrType(t.of), s: () => pointerTo(st, key, t) };
      if (t.kind === 'struct') return { t, s: () => pointerTo(st, key, t) };
      const touch = this.scope.touch;
      if (touch) {
        // touch: reading a scalar global.
        const place = new Ref(st, key);
        return { t, s: () => (touch(place, false), st[key]) };
      }
      return { t, s: () => st[key] };
    }
    const fn = this.scope.functionValue(e.name);
    const ft = this.scope.functionType(e.name);
    if (fn) return { t: ptrType(ft ?? { kind: 'func', ret: INT, params: [], variadic: true, unprototyped: true }), s: () => fn };
    if (ft) {
      // A kernel routine used as a value (e.g. passed as a callback): resolved at run time.
      const name = e.name;
      const loc = e.loc;
      return { t: ptrType(ft), s: () => { throw new CRuntimeError('not-modelled', `'${name}' is used as a function pointer, but it is a kernel routine fltsim does not expose as a value`, loc); } };
    }
    throw new CRuntimeError('undefined-name', `'${e.name}' is not declared`, e.loc, 'declare it, or check the spelling');
  }

  // ---- places (lvalues) ------------------------------------------------------------------------

  /** `&e`: a pointer to the place `e` names. */
  address(e: Expr): CE {
    switch (e.k) {
      case 'id': {
        const local = this.scope.local(e.name);
        if (local) {
          const { slot, type: t } = local;
          return { t: ptrType(t), s: (f) => (t.kind === 'array' ? pointerTo(f.vars, slot, t) : pointerTo(f.vars, slot, t)) };
        }
        const g = this.scope.global(e.name);
        if (g) {
          const { store: st, key, type: t } = g;
          return { t: ptrType(t), s: () => pointerTo(st, key, t) };
        }
        const fn = this.scope.functionValue(e.name);
        if (fn) return { t: ptrType(this.scope.functionType(e.name)!), s: () => fn };
        throw new CRuntimeError('undefined-name', `'${e.name}' is not declared`, e.loc);
      }
      case 'unary':
        if (e.op === '*') {
          const p = this.compile(e.arg);
          if (!pointee(p.t)) throw new CRuntimeError('compile-error', `${describe(e)}: '*' is applied to a ${typeName(p.t)}, not a pointer`, e.loc);
          return p;
        }
        break;
      case 'member': {
        const { obj, chain } = this.memberParts(e);
        const last = chain[chain.length - 1];
        const what = describe(e);
        return lift1(ptrType(last.type), obj, (o) => {
          const holder = walkChain(o, chain, what);
          if (holder instanceof LargeInteger) return new Ref(holder as unknown as Record<string, unknown>, last.name);
          return pointerTo(holder as Record<string, unknown>, last.name, last.type);
        });
      }
      case 'index': {
        const { base, index, elem } = this.indexParts(e);
        const what = describe(e);
        return lift2(ptrType(elem), base, index, (p, i) => pointerAdd(p, num(i), elem, what));
      }
      case 'str':
        return this.compile(e);
      case 'compound':
        return this.compile(e);
    }
    throw new CRuntimeError('compile-error', `cannot take the address of ${describe(e)}`, e.loc);
  }

  private memberParts(e: Expr & { k: 'member' }): { obj: CE; chain: ReturnType<typeof fieldChain>; st: StructType } {
    const objCE = this.compile(e.object);
    const st = e.arrow ? pointee(objCE.t) : objCE.t;
    if (!st || st.kind !== 'struct') {
      throw new CRuntimeError('compile-error', `${describe(e)}: '${e.arrow ? '->' : '.'}${e.field}' is applied to a ${typeName(objCE.t)}, not a struct${e.arrow ? ' pointer' : ''}`, e.loc);
    }
    const chain = fieldChain(st, e.field, describe(e));
    const what = describe(e.object);
    const obj = lift1(st, objCE, (o) => {
      if (o === null || o === undefined) throw new CRuntimeError('null-dereference', `NULL pointer dereference: ${what} is NULL (reading ${describe(e)}; on Windows this bug-checks)`);
      if (o instanceof Ref) return load(o, st, what);
      return asStruct(o as object, st, what);
    });
    return { obj, chain, st };
  }

  private indexParts(e: Expr & { k: 'index' }): { base: CE; index: CE; elem: CType } {
    let base = this.compile(e.array);
    let index = this.compile(e.index);
    // `2[a]` is legal C.
    if (isInteger(base.t) && pointee(index.t)) [base, index] = [index, base];
    const elem = pointee(base.t);
    if (!elem) throw new CRuntimeError('compile-error', `${describe(e)}: subscript of a ${typeName(base.t)}, not an array or pointer`, e.loc);
    return { base, index, elem };
  }

  /** Reads a member or element: the fast paths avoid building a pointer per access. */
  private loadPlace(e: Expr & ({ k: 'member' } | { k: 'index' })): CE {
    if (e.k === 'member') {
      const { obj, chain } = this.memberParts(e);
      const last = chain[chain.length - 1];
      const t = last.type;
      const what = describe(e);
      if (t.kind === 'array') return lift1(ptrType(t.of), obj, (o) => pointerTo(walkChain(o, chain, what) as Record<string, unknown>, last.name, t));
      if (t.kind === 'struct') return lift1(t, obj, (o) => pointerTo(walkChain(o, chain, what) as Record<string, unknown>, last.name, t));
      const name = last.name;
      const touch = this.scope.touch;
      // touch: reading a member.
      if (touch) return lift1(t, obj, (o) => (touch(o, false), normalize((walkChain(o, chain, what) as Record<string, unknown>)[name], t)));
      return lift1(t, obj, (o) => normalize((walkChain(o, chain, what) as Record<string, unknown>)[name], t));
    }
    const { base, index, elem } = this.indexParts(e);
    const what = describe(e);
    const t = elem.kind === 'array' ? ptrType(elem.of) : elem;
    const touch = this.scope.touch;
    return lift2(t, base, index, (p, i) => {
      // touch: reading an element.
      if (touch && elem.kind !== 'array') touch(p, false);
      const n = num(i);
      if (p instanceof Ref && Array.isArray(p.c) && typeof p.k === 'number' && elem.kind !== 'struct' && elem.kind !== 'array') {
        const idx = p.k + n;
        if (idx < 0 || idx >= p.c.length) throw new CRuntimeError('out-of-bounds', `${what}: index ${idx} is outside an array of ${p.c.length}`);
        return normalize(p.c[idx], elem);
      }
      const at = pointerAdd(p, n, elem, what);
      if (elem.kind === 'array') return at;
      return normalize(load(at, elem, what), elem);
    });
  }

  // ---- operators -------------------------------------------------------------------------------

  private unary(e: Expr & { k: 'unary' }): CE {
    switch (e.op) {
      case '&':
        return this.address(e.arg);
      case '*': {
        const p = this.compile(e.arg);
        const to = pointee(p.t);
        if (!to) throw new CRuntimeError('compile-error', `${describe(e)}: '*' applied to a ${typeName(p.t)}`, e.loc);
        if (to.kind === 'func') return p;
        const what = describe(e.arg);
        if (to.kind === 'array') return lift1(ptrType(to.of), p, (v) => load(v, to, what) ?? v);
        const touch = this.scope.touch;
        // touch: reading through a pointer.
        if (touch && to.kind !== 'struct') return lift1(to, p, (v) => (touch(v, false), normalize(load(v, to, what), to)));
        return lift1(to, p, (v) => normalize(load(v, to, what), to));
      }
      case '-':
      case '+':
      case '~': {
        const a = this.compile(e.arg);
        if (!isArithmetic(a.t)) throw new CRuntimeError('compile-error', `unary '${e.op}' on a ${typeName(a.t)}`, e.loc);
        const t = a.t.kind === 'int' && a.t.size < 4 ? INT : a.t;
        if (e.op === '+') return lift1(t, a, (v) => num(v));
        if (e.op === '-') return lift1(t, a, (v) => convertArith(-num(v), t));
        return lift1(t, a, (v) => bitNot(num(v), t));
      }
      case '!': {
        const a = this.compile(e.arg);
        return lift1(INT, a, (v) => (truthy(v) ? 0 : 1));
      }
      case '++x':
      case '--x':
      case 'x++':
      case 'x--':
        return this.increment(e);
    }
  }

  private increment(e: Expr & { k: 'unary' }): CE {
    const delta = e.op === '++x' || e.op === 'x++' ? 1 : -1;
    const post = e.op === 'x++' || e.op === 'x--';
    const place = this.address(e.arg);
    const t = pointee(place.t)!;
    const what = describe(e.arg);
    const touch = this.scope.touch;
    return lift1(t, place, (p) => {
      // touch: ++ and -- read and write.
      if (touch) touch(p, true);
      const old = load(p, t, what);
      let next: unknown;
      if (t.kind === 'ptr') next = pointerAdd(old, delta, t.to, what);
      else next = convertArith(num(old) + delta, t);
      store(p, t, next, what);
      return post ? old : next;
    });
  }

  private binary(e: Expr & { k: 'binary' }): CE {
    const a = this.compile(e.left);
    const b = this.compile(e.right);
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
          const x = truthy(yield* run(a, f));
          if (op === '&&' && !x) return 0;
          if (op === '||' && x) return 1;
          return truthy(yield* run(b, f)) ? 1 : 0;
        },
      };
    }
    const pa = pointee(a.t);
    const pb = pointee(b.t);
    const what = describe(e);
    if (op === '==' || op === '!=') {
      if (pa || pb || a.t.kind === 'ptr' || b.t.kind === 'ptr') {
        const eq = op === '==';
        return lift2(INT, a, b, (x, y) => (pointersEqual(x, y) === eq ? 1 : 0));
      }
    }
    if ((op === '<' || op === '>' || op === '<=' || op === '>=') && (pa || pb)) {
      const space = this.scope.addresses;
      return lift2(INT, a, b, (x, y) => (compare(op, pointerCompare(x, y, space), 0) ? 1 : 0));
    }
    if ((op === '+' || op === '-') && pa && isInteger(b.t)) {
      const neg = op === '-';
      return lift2(a.t, a, b, (p, n) => pointerAdd(p, neg ? -num(n) : num(n), pa, what));
    }
    if (op === '+' && pb && isInteger(a.t)) return lift2(b.t, a, b, (n, p) => pointerAdd(p, num(n), pb, what));
    if (op === '-' && pa && pb) return lift2(LONGLONG, a, b, (p, q) => pointerDiff(p, q, what));
    if (!isArithmetic(a.t) || !isArithmetic(b.t)) {
      throw new CRuntimeError('compile-error', `operator '${op}' between a ${typeName(a.t)} and a ${typeName(b.t)}`, e.loc);
    }
    if (op === '<<' || op === '>>') {
      const t = a.t.kind === 'int' && a.t.size < 4 ? INT : a.t;
      return lift2(t, a, b, (x, y) => arith(op, convertArith(num(x), t), num(y), t));
    }
    const t = commonType(a.t, b.t);
    if (op === '==' || op === '!=' || op === '<' || op === '>' || op === '<=' || op === '>=') {
      return lift2(INT, a, b, (x, y) => (compare(op, convertArith(num(x), t), convertArith(num(y), t)) ? 1 : 0));
    }
    const aop = op as ArithOp;
    return lift2(t, a, b, (x, y) => arith(aop, convertArith(num(x), t), convertArith(num(y), t), t));
  }

  private assign(e: Expr & { k: 'assign' }): CE {
    const place = this.address(e.left);
    const t = pointee(place.t)!;
    const value = this.compile(e.right);
    const what = describe(e.left);
    if (e.op === '=') {
      const conv = valueConverter(this.scope.addresses, value.t, t, e.loc);
      // Fast path: a scalar local.
      if (e.left.k === 'id' && t.kind !== 'struct' && t.kind !== 'array' && value.s) {
        const local = this.scope.local(e.left.name);
        if (local) {
          const slot = local.slot;
          const vs = value.s;
          return { t, s: (f) => (f.vars[slot] = conv(vs(f))) };
        }
      }
      const touch = this.scope.touch;
      return lift2(t, place, value, (p, v) => {
        // touch: an assignment writes its target and, for a struct, reads its source.
        if (touch) {
          touch(p, true);
          if (t.kind === 'struct') touch(v, false);
        }
        const converted = conv(v);
        store(p, t, converted, what);
        return converted;
      });
    }
    const op = e.op.slice(0, -1) as ArithOp;
    const tp = pointee(t);
    const vt = value.t;
    const touch = this.scope.touch;
    return lift2(t, place, value, (p, v) => {
      // touch: a compound assignment reads and writes its target.
      if (touch) touch(p, true);
      const old = load(p, t, what);
      let next: unknown;
      if (tp && (op === '+' || op === '-')) next = pointerAdd(old, op === '-' ? -num(v) : num(v), tp, what);
      else {
        const ct = op === '<<' || op === '>>' ? t : commonType(t, vt);
        next = convertArith(arith(op, convertArith(num(old), ct), op === '<<' || op === '>>' ? num(v) : convertArith(num(v), ct), ct), t);
      }
      store(p, t, next, what);
      return next;
    });
  }

  // ---- conversions -----------------------------------------------------------------------------

  cast(to: CType, a: CE, loc: Loc): CE {
    if (to.kind === 'void') return lift1(VOID, a, () => undefined);
    const conv = valueConverter(this.scope.addresses, a.t, to, loc, true);
    return lift1(to.kind === 'array' ? ptrType(to.of) : to, a, conv);
  }

  convertTo(a: CE, to: CType): CE {
    if (sameShape(a.t, to)) return a;
    const conv = valueConverter(this.scope.addresses, a.t, to, undefined);
    return lift1(to, a, conv);
  }

  // ---- calls -----------------------------------------------------------------------------------

  private call(e: Expr & { k: 'call' }): CE {
    const loc = e.loc;
    if (e.callee.k === 'id') {
      const name = e.callee.name;
      const special = this.specialCall(name, e);
      if (special) return special;
      if (!this.scope.local(name) && !this.scope.global(name)) {
        const fn = this.scope.functionValue(name);
        const type = this.scope.functionType(name);
        const args = e.args.map((a) => this.compile(a));
        if (fn) return this.directCall(fn, type, args, e);
        return this.scope.externalCall(name, args, e.args, loc, type);
      }
    }
    const callee = this.compile(e.callee);
    const ft = callee.t.kind === 'ptr' && callee.t.to.kind === 'func' ? callee.t.to : callee.t.kind === 'func' ? callee.t : undefined;
    if (!ft) throw new CRuntimeError('compile-error', `${describe(e.callee)} is a ${typeName(callee.t)}, not a function`, loc);
    const args = this.convertArgs(e.args.map((a) => this.compile(a)), ft, loc);
    const scope = this.scope;
    const what = describe(e.callee);
    const retConv = returnConverter(ft.ret);
    return {
      t: ft.ret,
      g: function* (f) {
        const target = yield* run(callee, f);
        if (target === null || target === undefined) throw new CRuntimeError('null-dereference', `call through a NULL function pointer: ${what} is NULL`, loc);
        if (!isFunctionValue(target)) throw new CRuntimeError('bad-pointer', `${what} does not point at a function`, loc);
        const values: unknown[] = [];
        for (const a of args) values.push(yield* run(a, f));
        return retConv(yield* scope.callValue(target, values, loc));
      },
    };
  }

  private directCall(fn: FunctionValue, type: FunctionType | undefined, args: CE[], e: Expr & { k: 'call' }): CE {
    const ft = type ?? { kind: 'func' as const, ret: INT, params: [], variadic: true, unprototyped: true };
    const conv = this.convertArgs(args, ft, e.loc);
    const scope = this.scope;
    const loc = e.loc;
    const retConv = returnConverter(ft.ret);
    return {
      t: ft.ret,
      g: function* (f) {
        const values: unknown[] = [];
        for (const a of conv) values.push(yield* run(a, f));
        return retConv(yield* scope.callValue(fn, values, loc));
      },
    };
  }

  /** Converts arguments to the parameter types; variadic extras get the default promotions. */
  convertArgs(args: CE[], ft: FunctionType, loc: Loc): CE[] {
    if (!ft.unprototyped && !ft.variadic && args.length !== ft.params.length) {
      throw new CRuntimeError('bad-call', `expects ${ft.params.length} argument${ft.params.length === 1 ? '' : 's'}, got ${args.length}`, loc);
    }
    if (!ft.unprototyped && ft.variadic && args.length < ft.params.length) {
      throw new CRuntimeError('bad-call', `expects at least ${ft.params.length} arguments, got ${args.length}`, loc);
    }
    return args.map((a, i) => {
      const p = ft.params[i];
      if (p) {
        if (p.type.kind === 'struct') return this.copyValue(a, p.type);
        return this.convertTo(a, p.type);
      }
      return a;
    });
  }

  /** Struct values passed or returned by value are copies. */
  private copyValue(a: CE, t: StructType): CE {
    const touch = this.scope.touch;
    return lift1(t, a, (v) => {
      // touch: a struct passed by value is read.
      if (touch) touch(v, false);
      const copy = zeroValue(t) as object;
      if (v && typeof v === 'object') copyStruct(copy, adopt(v as object, t), t);
      return copy;
    });
  }

  /** Macro-like routines that need types or source text rather than values. */
  private specialCall(name: string, e: Expr & { k: 'call' }): CE | undefined {
    switch (name) {
      case 'CONTAINING_RECORD': {
        const [addr, typeArg, field] = e.args;
        if (e.args.length !== 3 || typeArg?.k !== 'typeArg' || typeArg.type.kind !== 'struct') {
          throw new CRuntimeError('compile-error', 'CONTAINING_RECORD(address, TYPE, Field) needs a struct type name as its second argument', e.loc);
        }
        const path = fieldPathOf(field);
        if (!path) throw new CRuntimeError('compile-error', 'CONTAINING_RECORD needs a field name (or a.b path) as its third argument', e.loc);
        const st = typeArg.type;
        const a = this.compile(addr);
        const what = describe(addr);
        return lift1(ptrType(st), a, (p) => containingRecord(p, st, path, what));
      }
      case 'FIELD_OFFSET':
      case 'offsetof': {
        const [typeArg, field] = e.args;
        const path = fieldPathOf(field);
        if (typeArg?.k !== 'typeArg' || typeArg.type.kind !== 'struct' || !path) {
          throw new CRuntimeError('compile-error', `${name}(TYPE, Field) needs a struct type and a field`, e.loc);
        }
        let off = 0;
        let cur: CType = typeArg.type;
        for (const p of path) {
          if (cur.kind !== 'struct') throw new CRuntimeError('compile-error', `'${p}' is not a struct field`, e.loc);
          sizeOf(cur);
          const chain = fieldChain(cur, p, name);
          for (const fld of chain) {
            off += (cur as StructType).layout!.offsets.get(fld.name) ?? 0;
            cur = fld.type;
            if (cur.kind === 'struct') sizeOf(cur);
          }
        }
        return { t: ULONGLONG, s: () => off, isConst: true };
      }
      case '__fltsim_function_name': {
        const ref = this.scope.stringLiteral(this.scope.functionName, false);
        return { t: ptrType({ kind: 'int', size: 1, signed: true, name: 'char' }), s: () => ref };
      }
      default:
        return undefined;
    }
  }

  // ---- initializers ----------------------------------------------------------------------------

  /** Fills `target` (a fresh zeroed value of `type`) from an initializer. */
  *initializeInto(target: unknown, type: CType, init: import('../c/ast').Initializer, f: CFrame): Co<void> {
    const plan = this.initPlan(type, init);
    yield* plan(target, f);
  }

  /** Compiles an initializer for storage of `type` into a function that fills a zeroed value. */
  initPlan(type: CType, init: import('../c/ast').Initializer): (target: unknown, f: CFrame) => Co<void> {
    return compileInitializer(this, type, init);
  }
}

function compare(op: string, a: number, b: number): boolean {
  switch (op) {
    case '==': return a === b;
    case '!=': return a !== b;
    case '<': return a < b;
    case '>': return a > b;
    case '<=': return a <= b;
    default: return a >= b;
  }
}

function condType(a: CType, b: CType): CType {
  if (isArithmetic(a) && isArithmetic(b)) return commonType(a, b);
  if (a.kind === 'ptr') return a;
  if (b.kind === 'ptr') return b;
  return a;
}

function walkChain(o: unknown, chain: { name: string; type: CType }[], what: string): unknown {
  if (chain.length === 1 || o instanceof LargeInteger) return o;
  let cur = o as Record<string, unknown>;
  for (let i = 0; i < chain.length - 1; i++) {
    // Members of anonymous structs and unions live on the outer object (memory.ts memberFields).
    if (chain[i].name.startsWith('<anonymous')) continue;
    cur = pointerTo(cur, chain[i].name, chain[i].type) as Record<string, unknown>;
  }
  if (cur === undefined) throw new CRuntimeError('internal', `cannot reach ${what}`);
  return cur;
}

function fieldPathOf(e: Expr | undefined): string[] | undefined {
  if (!e) return undefined;
  if (e.k === 'id') return [e.name];
  if (e.k === 'member' && !e.arrow) {
    const inner = fieldPathOf(e.object);
    return inner ? [...inner, e.field] : undefined;
  }
  if (e.k === 'typeArg' && e.type.alias) return [e.type.alias];
  return undefined;
}

export { VOID_PTR };
