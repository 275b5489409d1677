/** Calls compiled: to a C function of the module, through a function pointer, to a kernel routine, and the macro-like routines. */
import type { Expr, Loc } from '../c/ast';
import { INT, ULONGLONG, offsetOf, pointerTo as ptrType, typeName, type CType, type FunctionType, type StructType } from '../c/types';
import { isFunctionValue } from '../kernel/cvalues';
import { lift1, type CE } from './compiled';
import type { ExprCompiling } from './compileScope';
import { describe } from './describeExpr';
import { CRuntimeError } from './errors';
import { returnConverter } from './conversions';
import { containingRecord } from './pointers';
import { promotedType, type VarArgValues } from './varArgs';

export function compileCall(c: ExprCompiling, e: Expr & { k: 'call' }): CE {
  const loc = e.loc;
  if (e.callee.k === 'id') {
    const name = e.callee.name;
    const special = specialCall(c, name, e);
    if (special) return special;
    if (!c.scope.local(name) && !c.scope.global(name)) {
      const id = c.scope.functionId(name);
      const type = c.scope.functionType(name);
      const args = e.args.map((a) => c.compile(a));
      if (id !== undefined) return directCall(c, id, type, args, e);
      return c.scope.externalCall(name, args, e.args, loc, type);
    }
  }
  const callee = c.compile(e.callee);
  const ft = callee.t.kind === 'ptr' && callee.t.to.kind === 'func' ? callee.t.to : callee.t.kind === 'func' ? callee.t : undefined;
  if (!ft) throw new CRuntimeError('compile-error', `${describe(e.callee)} is a ${typeName(callee.t)}, not a function`, loc);
  const args = convertArgs(c, e.args.map((a) => c.compile(a)), ft, loc);
  const extraTypes = variadicExtras(ft, args);
  const what = describe(e.callee);
  const retConv = returnConverter(ft.ret);
  return {
    t: ft.ret,
    g: function* (f) {
      const target = callee.s ? callee.s(f) : yield* callee.g!(f);
      if (target === null || target === undefined) throw new CRuntimeError('null-dereference', `call through a NULL function pointer: ${what} is NULL`, loc);
      if (!isFunctionValue(target)) throw new CRuntimeError('bad-pointer', `${what} does not point at a function`, loc);
      const values: VarArgValues = [];
      for (const a of args) values.push(a.s ? a.s(f) : yield* a.g!(f));
      if (extraTypes !== undefined) values.varTypes = extraTypes;
      return retConv(yield* f.env.rt.callValue(target, values, loc));
    },
  };
}

function directCall(c: ExprCompiling, id: number, type: FunctionType | undefined, args: CE[], e: Expr & { k: 'call' }): CE {
  const ft = type ?? { kind: 'func' as const, ret: INT, params: [], variadic: true, unprototyped: true };
  const conv = convertArgs(c, args, ft, e.loc);
  const loc = e.loc;
  const retConv = returnConverter(ft.ret);
  const extraTypes = variadicExtras(ft, conv);
  return {
    t: ft.ret,
    g: function* (f) {
      const values: VarArgValues = [];
      for (const a of conv) values.push(a.s ? a.s(f) : yield* a.g!(f));
      if (extraTypes !== undefined) values.varTypes = extraTypes;
      return retConv(yield* f.env.rt.callValue(f.env.functionValue(id), values, loc));
    },
  };
}

/** The promoted types of the arguments a call passes past a variadic function's named parameters (va_start lays them out). */
function variadicExtras(ft: FunctionType, args: CE[]): readonly CType[] | undefined {
  if (!ft.variadic || ft.unprototyped || args.length <= ft.params.length) return undefined;
  return args.slice(ft.params.length).map((a) => promotedType(a.t));
}

/**
 * Converts arguments to the parameter types; variadic extras get the default promotions. A struct
 * argument is passed as the pointer to its storage: the callee copies it into its parameter.
 */
export function convertArgs(c: ExprCompiling, args: CE[], ft: FunctionType, loc: Loc): CE[] {
  if (!ft.unprototyped && !ft.variadic && args.length !== ft.params.length) {
    throw new CRuntimeError('bad-call', `expects ${ft.params.length} argument${ft.params.length === 1 ? '' : 's'}, got ${args.length}`, loc);
  }
  if (!ft.unprototyped && ft.variadic && args.length < ft.params.length) {
    throw new CRuntimeError('bad-call', `expects at least ${ft.params.length} arguments, got ${args.length}`, loc);
  }
  return args.map((a, i) => {
    const p = ft.params[i];
    return p ? c.convertTo(a, p.type) : a;
  });
}

/** Macro-like routines that need types or source text rather than values. */
function specialCall(c: ExprCompiling, name: string, e: Expr & { k: 'call' }): CE | undefined {
  switch (name) {
    case 'CONTAINING_RECORD': {
      const [addr, typeArg, field] = e.args;
      if (typeArg?.k === 'unsupported') throw new CRuntimeError('compile-error', `CONTAINING_RECORD: ${typeArg.what}`, typeArg.loc);
      if (e.args.length !== 3 || typeArg?.k !== 'typeArg' || typeArg.type.kind !== 'struct') {
        throw new CRuntimeError('compile-error', 'CONTAINING_RECORD(address, TYPE, Field) needs a struct type name as its second argument', e.loc);
      }
      const path = fieldPathOf(field);
      if (!path) throw new CRuntimeError('compile-error', 'CONTAINING_RECORD needs a field name (or a.b path) as its third argument', e.loc);
      const st = typeArg.type;
      fieldOffset(st, path, 'CONTAINING_RECORD', e.loc);
      const a = c.compile(addr);
      return lift1(ptrType(st), a, (p) => containingRecord(p, st, path));
    }
    case 'FIELD_OFFSET':
    case 'offsetof': {
      const [typeArg, field] = e.args;
      if (typeArg?.k === 'unsupported') throw new CRuntimeError('compile-error', `${name}: ${typeArg.what}`, typeArg.loc);
      const path = fieldPathOf(field);
      if (typeArg?.k !== 'typeArg' || typeArg.type.kind !== 'struct' || !path) {
        throw new CRuntimeError('compile-error', `${name}(TYPE, Field) needs a struct type and a field`, e.loc);
      }
      const off = fieldOffset(typeArg.type, path, name, e.loc);
      return { t: ULONGLONG, s: () => off, isConst: true };
    }
    default:
      return undefined;
  }
}

function fieldOffset(st: StructType, path: string[], what: string, loc: Loc): number {
  try {
    return offsetOf(st, path);
  } catch (err) {
    throw new CRuntimeError('compile-error', `${what}: ${(err as Error).message}`, loc);
  }
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
