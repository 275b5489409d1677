import { runFlow } from '../analysis/flow';
import { NO_OUTCOMES, noteAssign, outcomesKey, refineOutcomes, track, type Outcomes } from '../analysis/outcomes';
import { callKey, constName, isNullExpr, pathOf, rootOf, strip, visitExpr } from '../frontend/exprs';
import type { Expr, Span } from '../frontend/ir';
import { forEachExpr } from '../frontend/walk';
import type { FunctionContext } from '../context';
import { DOCS, callsAny, type RawFinding, functionRule } from '../rule';

/** Roles whose functions the Filter Manager may call as soon as filtering has started. */
const CALLBACK_ROLES = new Set(['preop', 'postop', 'instanceSetup', 'queryTeardown', 'teardownStart', 'teardownComplete', 'ctxCleanup']);

/** Routines that set up an object in place: `KeInitializeSpinLock(&gLock)`, `InitializeListHead(&gList)`. */
const SETS_UP = /^(?:Ke|Ex|Flt|Rtl|Io)?Initialize[A-Za-z]*$|^ExInitialize[A-Za-z]+$|^KeInitialize[A-Za-z]+$/;

interface Pending {
  global: string;
  site: Span;
  how: string;
}

interface S {
  start: { key: string; site: Span } | undefined;
  out: Outcomes;
  /** Set-ups after the start not yet followed by a flag the using callback tests. */
  pending: readonly Pending[];
}

function isGlobal(ctx: FunctionContext, name: string): boolean {
  return !ctx.fn.locals.has(name) && !ctx.fn.params.some((p) => p.name === name) && /^[A-Za-z_]\w*$/.test(name);
}

/** The first callback (or function it calls) that names `global`, with where. */
function usedByCallback(ctx: FunctionContext, global: string, cache: Map<string, { fn: string; at: Span; ctx: FunctionContext } | null>): { fn: string; at: Span; ctx: FunctionContext } | undefined {
  if (cache.has(global)) return cache.get(global) ?? undefined;
  let found: { fn: string; at: Span; ctx: FunctionContext } | undefined;
  const names = new Set<string>();
  for (const [name, roles] of ctx.file.roles.roles) {
    if (!roles.some((r) => CALLBACK_ROLES.has(r.k))) continue;
    names.add(name);
    for (const n of ctx.file.irql.callsTransitively(name)) if (ctx.file.knows(n)) names.add(n);
  }
  for (const n of names) {
    if (found || n === ctx.name) continue;
    const fc = ctx.file.functionContext(n);
    if (!fc || fc.fn.locals.has(global) || fc.fn.params.some((p) => p.name === global)) continue;
    forEachExpr(fc.fn.body, (e) => visitExpr(e, (x) => { if (!found && x.k === 'id' && x.name === global) found = { fn: n, at: x.r, ctx: fc }; }));
  }
  cache.set(global, found ?? null);
  return found;
}

const rule = functionRule({
  id: 'start-before-init',
  severity: 'error',
  scope: 'function',
  roles: ['driverEntry'],
  title: 'Global state set up after FltStartFiltering',
  why: 'FltStartFiltering attaches the filter to volumes and lets operations through: instance setup and pre- and post-operation callbacks may run on other threads before the call even returns to DriverEntry. A lock initialized, a list head set up or a pointer stored in a global after that call can be used by a callback before it is ready: a spin lock or list that is still zeroed, a NULL pointer. Set up everything the callbacks use before calling FltStartFiltering.',
  sources: [DOCS.ifs('initiating-filtering'), DOCS.ddi('nf-fltkernel-fltstartfiltering')],
  wants: (c) => callsAny(c, ['FltStartFiltering']),
  check(ctx) {
    const out: RawFinding[] = [];
    if (!ctx.readable) return out;
    const cache = new Map<string, { fn: string; at: Span; ctx: FunctionContext } | null>();
    const seen = new Set<string>();
    const fresh = (s: S, global: string, site: Span, how: string): S => {
      const outcome = s.start ? s.out.of[s.start.key] : undefined;
      if (!s.start || outcome === 'fail' || outcome === 'deleting' || !usedByCallback(ctx, global, cache)) return s;
      if (s.pending.some((p) => p.site === site)) return s;
      return { ...s, pending: [...s.pending, { global, site, how }] };
    };
    /** A constant stored in a global after the set-up: the gate drivers open once they are ready (`gReady = TRUE`). */
    const gate = (s: S, flag: string): S => {
      const left = s.pending.filter((p) => !mentionsIn(ctx, usedByCallback(ctx, p.global, cache)!.fn, flag));
      return left.length === s.pending.length ? s : { ...s, pending: left };
    };
    const report = (s: S) => {
      for (const p of s.pending) {
        const k = `${p.site.sr}:${p.site.sc}`;
        if (seen.has(k) || !s.start) continue;
        seen.add(k);
        const use = usedByCallback(ctx, p.global, cache)!;
        out.push({
          at: ctx.loc(p.site),
          message: `${p.global} is ${p.how} after FltStartFiltering, but ${use.fn} uses it and may already be running; set it up before filtering starts.`,
          related: [{ at: ctx.loc(s.start.site), message: 'filtering starts here' }, { at: use.ctx.loc(use.at), message: `${use.fn} uses ${p.global} here` }],
        });
      }
    };
    runFlow<S>(ctx, {
      init: { start: undefined, out: NO_OUTCOMES, pending: [] },
      key: (s) => `${s.start?.key ?? '-'}|${outcomesKey(s.out)}|${s.pending.map((p) => `${p.site.sr}:${p.site.sc}`).join(',')}`,
      call: (c, s) => {
        if (c.callee === 'FltStartFiltering') return { ...s, start: { key: callKey(c), site: c.r }, out: track(s.out, c, 'status') };
        if (s.start && c.callee && SETS_UP.test(c.callee) && c.args[0]) {
          const a = strip(c.args[0]);
          const target = a.k === 'unary' && a.op === '&' ? pathOf(a.arg, ctx.aliases) : undefined;
          const root = target ? rootOf(target) : undefined;
          if (root && isGlobal(ctx, root)) return fresh(s, root, c.r, `set up with ${c.callee}`);
        }
        return s;
      },
      assign: (a, s) => {
        const o = noteAssign(s.out, a);
        const next = o === s.out ? s : { ...s, out: o };
        if (!next.start || a.op !== '=') return next;
        const target = pathOf(a.left, ctx.aliases);
        const root = target ? rootOf(target) : undefined;
        if (!root || !isGlobal(ctx, root)) return next;
        // Constants (flags, counters, NULL) are how drivers gate their callbacks; only real set-up counts.
        if (isConstant(a.right)) return gate(next, root);
        return fresh(next, root, a.r, 'assigned');
      },
      refine: (c, _e, truth, s) => {
        const o = refineOutcomes(s.out, c, truth);
        return o === null ? null : o === s.out ? s : { ...s, out: o };
      },
      exit: (s) => report(s),
    });
    return out;
  },
});

/** Whether the driver function `fn` names `name`. */
function mentionsIn(ctx: FunctionContext, fn: string, name: string): boolean {
  const fc = ctx.file.functionContext(fn);
  let hit = false;
  if (fc) forEachExpr(fc.fn.body, (e) => visitExpr(e, (x) => { if (x.k === 'id' && x.name === name) hit = true; }));
  return hit;
}

function isConstant(e: Expr): boolean {
  const s = strip(e);
  return isNullExpr(s) || s.k === 'num' || s.k === 'str' || (s.k === 'id' && constName(s) === s.name && /^[A-Z0-9_]+$/.test(s.name));
}
export default rule;
