/**
 * Compiles C expressions to closures. An expression without a call compiles to a plain function of
 * the frame; one with a call compiles to a generator, because the call may block the simulated
 * thread or run driver callbacks. Static C types decide conversions, wrapping and pointer steps.
 *
 * Memory is bytes (engine/memory): a local whose address is never taken lives in a JS slot of its
 * frame; every other object — arrays, structs, locals with `&` applied, globals — lives in an
 * allocation, reached through a pointer. An expression of struct type evaluates to the pointer to
 * the struct's storage.
 */
import type { Expr, Loc } from '../c/ast';
import {
  DOUBLE, INT, LONGLONG, SIZE_T, ULONGLONG, VOID, isArithmetic, isInteger, offsetOf, pointee, pointerTo as ptrType, sizeOf,
  typeName, IncompleteTypeError, type CType, type FunctionType, type StructType,
} from '../c/types';
import { isFunctionValue, type FunctionValue } from '../kernel/cvalues';
import type { Co } from '../kernel/coroutine';
import { MemoryError } from '../memory/errors';
import { Ptr, type AllocPtr } from '../memory/pointer';
import type { AddressSpace } from '../memory/space';
import { loadAt, type FieldPlace } from '../memory/typed';
import { arith, bitNot, commonType, compareValues, convertArith, type ArithOp, type IntValue } from './arith';
import { CRuntimeError, memoryFault, withLoc } from './errors';
import type { CFrame, LocalVar } from './frame';
import { allocateObject, fieldOf, load, loadBitField, store, storeBitField } from './memory';
import { compileInitializer } from './initializers';
import { intOf, normalize, num, returnConverter, sameShape, valueConverter } from './conversions';
import { containingRecord, pointerAdd, pointerCompare, pointerDiff, pointersEqual, truthy } from './pointers';

export type Sync = (f: CFrame) => unknown;
export type Gen = (f: CFrame) => Co<unknown>;

/** A compiled expression: exactly one of `s` (plain) or `g` (generator) is set. */
export interface CE {
  t: CType;
  s?: Sync;
  g?: Gen;
  isConst?: boolean;
}

/** A global or static variable: its type and its storage. */
export interface GlobalSlot {
  name: string;
  type: CType;
  ptr: AllocPtr;
}

/** What the compiler needs from the module and the interpreter. */
export interface CompileScope {
  local(name: string): LocalVar | undefined;
  global(name: string): GlobalSlot | undefined;
  functionValue(name: string): FunctionValue | undefined;
  /** Type of a declared function (prototype or definition). */
  functionType(name: string): FunctionType | undefined;
  stringLiteral(value: string, wide: boolean): AllocPtr;
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
}

function describe(e: Expr): string {
  switch (e.k) {
    case 'id': return `'${e.name}'`;
    case 'member': return `'${inner(e.object)}${e.arrow ? '->' : '.'}${e.field}'`;
    case 'unary': return e.op === '*' ? `'*${inner(e.arg)}'` : 'the expression';
    case 'index': return `'${inner(e.array)}[…]'`;
    case 'call': return e.callee.k === 'id' ? `the result of ${e.callee.name}()` : 'a call result';
    default: return 'the expression';
  }
}

/** An operand as it reads inside a larger expression's description. */
function inner(e: Expr): string {
  if (e.k === 'call') return e.callee.k === 'id' ? `${e.callee.name}()` : '(…)()';
  if (e.k === 'cast') return `(${typeName(e.type)})${inner(e.arg)}`;
  return describe(e).replace(/'/g, '');
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

/**
 * An lvalue: a local in a JS slot, or an object in memory reached through a pointer (`ptr`), maybe
 * a bit-field of the unit it points at.
 */
interface Place {
  t: CType;
  slot?: LocalVar;
  ptr?: CE;
  /** The pointer `&` takes, when reads and writes check more (an index against its array's length). */
  addressPtr?: CE;
  /** A faster read than through `ptr`, when there is one. */
  read?: CE;
  bits?: FieldPlace;
  what: string;
  loc: Loc;
}

export class ExprCompiler {
  constructor(private readonly scope: CompileScope) {}

  /** An rvalue: arrays decay to pointers, functions to function pointers. */
  compile(e: Expr): CE {
    try {
      return this.rvalue(e);
    } catch (err) {
      if (err instanceof CRuntimeError || err instanceof IncompleteTypeError || err instanceof MemoryError) {
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
        const ptr = this.scope.stringLiteral(e.value, e.wide);
        return { t: ptrType(e.wide ? { kind: 'int', size: 2, signed: false, name: 'wchar_t', alias: 'WCHAR' } : { kind: 'int', size: 1, signed: true, name: 'char' }), s: () => ptr };
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
        return this.read(this.place(e));
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
      case 'compound':
        return this.compoundLiteral(e);
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
      if (st?.kind === 'struct') return fieldOf(st, e.field, describe(e)).type;
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
      if (local.inMemory) {
        // The slot holds the pointer to the local's storage.
        if (t.kind === 'array') return { t: ptrType(t.of), s: (f) => f.vars[slot] };
        if (t.kind === 'struct') return { t, s: (f) => f.vars[slot] };
        const what = `'${e.name}'`;
        const loc = e.loc;
        return { t, s: (f) => load(f.vars[slot], t, what, loc) };
      }
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
      const { ptr, type: t } = g;
      if (t.kind === 'array') return { t: ptrType(t.of), s: () => ptr };
      if (t.kind === 'struct') return { t, s: () => ptr };
      const what = `'${e.name}'`;
      const loc = e.loc;
      return { t, s: () => load(ptr, t, what, loc) };
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

  /** The object `e` designates. */
  private place(e: Expr): Place {
    const what = describe(e);
    const loc = e.loc;
    switch (e.k) {
      case 'id': {
        const local = this.scope.local(e.name);
        if (local && !local.inMemory) return { t: local.type, slot: local, what, loc };
        if (local) {
          const slot = local.slot;
          return { t: local.type, ptr: { t: ptrType(local.type), s: (f) => f.vars[slot] }, what, loc };
        }
        const g = this.scope.global(e.name);
        if (g) {
          const ptr = g.ptr;
          return { t: g.type, ptr: { t: ptrType(g.type), s: () => ptr }, what, loc };
        }
        if (this.scope.functionValue(e.name) || this.scope.functionType(e.name)) {
          throw new CRuntimeError('compile-error', `${what} is a function, not a variable`, loc);
        }
        throw new CRuntimeError('undefined-name', `'${e.name}' is not declared`, loc, 'declare it, or check the spelling');
      }
      case 'unary':
        if (e.op === '*') {
          const p = this.compile(e.arg);
          const to = pointee(p.t);
          if (!to) throw new CRuntimeError('compile-error', `${what}: '*' is applied to a ${typeName(p.t)}, not a pointer`, loc);
          return { t: to, ptr: { t: p.t.kind === 'array' ? ptrType(to) : p.t, s: p.s, g: p.g }, what, loc };
        }
        break;
      case 'member': {
        const obj = this.compile(e.object);
        const st = e.arrow ? pointee(obj.t) : obj.t;
        if (!st || st.kind !== 'struct') {
          throw new CRuntimeError('compile-error', `${what}: '${e.arrow ? '->' : '.'}${e.field}' is applied to a ${typeName(obj.t)}, not a struct${e.arrow ? ' pointer' : ''}`, loc);
        }
        const field = fieldOf(st, e.field, what);
        const off = field.offset;
        const holder = describe(e.object);
        const ptr = lift1(ptrType(field.type), obj, (p) => {
          if (p instanceof Ptr) return off === 0 ? p : p.add(off);
          if (p === null || p === undefined) throw new CRuntimeError('null-dereference', `NULL pointer dereference: ${holder} is NULL (reading ${what}; on Windows this bug-checks)`, loc);
          throw new CRuntimeError('bad-pointer', `${holder} does not point at data (reading ${what})`, loc);
        });
        if (field.bits !== undefined) return { t: field.type, ptr, bits: field, what, loc };
        // Reads of a scalar member skip building the member's pointer (the hottest path in C code).
        const t = field.type;
        const read = t.kind === 'int' || t.kind === 'float' || t.kind === 'ptr'
          ? lift1(t, obj, (p) => {
            if (p instanceof Ptr && p.alloc !== null) {
              try {
                p.alloc.space.touch(p.alloc, false);
                return loadAt(p.alloc, p.offset + off, t);
              } catch (err) {
                throw memoryFault(err, what, loc);
              }
            }
            if (p instanceof Ptr) return load(p.add(off), t, what, loc);
            if (p === null || p === undefined) throw new CRuntimeError('null-dereference', `NULL pointer dereference: ${holder} is NULL (reading ${what}; on Windows this bug-checks)`, loc);
            throw new CRuntimeError('bad-pointer', `${holder} does not point at data (reading ${what})`, loc);
          })
          : undefined;
        return { t, ptr, what, loc, read };
      }
      case 'index': {
        let base = this.compile(e.array);
        let index = this.compile(e.index);
        // `2[a]` is legal C.
        if (isInteger(base.t) && pointee(index.t)) [base, index] = [index, base];
        const elem = pointee(base.t);
        if (!elem) throw new CRuntimeError('compile-error', `${what}: subscript of a ${typeName(base.t)}, not an array or pointer`, loc);
        const ptr = lift2(ptrType(elem), base, index, (p, i) => pointerAdd(p, num(i), elem, what));
        const whole = this.staticArrayType(e.array);
        if (whole?.length === undefined) return { t: elem, ptr, what, loc };
        // A subscript of a whole array object is checked against its length when it is read or written.
        const length = whole.length;
        const checked = lift2(ptrType(elem), base, index, (p, i) => {
          const n = num(i);
          if (n < 0 || n >= length) throw new CRuntimeError('out-of-bounds', `${what}: index ${n} is outside an array of ${length}`, loc);
          return pointerAdd(p, n, elem, what);
        });
        return { t: elem, ptr: checked, addressPtr: ptr, what, loc };
      }
      case 'str':
      case 'compound': {
        const p = this.compile(e);
        const t = e.k === 'str' ? this.typeOnly(e) : e.type;
        return { t, ptr: p, what, loc };
      }
      case 'cast':
        // `(T)x = …` is not C, but `*(T *)p` is; a cast of an lvalue is not an lvalue.
        break;
    }
    throw new CRuntimeError('compile-error', `${what} is not something that can be assigned or have its address taken`, loc);
  }

  private staticArrayType(e: Expr): (CType & { kind: 'array' }) | undefined {
    if (e.k !== 'id') return undefined;
    const t = this.scope.local(e.name)?.type ?? this.scope.global(e.name)?.type;
    return t?.kind === 'array' ? t : undefined;
  }

  /** Reads a place: a slot, a scalar through its pointer, a bit-field; an aggregate is its pointer. */
  private read(p: Place): CE {
    const { t, what, loc } = p;
    if (p.slot) return this.identifier({ k: 'id', name: p.slot.name, loc });
    const ptr = p.ptr!;
    if (p.bits) {
      const bits = p.bits;
      return lift1(t, ptr, (q) => loadBitField(q, bits, what, loc));
    }
    if (t.kind === 'array') return { t: ptrType(t.of), s: ptr.s, g: ptr.g };
    if (t.kind === 'struct' || t.kind === 'func') return { t, s: ptr.s, g: ptr.g };
    if (p.read) return p.read;
    return lift1(t, ptr, (q) => load(q, t, what, loc));
  }

  /** `&e`: a pointer to the object `e` names. */
  address(e: Expr): CE {
    if (e.k === 'id') {
      const fn = this.scope.functionValue(e.name);
      if (fn && !this.scope.local(e.name) && !this.scope.global(e.name)) return { t: ptrType(this.scope.functionType(e.name)!), s: () => fn };
    }
    if (e.k === 'unary' && e.op === '*') {
      const p = this.compile(e.arg);
      if (!pointee(p.t)) throw new CRuntimeError('compile-error', `${describe(e)}: '*' is applied to a ${typeName(p.t)}, not a pointer`, e.loc);
      return p;
    }
    const p = this.place(e);
    if (p.slot) throw new CRuntimeError('internal', `the address of ${p.what} is taken but it was not given storage`, e.loc);
    if (p.bits) throw new CRuntimeError('compile-error', `cannot take the address of the bit-field ${p.what}`, e.loc);
    const ptr = p.addressPtr ?? p.ptr!;
    return { t: ptrType(p.t), s: ptr.s, g: ptr.g };
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
        return this.read(this.place(e));
      }
      case '-':
      case '+':
      case '~': {
        const a = this.compile(e.arg);
        if (!isArithmetic(a.t)) throw new CRuntimeError('compile-error', `unary '${e.op}' on a ${typeName(a.t)}`, e.loc);
        const t = a.t.kind === 'int' && a.t.size < 4 ? INT : a.t;
        if (e.op === '+') return lift1(t, a, (v) => convertArith(intOf(v), t));
        if (e.op === '-') return lift1(t, a, (v) => negate(intOf(v), t));
        return lift1(t, a, (v) => bitNot(convertArith(intOf(v), t), t));
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
    const p = this.place(e.arg);
    const t = p.t;
    const what = p.what;
    const step = (old: unknown): unknown => (t.kind === 'ptr' ? pointerAdd(old, delta, t.to, what) : convertArith(arith('+', convertArith(intOf(old), commonType(t, INT)), delta, commonType(t, INT)), t));
    return this.modify(p, (old) => {
      const next = step(old);
      return [next, post ? old : next];
    });
  }

  /**
   * Read-modify-write of a place: `update` gets the old value and returns [new value, result of
   * the expression].
   */
  private modify(p: Place, update: (old: unknown) => [unknown, unknown]): CE {
    const { t, what, loc } = p;
    if (p.slot) {
      const slot = p.slot.slot;
      const local = p.slot;
      const scope = this.scope;
      return {
        t,
        s: (f) => {
          let old = f.vars[slot];
          if (old === undefined) {
            scope.uninitialized(local, loc);
            old = t.kind === 'ptr' ? null : 0;
          }
          const [next, result] = update(old);
          f.vars[slot] = next;
          return result;
        },
      };
    }
    const bits = p.bits;
    return lift1(t, p.ptr!, (q) => {
      const old = bits ? loadBitField(q, bits, what, loc) : normalize(load(q, t, what, loc), t);
      const [next, result] = update(old);
      if (bits) storeBitField(q, bits, next, what, loc);
      else store(q, t, next, what, loc);
      return result;
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
    const space = this.scope.addresses;
    if (op === '==' || op === '!=') {
      if (pa || pb || a.t.kind === 'ptr' || b.t.kind === 'ptr') {
        const eq = op === '==';
        return lift2(INT, a, b, (x, y) => (pointersEqual(x, y, space) === eq ? 1 : 0));
      }
    }
    if ((op === '<' || op === '>' || op === '<=' || op === '>=') && (pa || pb)) {
      return lift2(INT, a, b, (x, y) => (compareValues(op, pointerCompare(x, y, space), 0) ? 1 : 0));
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

  private assign(e: Expr & { k: 'assign' }): CE {
    const p = this.place(e.left);
    const t = p.t;
    const value = this.compile(e.right);
    const { what, loc } = p;
    if (e.op === '=') {
      const conv = valueConverter(this.scope.addresses, value.t, t, e.loc);
      if (p.slot) {
        const slot = p.slot.slot;
        return lift1(t, value, (v, f) => (f.vars[slot] = conv(v)));
      }
      const bits = p.bits;
      return lift2(t, p.ptr!, value, (q, v) => {
        const converted = conv(v);
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
      const scope = this.scope;
      return lift1(t, value, (v, f) => {
        let old = f.vars[slot];
        if (old === undefined) {
          scope.uninitialized(local, loc);
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

  // ---- compound literals -----------------------------------------------------------------------

  private compoundLiteral(e: Expr & { k: 'compound' }): CE {
    const type = e.type;
    const plan = this.initPlan(type, e.init);
    const space = this.scope.addresses;
    const fnName = this.scope.functionName;
    return {
      t: type.kind === 'array' ? ptrType(type.of) : type,
      g: function* (f) {
        // A compound literal lives as long as the enclosing block: the frame frees it on return.
        const p = allocateObject(space, 'stack', type, `compound literal in ${fnName}`, true);
        f.stack.push(p.alloc);
        yield* plan(p, f);
        return p;
      },
    };
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

  /**
   * Converts arguments to the parameter types; variadic extras get the default promotions. A struct
   * argument is passed as the pointer to its storage: the callee copies it into its parameter.
   */
  convertArgs(args: CE[], ft: FunctionType, loc: Loc): CE[] {
    if (!ft.unprototyped && !ft.variadic && args.length !== ft.params.length) {
      throw new CRuntimeError('bad-call', `expects ${ft.params.length} argument${ft.params.length === 1 ? '' : 's'}, got ${args.length}`, loc);
    }
    if (!ft.unprototyped && ft.variadic && args.length < ft.params.length) {
      throw new CRuntimeError('bad-call', `expects at least ${ft.params.length} arguments, got ${args.length}`, loc);
    }
    return args.map((a, i) => {
      const p = ft.params[i];
      return p ? this.convertTo(a, p.type) : a;
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
        fieldOffset(st, path, 'CONTAINING_RECORD', e.loc);
        const a = this.compile(addr);
        return lift1(ptrType(st), a, (p) => containingRecord(p, st, path));
      }
      case 'FIELD_OFFSET':
      case 'offsetof': {
        const [typeArg, field] = e.args;
        const path = fieldPathOf(field);
        if (typeArg?.k !== 'typeArg' || typeArg.type.kind !== 'struct' || !path) {
          throw new CRuntimeError('compile-error', `${name}(TYPE, Field) needs a struct type and a field`, e.loc);
        }
        const off = fieldOffset(typeArg.type, path, name, e.loc);
        return { t: ULONGLONG, s: () => off, isConst: true };
      }
      case '__fltsim_function_name': {
        const ptr = this.scope.stringLiteral(this.scope.functionName, false);
        return { t: ptrType({ kind: 'int', size: 1, signed: true, name: 'char' }), s: () => ptr };
      }
      default:
        return undefined;
    }
  }

  // ---- initializers ----------------------------------------------------------------------------

  /** Compiles an initializer for storage of `type` into a function that fills it (already zeroed). */
  initPlan(type: CType, init: import('../c/ast').Initializer): (target: AllocPtr, f: CFrame) => Co<void> {
    return compileInitializer(this, type, init);
  }
}

function fieldOffset(st: StructType, path: string[], what: string, loc: Loc): number {
  try {
    return offsetOf(st, path);
  } catch (err) {
    throw new CRuntimeError('compile-error', `${what}: ${(err as Error).message}`, loc);
  }
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

