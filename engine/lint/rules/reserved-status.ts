import { constName, pathOf } from '../frontend/exprs';
import { allAssignments } from '../frontend/walk';
import { DOCS, mentionsAny, type RawFinding, functionRule } from '../rule';

const RESERVED = 'STATUS_FLT_DISALLOW_FAST_IO';

const rule = functionRule({
  id: 'reserved-status',
  severity: 'error',
  scope: 'function',
  title: 'Reserved status assigned by the minifilter',
  why: 'Only the Filter Manager may set STATUS_FLT_DISALLOW_FAST_IO: it uses the code for fast I/O a filter refused with FLT_PREOP_DISALLOW_FASTIO. A minifilter that writes it into IoStatus.Status hands an internal code to the rest of the stack. To refuse fast I/O, return FLT_PREOP_DISALLOW_FASTIO and leave IoStatus alone; to fail the operation, use a real error status such as STATUS_ACCESS_DENIED.',
  sources: [DOCS.ifs('failing-an-i-o-operation-in-a-postoperation-callback-routine'), DOCS.ifs('disallowing-a-fast-i-o-operation-in-a-preoperation-callback-routine')],
  wants: (c) => mentionsAny(c, RESERVED),
  check(ctx) {
    const out: RawFinding[] = [];
    for (const a of allAssignments(ctx.fn.body)) {
      if (a.op !== '=' || constName(a.right) !== RESERVED) continue;
      const target = pathOf(a.left, ctx.aliases);
      if (!target || !/(?:^|->|\.)IoStatus\.Status$/.test(target)) continue;
      out.push({ at: ctx.loc(a.r), message: `${RESERVED} is reserved for the Filter Manager; return FLT_PREOP_DISALLOW_FASTIO to refuse fast I/O, or set a real error status to fail the operation.` });
    }
    return out;
  },
});
export default rule;
