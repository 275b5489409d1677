import { mayBeNonIrpOp } from '../analysis/opstate';
import { DOCS, hasRole, mentionsAny, type RawFinding, functionRule } from '../rule';
import { callbackPaths, oncePerReturn } from './callbackPaths';

const rule = functionRule({
  id: 'postop-mpr-non-irp',
  severity: 'error',
  scope: 'function',
  roles: ['postop'],
  title: 'FLT_POSTOP_MORE_PROCESSING_REQUIRED for an operation that may not be IRP-based',
  why: 'A post-operation callback may return FLT_POSTOP_MORE_PROCESSING_REQUIRED only for IRP-based operations: fast I/O and FsFilter completions cannot be held and resumed later. Test FLT_IS_IRP_OPERATION(Data) before deferring completion.',
  sources: [DOCS.ddi('nc-fltkernel-pflt_post_operation_callback')],
  wants: (c) => hasRole(c, 'postop') && mentionsAny(c, 'FLT_POSTOP_MORE_PROCESSING_REQUIRED'),
  check(ctx) {
    const out: RawFinding[] = [];
    const paths = callbackPaths(ctx);
    const role = ctx.role('postop');
    if (!paths || !role) return out;
    const once = oncePerReturn();
    for (const r of paths.returns) {
      if (r.value !== 'FLT_POSTOP_MORE_PROCESSING_REQUIRED' || !mayBeNonIrpOp(r.op) || !once(r)) continue;
      out.push({
        at: ctx.loc(r.node.r),
        message: `FLT_POSTOP_MORE_PROCESSING_REQUIRED can be returned here for fast I/O (registered for ${r.op.majors!.join(', ')}); test FLT_IS_IRP_OPERATION(${paths.data}) first.`,
        related: role.rows.slice(0, 1).map((at) => ({ at, message: 'registered here' })),
      });
    }
    return out;
  },
});
export default rule;
