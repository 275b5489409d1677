import { mayBeNonIrpOp } from '../analysis/opstate';
import { DOCS, hasRole, mentionsAny, type RawFinding, functionRule } from '../rule';
import { callbackPaths, oncePerReturn } from './callbackPaths';

const rule = functionRule({
  id: 'preop-pending-non-irp',
  severity: 'error',
  scope: 'function',
  roles: ['preop'],
  title: 'FLT_PREOP_PENDING for an operation that may not be IRP-based',
  why: 'Only IRP-based operations can be pended. Fast I/O and FsFilter callbacks cannot wait for a worker: for them FLT_PREOP_PENDING is invalid. A pre-operation callback registered for a major that can arrive as fast I/O must test FLT_IS_IRP_OPERATION(Data) before pending, and return FLT_PREOP_DISALLOW_FASTIO (to get the IRP instead) or pass the fast I/O on.',
  sources: [DOCS.ddi('nc-fltkernel-pflt_pre_operation_callback'), DOCS.ifs('pending-an-i-o-operation-in-a-preoperation-callback-routine')],
  wants: (c) => hasRole(c, 'preop') && mentionsAny(c, 'FLT_PREOP_PENDING'),
  check(ctx) {
    const out: RawFinding[] = [];
    const paths = callbackPaths(ctx);
    const role = ctx.role('preop');
    if (!paths || !role) return out;
    const once = oncePerReturn();
    for (const r of paths.returns) {
      if (r.value !== 'FLT_PREOP_PENDING' || !mayBeNonIrpOp(r.op) || !once(r)) continue;
      out.push({
        at: ctx.loc(r.node.r),
        message: `FLT_PREOP_PENDING can be returned here for fast I/O (registered for ${r.op.majors!.join(', ')}); test FLT_IS_IRP_OPERATION(${paths.data}) before pending.`,
        related: role.rows.slice(0, 1).map((at) => ({ at, message: 'registered here' })),
      });
    }
    return out;
  },
});
export default rule;
