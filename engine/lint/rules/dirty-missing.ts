import type { Span } from '../frontend/ir';
import { pathOf } from '../frontend/exprs';
import { runFlow } from '../analysis/flow';
import { DOCS, hasRole, type RawFinding, functionRule } from '../rule';
import type { FunctionContext } from '../context';

interface S {
  writes: readonly Span[];
  dirty: boolean;
}

/** A text-level hint that the function assigns an Iopb parameter (directly or through an alias). */
const CHANGES_PARAMETERS = /\b(?:Parameters\.[\w.[\]]+|TargetFileObject|TargetInstance|Buffer|Address|Length)\s*=(?!=)/;

/** Writes to these Iopb members change the operation and must be reported with FltSetCallbackDataDirty. */
const CHANGED = /^(Parameters|TargetFileObject|TargetInstance)\b/;

/** The callback-data parameter of a role that may change the operation in flight. */
function dataOf(ctx: FunctionContext): string | undefined {
  if (ctx.role('preop') || ctx.role('postop') || ctx.role('safepost')) return ctx.param(0);
  const w = ctx.role('worker');
  if (w && w.kind === 'deferred') return ctx.param(1);
  return undefined;
}

const rule = functionRule({
  id: 'dirty-missing',
  severity: 'error',
  scope: 'function',
  roles: ['preop', 'postop', 'safepost', 'worker'],
  title: 'Parameter change not marked dirty',
  why: 'When a minifilter changes the parameters of an operation — Iopb->Parameters, TargetFileObject, TargetInstance, buffers and MDLs — it must call FltSetCallbackDataDirty(Data). Without it the Filter Manager does not pick up the change and lower filters and the file system see the old values. Changes to IoStatus do not need it.',
  sources: [DOCS.ddi('nf-fltkernel-fltsetcallbackdatadirty'), DOCS.ifs('modifying-the-parameters-for-an-i-o-operation')],
  wants: (c) => hasRole(c, 'preop', 'postop', 'safepost', 'worker') && c.facts.test(CHANGES_PARAMETERS),
  check(ctx) {
    const out: RawFinding[] = [];
    const data = dataOf(ctx);
    if (!data || !ctx.readable) return out;
    const aliases = ctx.aliases;
    const prefix = `${data}->Iopb->`;
    const found = new Map<string, Span>();
    const complete = runFlow<S>(ctx, {
      init: { writes: [], dirty: false },
      key: (s) => `${s.dirty ? 1 : 0}${s.writes.map((w) => `${w.sr}:${w.sc}`).join(',')}`,
      assign: (a, s) => {
        const p = pathOf(a.left, aliases);
        if (!p || !p.startsWith(prefix) || !CHANGED.test(p.slice(prefix.length)) || s.dirty) return s;
        return { ...s, writes: [...s.writes, a.r] };
      },
      call: (c, s) => {
        const name = c.callee ?? '';
        if (name === 'FltSetCallbackDataDirty' && pathOf(c.args[0], aliases) === data) return { writes: [], dirty: true };
        // Handing the operation to another routine (which may mark it dirty) ends our knowledge.
        if (s.writes.length > 0 && !/^(Flt|Rtl|Dbg|Kd|Ex|Ke|Mm|Io)|^[A-Z0-9_]+$/.test(name) && c.args.some((a) => pathOf(a, aliases) === data)) return { ...s, writes: [] };
        return s;
      },
      // A pre-op that completes the operation itself sends it nowhere: its parameters no longer matter.
      exit: (s, env, ret) => {
        if (ret?.expr && ctx.values.valueOf(env, ret.expr) === 'FLT_PREOP_COMPLETE') return;
        for (const w of s.writes) found.set(`${w.sr}:${w.sc}`, w);
      },
    });
    if (!complete) return out;
    for (const w of found.values()) {
      out.push({ at: ctx.loc(w), message: `This changes the operation's parameters but ${data} is not marked dirty on this path; call FltSetCallbackDataDirty(${data}) after the change.` });
    }
    return out;
  },
});
export default rule;
