/** The findings both pended-*-not-completed rules report, from the one analysis in pendedItems.ts. */
import type { Candidate, RawFinding } from '../rule';
import type { FunctionContext } from '../context';
import { pendedLeaks, type PendedKind } from './pendedItems';

export function wantsPended(c: Candidate): boolean {
  const w = c.roles.find((r) => r.k === 'worker');
  if (w && w.k === 'worker' && (w.kind === 'deferred' || w.carries)) return true;
  return c.facts.callNames.has('FltCbdqRemoveNextIo') || c.facts.callNames.has('FltCbdqRemoveIo');
}

export function pendedFindings(ctx: FunctionContext, kind: PendedKind): RawFinding[] {
  const out: RawFinding[] = [];
  const api = kind === 'pre' ? 'FltCompletePendedPreOperation' : 'FltCompletePendedPostOperation';
  for (const leak of pendedLeaks(ctx)) {
    if (leak.kind !== kind) continue;
    const end = leak.ret ?? { sr: ctx.fn.span.er, sc: Math.max(0, ctx.fn.span.ec - 1), er: ctx.fn.span.er, ec: ctx.fn.span.ec };
    out.push({
      at: ctx.loc(end),
      message: `${ctx.name} can ${leak.ret ? 'return here' : 'reach its end'} without completing the pended operation '${leak.path}'; call ${api}(${leak.path}${kind === 'pre' ? ', …' : ''}) on every path, or the I/O never finishes.`,
      related: [leak.origin],
    });
  }
  return out;
}
