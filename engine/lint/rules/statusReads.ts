/** "Is the status this call returned ever looked at?" — for calls whose result must be inspected. */
import type { CallExpr } from '../frontend/ir';
import { callKey, idName, mentions, strip, walkEval } from '../frontend/exprs';
import { forEachExpr } from '../frontend/walk';
import type { FunctionContext } from '../context';

export interface IgnoredStatus {
  call: CallExpr;
  /** The variable it was stored in, when it was stored and never read. */
  storedIn?: string;
}

/** Calls among `names` whose result is thrown away, or stored in a variable that is never read afterwards. */
export function ignoredStatuses(ctx: FunctionContext, names: ReadonlySet<string>): IgnoredStatus[] {
  const out: IgnoredStatus[] = [];
  const stored: { name: string; call: CallExpr }[] = [];
  const consider = (name: string | undefined, rhs: ReturnType<typeof strip>) => {
    if (name && rhs.k === 'call' && rhs.callee && names.has(rhs.callee)) stored.push({ name, call: rhs });
  };
  forEachExpr(ctx.fn.body, (e) => walkEval(e, { assign: (a) => { if (a.op === '=') consider(idName(a.left), strip(a.right)); } }));
  for (const v of ctx.fn.locals.values()) if (v.init) consider(v.name, strip(v.init));
  const read = new Set<string>();
  forEachExpr(ctx.fn.body, (e) => {
    for (const st of stored) {
      const k = `${st.name}@${callKey(st.call)}`;
      if (read.has(k)) continue;
      const after = e.r.sr > st.call.r.er || (e.r.sr === st.call.r.er && e.r.sc >= st.call.r.ec);
      if (!after) continue;
      const s = strip(e);
      const reads = s.k === 'assign' && s.op === '=' && idName(s.left) === st.name ? mentions(s.right, st.name) : mentions(s, st.name);
      if (reads) read.add(k);
    }
  });
  for (const c of ctx.cfg.discarded) if (c.callee && names.has(c.callee)) out.push({ call: c });
  for (const st of stored) if (!read.has(`${st.name}@${callKey(st.call)}`)) out.push({ call: st.call, storedIn: st.name });
  return out.sort((a, b) => a.call.r.sr - b.call.r.sr || a.call.r.sc - b.call.r.sc);
}
