import { DOCS, type RawFinding, fileRule } from '../rule';

const rule = fileRule({
  id: 'cbdq-never-inserted',
  severity: 'warning',
  scope: 'file',
  title: 'Cancel-safe queue set up but never inserted into',
  why: 'A cancel-safe callback data queue only holds what FltCbdqInsertIo puts in it. A driver that initializes a queue — and writes its six callbacks, a worker that empties it and a teardown that drains it — but never calls FltCbdqInsertIo anywhere has a queue that is always empty: the operations it was meant to hold are pended some other way, or not at all, and none of that code is ever exercised.',
  sources: [DOCS.ddi('nf-fltkernel-fltcbdqinitialize'), DOCS.ddi('nf-fltkernel-fltcbdqinsertio')],
  check(ctx) {
    const out: RawFinding[] = [];
    const own = ctx.roles.cbdqs.filter((q) => q.site.file === undefined);
    if (own.length === 0) return out;
    const inserts = ctx.model.functionList.some((f) => f.facts.callNames.has('FltCbdqInsertIo')) || ctx.foreign.calls.has('FltCbdqInsertIo');
    if (inserts) return out;
    for (const q of own) {
      out.push({
        at: q.site,
        message: `The queue ${q.queuePath.replace(/^&/, '')} is initialized here, but nothing in the driver calls FltCbdqInsertIo, so it is always empty; insert the operations it is meant to hold, or remove it.`,
      });
    }
    return out;
  },
});
export default rule;
