import { DOCS, callsAny, hasRole, type RawFinding, functionRule } from '../rule';
import { opAtCalls } from './opAtCalls';

const CANCEL = new Set(['FltCancelFileOpen']);

const rule = functionRule({
  id: 'cancel-open-not-postcreate',
  severity: 'error',
  scope: 'function',
  roles: ['preop', 'postop'],
  title: 'FltCancelFileOpen outside the post-create callback',
  why: 'FltCancelFileOpen undoes a create that the file system has already completed successfully, and may only be called from the post-create callback: calling it from a pre-operation callback (the file is not open yet) or from the post-operation callback of any other operation is a programming error, as its reference page says.',
  sources: [DOCS.ddi('nf-fltkernel-fltcancelfileopen')],
  wants: (c) => hasRole(c, 'preop', 'postop') && callsAny(c, CANCEL),
  check(ctx) {
    const out: RawFinding[] = [];
    const pre = ctx.role('preop');
    const post = ctx.role('postop');
    // A routine registered both ways is left alone: which call runs where is not known.
    if (pre && post) return out;
    const role = pre ?? post;
    if (!role?.majors) return out;
    const seen = new Set<string>();
    for (const { call, op } of opAtCalls(ctx, CANCEL, role.majors) ?? []) {
      const k = `${call.r.sr}:${call.r.sc}`;
      if (seen.has(k)) continue;
      // Post-op: only a path on which the operation cannot be a create is reported.
      if (post && (!op.majors || op.majors.includes('IRP_MJ_CREATE'))) continue;
      seen.add(k);
      const ops = (op.majors ?? role.majors).join(', ');
      out.push({
        at: ctx.loc(call.r),
        message: pre
          ? `FltCancelFileOpen is called in ${ctx.fn.name}, a pre-operation callback (${ops}), before any file is open; cancel a create from the post-create callback, after the file system opened the file.`
          : `FltCancelFileOpen is called in ${ctx.fn.name}, the post-operation callback of ${ops}, not of IRP_MJ_CREATE; only the post-create callback may cancel an open (fail other operations through Data->IoStatus instead).`,
      });
    }
    return out;
  },
});
export default rule;
