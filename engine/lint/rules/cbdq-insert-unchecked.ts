import { DOCS, callsAny, hasRole, mentionsAny, type RawFinding, functionRule } from '../rule';
import { callbackPaths, oncePerReturn } from './callbackPaths';

const rule = functionRule({
  id: 'cbdq-insert-unchecked',
  severity: 'error',
  scope: 'function',
  roles: ['preop'],
  title: 'FLT_PREOP_PENDING returned although the cbdq insert may have failed',
  why: 'FltCbdqInsertIo fails, for example with STATUS_FLT_CBDQ_DISABLED once teardown has disabled the queue. The operation is then not in the queue and nobody will complete it, so returning FLT_PREOP_PENDING hangs it. Return FLT_PREOP_PENDING only on the path where the insert returned success (the InsertIo callback\'s status).',
  sources: [DOCS.ddi('nf-fltkernel-fltcbdqinsertio')],
  wants: (c) => hasRole(c, 'preop') && mentionsAny(c, 'FLT_PREOP_PENDING') && callsAny(c, ['FltCbdqInsertIo']),
  check(ctx) {
    const out: RawFinding[] = [];
    const paths = callbackPaths(ctx);
    if (!paths || !paths.complete) return out;
    const once = oncePerReturn();
    for (const r of paths.returns) {
      if (r.value !== 'FLT_PREOP_PENDING' || r.handoff.k !== 'call' || r.handoff.api !== 'FltCbdqInsertIo') continue;
      if (r.handoffOutcome === 'ok' || !once(r)) continue;
      const what = r.handoffOutcome === '?' ? 'whether FltCbdqInsertIo succeeded was never tested' : 'FltCbdqInsertIo failed';
      out.push({
        at: ctx.loc(r.node.r),
        message: `FLT_PREOP_PENDING is returned on a path where ${what}; return it only after the insert status shows success, and complete the operation otherwise.`,
        related: [{ at: ctx.loc(r.handoff.site), message: 'inserted here' }],
      });
    }
    return out;
  },
});
export default rule;
