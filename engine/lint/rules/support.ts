/** Small helpers several rules share: walking calls with known constants, and explaining IRQL. */
import { Irql, irqlName } from '../../kernel/irql';
import type { CallExpr } from '../frontend/ir';
import { callKey } from '../frontend/exprs';
import { allCalls } from '../frontend/walk';
import { runFlow } from '../analysis/flow';
import type { Env } from '../analysis/values';
import { lockKindLabel, LOCK_APIS } from '../analysis/locks';
import type { IrqlEstimate, IrqlReason } from '../analysis/irqlTypes';
import type { FunctionContext } from '../context';
import type { Candidate, RawRelated } from '../rule';

/** Calls to any of `names` in the function, in source order (no control flow). */
export function callsTo(ctx: FunctionContext, names: ReadonlySet<string>): CallExpr[] {
  return allCalls(ctx.fn.body).filter((c) => c.callee !== undefined && names.has(c.callee));
}

/** Calls whose arguments rules read with constants known: one shared walk per function. */
const ENV_CALLS = new Set(['FltCompletePendedPreOperation']);
const ENV_MEMO = new WeakMap<FunctionContext, { c: CallExpr; env: Env }[]>();

/**
 * Visits each call to one of `names` once per distinct constant environment that reaches it, so a
 * rule can ask what a status variable holds there. Unreadable functions are skipped. Calls to
 * FltCompletePendedPreOperation are collected once per function for all the rules that read them.
 */
export function callsWithEnv(ctx: FunctionContext, names: ReadonlySet<string>, visit: (c: CallExpr, env: Env) => void): void {
  if (!ctx.readable) return;
  if (ctx.values.vars.size === 0) {
    for (const c of callsTo(ctx, names)) visit(c, ctx.values.empty);
    return;
  }
  const shared = [...names].every((n) => ENV_CALLS.has(n));
  if (shared) {
    let seen = ENV_MEMO.get(ctx);
    if (!seen) {
      const list: { c: CallExpr; env: Env }[] = [];
      runFlow<number>(ctx, {
        init: 0,
        key: () => '',
        call: (c, e, env) => {
          if (c.callee && ENV_CALLS.has(c.callee)) list.push({ c, env });
          return e;
        },
      });
      seen = list;
      ENV_MEMO.set(ctx, seen);
    }
    for (const { c, env } of seen) if (c.callee && names.has(c.callee)) visit(c, env);
    return;
  }
  runFlow<number>(ctx, {
    init: 0,
    key: () => '',
    call: (c, e, env) => {
      if (c.callee && names.has(c.callee)) visit(c, env);
      return e;
    },
  });
}

/** Keeps the first finding per call when a call is visited along several paths. */
export class OncePerCall {
  private readonly seen = new Set<string>();
  first(c: CallExpr, tag = ''): boolean {
    const k = callKey(c) + tag;
    if (this.seen.has(k)) return false;
    this.seen.add(k);
    return true;
  }
}

/** Whether any code of the function may run at DISPATCH_LEVEL: its entry, or a lock it may take. */
export function mayRunAtDispatch(c: Candidate): boolean {
  const e = c.file.irql.entry(c.name);
  if (e && e.level >= Irql.DISPATCH_LEVEL) return true;
  for (const n of c.file.irql.callsTransitively(c.name)) {
    const api = LOCK_APIS[n];
    if (api?.acquire && (api.kind === 'spin' || api.kind === 'raise')) return true;
  }
  return false;
}

/** Plain words for why code may run at DISPATCH_LEVEL, plus where to look. */
export function explainIrql(est: IrqlEstimate, here?: string): { text: string; related: RawRelated[] } {
  const related: RawRelated[] = [];
  const level = irqlName(est.level);
  let r: IrqlReason | undefined = est.reason;
  const hops: string[] = [];
  while (r && r.k === 'call') {
    related.push({ at: r.site, message: `called from ${r.caller} here` });
    hops.push(r.caller);
    r = r.via;
  }
  let text: string;
  if (!r) text = `this code may run at ${level}`;
  else if (r.k === 'lock') {
    const api = LOCK_APIS[r.api];
    related.push({ at: r.site, message: `${api ? lockKindLabel(api.kind) : r.api} acquired here` });
    text = `a ${api ? lockKindLabel(api.kind) : 'lock'} is held here (${level})`;
  } else if (r.k === 'annotation') {
    text = `${r.fn} is annotated ${r.text}, so it may be called at ${level}`;
  } else if (r.role === 'postop') {
    text = `${r.fn} is a post-operation callback and may run at ${irqlName(Irql.DISPATCH_LEVEL)}`;
  } else if (r.role === 'dpc') {
    text = `${r.fn} is a DPC routine and runs at ${irqlName(Irql.DISPATCH_LEVEL)}`;
  } else if (r.role === 'completion') {
    text = `${r.fn} is the completion routine of ${r.api ?? 'an asynchronous operation'} and may run at ${irqlName(Irql.DISPATCH_LEVEL)}`;
  } else {
    text = `${r.fn} runs under the queue's spin lock taken in ${r.acquire ?? 'its Acquire callback'} (${irqlName(Irql.DISPATCH_LEVEL)})`;
  }
  if (hops.length > 0) text += ` (via ${[...hops.reverse(), ...(here ? [here] : [])].join(' → ')})`;
  return { text, related };
}
