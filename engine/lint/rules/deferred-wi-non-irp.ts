import { mayBeNonIrpOp } from '../analysis/opstate';
import { DOCS, callsAny, hasRole, type RawFinding, functionRule } from '../rule';
import { callbackPaths } from './callbackPaths';

const rule = functionRule({
  id: 'deferred-wi-non-irp',
  severity: 'error',
  scope: 'function',
  title: 'Deferred I/O posted for an operation that may not be IRP-based',
  why: 'FltQueueDeferredIoWorkItem can post only IRP-based operations; fast I/O and FsFilter operations cannot be handed to a worker thread. A callback registered for a major that can arrive as fast I/O must test FLT_IS_IRP_OPERATION(Data) before posting.',
  sources: [DOCS.ddi('nf-fltkernel-fltqueuedeferredioworkitem')],
  wants: (c) => hasRole(c, 'preop', 'postop') && callsAny(c, ['FltQueueDeferredIoWorkItem']),
  check(ctx) {
    const out: RawFinding[] = [];
    const paths = callbackPaths(ctx);
    if (!paths) return out;
    const seen = new Set<string>();
    for (const f of paths.dataCalls) {
      if (f.call.callee !== 'FltQueueDeferredIoWorkItem' || !mayBeNonIrpOp(f.op)) continue;
      const k = `${f.call.r.sr}:${f.call.r.sc}`;
      if (seen.has(k)) continue;
      seen.add(k);
      out.push({ at: ctx.loc(f.call.r), message: `The operation may be fast I/O here (registered for ${f.op.majors!.join(', ')}); test FLT_IS_IRP_OPERATION(${paths.data}) before FltQueueDeferredIoWorkItem.` });
    }
    return out;
  },
});
export default rule;
