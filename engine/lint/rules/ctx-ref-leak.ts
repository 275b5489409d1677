import type { CallExpr } from '../frontend/ir';
import { DOCS, callsAny, type RawFinding, functionRule } from '../rule';
import { findLeaks, leakEnd } from './refTracking';

/** Routines that hand out a referenced context, and the argument that receives it. */
const GETTERS: Record<string, number> = {
  FltAllocateContext: 4,
  FltGetInstanceContext: 1,
  FltGetStreamContext: 2,
  FltGetStreamHandleContext: 2,
  FltGetVolumeContext: 2,
  FltGetFileContext: 2,
  FltGetTransactionContext: 2,
  FltGetSectionContext: 2,
};
/** FltSet*Context / FltDelete*Context: the OldContext argument (referenced when not NULL). */
const OLD_CONTEXT: Record<string, number> = {
  FltSetInstanceContext: 3, FltSetVolumeContext: 3, FltSetStreamContext: 4, FltSetStreamHandleContext: 4,
  FltSetFileContext: 4, FltSetTransactionContext: 4, FltSetSectionContext: 4,
  FltDeleteInstanceContext: 1, FltDeleteVolumeContext: 2, FltDeleteStreamContext: 2, FltDeleteStreamHandleContext: 2,
  FltDeleteFileContext: 2, FltDeleteTransactionContext: 2,
};
const TRIGGERS = new Set([...Object.keys(GETTERS), ...Object.keys(OLD_CONTEXT)]);
/** Passing the context to these does not transfer the caller's reference. */
const BORROWERS = new Set([
  ...Object.keys(OLD_CONTEXT), 'FltDeleteContext', 'FltReferenceContext', 'FltGetContextsEx',
  'FltCompareInstanceAltitudes', 'ExAcquireResourceExclusiveLite', 'ExAcquireResourceSharedLite',
]);

const rule = functionRule({
  id: 'ctx-ref-leak',
  severity: 'error',
  scope: 'function',
  title: 'Context reference leaked',
  why: 'FltAllocateContext and the FltGet*Context routines return a context with a reference the caller owns; FltSet*Context and FltDelete*Context return the old context, when they return one, with a reference too. Each reference must be dropped with FltReleaseContext on every path, or the context (and the object it hangs off) is never freed; Filter Verifier reports the leak when the filter unloads.',
  sources: [DOCS.ddi('nf-fltkernel-fltreleasecontext'), DOCS.ifs('releasing-contexts'), DOCS.devtest('file-system-filter-verification')],
  wants: (c) => callsAny(c, TRIGGERS),
  check(ctx) {
    const out: RawFinding[] = [];
    const leaks = findLeaks(ctx, {
      acquire: (c: CallExpr) => {
        if (!c.callee) return undefined;
        if (GETTERS[c.callee] !== undefined) return { arg: GETTERS[c.callee], by: 'status' };
        if (OLD_CONTEXT[c.callee] !== undefined) return { arg: OLD_CONTEXT[c.callee], by: 'nonnull' };
        return undefined;
      },
      release: (c) => (c.callee === 'FltReleaseContext' ? 0 : undefined),
      borrows: (callee) => BORROWERS.has(callee),
    });
    for (const leak of leaks) {
      const end = leakEnd(ctx, leak);
      out.push({
        at: ctx.loc(leak.res.site),
        message: `The context reference '${leak.res.path}' obtained by ${leak.res.kind} is not released on every path; call FltReleaseContext(${leak.res.path}) before returning.`,
        related: [end],
      });
    }
    return out;
  },
});
export default rule;
