import { DOCS, callsAny, hasRole, type RawFinding, functionRule } from '../rule';
import { opAtCalls } from './opAtCalls';

const SET_STREAM = new Set(['FltSetStreamContext']);

const rule = functionRule({
  id: 'ctx-set-precreate',
  severity: 'error',
  scope: 'function',
  roles: ['preop'],
  title: 'Stream context set in a pre-create callback',
  why: 'Before a create reaches the file system, the file object is not opened yet: there is no stream to attach a context to, and FltSetStreamContext cannot work there. Allocate the context in the pre-create if you must, pass it to the post-create as the completion context, and set it there once the create has succeeded.',
  sources: [DOCS.ddi('nf-fltkernel-fltsetstreamcontext')],
  wants: (c) => hasRole(c, 'preop') && callsAny(c, SET_STREAM),
  check(ctx) {
    const out: RawFinding[] = [];
    const role = ctx.role('preop');
    if (!role?.majors) return out;
    const seen = new Set<string>();
    for (const { call, op } of opAtCalls(ctx, SET_STREAM, role.majors) ?? []) {
      const k = `${call.r.sr}:${call.r.sc}`;
      if (!op.majors?.includes('IRP_MJ_CREATE') || seen.has(k)) continue;
      seen.add(k);
      const only = op.majors.length === 1;
      out.push({
        at: ctx.loc(call.r),
        message: only
          ? 'FltSetStreamContext is called before the create has opened the file; set the stream context in the post-create callback, after the create succeeded.'
          : `FltSetStreamContext may be called here during IRP_MJ_CREATE (the path allows ${op.majors.join(', ')}), before the file is open; set it in the post-create callback.`,
      });
    }
    return out;
  },
});
export default rule;
