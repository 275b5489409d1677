/** The constants a function can return, path by path (`FLT_PREOP_SYNCHRONIZE`, `STATUS_SUCCESS`). */
import type { CallExpr, FunctionIR } from '../frontend/ir';
import type { Cfg } from './cfg';
import { classify } from './conditions';
import { solve } from './paths';
import { CALL_PREFIX, envKey, ValueTracker, type Env } from './values';
import { strip } from '../frontend/exprs';

/** `?` stands for a value that could not be told on some path; `@call:F` for whatever F returned. */
/** `target` names the driver function a call picks (model.callTargetOf); a returned call is noted by it. */
export function returnedConstants(fn: FunctionIR, cfg: Cfg, target: (c: CallExpr) => string | undefined = (c) => c.callee): Set<string> {
  const vt = new ValueTracker(fn);
  const out = new Set<string>();
  const res = solve<Env>(cfg, {
    init: () => vt.empty,
    key: envKey,
    step: (n, s) => (n.expr ? vt.eval(s, n.expr) : n.decl ? vt.forget(s, n.decl.name) : s),
    evalCond: (n, s) => vt.eval(s, n.expr!),
    refine: (cond, truth, s) => vt.refine(s, classify(cond), truth),
    ret: (n, s) => {
      if (n.expr) {
        const e = strip(n.expr);
        out.add(vt.valueOf(s, n.expr) ?? (e.k === 'call' && e.callee ? CALL_PREFIX + (target(e) ?? e.callee) : '?'));
      }
      return s;
    },
  });
  if (!res.complete) out.add('?');
  return out;
}
