import { strip } from '../frontend/exprs';
import { DOCS, hasRole, mentionsAny, type RawFinding, functionRule } from '../rule';
import { callbackPaths, oncePerReturn } from './callbackPaths';

const rule = functionRule({
  id: 'sync-on-create',
  severity: 'warning',
  scope: 'function',
  roles: ['preop'],
  title: 'FLT_PREOP_SYNCHRONIZE returned for a create',
  why: 'The Filter Manager already runs every post-create callback at PASSIVE_LEVEL in the thread that issued the create, so synchronizing IRP_MJ_CREATE buys nothing and only costs a wait. Return FLT_PREOP_SUCCESS_WITH_CALLBACK instead; the post-create callback runs in the same place either way.',
  sources: [DOCS.ifs('returning-flt-preop-synchronize'), DOCS.ddi('nc-fltkernel-pflt_pre_operation_callback')],
  wants: (c) => hasRole(c, 'preop') && mentionsAny(c, 'FLT_PREOP_SYNCHRONIZE'),
  check(ctx) {
    const out: RawFinding[] = [];
    const paths = callbackPaths(ctx);
    if (!paths) return out;
    const once = oncePerReturn();
    for (const r of paths.returns) {
      if (r.value !== 'FLT_PREOP_SYNCHRONIZE' || !r.op.majors?.includes('IRP_MJ_CREATE') || !once(r)) continue;
      const only = r.op.majors.length === 1;
      const e = r.node.expr ? strip(r.node.expr) : undefined;
      const literal = e?.k === 'id' && e.name === 'FLT_PREOP_SYNCHRONIZE';
      out.push({
        at: ctx.loc(r.node.r),
        message: only
          ? 'FLT_PREOP_SYNCHRONIZE is returned for IRP_MJ_CREATE, which the Filter Manager already synchronizes; return FLT_PREOP_SUCCESS_WITH_CALLBACK.'
          : `FLT_PREOP_SYNCHRONIZE may be returned here for IRP_MJ_CREATE (the path allows ${r.op.majors.join(', ')}); creates are already synchronized, so return FLT_PREOP_SUCCESS_WITH_CALLBACK for them.`,
        fixes: only && literal && e ? [{ title: 'Return FLT_PREOP_SUCCESS_WITH_CALLBACK', edits: [{ at: ctx.loc(e.r), newText: 'FLT_PREOP_SUCCESS_WITH_CALLBACK' }] }] : undefined,
      });
    }
    return out;
  },
});
export default rule;
