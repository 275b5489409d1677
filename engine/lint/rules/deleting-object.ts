import type { Span } from '../frontend/ir';
import { callKey, pathOf } from '../frontend/exprs';
import { runFlow } from '../analysis/flow';
import { NO_OUTCOMES, noteAssign, outcomesKey, refineOutcomes, track, type Outcomes } from '../analysis/outcomes';
import { escapesThroughAssign, escapesThroughCall } from '../analysis/resources';
import { DOCS, type RawFinding, functionRule } from '../rule';
import { FREES, QUEUES } from './workItems';

const REFERENCES = new Set(['FltObjectReference', 'FltGetFilterFromInstance']);
const TRIGGERS = new Set([...Object.keys(QUEUES), ...REFERENCES]);

interface Pending {
  key: string;
  api: string;
  /** Work item (queue calls) or object (reference calls). */
  path: string;
  site: Span;
  /** The item was freed or handed on after the call. */
  settled: boolean;
}

interface S {
  calls: readonly Pending[];
  out: Outcomes;
}

const rule = functionRule({
  id: 'deleting-object',
  severity: 'error',
  scope: 'function',
  title: 'STATUS_FLT_DELETING_OBJECT mishandled',
  why: 'STATUS_FLT_DELETING_OBJECT means the filter or instance is being torn down and the request was refused: a work item was not queued (its worker will never run, so the caller must free it), and no rundown reference was taken (so it must not be dropped). Code that tests for this status and then carries on as if the call had succeeded — returning FLT_PREOP_PENDING, keeping the item, dereferencing the object — leaks or corrupts state during unload.',
  sources: [DOCS.ddi('nf-fltkernel-fltqueuegenericworkitem'), DOCS.ddi('nf-fltkernel-fltqueuedeferredioworkitem'), DOCS.ddi('nf-fltkernel-fltobjectreference')],
  wants: (c) => c.facts.words.has('STATUS_FLT_DELETING_OBJECT') && c.facts.calls.some((x) => TRIGGERS.has(x.name)),
  check(ctx) {
    const out: RawFinding[] = [];
    if (!ctx.readable) return out;
    const aliases = ctx.aliases;
    const seen = new Set<string>();
    const report = (k: string, f: RawFinding) => { if (!seen.has(k)) { seen.add(k); out.push(f); } };
    const deleting = (s: S, p: Pending) => s.out.of[p.key] === 'deleting';
    const complete = runFlow<S>(ctx, {
      init: { calls: [], out: NO_OUTCOMES },
      key: (s) => `${s.calls.map((p) => `${p.key}${p.settled ? '+' : ''}`).join(',')}|${outcomesKey(s.out)}`,
      call: (c, s) => {
        const name = c.callee ?? '';
        let calls = s.calls;
        const arg0 = c.args[0] ? pathOf(c.args[0], aliases) : undefined;
        if (name === 'FltObjectDereference') {
          for (const p of calls) {
            if (REFERENCES.has(p.api) && deleting(s, p) && (arg0 === p.path || p.api === 'FltGetFilterFromInstance')) {
              report(`deref${callKey(c)}`, { at: ctx.loc(c.r), message: `${p.api} returned STATUS_FLT_DELETING_OBJECT on this path, so no reference was taken; do not call FltObjectDereference here.`, related: [{ at: ctx.loc(p.site), message: 'reference attempted here' }] });
            }
          }
        }
        calls = calls.map((p) => {
          if (p.settled || !QUEUES[p.api]) return p;
          if ((FREES[name] && arg0 === p.path) || escapesThroughCall(c, p.path, aliases)) return { ...p, settled: true };
          return p;
        });
        let o = s.out;
        if (TRIGGERS.has(name)) {
          const path = QUEUES[name] ? arg0 : name === 'FltObjectReference' ? arg0 : pathOf(c.args[1] ?? c.args[0], aliases);
          if (path) {
            calls = [...calls.filter((p) => p.key !== callKey(c)), { key: callKey(c), api: name, path, site: c.r, settled: false }];
            o = track(o, c, 'status');
          }
        }
        return calls === s.calls && o === s.out ? s : { calls, out: o };
      },
      assign: (a, s) => {
        const calls = s.calls.map((p) => (!p.settled && QUEUES[p.api] && escapesThroughAssign(a, p.path, aliases) ? { ...p, settled: true } : p));
        const o = noteAssign(s.out, a);
        return { calls, out: o };
      },
      refine: (c, _cond, truth, s) => { const o = refineOutcomes(s.out, c, truth); return o === null ? null : o === s.out ? s : { ...s, out: o }; },
      ret: (n, value, s) => {
        for (const p of s.calls) {
          if (!QUEUES[p.api] || !deleting(s, p)) continue;
          if (value === 'FLT_PREOP_PENDING' || value === 'FLT_POSTOP_MORE_PROCESSING_REQUIRED') {
            report(`ret${n.id}`, { at: ctx.loc(n.r), message: `${value} is returned although ${p.api} refused the work item with STATUS_FLT_DELETING_OBJECT; free the item and complete the operation instead.`, related: [{ at: ctx.loc(p.site), message: 'queuing refused here' }] });
          }
        }
        return s;
      },
      exit: (s) => {
        for (const p of s.calls) {
          if (!QUEUES[p.api] || p.settled || !deleting(s, p)) continue;
          const free = QUEUES[p.api] === 'generic' ? 'FltFreeGenericWorkItem' : 'FltFreeDeferredIoWorkItem';
          report(`leak${p.key}`, { at: ctx.loc(p.site), message: `On the STATUS_FLT_DELETING_OBJECT path '${p.path}' is never freed; its worker will not run, so call ${free}(${p.path}) there.` });
        }
      },
    });
    return complete ? out : [];
  },
});
export default rule;
