import type { Span } from '../frontend/ir';
import { mentions, pathOf } from '../frontend/exprs';
import { statusByName, ntError } from '../../kernel/status';
import { runFlow } from '../analysis/flow';
import { DOCS, type RawFinding, functionRule } from '../rule';

interface S {
  done: boolean;
  /** What was stored in Data->IoStatus.Status on this path: `error`, `success`, `unknown`, or nothing. */
  status?: 'error' | 'success' | 'unknown';
}

const isCancelCb = (roles: readonly { k: string; cb?: string }[]) => roles.some((r) => r.k === 'cbdq' && r.cb === 'cancel');

const rule = functionRule({
  id: 'cbdq-cancel-cb',
  severity: 'error',
  scope: 'function',
  roles: ['cbdq'],
  title: 'Cancel callback dequeues again or does not complete the operation',
  why: 'When an operation in a cancel-safe queue is cancelled, the Filter Manager first removes it with the queue\'s RemoveIo callback and then calls CompleteCanceledIo. That callback must not remove the entry again (RemoveEntryList or FltCbdqRemoveIo would corrupt the list), and must complete the operation with FltCompletePendedPreOperation(Data, FLT_PREOP_COMPLETE, NULL) after setting an error status such as STATUS_CANCELLED.',
  sources: [DOCS.ddi('nf-fltkernel-fltcbdqinitialize')],
  wants: (c) => isCancelCb(c.roles),
  check(ctx) {
    const out: RawFinding[] = [];
    const data = ctx.param(1);
    if (!data || !ctx.readable) return out;
    const aliases = ctx.aliases;
    const seen = new Set<string>();
    const once = (s: Span, tag: string) => { const k = `${s.sr}:${s.sc}:${tag}`; if (seen.has(k)) return false; seen.add(k); return true; };
    let leaks: { ret?: Span } | undefined;
    let badStatus: Span | undefined;
    const complete = runFlow<S>(ctx, {
      init: { done: false },
      key: (s) => `${s.done ? 1 : 0}${s.status ?? ''}`,
      call: (c, s, env) => {
        const name = c.callee ?? '';
        if ((name === 'RemoveEntryList' || name === 'RemoveHeadList' || name === 'RemoveTailList') && c.args.some((a) => mentions(a, data, aliases)) && once(c.r, 'rm')) {
          out.push({ at: ctx.loc(c.r), message: `${ctx.name} removes ${data} from the list again, but the queue's RemoveIo callback already did; only complete it here.` });
        }
        if (name === 'FltCbdqRemoveIo' && once(c.r, 'rm')) {
          out.push({ at: ctx.loc(c.r), message: `${ctx.name} calls FltCbdqRemoveIo, but the Filter Manager already removed the cancelled operation; only complete it here.` });
        }
        if (name === 'FltCompletePendedPreOperation' && pathOf(c.args[0], aliases) === data) {
          const st = ctx.values.valueOf(env, c.args[1]);
          if (st && st !== 'FLT_PREOP_COMPLETE' && once(c.r, 'st')) {
            out.push({ at: ctx.loc(c.args[1].r), message: `A cancelled operation must be completed with FLT_PREOP_COMPLETE, not ${st}.`, fixes: [{ title: 'Use FLT_PREOP_COMPLETE', edits: [{ at: ctx.loc(c.args[1].r), newText: 'FLT_PREOP_COMPLETE' }] }] });
          }
          if (s.status === 'success') badStatus ??= c.r;
          return { ...s, done: true };
        }
        // An operation pended in a post-operation callback is resumed with FltCompletePendedPostOperation.
        if (name === 'FltCompletePendedPostOperation' && pathOf(c.args[0], aliases) === data) return { ...s, done: true };
        // Handing Data to another routine (a helper that completes it) counts as completing.
        if (!s.done && c.args.some((a) => pathOf(a, aliases) === data) && !/^(Flt|Dbg|Kd|Rtl)|^[A-Z0-9_]+$/.test(name)) return { ...s, done: true };
        return s;
      },
      assign: (a, s, env) => {
        if (pathOf(a.left, aliases) !== `${data}->IoStatus.Status`) return s;
        const v = ctx.values.valueOf(env, a.right);
        const value = v ? statusByName(v) : undefined;
        const status = value === undefined ? 'unknown' : ntError(value) ? 'error' : 'success';
        return status === s.status ? s : { ...s, status };
      },
      exit: (s, _env, ret) => { if (!s.done) leaks ??= { ret: ret?.r }; },
    });
    if (complete && leaks) {
      out.push({
        at: ctx.loc(ctx.fn.nameSpan),
        message: `${ctx.name} can return without completing the cancelled operation; call FltCompletePendedPreOperation(${data}, FLT_PREOP_COMPLETE, NULL) on every path.`,
        related: leaks.ret ? [{ at: ctx.loc(leaks.ret), message: 'returns here without completing it' }] : [],
      });
    }
    if (badStatus) {
      out.push({ at: ctx.loc(badStatus), message: `The cancelled operation is completed with a success status; set ${data}->IoStatus.Status to STATUS_CANCELLED first.` });
    }
    return out;
  },
});
export default rule;
