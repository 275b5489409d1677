/**
 * Places (lvalues): the object an expression designates — a local in a JS slot of its frame, or an
 * object in memory reached through a pointer — and reading, modifying and taking the address of one.
 */
import type { Expr, Loc } from '../c/ast';
import { INT, isInteger, pointee, pointerTo as ptrType, typeName, type CType } from '../c/types';
import { Ptr } from '../memory/pointer';
import { loadAt, type FieldPlace } from '../memory/typed';
import { lift1, lift2, type CE } from './compiled';
import type { CompileScope, ExprCompiling } from './compileScope';
import { describe } from './describeExpr';
import { CRuntimeError, memoryFault } from './errors';
import type { LocalVar } from './frame';
import { fieldOf, load, loadBitField, store, storeBitField } from './memory';
import { normalize, num } from './conversions';
import { pointerAdd } from './pointers';
import type { BuiltinInterp, BuiltinTable } from './builtin';
import { routineValue } from './routineValue';

/**
 * An lvalue: a local in a JS slot, or an object in memory reached through a pointer (`ptr`), maybe
 * a bit-field of the unit it points at.
 */
export interface Place {
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

/** The value a name designates: a local, a global, a function. */
export function compileIdentifier(scope: CompileScope, e: Expr & { k: 'id' }): CE {
  const local = scope.local(e.name);
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
    const loc = e.loc;
    return {
      t,
      s: (f) => {
        const v = f.vars[slot];
        if (v === undefined) {
          scope.uninitialized(f, local, loc);
          f.vars[slot] = t.kind === 'ptr' ? null : 0;
          return f.vars[slot];
        }
        return v;
      },
    };
  }
  const g = scope.global(e.name);
  if (g) {
    const { index, type: t } = g;
    if (t.kind === 'array') return { t: ptrType(t.of), s: (f) => f.env.globals[index] };
    if (t.kind === 'struct') return { t, s: (f) => f.env.globals[index] };
    const what = `'${e.name}'`;
    const loc = e.loc;
    return { t, s: (f) => load(f.env.globals[index], t, what, loc) };
  }
  const id = scope.functionId(e.name);
  const ft = scope.functionType(e.name);
  if (id !== undefined) return { t: ptrType(ft ?? { kind: 'func', ret: INT, params: [], variadic: true, unprototyped: true }), s: (f) => f.env.functionValue(id) };
  if (ft) {
    // A kernel routine used as a value (e.g. passed as a callback): resolved at run time.
    const name = e.name;
    const loc = e.loc;
    const type = ft;
    return {
      t: ptrType(ft),
      s: (f) => {
        // A modelled routine is a value the driver can store and call through (tables of Flt* routines).
        const rt = f.env.rt as unknown as BuiltinInterp & { readonly builtins: BuiltinTable };
        const builtin = name.startsWith('__') ? undefined : rt.builtins.get(name);
        if (builtin !== undefined) return routineValue(name, builtin, rt, type);
        throw new CRuntimeError('not-modelled', `'${name}' is used as a function pointer, but fltsim does not model it`, loc, 'define it in a file of the driver, or avoid taking its address (docs/interpreter.md lists the modelled routines)');
      },
    };
  }
  throw new CRuntimeError('undefined-name', `'${e.name}' is not declared`, e.loc, 'declare it, or check the spelling');
}

/** The object `e` designates. */
export function compilePlace(c: ExprCompiling, e: Expr): Place {
  const what = describe(e);
  const loc = e.loc;
  switch (e.k) {
    case 'id': {
      const local = c.scope.local(e.name);
      if (local && !local.inMemory) return { t: local.type, slot: local, what, loc };
      if (local) {
        const slot = local.slot;
        return { t: local.type, ptr: { t: ptrType(local.type), s: (f) => f.vars[slot] }, what, loc };
      }
      const g = c.scope.global(e.name);
      if (g) {
        const index = g.index;
        return { t: g.type, ptr: { t: ptrType(g.type), s: (f) => f.env.globals[index] }, what, loc };
      }
      if (c.scope.functionId(e.name) !== undefined || c.scope.functionType(e.name)) {
        throw new CRuntimeError('compile-error', `${what} is a function, not a variable`, loc);
      }
      throw new CRuntimeError('undefined-name', `'${e.name}' is not declared`, loc, 'declare it, or check the spelling');
    }
    case 'unary':
      if (e.op === '*') {
        const p = c.compile(e.arg);
        const to = pointee(p.t);
        if (!to) throw new CRuntimeError('compile-error', `${what}: '*' is applied to a ${typeName(p.t)}, not a pointer`, loc);
        return { t: to, ptr: { t: p.t.kind === 'array' ? ptrType(to) : p.t, s: p.s, g: p.g }, what, loc };
      }
      break;
    case 'member': {
      const obj = c.compile(e.object);
      const st = e.arrow ? pointee(obj.t) : obj.t;
      if (!st || st.kind !== 'struct') {
        // A name declared nowhere compiles as an int here: say it is undeclared, the real cause.
        const o = e.object;
        if (o.k === 'id' && !c.scope.local(o.name) && !c.scope.global(o.name) && c.scope.functionId(o.name) === undefined && !c.scope.functionType(o.name)) {
          throw new CRuntimeError('undefined-name', `'${o.name}' is not declared`, o.loc, 'declare it, or check the spelling');
        }
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
      let base = c.compile(e.array);
      let index = c.compile(e.index);
      // `2[a]` is legal C.
      if (isInteger(base.t) && pointee(index.t)) [base, index] = [index, base];
      const elem = pointee(base.t);
      if (!elem) throw new CRuntimeError('compile-error', `${what}: subscript of a ${typeName(base.t)}, not an array or pointer`, loc);
      const ptr = lift2(ptrType(elem), base, index, (p, i) => pointerAdd(p, num(i), elem, what));
      const whole = staticArrayType(c.scope, e.array);
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
      const p = e.k === 'str' ? c.compile(e) : c.compoundLiteral(e);
      const t = e.k === 'str' ? c.typeOnly(e) : e.type;
      return { t, ptr: p, what, loc };
    }
    case 'cast':
      // `(T)x = …` is not C, but `*(T *)p` is; a cast of an lvalue is not an lvalue.
      break;
  }
  throw new CRuntimeError('compile-error', `${what} is not something that can be assigned or have its address taken`, loc);
}

function staticArrayType(scope: CompileScope, e: Expr): (CType & { kind: 'array' }) | undefined {
  if (e.k !== 'id') return undefined;
  const t = scope.local(e.name)?.type ?? scope.global(e.name)?.type;
  return t?.kind === 'array' ? t : undefined;
}

/** Reads a place: a slot, a scalar through its pointer, a bit-field; an aggregate is its pointer. */
export function readPlace(scope: CompileScope, p: Place): CE {
  const { t, what, loc } = p;
  if (p.slot) return compileIdentifier(scope, { k: 'id', name: p.slot.name, loc });
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
export function compileAddress(c: ExprCompiling, e: Expr): CE {
  if (e.k === 'id') {
    const id = c.scope.functionId(e.name);
    if (id !== undefined && !c.scope.local(e.name) && !c.scope.global(e.name)) return { t: ptrType(c.scope.functionType(e.name)!), s: (f) => f.env.functionValue(id) };
  }
  if (e.k === 'unary' && e.op === '*') {
    const p = c.compile(e.arg);
    if (!pointee(p.t)) throw new CRuntimeError('compile-error', `${describe(e)}: '*' is applied to a ${typeName(p.t)}, not a pointer`, e.loc);
    return p;
  }
  const p = compilePlace(c, e);
  if (p.slot) throw new CRuntimeError('internal', `the address of ${p.what} is taken but it was not given storage`, e.loc);
  if (p.bits) throw new CRuntimeError('compile-error', `cannot take the address of the bit-field ${p.what}`, e.loc);
  const ptr = p.addressPtr ?? p.ptr!;
  return { t: ptrType(p.t), s: ptr.s, g: ptr.g };
}

/**
 * Read-modify-write of a place: `update` gets the old value and returns [new value, result of
 * the expression].
 */
export function modifyPlace(scope: CompileScope, p: Place, update: (old: unknown) => [unknown, unknown]): CE {
  const { t, what, loc } = p;
  if (p.slot) {
    const slot = p.slot.slot;
    const local = p.slot;
    return {
      t,
      s: (f) => {
        let old = f.vars[slot];
        if (old === undefined) {
          scope.uninitialized(f, local, loc);
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
