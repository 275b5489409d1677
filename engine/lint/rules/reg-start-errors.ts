import type { Span } from '../frontend/ir';
import { addressOf, callKey, pathOf } from '../frontend/exprs';
import { runFlow } from '../analysis/flow';
import { NO_OUTCOMES, noteAssign, outcomesKey, refineOutcomes, track, type Outcomes } from '../analysis/outcomes';
import { DOCS, callsAny, type RawFinding, functionRule } from '../rule';
import { ignoredStatuses } from './statusReads';
import { ntSuccess, statusByName } from '../../kernel/status';
import { SUCCESS } from '../analysis/values';

const CALLS = new Set(['FltRegisterFilter', 'FltStartFiltering']);

interface S {
  reg?: string;
  /** Where FltRegisterFilter stored the filter handle: a NULL test of it tells whether registration worked. */
  handle?: string;
  start?: { key: string; site: Span };
  /**
   * The handle FltStartFiltering was given: a registered filter (the routine does not accept NULL),
   * so a later NULL test of it cannot be false, even when another routine did the registering.
   */
  started?: string;
  unregistered: boolean;
  /** The path returns a success status: DriverEntry does not fail there, so the unload routine will run. */
  returnsSuccess?: boolean;
  out: Outcomes;
}

const rule = functionRule({
  id: 'reg-start-errors',
  severity: 'error',
  scope: 'function',
  title: 'Registration failures mishandled',
  why: 'FltRegisterFilter and FltStartFiltering can fail, and both are _Must_inspect_result_. DriverEntry must test them; when FltStartFiltering fails after a successful FltRegisterFilter, it must call FltUnregisterFilter before failing, because the unload routine is not called for a driver whose DriverEntry failed.',
  sources: [DOCS.ifs('initiating-filtering'), DOCS.ifs('returning-status-from-a-minifilter-driverentry-routine'), DOCS.ddi('nf-fltkernel-fltstartfiltering')],
  wants: (c) => callsAny(c, CALLS),
  check(ctx) {
    const out: RawFinding[] = [];
    for (const ig of ignoredStatuses(ctx, CALLS)) {
      out.push({ at: ctx.loc(ig.call.r), message: ig.storedIn ? `The status of ${ig.call.callee} is stored in '${ig.storedIn}' but never tested; fail DriverEntry (cleaning up) when it is an error.` : `The status of ${ig.call.callee} is thrown away; test it and fail DriverEntry (cleaning up) when it is an error.` });
    }
    if (!ctx.readable) return out;
    const irql = ctx.file.irql;
    const unregisters = (name: string) => name === 'FltUnregisterFilter' || (ctx.file.knows(name) && irql.callsTransitively(name).has('FltUnregisterFilter'));
    let leak: Span | undefined;
    // A helper that only starts filtering hands the status back: the caller that registered the filter
    // (DriverEntry, or the helper that called FltRegisterFilter) owns the cleanup.
    const entry = ctx.role('driverEntry') !== undefined;
    const complete = runFlow<S>(ctx, {
      init: { unregistered: false, out: NO_OUTCOMES },
      key: (s) => `${s.reg ?? ''}|${s.handle ?? ''}|${s.start?.key ?? ''}|${s.started ?? ''}|${s.unregistered ? 1 : 0}|${s.returnsSuccess ? 1 : 0}|${outcomesKey(s.out)}`,
      call: (c, s) => {
        const name = c.callee ?? '';
        if (name === 'FltRegisterFilter') {
          const h = c.args[2] ? addressOf(c.args[2]) : undefined;
          return { ...s, reg: callKey(c), handle: h ? pathOf(h, ctx.aliases) : undefined, out: track(s.out, c, 'status') };
        }
        if (name === 'FltStartFiltering') return { ...s, start: { key: callKey(c), site: c.r }, started: c.args[0] ? pathOf(c.args[0], ctx.aliases) : undefined, out: track(s.out, c, 'status') };
        if (unregisters(name) && !s.unregistered) return { ...s, unregistered: true };
        return s;
      },
      assign: (a, s) => { const o = noteAssign(s.out, a); return o === s.out ? s : { ...s, out: o }; },
      refine: (c, _cond, truth, s) => {
        let o = refineOutcomes(s.out, c, truth);
        if (o === null) return null;
        if (c && c.atom.k === 'nonnull' && s.started !== undefined && c.atom.path === s.started && c.pos !== truth) return null;
        // `if (Filter != NULL)`: a NULL handle means registration failed, a non-NULL one that it worked.
        if (c && c.atom.k === 'nonnull' && s.reg && c.atom.path === s.handle) {
          const worked = c.pos === truth;
          const cur = o.of[s.reg];
          if ((cur === 'ok' && !worked) || ((cur === 'fail' || cur === 'deleting') && worked)) return null;
          if (cur === '?') o = { ...o, of: { ...o.of, [s.reg]: worked ? 'ok' : 'fail' } };
        }
        return o === s.out ? s : { ...s, out: o };
      },
      ret: (_n, value, s) => {
        const v = value === SUCCESS ? 0 : value !== undefined ? statusByName(value) : undefined;
        return v !== undefined && ntSuccess(v) ? { ...s, returnsSuccess: true } : s;
      },
      exit: (s) => {
        // A path that returns success keeps the driver loaded: its unload routine unregisters later
        // (a start status that was never tested is reported as such above).
        if (!s.start || s.unregistered || s.returnsSuccess) return;
        if (!s.reg && !entry) return;
        const started = s.out.of[s.start.key];
        const registered = s.reg ? s.out.of[s.reg] : '?';
        // Never tested counts too: the failure goes back to the caller with the filter still registered.
        if (started !== 'ok' && registered !== 'fail') leak ??= s.start.site;
      },
    });
    if (complete && leak) {
      out.push({ at: ctx.loc(leak), message: 'When FltStartFiltering fails, the filter stays registered; call FltUnregisterFilter on that path before failing DriverEntry.' });
    }
    return out;
  },
});
export default rule;
