import type { CallExpr, Span } from '../frontend/ir';
import { callKey, idName, pathOf, strip } from '../frontend/exprs';
import { runFlow } from '../analysis/flow';
import { DOCS, callsAny, type RawFinding, functionRule } from '../rule';
import { ALLOCATORS, FREES, QUEUES, kindLabel, workerKind } from './workItems';

interface Item {
  path: string;
  kind: 'generic' | 'deferred';
  freed?: Span;
  site: Span;
}
type S = readonly Item[];

/** Built once: `wants` runs for every function of every file. */
const FREE_NAMES = Object.keys(FREES);

const rule = functionRule({
  id: 'wi-free-mismatch',
  severity: 'error',
  scope: 'function',
  title: 'Wrong free routine, double free, or use after free of a work item',
  why: 'Generic and deferred-I/O work items are different objects: each must be freed with its own routine (FltFreeGenericWorkItem or FltFreeDeferredIoWorkItem), exactly once, and never queued again after it was freed.',
  sources: [DOCS.ddi('nf-fltkernel-fltfreegenericworkitem'), DOCS.ddi('nf-fltkernel-fltfreedeferredioworkitem')],
  wants: (c) => callsAny(c, FREE_NAMES),
  check(ctx) {
    const out: RawFinding[] = [];
    if (!ctx.readable) return out;
    const aliases = ctx.aliases;
    const seen = new Set<string>();
    const report = (c: CallExpr, f: RawFinding) => {
      const k = callKey(c) + f.message;
      if (seen.has(k)) return;
      seen.add(k);
      out.push(f);
    };
    const kind = workerKind(ctx.roles);
    const item = ctx.param(0);
    const init: Item[] = kind && item ? [{ path: item, kind, site: ctx.fn.nameSpan }] : [];
    runFlow<S>(ctx, {
      init,
      key: (s) => s.map((i) => `${i.path}:${i.kind}:${i.freed ? `${i.freed.sr}.${i.freed.sc}` : ''}`).join(','),
      call: (c, s) => {
        const name = c.callee ?? '';
        const p = c.args[0] ? pathOf(c.args[0], aliases) : undefined;
        const it = p === undefined ? undefined : s.find((i) => i.path === p);
        if (!it) return s;
        const freeKind = FREES[name];
        if (freeKind) {
          if (it.freed) {
            report(c, { at: ctx.loc(c.r), message: `'${p}' was already freed on this path; free a work item exactly once.`, related: [{ at: ctx.loc(it.freed), message: 'freed here first' }] });
            return s;
          }
          if (freeKind !== it.kind) {
            const right = it.kind === 'generic' ? 'FltFreeGenericWorkItem' : 'FltFreeDeferredIoWorkItem';
            report(c, {
              at: ctx.loc(c.r),
              message: `'${p}' is a ${kindLabel(it.kind)}; free it with ${right}, not ${name}.`,
              related: [{ at: ctx.loc(it.site), message: 'its kind comes from here' }],
              fixes: [{ title: `Use ${right}`, edits: [{ at: ctx.loc(c.fn.r), newText: right }] }],
            });
          }
          return s.map((i) => (i === it ? { ...i, freed: c.r } : i));
        }
        if (QUEUES[name] && it.freed) {
          report(c, { at: ctx.loc(c.r), message: `'${p}' is queued after it was freed; allocate a new work item instead.`, related: [{ at: ctx.loc(it.freed), message: 'freed here' }] });
        }
        return s;
      },
      assign: (a, s) => {
        const target = pathOf(a.left, aliases);
        let next = target === undefined ? s : s.filter((i) => i.path !== target);
        const rhs = strip(a.right);
        const local = idName(a.left);
        if (rhs.k === 'call' && rhs.callee && ALLOCATORS[rhs.callee] && local) next = [...next, { path: local, kind: ALLOCATORS[rhs.callee], site: rhs.r }];
        return next.length === s.length && next.every((x, i) => x === s[i]) ? s : next;
      },
    });
    return out;
  },
});
export default rule;
