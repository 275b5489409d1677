/**
 * What is known about the operation in hand (its majors, IRP or not) at each call to some routines
 * in a pre- or post-operation callback: for rules about routines that do not take the callback
 * data yet depend on the operation (setting a stream context during a create).
 */
import type { CallExpr } from '../frontend/ir';
import { runFlow } from '../analysis/flow';
import { casesOp, initialOp, opKey, refineOp, type OpState } from '../analysis/opstate';
import type { FunctionContext } from '../context';

export interface OpAtCall {
  call: CallExpr;
  op: OpState;
}

/** One entry per call and distinct operation state; undefined when the function cannot be walked. */
export function opAtCalls(ctx: FunctionContext, names: ReadonlySet<string>, majors: readonly string[] | null): OpAtCall[] | undefined {
  const data = ctx.dataParam;
  if (!data || !ctx.readable) return undefined;
  const out = new Map<string, OpAtCall>();
  runFlow<OpState>(ctx, {
    init: initialOp(majors),
    key: opKey,
    refine: (c, _e, truth, s) => refineOp(s, c, truth, data),
    cases: (disc, values, isDefault, s) => casesOp(s, disc, values, isDefault, data, ctx.aliases),
    call: (c, s) => {
      if (c.callee && names.has(c.callee)) out.set(`${c.r.sr}:${c.r.sc}|${opKey(s)}`, { call: c, op: s });
      return s;
    },
  });
  return [...out.values()];
}
