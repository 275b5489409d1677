import type { CallExpr, Expr, Span } from '../frontend/ir';
import { addressOf, callKey, constName, pathOf, rootOf, strip, visitExpr } from '../frontend/exprs';
import { runFlow } from '../analysis/flow';
import { allAssignments, allCalls } from '../frontend/walk';
import { NO_OUTCOMES, noteAssign, outcomesKey, refineOutcomes, track, type Outcomes } from '../analysis/outcomes';
import { DOCS, callsAny, type RawFinding, functionRule } from '../rule';
import type { FunctionContext } from '../context';
import { ALLOCATORS, IO_ALLOCATORS, QUEUES } from './workItems';

/** A "worker running" flag or counter set on this path. */
interface Flag {
  path: string;
  site: Span;
  undone: boolean;
  /** Keys of the allocation and queue calls made after it was set. */
  attempts: readonly string[];
}

interface S {
  flags: readonly Flag[];
  out: Outcomes;
}

const SETTERS = new Set(['InterlockedIncrement', 'InterlockedExchange', 'InterlockedCompareExchange', 'InterlockedOr', 'InterlockedAdd', 'InterlockedExchangeAdd', 'InterlockedBitTestAndSet']);
const UNDOERS = new Set(['InterlockedDecrement', 'InterlockedAnd', 'InterlockedBitTestAndReset']);
const QUEUE_NAMES = Object.keys(QUEUES);
const ALLOCATING = new Set([...Object.keys(ALLOCATORS), ...IO_ALLOCATORS]);

function isZero(e: Expr | undefined): boolean {
  const c = constName(e);
  return c === 'NULL' || c === 'FALSE' || c === '0';
}

/** What a call or assignment does to a flag: set it, undo it, or nothing. */
function effectOfCall(c: CallExpr): { path: string; set: boolean } | undefined {
  const name = c.callee ?? '';
  const target = addressOf(c.args[0]);
  const path = target ? pathOf(target) : undefined;
  if (!path) return undefined;
  if (UNDOERS.has(name)) return { path, set: false };
  if (name === 'InterlockedExchange' || name === 'InterlockedCompareExchange') return { path, set: !isZero(c.args[1]) };
  if (SETTERS.has(name)) return { path, set: true };
  return undefined;
}

/** Non-local storage: a field reached through a pointer, or a variable the function does not declare. */
function isShared(ctx: FunctionContext, path: string): boolean {
  const root = rootOf(path);
  if (path === root) return !ctx.fn.locals.has(root) && !ctx.fn.params.some((p) => p.name === root);
  return path.includes('->') || !ctx.fn.locals.has(root);
}

/** Paths some condition of the function reads: a flag tested as "is a worker running?". */
function testedPaths(ctx: FunctionContext): Set<string> {
  const out = new Set<string>();
  for (const n of ctx.cfg.nodes) {
    if ((n.kind !== 'test' && n.kind !== 'switch') || !n.expr) continue;
    visitExpr(n.expr, (x) => {
      const p = x.k === 'field' || x.k === 'id' ? pathOf(x) : x.k === 'unary' && x.op === '&' ? pathOf(x.arg) : undefined;
      if (p) out.add(p);
    });
  }
  return out;
}

const rule = functionRule({
  id: 'wi-running-flag-stuck',
  severity: 'error',
  scope: 'function',
  title: '"Worker running" flag left set when queuing the worker fails',
  why: 'Drivers that start one worker for a whole queue keep a flag or counter that says a worker is running: the code that inserts work sets it and queues a work item only when it was clear, and the worker clears it once the queue is empty. If allocating or queuing the work item fails after the flag was set and the flag is not reset on that path, no worker runs and none will ever be started again: every later insert sees the flag set, and the queued operations hang.',
  sources: [DOCS.ddi('nf-fltkernel-fltqueuegenericworkitem'), DOCS.ddi('nf-fltkernel-fltallocategenericworkitem')],
  wants: (c) => callsAny(c, QUEUE_NAMES) && callsAny(c, [...SETTERS]),
  check(ctx) {
    const out: RawFinding[] = [];
    if (!ctx.readable) return out;
    const aliases = ctx.aliases;
    const tested = testedPaths(ctx);
    // Only flags some condition reads are "running" flags: without one set here, nothing to follow.
    const setsTested = allCalls(ctx.fn.body).some((c) => { const e = effectOfCall(c); return e !== undefined && e.set && tested.has(e.path); })
      || allAssignments(ctx.fn.body).some((a) => { const p = pathOf(a.left, aliases); return p !== undefined && tested.has(p); });
    if (!setsTested) return out;
    const reported = new Set<string>();
    const complete = runFlow<S>(ctx, {
      init: { flags: [], out: NO_OUTCOMES },
      key: (s) => `${s.flags.map((f) => `${f.path}@${f.site.sr}:${f.site.sc}${f.undone ? '-' : '+'}${f.attempts.join('.')}`).join(',')}|${outcomesKey(s.out)}`,
      call: (c, s) => {
        let { flags, out: o } = s;
        const name = c.callee ?? '';
        const eff = effectOfCall(c);
        if (eff && isShared(ctx, eff.path)) {
          if (eff.set && tested.has(eff.path)) flags = [...flags.filter((f) => f.path !== eff.path), { path: eff.path, site: c.r, undone: false, attempts: [] }];
          else if (!eff.set) flags = flags.map((f) => (f.path === eff.path ? { ...f, undone: true } : f));
        } else if (flags.length > 0 && c.args.some((a) => { const p = addressOf(a); return p !== undefined && flags.some((f) => pathOf(p, aliases) === f.path); })) {
          // The flag's address handed to another routine: it may reset it.
          flags = flags.map((f) => (c.args.some((a) => { const p = addressOf(a); return p !== undefined && pathOf(p, aliases) === f.path; }) ? { ...f, undone: true } : f));
        }
        if (flags.some((f) => !f.undone) && (QUEUES[name] || ALLOCATING.has(name))) {
          o = track(o, c, QUEUES[name] ? 'status' : 'pointer');
          const k = callKey(c);
          flags = flags.map((f) => (f.undone ? f : { ...f, attempts: [...f.attempts, k] }));
        }
        return flags === s.flags && o === s.out ? s : { flags, out: o };
      },
      assign: (a, s, env) => {
        let flags = s.flags;
        const p = pathOf(a.left, aliases);
        if (p !== undefined && isShared(ctx, p) && flags.some((f) => f.path === p)) {
          const v = a.op === '=' ? ctx.values.valueOf(env, a.right) ?? constName(strip(a.right)) : undefined;
          if (a.op === '-=' || (a.op === '=' && isZero(a.right)) || v === 'FALSE' || v === 'NULL') flags = flags.map((f) => (f.path === p ? { ...f, undone: true } : f));
        } else if (p !== undefined && isShared(ctx, p) && tested.has(p) && a.op === '=' && !isZero(a.right)) {
          flags = [...flags.filter((f) => f.path !== p), { path: p, site: a.r, undone: false, attempts: [] }];
        }
        const o = noteAssign(s.out, a);
        return flags === s.flags && o === s.out ? s : { flags, out: o };
      },
      refine: (c, _cond, truth, s) => {
        const o = refineOutcomes(s.out, c, truth);
        if (o === null) return null;
        return o === s.out ? s : { ...s, out: o };
      },
      exit: (s) => {
        for (const f of s.flags) {
          if (f.undone) continue;
          const failed = f.attempts.find((k) => s.out.of[k] === 'fail' || s.out.of[k] === 'deleting');
          if (!failed) continue;
          const key = `${f.site.sr}:${f.site.sc}`;
          if (reported.has(key)) continue;
          reported.add(key);
          const [row, col] = failed.slice(1).split(':').map(Number);
          out.push({
            at: ctx.loc(f.site),
            message: `'${f.path}' is set here to say a worker is running, but a path where starting the worker fails returns without resetting it, so no later call will start one again; reset it when allocation or queuing fails.`,
            related: [{ at: ctx.loc({ sr: row, sc: col, er: row, ec: col }), message: 'this call fails on that path' }],
          });
        }
      },
    });
    return complete ? out : [];
  },
});
export default rule;
