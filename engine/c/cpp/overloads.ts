/**
 * Which function a C++ call means and what it is given: overload resolution (simplified: the arity
 * with default arguments counted, then the closest parameter types), arguments completed from
 * defaults and passed by address to reference parameters, and class objects converted by their
 * conversion operators or `operator->` where C wants a scalar or a pointer.
 */
import type { Expr } from '../ast';
import { pointee, pointerTo, sameType, type CType } from '../types';
import { convertPointer } from './inheritance';
import type { TranslateContext } from '../translate/context';
import { addressOf, callFunction } from './lowering';
import type { CppClass, CppFunction } from './model';
import type { CppState } from './state';
import { passedByValue } from './copies';
import { defaultArguments } from './defaultArguments';
import { typeOfExpr } from './typer';

/** Overload resolution, simplified: the arity (defaults counted), then the closest parameter types. */
export function choose(s: CppState, list: CppFunction[], args: Expr[], ctor: boolean): CppFunction | undefined {
  const fits = list.filter((f) => {
    const n = f.type.params.length - (f.thisClass || ctor ? 1 : 0);
    const required = f.defaults.findIndex((d) => d !== undefined);
    const min = required < 0 ? n : required;
    return args.length >= min && (args.length <= n || f.type.variadic);
  });
  if (fits.length <= 1) return fits[0];
  let best = fits[0];
  let bestScore = -1;
  for (const f of fits) {
    const offset = f.thisClass || ctor ? 1 : 0;
    let score = 0;
    args.forEach((a, i) => {
      const at = typeOfExpr(s.types, a);
      const p = f.type.params[i + offset]?.type;
      if (!at || !p) return;
      const pt = f.refParams[i] ? pointee(p)! : p;
      // A move (`T &&`) takes only what the code casts to one (`static_cast<T&&>(x)`); a named object is copied.
      if (f.rvalueParams[i]) score += isRvalue(s, a) ? 3 : -3;
      else if (sameType(at, pt)) score += 2;
      else if (at.kind === pt.kind) score += 1;
    });
    if (score > bestScore) {
      best = f;
      bestScore = score;
    }
  }
  return best;
}

/** Arguments with references passed as addresses and omitted ones filled from the defaults. */
export function completeArgs(s: CppState, ctx: TranslateContext, f: CppFunction, args: Expr[]): Expr[] {
  const offset = f.thisClass ? 1 : 0;
  const out = args.map((a, i) => {
    const p = f.type.params[i + offset]?.type;
    const at = typeOfExpr(s.types, a);
    // A derived object or pointer where its base is wanted: the base subobject.
    if (f.refParams[i]) return p ? convertPointer((t) => s.classOf(t), addressOf(a), at && pointerTo(at), p) : addressOf(a);
    if (p?.kind === 'ptr') return convertPointer((t) => s.classOf(t), convert(s, a, p), at, p);
    if (p?.kind === 'struct') return passedByValue(s, ctx, a, p);
    return p ? convert(s, a, p) : a;
  });
  return [...out, ...defaultArguments(s, ctx, f, args.length)];
}

/** The conversion operators of the class of `e` (none when it is no class object). */
export function conversions(s: CppState, e: Expr): CppFunction[] {
  const cls = s.classOf(typeOfExpr(s.types, e));
  return cls?.methods.get('operator cast') ?? [];
}

/** A class object where a scalar is wanted: its operator bool, or the conversion to the wanted kind of type. */
export function convert(s: CppState, e: Expr, want?: CType): Expr {
  const ops = conversions(s, e);
  if (ops.length === 0) return e;
  const op = want
    ? ops.find((o) => sameType(o.type.ret, want)) ?? ops.find((o) => o.type.ret.kind === want.kind) ?? ops[0]
    : ops.find((o) => o.type.ret.kind === 'int' && o.type.ret.boolean === true) ?? ops[0];
  return callFunction(op, [addressOf(e)], e.loc);
}

/** `obj->field` on a class object with an operator->: the pointer that operator returns. */
export function arrowObject(s: CppState, object: Expr, arrow: boolean): Expr {
  if (!arrow) return object;
  const cls = s.classOf(typeOfExpr(s.types, object));
  const op = cls?.methods.get('operator ->')?.[0];
  return op ? callFunction(op, [addressOf(object)], object.loc) : object;
}

/** The class of `object` (`obj.` or `p->`), if it is a class object. */
export function classOfObject(s: CppState, object: Expr, arrow: boolean): CppClass | undefined {
  const t = typeOfExpr(s.types, object);
  return s.classOf(t && arrow ? pointee(t) : t);
}

/** `static_cast<T&&>(x)`, lowered to a read through a cast to the rvalue reference's pointer. */
function isRvalue(s: CppState, e: Expr): boolean {
  return e.k === 'unary' && e.op === '*' && e.arg.k === 'cast' && s.rvalueTypes.has(e.arg.type);
}
