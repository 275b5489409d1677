import { DOCS, hasRole, mentionsAny, type RawFinding, functionRule } from '../rule';
import { callbackPaths, oncePerReturn } from './callbackPaths';

const rule = functionRule({
  id: 'postop-mpr-without-post',
  severity: 'error',
  scope: 'function',
  roles: ['postop'],
  title: 'FLT_POSTOP_MORE_PROCESSING_REQUIRED without posting the operation',
  why: 'FLT_POSTOP_MORE_PROCESSING_REQUIRED stops completion until the filter calls FltCompletePendedPostOperation. It is only correct after the operation was posted — a successful FltQueueDeferredIoWorkItem, FltDoCompletionProcessingWhenSafe having set it, or the driver\'s own queue. Otherwise the I/O never completes.',
  sources: [DOCS.ddi('nc-fltkernel-pflt_post_operation_callback'), DOCS.ifs('pending-an-i-o-operation-in-a-postoperation-callback-routine')],
  wants: (c) => hasRole(c, 'postop') && mentionsAny(c, 'FLT_POSTOP_MORE_PROCESSING_REQUIRED'),
  check(ctx) {
    const out: RawFinding[] = [];
    const paths = callbackPaths(ctx);
    if (!paths || !paths.complete) return out;
    const once = oncePerReturn();
    for (const r of paths.returns) {
      if (r.value !== 'FLT_POSTOP_MORE_PROCESSING_REQUIRED') continue;
      const h = r.handoff;
      const failed = h.k === 'call' && (r.handoffOutcome === 'fail' || r.handoffOutcome === 'deleting');
      if (h.k !== 'none' && !failed) continue;
      if (!once(r)) continue;
      out.push({
        at: ctx.loc(r.node.r),
        message: failed
          ? 'FLT_POSTOP_MORE_PROCESSING_REQUIRED is returned although posting failed on this path; return FLT_POSTOP_FINISHED_PROCESSING instead.'
          : `FLT_POSTOP_MORE_PROCESSING_REQUIRED is returned without posting ${paths.data}; queue it to a worker (or use FltDoCompletionProcessingWhenSafe) first, or return FLT_POSTOP_FINISHED_PROCESSING.`,
        related: h.k === 'call' ? [{ at: ctx.loc(h.site), message: 'posting attempted here' }] : [],
      });
    }
    return out;
  },
});
export default rule;
