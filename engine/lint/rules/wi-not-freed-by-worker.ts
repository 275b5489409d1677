import { DOCS, hasRole, type RawFinding, functionRule } from '../rule';
import { findLeaks, leakEnd } from './refTracking';
import { FREES, workerKind } from './workItems';
import { contextRoots } from './pendedItems';

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
    const track = (path: string, borrows: (callee: string) => boolean = () => false) => findLeaks(ctx, {
      initial: [{ id: `param:${path}`, path, state: 'held', kind, site: ctx.fn.nameSpan }],
      acquire: () => undefined,
      release: (c) => (c.callee && FREES[c.callee] ? 0 : undefined),
      borrows,
    });
    const leaks = track(item);
    // The queuing code kept the item in the context it queued (`Item->WorkItem`): freed through the
    // context here, or handed with the context to a helper of the driver (which can free it), it is
    // not leaked by the worker. Routines of the system only borrow the context.
    const context = ctx.param(2);
    const field = role.itemField;
    if (leaks.length > 0 && field && context) {
      const roots = contextRoots(ctx, context);
      const viaContext = roots.some((root) => track(`${root}->${field}`).length === 0);
      const handedOn = roots.some((root) => track(root, (callee) => !ctx.file.knows(callee)).length === 0);
      if (viaContext || handedOn) return out;
    }
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
