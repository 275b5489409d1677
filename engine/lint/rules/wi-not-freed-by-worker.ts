import { DOCS, hasRole, type RawFinding, functionRule } from '../rule';
import { findLeaks, leakEnd } from './refTracking';
import { FREES, workerKind } from './workItems';

const rule = functionRule({
  id: 'wi-not-freed-by-worker',
  severity: 'warning',
  scope: 'function',
  roles: ['worker'],
  title: 'Worker does not free its work item',
  why: 'A work item is normally freed by its own worker routine once the work is done. A worker that returns on some path without FltFreeGenericWorkItem / FltFreeDeferredIoWorkItem — and without queuing the item again or storing it — leaks it; Filter Verifier tracks queued work items and reports the leak when the filter unloads.',
  sources: [DOCS.ddi('nf-fltkernel-fltallocategenericworkitem'), DOCS.ddi('nf-fltkernel-fltqueuedeferredioworkitem'), DOCS.devtest('file-system-filter-verification')],
  wants: (c) => hasRole(c, 'worker'),
  check(ctx) {
    const out: RawFinding[] = [];
    const kind = workerKind(ctx.roles);
    const item = ctx.param(0);
    const role = ctx.role('worker');
    if (!kind || !item || !role) return out;
    const free = kind === 'generic' ? 'FltFreeGenericWorkItem' : 'FltFreeDeferredIoWorkItem';
    const leaks = findLeaks(ctx, {
      initial: [{ id: `param:${item}`, path: item, state: 'held', kind, site: ctx.fn.nameSpan }],
      acquire: () => undefined,
      release: (c) => (c.callee && FREES[c.callee] ? 0 : undefined),
      borrows: () => false,
    });
    for (const leak of leaks) {
      out.push({
        at: ctx.loc(ctx.fn.nameSpan),
        message: `Worker ${ctx.name} can return without freeing its work item '${item}'; call ${free}(${item}) on every path once the work is done.`,
        related: [leakEnd(ctx, leak, 'freeing'), { at: role.site, message: 'queued here' }],
      });
    }
    return out;
  },
});
export default rule;
