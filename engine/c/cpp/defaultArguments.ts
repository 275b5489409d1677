/** Default arguments: what a call that leaves trailing parameters out passes for them. */
import type { Expr } from '../ast';
import type { TranslateContext } from '../translate/context';
import { translateExpr } from '../translate/expressions';
import { addressOf } from './lowering';
import type { CppFunction } from './model';
import type { CppState } from './state';

/** The default arguments of `f` from parameter `given` on (up to the first parameter without one), translated at this call. */
export function defaultArguments(s: CppState, ctx: TranslateContext, f: CppFunction, given: number): Expr[] {
  const out: Expr[] = [];
  for (let i = given; i < f.defaults.length; i++) {
    const d = f.defaults[i];
    if (!d) break;
    const saved = s.fn;
    // A default argument is evaluated in the callee's declaration context, not the caller's locals.
    s.fn = saved ? { ...saved, locals: [new Map()] } : undefined;
    try {
      const v = translateExpr(ctx, d);
      out.push(f.refParams[i] ? addressOf(v) : v);
    } finally {
      s.fn = saved;
    }
  }
  return out;
}
