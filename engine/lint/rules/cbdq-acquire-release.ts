import { LOCK_APIS, lockKindLabel, type LockKind } from '../analysis/locks';
import { mentions, pathOf, rootOf, strip } from '../frontend/exprs';
import type { CallExpr } from '../frontend/ir';
import { allAssignments, allCalls } from '../frontend/walk';
import type { FunctionContext } from '../context';
import { DOCS, type RawFinding, type RawRelated, functionRule } from '../rule';

/** Spin-lock acquires that hand back the IRQL to restore: through an out parameter (index) or as their result. */
const SAVES_IRQL: Readonly<Record<string, number | 'result'>> = {
  KeAcquireSpinLock: 1,
  KeAcquireSpinLockRaiseToDpc: 'result',
  ExAcquireSpinLockExclusive: 'result',
  ExAcquireSpinLockShared: 'result',
};
/** Spin-lock releases and the argument that takes the IRQL to go back to. */
const RESTORES_IRQL: Readonly<Record<string, number>> = {
  KeReleaseSpinLock: 1,
  ExReleaseSpinLockExclusive: 1,
  ExReleaseSpinLockShared: 1,
};

function lockCalls(ctx: FunctionContext, acquire: boolean): { c: CallExpr; kind: LockKind; lock?: string }[] {
  const out: { c: CallExpr; kind: LockKind; lock?: string }[] = [];
  for (const c of allCalls(ctx.fn.body)) {
    const api = c.callee ? LOCK_APIS[c.callee] : undefined;
    if (!api || api.acquire !== acquire || api.kind === 'raise') continue;
    const arg = api.arg === undefined ? undefined : c.args[api.arg];
    out.push({ c, kind: api.kind, lock: arg ? pathOf(arg, ctx.aliases) : undefined });
  }
  return out;
}

/** A lock named by a global (`&Globals.QueueLock`): the same text means the same lock in both routines. */
function globalLock(ctx: FunctionContext, lock: string | undefined): string | undefined {
  if (!lock) return undefined;
  const bare = lock.replace(/^&/, '');
  const root = rootOf(bare);
  if (ctx.fn.locals.has(root) || ctx.fn.params.some((p) => p.name === root)) return undefined;
  return bare;
}

/** Whether `e` carries the IRQL parameter: the parameter itself, or a local assigned from it. */
function carries(ctx: FunctionContext, e: CallExpr['args'][number], param: string): boolean {
  if (mentions(e, param, ctx.aliases)) return true;
  const s = strip(e);
  if (s.k !== 'id' || !ctx.fn.locals.has(s.name)) return false;
  const v = ctx.fn.locals.get(s.name)!;
  if (v.init && mentions(v.init, param, ctx.aliases)) return true;
  return allAssignments(ctx.fn.body).some((a) => pathOf(a.left, ctx.aliases) === s.name && mentions(a.right, param, ctx.aliases));
}

const rule = functionRule({
  id: 'cbdq-acquire-release',
  severity: 'error',
  scope: 'function',
  roles: ['cbdq'],
  title: 'Cancel-safe queue Acquire and Release routines do not match',
  why: 'The Filter Manager calls the queue\'s Acquire routine with a pointer where it must store the IRQL to restore, and later hands that value back to the Release routine. An Acquire routine that takes a spin lock without storing the old IRQL there, a Release routine that gives KeReleaseSpinLock some other value, or two routines that take and drop different locks (or different kinds of lock) leave the processor at the wrong IRQL or the queue unprotected.',
  sources: [DOCS.ddi('nf-fltkernel-fltcbdqinitialize'), DOCS.devtest('wdm-irqlkereleasespinlock'), DOCS.devtest('wdm-spinlock'), DOCS.devtest('28158-no-irql-was-saved'), DOCS.devtest('28157-function-irql-never-restored')],
  wants: (c) => c.roles.some((r) => r.k === 'cbdq' && (r.cb === 'acquire' || r.cb === 'release')),
  check(ctx) {
    const out: RawFinding[] = [];
    const role = ctx.roles.find((r) => r.k === 'cbdq' && (r.cb === 'acquire' || r.cb === 'release'));
    if (!role || role.k !== 'cbdq') return out;
    const irqlParam = ctx.param(1);
    if (!irqlParam) return out;
    if (role.cb === 'acquire') {
      const stores = allAssignments(ctx.fn.body).some((a) => pathOf(a.left, ctx.aliases) === `*${irqlParam}`);
      for (const c of allCalls(ctx.fn.body)) {
        const how = c.callee ? SAVES_IRQL[c.callee] : undefined;
        if (how === undefined || stores) continue;
        if (typeof how === 'number' && c.args[how] && pathOf(c.args[how], ctx.aliases) === irqlParam) continue;
        out.push({ at: ctx.loc(c.r), message: `${ctx.name} is a queue's Acquire routine: store the IRQL ${c.callee} returns through its ${irqlParam} parameter, so that the Release routine can restore it.` });
      }
      out.push(...mismatch(ctx));
    } else {
      for (const c of allCalls(ctx.fn.body)) {
        const at = c.callee ? RESTORES_IRQL[c.callee] : undefined;
        if (at === undefined || !c.args[at] || carries(ctx, c.args[at], irqlParam)) continue;
        out.push({ at: ctx.loc(c.args[at].r), message: `${ctx.name} is a queue's Release routine: pass ${c.callee} the IRQL it was given in ${irqlParam}, the value its Acquire routine saved.` });
      }
    }
    return out;
  },
});

/** Reported at the Acquire routine: the lock (or kind of lock) it takes is not the one Release drops. */
function mismatch(ctx: FunctionContext): RawFinding[] {
  const queue = ctx.file.roles.cbdqs.find((q) => q.acquire === ctx.name);
  if (!queue?.release || queue.release === ctx.name) return [];
  const rel = ctx.file.functionContext(queue.release);
  if (!rel) return [];
  const takes = lockCalls(ctx, true);
  const drops = lockCalls(rel, false);
  if (takes.length !== 1 || drops.length !== 1) return [];
  const [t] = takes;
  const [d] = drops;
  const related: RawRelated[] = [{ at: rel.loc(d.c.r), message: `${queue.release} releases here` }];
  if (t.kind !== d.kind) {
    return [{ at: ctx.loc(t.c.r), message: `${ctx.name} takes a ${lockKindLabel(t.kind)} but the queue's Release routine ${queue.release} releases a ${lockKindLabel(d.kind)}; both must use the same lock.`, related }];
  }
  const a = globalLock(ctx, t.lock);
  const b = globalLock(rel, d.lock);
  if (a && b && a !== b) {
    return [{ at: ctx.loc(t.c.r), message: `${ctx.name} takes ${a} but the queue's Release routine ${queue.release} releases ${b}; both must use the same lock.`, related }];
  }
  return [];
}
export default rule;
