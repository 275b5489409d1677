/**
 * Which calls of a post-operation callback may run while it is still at DISPATCH_LEVEL. A post-op
 * shared by several majors runs at PASSIVE_LEVEL for creates, and every post-op runs at APC_LEVEL or
 * below while draining: calls reached only on paths that tested `Data->Iopb->MajorFunction ==
 * IRP_MJ_CREATE` or `FLTFL_POST_OPERATION_DRAINING` are safe.
 */
import { runFlow } from './flow';
import { callPosKey } from './irql';
import { casesOp, initialOp, opKey, refineOp, type OpState } from './opstate';
import type { FunctionContext } from '../context';

/** Keys (`row:col`) of the calls reached on some unsafe path; undefined when that cannot be told. */
export function postopUnsafeCalls(ctx: FunctionContext): Set<string> | undefined {
  const role = ctx.role('postop');
  const data = ctx.param(0);
  const flags = ctx.param(3);
  if (!role || !role.majors || !data || !ctx.readable) return undefined;
  const reached = new Set<string>();
  const safe = (o: OpState, draining: boolean) => draining || (o.majors !== null && o.majors.every((m) => m === 'IRP_MJ_CREATE'));
  const complete = runFlow<{ op: OpState; draining: boolean }>(ctx, {
    init: { op: initialOp(role.majors), draining: false },
    key: (s) => `${opKey(s.op)}|${s.draining ? 1 : 0}`,
    call: (c, s) => {
      if (!safe(s.op, s.draining)) reached.add(callPosKey(c));
      return s;
    },
    refine: (c, _cond, truth, s) => {
      if (c && c.atom.k === 'flag' && c.atom.flag === 'FLTFL_POST_OPERATION_DRAINING' && c.atom.path === flags) {
        return c.pos === truth ? { ...s, draining: true } : s;
      }
      const op = refineOp(s.op, c, truth, data);
      return op === null ? null : op === s.op ? s : { ...s, op };
    },
    cases: (disc, values, isDefault, s) => {
      const op = casesOp(s.op, disc, values, isDefault, data, ctx.aliases);
      return op === null ? null : op === s.op ? s : { ...s, op };
    },
  }, { constants: 'conditions' });
  return complete ? reached : undefined;
}
