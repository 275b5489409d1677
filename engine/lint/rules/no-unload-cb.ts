import { constName, isNullExpr, visitExpr } from '../frontend/exprs';
import type { Expr } from '../frontend/ir';
import { DOCS, type RawFinding, fileRule } from '../rule';

/** `Registration.FilterUnloadCallback = Unload;` in code: the slot is filled before FltRegisterFilter. */
const ASSIGNED_IN_CODE = /[\w\])]\s*(?:->|\.)\s*FilterUnloadCallback\s*=(?!=)/;

function mentionsName(e: Expr, name: string): boolean {
  let hit = false;
  visitExpr(e, (x) => { if (x.k === 'id' && x.name === name) hit = true; });
  return hit;
}

const rule = fileRule({
  id: 'no-unload-cb',
  severity: 'warning',
  scope: 'file',
  title: 'No filter unload callback',
  why: 'The unload callback is optional in FLT_REGISTRATION, but a filter that leaves it NULL cannot be unloaded at all: `fltmc unload` and FilterUnload fail and the driver stays loaded until the machine restarts, which makes updating or removing it painful. Register an unload routine that closes communication ports and calls FltUnregisterFilter; if the filter must never unload, say so with FLTFL_REGISTRATION_DO_NOT_SUPPORT_SERVICE_STOP in the Flags of the registration (or silence this warning with a comment).',
  sources: [DOCS.ddi('nc-fltkernel-pflt_filter_unload_callback'), DOCS.ddi('ns-fltkernel-_flt_registration')],
  check(ctx) {
    const out: RawFinding[] = [];
    const model = ctx.model;
    if (ASSIGNED_IN_CODE.test(model.text)) return out;
    for (const reg of model.registrations) {
      // Only tables that are registrations for sure: they name their operations or their size.
      if (!reg.fields.has('OperationRegistration') && !reg.fields.has('Size')) continue;
      // The author said so: a filter that refuses service stop on purpose does not want to unload either.
      const flags = reg.fields.get('Flags');
      if (flags && mentionsName(flags, 'FLTFL_REGISTRATION_DO_NOT_SUPPORT_SERVICE_STOP')) continue;
      const anchor = `decl:${reg.name}`;
      const slot = reg.fields.get('FilterUnloadCallback');
      if (slot && !isNullExpr(slot) && constName(slot) !== 'NULL' && constName(slot) !== '0') continue;
      const at = slot ? slot.r : { sr: reg.span.er, sc: Math.max(0, reg.span.ec - 1), er: reg.span.er, ec: reg.span.ec };
      out.push({ at: { anchor, span: at }, message: `${reg.name} registers no FilterUnloadCallback, so the filter can never be unloaded except by a restart; name an unload routine that calls FltUnregisterFilter.` });
    }
    return out;
  },
});
export default rule;
