/**
 * Compiles C expressions to closures. An expression without a call compiles to a plain function of
 * the frame; one with a call compiles to a generator, because the call may block the simulated
 * thread or run driver callbacks. Static C types decide conversions, wrapping and pointer steps.
 *
 * Memory is bytes (engine/memory): a local whose address is never taken lives in a JS slot of its
 * frame; every other object — arrays, structs, locals with `&` applied, globals — lives in an
 * allocation, reached through a pointer. An expression of struct type evaluates to the pointer to
 * the struct's storage.
 *
 * The compiler is split by concept: places (lvalues) in places.ts, operators in operators.ts, calls
 * in calls.ts, initializers in initializers.ts. They see the compiler only as `ExprCompiling`
 * (compileScope.ts), so none of them imports this module.
 */
import type { Expr, Initializer, Loc } from '../c/ast';
import {
  DOUBLE, INT, SIZE_T, VOID, pointee, pointerTo as ptrType, sizeOf, typeName, IncompleteTypeError, type CType, type FunctionType,
} from '../c/types';
import type { Co } from '../kernel/coroutine';
import { MemoryError } from '../memory/errors';
import type { AllocPtr } from '../memory/pointer';
import { convertArgs, compileCall } from './calls';
import { lift1, lift2, type CE } from './compiled';
import type { CompileScope, ExprCompiling } from './compileScope';
import { describe } from './describeExpr';
import { CRuntimeError, withLoc } from './errors';
import type { CFrame } from './frame';
import { allocateObject, fieldOf } from './memory';
import { compileInitializer } from './initializers';
import { sameShape, valueConverter } from './conversions';
import { compileAssign, compileBinary, compileConditional, compileUnary } from './operators';
import { compileIdentifier, compilePlace, readPlace } from './places';

export class ExprCompiler implements ExprCompiling {
  constructor(readonly scope: CompileScope) {}

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
        const index = this.scope.stringLiteral(e.value, e.wide);
        return { t: ptrType(e.wide ? { kind: 'int', size: 2, signed: false, name: 'wchar_t', alias: 'WCHAR' } : { kind: 'int', size: 1, signed: true, name: 'char' }), s: (f) => f.env.strings[index] };
      }
      case 'id':
        return compileIdentifier(this.scope, e);
      case 'binary':
        return compileBinary(this, e);
      case 'assign':
        return compileAssign(this, e);
      case 'unary':
        return compileUnary(this, e);
      case 'call':
        return compileCall(this, e);
      case 'member':
      case 'index':
        return readPlace(this.scope, compilePlace(this, e));
      case 'cast':
        return this.cast(e.type, this.compile(e.arg), e.loc);
      case 'sizeofType':
        return { t: SIZE_T, s: () => sizeOf(e.type), isConst: true };
      case 'sizeofExpr': {
        const t = this.typeOnly(e.arg);
        const size = sizeOf(t);
        return { t: SIZE_T, s: () => size, isConst: true };
      }      case 'cond':
        return compileConditional(this, e);
      case 'comma': {
        const a = this.compile(e.left);
        const b = this.compile(e.right);
        return lift2(b.t, a, b, (_x, y) => y);
      }
      case 'compound':
        // A scalar compound literal (`(ULONG){6}`) read as a value is its content, not its storage's address.
        if (e.type.kind !== 'struct' && e.type.kind !== 'array') return readPlace(this.scope, { t: e.type, ptr: this.compoundLiteral(e), what: 'compound literal', loc: e.loc });
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

  // ---- conversions -----------------------------------------------------------------------------

  cast(to: CType, a: CE, loc: Loc): CE {
    if (to.kind === 'void') return lift1(VOID, a, () => undefined);
    const conv = valueConverter(a.t, to, loc, true);
    return lift1(to.kind === 'array' ? ptrType(to.of) : to, a, conv);
  }

  convertTo(a: CE, to: CType): CE {
    if (sameShape(a.t, to)) return a;
    const conv = valueConverter(a.t, to, undefined);
    return lift1(to, a, conv);
  }

  // ---- compound literals -----------------------------------------------------------------------

  compoundLiteral(e: Expr & { k: 'compound' }): CE {
    const type = e.type;
    const plan = this.initPlan(type, e.init);
    const fnName = this.scope.functionName;
    return {
      t: type.kind === 'array' ? ptrType(type.of) : type,
      g: function* (f) {
        // A compound literal lives as long as the enclosing block: the frame frees it on return.
        const p = allocateObject(f.env.space, 'stack', type, `compound literal in ${fnName}`, true);
        f.stack.push(p.alloc);
        yield* plan(p, f);
        return p;
      },
    };
  }

  /** Converts arguments to the parameter types (see convertArgs in calls.ts). */
  convertArgs(args: CE[], ft: FunctionType, loc: Loc): CE[] {
    return convertArgs(this, args, ft, loc);
  }

  // ---- initializers ----------------------------------------------------------------------------

  /** Compiles an initializer for storage of `type` into a function that fills it (already zeroed). */
  initPlan(type: CType, init: Initializer): (target: AllocPtr, f: CFrame) => Co<void> {
    return compileInitializer(this, type, init);
  }
}
