import { Irql, irqlName } from '../../kernel/irql';
import { API_CATALOG } from '../../api/catalog';
import { allCalls } from '../frontend/walk';
import { calledName } from '../frontend/exprs';
import { reasonOrigin } from '../analysis/irql';
import { DOCS, type Candidate, type RawFinding, functionRule } from '../rule';
import { callBound } from './irqlBounds';
import { explainIrql, OncePerCall } from './support';
import { LOCK_APIS } from '../analysis/locks';

/** Calls other rules judge: the cbdq routines (cbdq-lock-irql) and FltCompletePendedPreOperation (cpp-irql). */
const OWNED_ELSEWHERE = new Set(['FltCbdqInsertIo', 'FltCbdqRemoveIo', 'FltCbdqRemoveNextIo', 'FltCbdqEnable', 'FltCbdqDisable', 'FltCompletePendedPreOperation']);

/** Entry levels this rule trusts: a contract or a fact, not the cautious APC_LEVEL guess for pre-ops. */
function trustedOrigin(k: string | undefined, role: string | undefined): boolean {
  return k === 'annotation' || k === 'lock' || (k === 'role' && role !== 'postop');
}

/** Routines whose bound is below DISPATCH_LEVEL (or depends on an argument): a function calling none of them has nothing to report. */
const LOW = new Set([...API_CATALOG.values()].filter((a) => typeof a.maxIrql === 'number' && a.maxIrql < Irql.DISPATCH_LEVEL).map((a) => a.name));
const ARGUMENT_DEPENDENT = ['ExAllocatePool', 'ExAllocatePoolWithTag', 'ExAllocatePoolZero', 'ExAllocatePool2', 'ExAllocatePool3', 'ExAllocatePoolWithQuotaTag', 'ExAllocatePoolWithTagPriority', 'ExAllocatePoolUninitialized', 'FltAllocatePoolAlignedWithTag', 'KeWaitForSingleObject', 'KeSetEvent'];

function callsLow(c: Candidate): boolean {
  const names = c.facts.callNames;
  if (ARGUMENT_DEPENDENT.some((n) => names.has(n))) return true;
  for (const n of names) if (LOW.has(n)) return true;
  for (const n of c.file.model.annotatedNames()) if (names.has(n) && c.file.model.functions.has(n)) return true;
  return false;
}

function wanted(c: Candidate): boolean {
  if (c.roles.some((r) => r.k === 'completion') && c.file.irql.declaresLowIrql(c.name)) return true;
  if (!callsLow(c)) return false;
  if (c.file.model.irqlAnnotation(c.name) || c.roles.some((r) => r.k === 'completion')) return true;
  const e = c.file.irql.entry(c.name);
  const o = reasonOrigin(e?.reason);
  if (o && trustedOrigin(o.k, o.k === 'role' ? o.role : undefined)) return true;
  // A spin lock (or a raise) taken in the function itself: its own calls after it run at DISPATCH_LEVEL.
  for (const n of c.facts.callNames) {
    const api = LOCK_APIS[n];
    if (api?.acquire && (api.kind === 'spin' || api.kind === 'raise')) return true;
  }
  return false;
}

/**
 * What to do. When the function's own annotation is the cause, either the annotation or the calls
 * are wrong; a system thread or work routine starts at PASSIVE_LEVEL, so there the calls are safe
 * where it is started and it is the annotation that promises callers too much — what Code Analysis
 * reports as C28118 as well.
 */
function advice(fn: string, ownAnnotation: boolean, startsLow: boolean, level: string | undefined): string {
  const to = level ? ` to _IRQL_requires_max_(${level})` : '';
  if (startsLow) return `${fn} is started as a system thread or work routine, which runs at PASSIVE_LEVEL, so the calls are safe where it is started, but its annotation tells every caller more is allowed (Code Analysis reports C28118 here too): lower the annotation${to}.`;
  if (ownAnnotation) return `if no caller needs that level, lower the annotation${to}; otherwise call ${level ? 'it' : 'them'} where the IRQL is low enough, or defer ${level ? 'it' : 'them'} to a work item.`;
  return `call ${level ? 'it' : 'them'} where the IRQL is low enough, or defer ${level ? 'it' : 'them'} to a work item.`;
}

const rule = functionRule({
  id: 'irql-above-bound',
  severity: 'error',
  scope: 'function',
  title: 'Routine called above the highest IRQL it allows',
  why: 'Every kernel routine documents the highest IRQL it may be called at. Code that runs at DISPATCH_LEVEL — under a spin lock, in a DPC, in the completion routine of FltPerformAsynchronousIo or FltReadFile — must not call routines limited to APC_LEVEL or PASSIVE_LEVEL (waits, fast mutexes, resources, paged memory, name and context lookups). A function annotated `_IRQL_requires_max_(X)` promises its callers it works at X: its body must keep that promise.',
  sources: [DOCS.devtest('28121-irq-execution-too-high'), DOCS.ddi('nc-fltkernel-pflt_completed_async_io_callback'), 'https://learn.microsoft.com/windows-hardware/drivers/devtest/irql-annotations-for-drivers'],
  wants: wanted,
  check(ctx) {
    const out: RawFinding[] = [];
    const completion = ctx.role('completion');
    if (completion && ctx.file.irql.declaresLowIrql(ctx.name)) {
      const paged = ctx.file.model.paged.has(ctx.name);
      out.push({
        at: ctx.loc(ctx.fn.nameSpan),
        message: `${ctx.name} is the completion routine of ${completion.api}, which may call it at DISPATCH_LEVEL in any thread, but it is ${paged ? 'placed in a pageable section' : 'declared for APC_LEVEL or below'}; keep it nonpaged and limited to what DISPATCH_LEVEL allows, and defer the rest to a work item.`,
        related: [{ at: completion.site, message: `given to ${completion.api} here` }],
      });
    }
    // Code that reads the IRQL itself chooses its path by it: stay out of its way.
    if (ctx.file.model.functions.get(ctx.name)?.facts.words.has('KeGetCurrentIrql')) return out;
    const once = new OncePerCall();
    const model = ctx.file.model;
    for (const c of allCalls(ctx.fn.body)) {
      const called = calledName(c);
      if (!called || OWNED_ELSEWHERE.has(called)) continue;
      const target = ctx.callTarget(c);
      const own = target && model.functions.has(target) ? model.irqlAnnotation(target) : undefined;
      const bound = own ? { level: own.level, because: `it is annotated ${own.text}` } : c.callee ? callBound(c) : undefined;
      if (!bound || bound.level >= Irql.HIGH_LEVEL) continue;
      const est = ctx.irqlAt(c);
      if (!est || est.level <= bound.level) continue;
      const origin = reasonOrigin(est.reason);
      if (!origin || !trustedOrigin(origin.k, origin.k === 'role' ? origin.role : undefined)) {
        // A post-op's DISPATCH_LEVEL is postop-irql-unsafe-call's, except for the driver's annotated helpers.
        if (!(own && origin?.k === 'role' && origin.role === 'postop')) continue;
      }
      if (!once.first(c)) continue;
      const why = explainIrql(est, ctx.name);
      const need = `${called} needs IRQL <= ${irqlName(bound.level)}${bound.because ? ` (${bound.because})` : ''}`;
      const ownAnnotation = est.reason?.k === 'annotation' && est.reason.fn === ctx.name;
      const startsLow = ownAnnotation && ctx.role('thread') !== undefined;
      out.push({
        at: ctx.loc(c.r),
        message: `${need}, but ${why.text}; ${advice(ctx.name, ownAnnotation, startsLow, irqlName(bound.level))}`,
        related: why.related,
        group: {
          // One cause (this annotation, this lock, this caller chain) in this function: one finding.
          key: `${ctx.name}|${why.text}|${why.related.map((r) => `${r.at.file ?? ''}:${r.at.anchor}:${r.at.span.sr}:${r.at.span.sc}`).join(',')}`,
          member: need,
          summary: (members) => `${members[0]}, and ${members.length - 1} more call${members.length > 2 ? 's' : ''} here (related locations) need${members.length > 2 ? '' : 's'} a lower IRQL too, but ${why.text}; ${advice(ctx.name, ownAnnotation, startsLow, undefined)}`,
        },
      });
    }
    return out;
  },
});
export default rule;
