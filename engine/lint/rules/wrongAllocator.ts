/** Shared by generic-wi-wrong-allocator and deferred-wi-wrong-allocator: where a queued item came from. */
import type { CallExpr, Span } from '../frontend/ir';
import { addressOf, callKey, idName, pathOf, strip } from '../frontend/exprs';
import { runFlow } from '../analysis/flow';
import type { FunctionContext } from '../context';
import type { RawFinding } from '../rule';
import { ALLOCATORS, FOREIGN_ALLOCATORS, workerKind } from './workItems';

interface Origin {
  path: string;
  api: string;
  site: Span;
}
type S = readonly Origin[];

export function checkAllocator(ctx: FunctionContext, queue: string, want: 'generic' | 'deferred'): RawFinding[] {
  const out: RawFinding[] = [];
  if (!ctx.readable) return out;
  const aliases = ctx.aliases;
  const rightAlloc = want === 'generic' ? 'FltAllocateGenericWorkItem' : 'FltAllocateDeferredIoWorkItem';
  const seen = new Set<string>();
  const kind = workerKind(ctx.roles);
  const item = ctx.param(0);
  const init: Origin[] = kind && item ? [{ path: item, api: kind === 'generic' ? 'FltAllocateGenericWorkItem' : 'FltAllocateDeferredIoWorkItem', site: ctx.fn.nameSpan }] : [];
  runFlow<S>(ctx, {
    init,
    key: (s) => s.map((o) => `${o.path}=${o.api}@${o.site.sr}:${o.site.sc}`).join(','),
    call: (c: CallExpr, s) => {
      if (c.callee !== queue || !c.args[0]) return s;
      const arg = c.args[0];
      const stack = addressOf(arg);
      const stackName = stack ? idName(stack) : undefined;
      if (stackName && ctx.fn.locals.has(stackName) && !ctx.fn.staticLocals.has(stackName)) {
        if (!seen.has(callKey(c))) {
          seen.add(callKey(c));
          out.push({ at: ctx.loc(arg.r), message: `${queue} needs an item from ${rightAlloc}, not the address of local '${stackName}'; allocate it with ${rightAlloc}.` });
        }
        return s;
      }
      const p = pathOf(arg, aliases);
      const o = s.find((x) => x.path === p);
      if (!o || o.api === rightAlloc) return s;
      if (!(ALLOCATORS[o.api] || FOREIGN_ALLOCATORS.has(o.api))) return s;
      const k = `${callKey(c)}|${o.api}`;
      if (seen.has(k)) return s;
      seen.add(k);
      out.push({
        at: ctx.loc(arg.r),
        message: `${queue} needs an item from ${rightAlloc}, but '${p}' comes from ${o.api}; allocate it with ${rightAlloc}.`,
        related: [{ at: ctx.loc(o.site), message: `allocated with ${o.api} here` }],
      });
      return s;
    },
    assign: (a, s) => {
      const target = pathOf(a.left, aliases);
      let next = target === undefined ? s : s.filter((o) => o.path !== target);
      const rhs = strip(a.right);
      const local = idName(a.left);
      if (rhs.k === 'call' && rhs.callee && local) next = [...next, { path: local, api: rhs.callee, site: rhs.r }];
      return next.length === s.length && next.every((x, i) => x === s[i]) ? s : next;
    },
  });
  return out;
}
