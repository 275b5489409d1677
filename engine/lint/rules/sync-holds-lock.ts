import { LOCK_APIS, lockKindLabel, type LockKind } from '../analysis/locks';
import { runFlow } from '../analysis/flow';
import { pathOf } from '../frontend/exprs';
import type { Span } from '../frontend/ir';
import { allCalls } from '../frontend/walk';
import type { FunctionContext } from '../context';
import { DOCS, hasRole, mentionsAny, type RawFinding, functionRule } from '../rule';

interface Held {
  kind: LockKind;
  lock: string;
  site: Span;
  api: string;
}

function heldKey(h: readonly Held[]): string {
  return h.map((x) => `${x.kind}:${x.lock}`).join(',');
}

/**
 * The post-op that releases a lock of `kind` it did not take itself (more releases than acquires of
 * that kind in it and the driver functions it calls), with one of its release routines.
 */
function releasedIn(ctx: FunctionContext, postOps: readonly (string | null)[], kind: LockKind): { fn: string; api: string } | undefined {
  for (const post of postOps) {
    if (!post) continue;
    let balance = 0;
    let api: string | undefined;
    for (const n of new Set([post, ...ctx.file.irql.callsTransitively(post)])) {
      const fc = n === post || ctx.file.knows(n) ? ctx.file.functionContext(n) : undefined;
      if (!fc) continue;
      for (const c of allCalls(fc.fn.body)) {
        const a = c.callee ? LOCK_APIS[c.callee] : undefined;
        if (!a || a.kind !== kind) continue;
        if (a.acquire) balance--;
        else { balance++; api ??= c.callee; }
      }
    }
    if (balance > 0 && api) return { fn: post, api };
  }
  return undefined;
}

const rule = functionRule({
  id: 'sync-holds-lock',
  severity: 'warning',
  scope: 'function',
  roles: ['preop'],
  title: 'Lock held from the pre-operation to the post-operation callback',
  why: 'With FLT_PREOP_SYNCHRONIZE the thread that returns from the pre-operation callback waits until the operation completes and the post-operation callback has run. A lock taken in the pre-op and released in the post-op is held across the whole trip through the lower filters and the file system: any of them that needs the same lock (or waits for something that does, such as the memory manager flushing a file) deadlocks, and a spin lock would also keep the IRQL at DISPATCH_LEVEL where the file system cannot run. Take and drop the lock inside each callback.',
  sources: [DOCS.ifs('returning-flt-preop-synchronize')],
  wants: (c) => hasRole(c, 'preop') && mentionsAny(c, 'FLT_PREOP_SYNCHRONIZE') && [...c.facts.callNames].some((n) => LOCK_APIS[n]?.acquire && LOCK_APIS[n].kind !== 'raise'),
  check(ctx) {
    const out: RawFinding[] = [];
    const role = ctx.role('preop');
    if (!role || !ctx.readable) return out;
    const seen = new Set<string>();
    runFlow<readonly Held[]>(ctx, {
      init: [],
      key: heldKey,
      call: (c, s) => {
        const api = c.callee ? LOCK_APIS[c.callee] : undefined;
        if (!api || api.kind === 'raise') return s;
        const arg = api.arg === undefined ? undefined : c.args[api.arg];
        const lock = (arg ? pathOf(arg, ctx.aliases) : undefined)?.replace(/^&/, '') ?? '?';
        if (api.acquire) return [...s, { kind: api.kind, lock, site: c.r, api: c.callee! }];
        const at = s.findIndex((h) => h.kind === api.kind && (h.lock === lock || lock === '?' || h.lock === '?'));
        return at < 0 ? s : [...s.slice(0, at), ...s.slice(at + 1)];
      },
      ret: (node, value, s) => {
        if (value !== 'FLT_PREOP_SYNCHRONIZE' || s.length === 0) return s;
        for (const h of s) {
          const k = `${node.id}|${h.site.sr}:${h.site.sc}`;
          if (seen.has(k)) continue;
          const rel = releasedIn(ctx, role.postOps, h.kind);
          if (!rel) continue;
          seen.add(k);
          out.push({
            at: ctx.loc(node.r),
            message: `FLT_PREOP_SYNCHRONIZE is returned while the ${lockKindLabel(h.kind)} ${h.lock} taken here with ${h.api} is still held, and ${rel.fn} releases it with ${rel.api}: the lock is held while the operation goes down the stack. Release it before returning and take it again in the post-operation callback.`,
            related: [{ at: ctx.loc(h.site), message: `${h.lock} is acquired here` }],
          });
        }
        return s;
      },
    });
    return out;
  },
});
export default rule;
