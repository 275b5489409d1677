import { Irql } from '../../kernel/irql';
import type { CallExpr } from '../frontend/ir';
import { pathOf } from '../frontend/exprs';
import { reasonOrigin } from '../analysis/irql';
import { DOCS, callsAny, type RawFinding, functionRule } from '../rule';
import { findLeaks, leakEnd } from './refTracking';
import { callsTo, explainIrql } from './support';

const GETTERS: Record<string, number> = {
  FltGetFileNameInformation: 2,
  FltGetFileNameInformationUnsafe: 3,
  FltGetDestinationFileNameInformation: 6,
};
const GETTER_NAMES = new Set(Object.keys(GETTERS));
const BORROWERS = new Set(['FltParseFileNameInformation', 'FltReferenceFileNameInformation', 'FltGetTunneledName']);
/** String routines that write their first argument. */
const WRITES_FIRST = new Set(['RtlCopyUnicodeString', 'RtlAppendUnicodeStringToString', 'RtlAppendUnicodeToString', 'RtlUpcaseUnicodeString', 'RtlDowncaseUnicodeString', 'RtlInitUnicodeString', 'RtlInitEmptyUnicodeString']);

const rule = functionRule({
  id: 'name-info',
  severity: 'error',
  scope: 'function',
  title: 'File-name information misused',
  why: 'FltGetFileNameInformation returns a shared, referenced FLT_FILE_NAME_INFORMATION. The caller must release it exactly once with FltReleaseFileNameInformation (releasing it again is bug check 0xF5, parameter 0x68), must not modify it (other filters see the same structure), and may only ask for it at IRQL <= APC_LEVEL.',
  sources: [DOCS.ddi('nf-fltkernel-fltgetfilenameinformation'), DOCS.ddi('nf-fltkernel-fltreleasefilenameinformation'), DOCS.debugger('bug-check-0xf5--fltmgr-file-system')],
  wants: (c) => callsAny(c, GETTER_NAMES),
  check(ctx) {
    const out: RawFinding[] = [];
    const aliases = ctx.aliases;
    const seen = new Set<string>();
    const once = (k: string) => (seen.has(k) ? false : (seen.add(k), true));
    const leaks = findLeaks(ctx, {
      acquire: (c: CallExpr) => (c.callee && GETTERS[c.callee] !== undefined ? { arg: GETTERS[c.callee], by: 'status' } : undefined),
      release: (c) => (c.callee === 'FltReleaseFileNameInformation' ? 0 : undefined),
      borrows: (callee) => BORROWERS.has(callee),
      onDoubleRelease: (c, r) => {
        if (!once(`double@${c.r.sr}:${c.r.sc}`)) return;
        out.push({ at: ctx.loc(c.r), message: `'${r.path}' was already released on this path; release name information exactly once per successful get.`, related: [{ at: ctx.loc(r.at ?? r.site), message: 'released here first' }] });
      },
      onAssign: (a, res) => {
        const target = pathOf(a.left, aliases);
        if (!target) return;
        for (const r of res) {
          if (r.state !== 'held' || !(target.startsWith(`${r.path}->`))) continue;
          if (!once(`write@${a.r.sr}:${a.r.sc}`)) continue;
          out.push({ at: ctx.loc(a.r), message: `Name information from ${r.kind} is shared and must not be modified; copy the name into your own buffer first.`, related: [{ at: ctx.loc(r.site), message: 'obtained here' }] });
        }
      },
      onCall: (c, res) => {
        if (!c.callee || !WRITES_FIRST.has(c.callee) || !c.args[0]) return;
        const target = pathOf(c.args[0], aliases)?.replace(/^&/, '');
        for (const r of res) {
          if (r.state !== 'held' || !target?.startsWith(`${r.path}->`)) continue;
          if (!once(`write@${c.r.sr}:${c.r.sc}`)) continue;
          out.push({ at: ctx.loc(c.r), message: `${c.callee} would modify shared name information from ${r.kind}; copy the name into your own buffer first.`, related: [{ at: ctx.loc(r.site), message: 'obtained here' }] });
        }
      },
    });
    for (const leak of leaks) {
      out.push({
        at: ctx.loc(leak.res.site),
        message: `Name information '${leak.res.path}' from ${leak.res.kind} is not released on every path; call FltReleaseFileNameInformation(${leak.res.path}) before returning.`,
        related: [leakEnd(ctx, leak)],
      });
    }
    // Asking for a name under a spin lock (post-op callers are reported by postop-irql-unsafe-call).
    for (const c of callsTo(ctx, GETTER_NAMES)) {
      const est = ctx.irqlAt(c);
      if (!est || est.level < Irql.DISPATCH_LEVEL) continue;
      const origin = reasonOrigin(est.reason);
      if (origin?.k === 'role' && origin.role === 'postop') continue;
      const why = explainIrql(est, ctx.name);
      out.push({ at: ctx.loc(c.r), message: `${c.callee} needs IRQL <= APC_LEVEL but ${why.text}; get the name before raising IRQL.`, related: why.related });
    }
    return out;
  },
});
export default rule;
