import { idName, isNullExpr, pathOf, strip, visitExpr } from '../frontend/exprs';
import type { CallExpr, Span } from '../frontend/ir';
import { allAssignments, allCalls, forEachExpr } from '../frontend/walk';
import { DOCS, callsAny, type RawFinding, functionRule } from '../rule';

const SEND = new Set(['FltSendMessage']);

function before(a: Span, b: Span): boolean {
  return a.sr < b.sr || (a.sr === b.sr && a.sc < b.sc);
}

function sameSpan(a: Span, b: Span): boolean {
  return a.sr === b.sr && a.sc === b.sc && a.er === b.er && a.ec === b.ec;
}

const rule = functionRule({
  id: 'sendmsg-timeout',
  severity: 'warning',
  scope: 'function',
  title: 'STATUS_TIMEOUT from FltSendMessage taken for a reply',
  why: 'When FltSendMessage is given a timeout and the user-mode program does not answer in time, it returns STATUS_TIMEOUT. That is a success code, so NT_SUCCESS(status) is TRUE although no reply was written into the reply buffer: the filter then acts on whatever the buffer held before (often zeros, which may mean "allow" or "deny" by accident). Test status == STATUS_SUCCESS before reading the reply, and decide explicitly what a timeout means.',
  sources: [DOCS.ddi('nf-fltkernel-fltsendmessage')],
  wants: (c) => callsAny(c, SEND) && callsAny(c, ['NT_SUCCESS']),
  check(ctx) {
    const out: RawFinding[] = [];
    let namesTimeout = false;
    forEachExpr(ctx.fn.body, (e) => visitExpr(e, (x) => { if (x.k === 'id' && x.name === 'STATUS_TIMEOUT') namesTimeout = true; }));
    if (namesTimeout) return out;
    const calls = allCalls(ctx.fn.body);
    const tests = calls.filter((c) => c.callee === 'NT_SUCCESS' && c.args.length === 1);
    const assigns = allAssignments(ctx.fn.body);
    for (const send of calls) {
      if (send.callee !== 'FltSendMessage' || send.args.length < 7 || isNullExpr(send.args[6]) || isNullExpr(send.args[4])) continue;
      // Where its status goes: `status = FltSendMessage(…)`, a declaration's initializer, or straight into NT_SUCCESS.
      const holder = assigns.find((a) => sameSpan(strip(a.right).r, send.r))?.left;
      let name = holder ? pathOf(holder, ctx.aliases) : undefined;
      if (!name) for (const v of ctx.fn.locals.values()) if (v.init && sameSpan(strip(v.init).r, send.r)) name = v.name;
      const nextWrite = name ? assigns.filter((a) => pathOf(a.left, ctx.aliases) === name && before(send.r, a.r) && !sameSpan(strip(a.right).r, send.r)).map((a) => a.r).sort((x, y) => (before(x, y) ? -1 : 1))[0] : undefined;
      const test = tests.find((t: CallExpr) => {
        const arg = strip(t.args[0]);
        if (sameSpan(arg.r, send.r)) return true;
        if (!name || pathOf(arg, ctx.aliases) !== name || !before(send.r, t.r)) return false;
        return !nextWrite || before(t.r, nextWrite);
      });
      if (!test) continue;
      const arg = strip(test.args[0]);
      const simple = idName(arg);
      out.push({
        at: ctx.loc(test.r),
        message: `FltSendMessage is given a timeout here, and when it expires it returns STATUS_TIMEOUT, for which NT_SUCCESS is TRUE although no reply arrived; test for STATUS_SUCCESS before using the reply.`,
        related: [{ at: ctx.loc(send.r), message: 'the message is sent with a timeout here' }],
        fixes: simple ? [{ title: `Test ${simple} == STATUS_SUCCESS`, edits: [{ at: ctx.loc(test.r), newText: `(${simple} == STATUS_SUCCESS)` }] }] : undefined,
      });
    }
    return out;
  },
});
export default rule;
