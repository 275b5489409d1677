import { DOCS, hasRole, mentionsAny, type RawFinding, functionRule } from '../rule';
import { callbackPaths, oncePerReturn } from './callbackPaths';

const rule = functionRule({
  id: 'preop-pending-no-owner',
  severity: 'error',
  scope: 'function',
  roles: ['preop'],
  title: 'FLT_PREOP_PENDING without handing the operation off',
  why: 'After a pre-operation callback returns FLT_PREOP_PENDING, the Filter Manager waits for the filter to call FltCompletePendedPreOperation. If nothing took the operation — no successful FltQueueDeferredIoWorkItem, no successful FltCbdqInsertIo, no insertion into the driver\'s own queue — nobody will ever complete it and the I/O hangs.',
  sources: [DOCS.ddi('nc-fltkernel-pflt_pre_operation_callback'), DOCS.ifs('pending-an-i-o-operation-in-a-preoperation-callback-routine')],
  wants: (c) => hasRole(c, 'preop') && mentionsAny(c, 'FLT_PREOP_PENDING'),
  check(ctx) {
    const out: RawFinding[] = [];
    const paths = callbackPaths(ctx);
    if (!paths || !paths.complete) return out;
    const once = oncePerReturn();
    for (const r of paths.returns) {
      if (r.value !== 'FLT_PREOP_PENDING') continue;
      const h = r.handoff;
      if (h.k === 'none') {
        if (!once(r)) continue;
        out.push({ at: ctx.loc(r.node.r), message: `FLT_PREOP_PENDING is returned on a path where ${paths.data} was not handed to a worker or queue; queue it (and check the result) before pending, or return another status.` });
      } else if (h.k === 'call' && h.api !== 'FltCbdqInsertIo' && (r.handoffOutcome === 'fail' || r.handoffOutcome === 'deleting')) {
        if (!once(r)) continue;
        out.push({
          at: ctx.loc(r.node.r),
          message: `FLT_PREOP_PENDING is returned although ${h.api} failed on this path; free the work item and return a non-pending status instead.`,
          related: [{ at: ctx.loc(h.site), message: 'queuing attempted here' }],
        });
      }
    }
    return out;
  },
});
export default rule;
