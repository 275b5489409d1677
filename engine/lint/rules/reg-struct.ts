import { constName, isNullExpr, strip } from '../frontend/exprs';
import type { Expr } from '../frontend/ir';
import { DOCS, type RawFinding, fileRule } from '../rule';

const VALID_VERSIONS = new Set([0x0200, 0x0201, 0x0202, 0x0203]);

function sizeIsRight(e: Expr): boolean {
  const s = strip(e);
  return s.k === 'other' && /^sizeof\s*\(\s*FLT_REGISTRATION\s*\)$/.test(s.text.trim());
}

function versionIsRight(e: Expr): boolean {
  const s = strip(e);
  if (s.k === 'id') return s.name.startsWith('FLT_REGISTRATION_VERSION');
  if (s.k === 'num') return s.value !== undefined && VALID_VERSIONS.has(s.value);
  return true;
}

const rule = fileRule({
  id: 'reg-struct',
  severity: 'error',
  scope: 'file',
  title: 'Invalid registration structures',
  why: 'FltRegisterFilter checks the FLT_REGISTRATION it is given: a wrong Size or Version makes it fail with STATUS_INVALID_PARAMETER. The operation array must end with an IRP_MJ_OPERATION_END row and the context array with FLT_CONTEXT_END, or the Filter Manager reads past them. Minifilters cannot filter IRP_MJ_POWER or IRP_MJ_DEVICE_CHANGE, IRP_MJ_SHUTDOWN has no post-operation callback, and Reserved1 must be NULL.',
  sources: [DOCS.ddi('ns-fltkernel-_flt_registration'), DOCS.ddi('ns-fltkernel-_flt_operation_registration'), DOCS.ddi('nf-fltkernel-fltregisterfilter')],
  check(ctx) {
    const out: RawFinding[] = [];
    const model = ctx.model;
    for (const reg of model.registrations) {
      const anchor = `decl:${reg.name}`;
      const size = reg.fields.get('Size');
      if (size && !sizeIsRight(size)) {
        out.push({ at: { anchor, span: size.r }, message: `FLT_REGISTRATION.Size of ${reg.name} must be sizeof(FLT_REGISTRATION); FltRegisterFilter rejects any other value.`, fixes: [{ title: 'Use sizeof(FLT_REGISTRATION)', edits: [{ at: { anchor, span: size.r }, newText: 'sizeof( FLT_REGISTRATION )' }] }] });
      }
      const version = reg.fields.get('Version');
      if (version && !versionIsRight(version)) {
        out.push({ at: { anchor, span: version.r }, message: `FLT_REGISTRATION.Version of ${reg.name} must be FLT_REGISTRATION_VERSION; FltRegisterFilter fails with STATUS_INVALID_PARAMETER otherwise.`, fixes: [{ title: 'Use FLT_REGISTRATION_VERSION', edits: [{ at: { anchor, span: version.r }, newText: 'FLT_REGISTRATION_VERSION' }] }] });
      }
    }
    for (const t of model.operationTables.values()) {
      const anchor = `decl:${t.name}`;
      const endAt = t.rows.findIndex((r) => r.isEnd);
      if (endAt < 0) {
        out.push({ at: { anchor, span: closing(t.span) }, message: `Operation array ${t.name} has no final { IRP_MJ_OPERATION_END } row; add it as the last element.` });
      }
      const live = endAt < 0 ? t.rows : t.rows.slice(0, endAt);
      for (const row of live) {
        if (row.major === 'IRP_MJ_POWER' || row.major === 'IRP_MJ_DEVICE_CHANGE') {
          out.push({ at: { anchor, span: row.span }, message: `Minifilters cannot register for ${row.major}; remove this row.` });
        }
        if (row.major === 'IRP_MJ_SHUTDOWN' && !row.postIsNull) {
          out.push({ at: { anchor, span: row.fields.get('PostOperation')!.r }, message: 'IRP_MJ_SHUTDOWN has no post-operation callback; set PostOperation to NULL.' });
        }
        if (row.reserved && !isNullExpr(row.reserved) && constName(row.reserved) !== 'NULL') {
          out.push({ at: { anchor, span: row.reserved.r }, message: 'Reserved1 of an operation row must be NULL.' });
        }
      }
    }
    for (const t of model.contextTables.values()) {
      if (!t.rows.some((r) => r.isEnd)) {
        out.push({ at: { anchor: `decl:${t.name}`, span: closing(t.span) }, message: `Context array ${t.name} has no final { FLT_CONTEXT_END } row; add it as the last element.` });
      }
    }
    return out;
  },
});

/** The closing brace of an initializer. */
function closing(s: { sr: number; sc: number; er: number; ec: number }) {
  return { sr: s.er, sc: Math.max(0, s.ec - 1), er: s.er, ec: s.ec };
}
export default rule;
