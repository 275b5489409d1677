import { DOCS, hasRole, type RawFinding, functionRule } from '../rule';
import { callbackPaths } from './callbackPaths';

const STORES_CONTEXT = /\*\s*[A-Za-z_]\w*\s*=(?!=)\s*(?!NULL\b|0\s*;)/;
const IGNORES_CONTEXT = new Set(['FLT_PREOP_PENDING', 'FLT_PREOP_COMPLETE', 'FLT_PREOP_SUCCESS_NO_CALLBACK', 'FLT_PREOP_DISALLOW_FASTIO', 'FLT_PREOP_DISALLOW_FSFILTER_IO']);

const rule = functionRule({
  id: 'preop-ctx-nonnull',
  severity: 'error',
  scope: 'function',
  roles: ['preop'],
  title: 'Completion context set for a status that ignores it',
  why: 'The completion context a pre-operation callback stores in *CompletionContext is delivered only to its post-operation callback, which runs only after FLT_PREOP_SUCCESS_WITH_CALLBACK or FLT_PREOP_SYNCHRONIZE. With any other status it must be NULL (the _Flt_CompletionContext_Outptr_ annotation checks this); whatever it points to would never be seen or freed.',
  sources: [DOCS.ddi('nc-fltkernel-pflt_pre_operation_callback'), DOCS.devtest('-flt-completioncontext-outptr--annotation'), DOCS.ifs('completing-an-i-o-operation-in-a-preoperation-callback-routine')],
  // Only callbacks that store something other than NULL through a pointer parameter.
  wants: (c) => hasRole(c, 'preop') && c.facts.test(STORES_CONTEXT),
  check(ctx) {
    const out: RawFinding[] = [];
    const paths = callbackPaths(ctx);
    if (!paths) return out;
    const seen = new Set<string>();
    for (const r of paths.returns) {
      if (!r.value || !IGNORES_CONTEXT.has(r.value) || !r.ctxSet || r.ctxSet.k !== 'set') continue;
      const k = `${r.ctxSet.site.sr}:${r.ctxSet.site.sc}`;
      if (seen.has(k)) continue;
      seen.add(k);
      out.push({
        at: ctx.loc(r.ctxSet.site),
        message: `*${ctx.param(2)} is set here but ${r.value} is returned on this path; set it to NULL (and free what it points to) unless the callback returns FLT_PREOP_SUCCESS_WITH_CALLBACK or FLT_PREOP_SYNCHRONIZE.`,
        related: [{ at: ctx.loc(r.node.r), message: `returns ${r.value} here` }],
      });
    }
    return out;
  },
});
export default rule;
