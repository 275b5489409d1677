import { ntError, statusByName } from '../../kernel/status';
import { runFlow } from '../analysis/flow';
import { casesOp, initialOp, opKey, refineOp, type OpState } from '../analysis/opstate';
import { constName, pathOf } from '../frontend/exprs';
import type { Span } from '../frontend/ir';
import { DOCS, hasRole, mentionsAny, type RawFinding, functionRule } from '../rule';

const CANCEL = 'FltCancelFileOpen';

interface S {
  op: OpState;
  /** Where an error status was written into the callback data on this path, if one was. */
  failed: Span | undefined;
  failedWith: string | undefined;
  cancelled: boolean;
}

const rule = functionRule({
  id: 'postcreate-fail',
  severity: 'error',
  scope: 'function',
  roles: ['postop'],
  title: 'Create failed in its post-create callback without FltCancelFileOpen',
  why: 'When a post-create callback runs for a create that succeeded, the file system has already opened the file. Writing an error into Data->IoStatus.Status only changes what the caller is told: the file object stays open underneath, with its handle count and its sharing rights taken, and nothing will ever close it. To fail a create that succeeded, call FltCancelFileOpen first, then set the error status (and IoStatus.Information to 0) and return FLT_POSTOP_FINISHED_PROCESSING.',
  sources: [DOCS.ifs('failing-an-i-o-operation-in-a-postoperation-callback-routine'), DOCS.ddi('nf-fltkernel-fltcancelfileopen')],
  wants: (c) => hasRole(c, 'postop') && mentionsAny(c, 'IoStatus'),
  check(ctx) {
    const out: RawFinding[] = [];
    const role = ctx.role('postop');
    const data = ctx.param(0);
    if (!data || !ctx.readable || !role?.majors?.includes('IRP_MJ_CREATE')) return out;
    const statusPath = `${data}->IoStatus.Status`;
    const cancels = (callee: string) => callee === CANCEL || (ctx.file.knows(callee) && callee !== ctx.name && ctx.file.irql.callsTransitively(callee).has(CANCEL));
    const seen = new Set<string>();
    runFlow<S>(ctx, {
      init: { op: initialOp(role.majors), failed: undefined, failedWith: undefined, cancelled: false },
      key: (s) => `${opKey(s.op)}|${s.failed ? `${s.failed.sr}:${s.failed.sc}` : '-'}|${s.cancelled ? 1 : 0}`,
      refine: (c, _e, truth, s) => {
        const op = refineOp(s.op, c, truth, data);
        return op === null ? null : op === s.op ? s : { ...s, op };
      },
      cases: (disc, values, isDefault, s) => {
        const op = casesOp(s.op, disc, values, isDefault, data, ctx.aliases);
        return op === null ? null : op === s.op ? s : { ...s, op };
      },
      call: (c, s) => (c.callee && !s.cancelled && cancels(c.callee) ? { ...s, cancelled: true } : s),
      assign: (a, s) => {
        if (a.op !== '=' || pathOf(a.left, ctx.aliases) !== statusPath) return s;
        const name = constName(a.right);
        const value = name ? statusByName(name) : undefined;
        if (name && value !== undefined && ntError(value)) return { ...s, failed: a.r, failedWith: name };
        return s.failed ? { ...s, failed: undefined, failedWith: undefined } : s;
      },
      exit: (s) => {
        if (!s.failed || s.cancelled || !s.op.majors?.includes('IRP_MJ_CREATE')) return;
        const k = `${s.failed.sr}:${s.failed.sc}`;
        if (seen.has(k)) return;
        seen.add(k);
        const also = s.op.majors.length > 1 ? ` (this path may be IRP_MJ_CREATE: ${s.op.majors.join(', ')})` : '';
        out.push({ at: ctx.loc(s.failed), message: `The create is failed with ${s.failedWith}${also} but FltCancelFileOpen is not called on this path: the file stays open in the file system. Call FltCancelFileOpen(FltObjects->Instance, FltObjects->FileObject) before setting the error.` });
      },
    });
    return out;
  },
});
export default rule;
