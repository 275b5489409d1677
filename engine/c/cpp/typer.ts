/**
 * The static type of a lowered expression, as far as the C++ front end needs it before the
 * interpreter compiles anything: which class `obj.Lock()` calls into, what `auto x = …` declares,
 * which destructor `delete p` runs. Undefined when the front end cannot tell; the caller then stops
 * with a message rather than guess.
 */
import type { Expr } from '../ast';
import { CHAR, findField, INT, pointee, pointerTo, SIZE_T, WCHAR_T, type CType } from '../types';
import type { CppVariable } from './model';

export interface TypeEnvironment {
  variable(name: string): CppVariable | undefined;
  /** A function's C type by the name the call uses. */
  functionType(name: string): CType | undefined;
}

export function typeOfExpr(env: TypeEnvironment, e: Expr): CType | undefined {
  switch (e.k) {
    case 'num':
      return e.type;
    case 'float':
      return { kind: 'float', size: 8 };
    case 'str':
      return pointerTo(e.wide ? WCHAR_T : CHAR);
    case 'id': {
      const v = env.variable(e.name);
      if (v) return v.type;
      return env.functionType(e.name);
    }
    case 'unary': {
      if (e.op === '&') {
        const t = typeOfExpr(env, e.arg);
        return t ? pointerTo(t) : undefined;
      }
      if (e.op === '*') {
        const t = typeOfExpr(env, e.arg);
        return t ? pointee(t) : undefined;
      }
      if (e.op === '!') return INT;
      return typeOfExpr(env, e.arg);
    }
    case 'member': {
      const t = typeOfExpr(env, e.object);
      const st = t && e.arrow ? pointee(t) : t;
      if (st?.kind !== 'struct') return undefined;
      const chain = findField(st, e.field);
      return chain?.[chain.length - 1].type;
    }
    case 'index': {
      const t = typeOfExpr(env, e.array);
      return t ? pointee(t) : undefined;
    }
    case 'call': {
      // CONTAINING_RECORD(p, T, F), the builtin: a T*.
      if (e.callee.k === 'id' && e.callee.name === 'CONTAINING_RECORD' && e.args[1]?.k === 'typeArg') return pointerTo(e.args[1].type);
      const t = typeOfExpr(env, e.callee);
      const fn = t?.kind === 'ptr' ? t.to : t;
      return fn?.kind === 'func' ? fn.ret : undefined;
    }
    case 'cast':
    case 'compound':
      return e.type;
    case 'sizeofType':
    case 'sizeofExpr':
      return SIZE_T;
    case 'assign':
      return typeOfExpr(env, e.left);
    case 'cond':
      return typeOfExpr(env, e.then) ?? typeOfExpr(env, e.else);
    case 'comma':
      return typeOfExpr(env, e.right);
    case 'binary':
      if (['==', '!=', '<', '>', '<=', '>=', '&&', '||'].includes(e.op)) return INT;
      return typeOfExpr(env, e.left);
    default:
      return undefined;
  }
}
