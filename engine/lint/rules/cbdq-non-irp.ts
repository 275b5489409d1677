import { mayBeNonIrpOp } from '../analysis/opstate';
import { DOCS, callsAny, hasRole, type RawFinding, functionRule } from '../rule';
import { callbackPaths } from './callbackPaths';

const rule = functionRule({
  id: 'cbdq-non-irp',
  severity: 'error',
  scope: 'function',
  title: 'Operation that may not be IRP-based inserted into a cancel-safe queue',
  why: 'A cancel-safe callback data queue holds only IRP-based operations: cancellation is built on the IRP. Fast I/O and FsFilter operations cannot be queued; test FLT_IS_IRP_OPERATION(Data) before FltCbdqInsertIo.',
  sources: [DOCS.ddi('nf-fltkernel-fltcbdqinsertio'), DOCS.ddi('nf-fltkernel-fltcbdqinitialize')],
  wants: (c) => hasRole(c, 'preop', 'postop') && callsAny(c, ['FltCbdqInsertIo']),
  check(ctx) {
    const out: RawFinding[] = [];
    const paths = callbackPaths(ctx);
    if (!paths) return out;
    const seen = new Set<string>();
    for (const f of paths.dataCalls) {
      if (f.call.callee !== 'FltCbdqInsertIo' || !mayBeNonIrpOp(f.op)) continue;
      const k = `${f.call.r.sr}:${f.call.r.sc}`;
      if (seen.has(k)) continue;
      seen.add(k);
      out.push({ at: ctx.loc(f.call.r), message: `The operation may be fast I/O here (registered for ${f.op.majors!.join(', ')}); test FLT_IS_IRP_OPERATION(${paths.data}) before FltCbdqInsertIo.` });
    }
    return out;
  },
});
export default rule;
