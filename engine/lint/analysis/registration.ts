/**
 * Reads the registration tables a minifilter hands to FltRegisterFilter: FLT_REGISTRATION,
 * FLT_OPERATION_REGISTRATION[] and FLT_CONTEXT_REGISTRATION[]. Positional and designated
 * initializers are both understood. Spans are relative to the declaration's first line (its anchor `decl:Name`).
 */
import type { Expr, Span } from '../frontend/ir';
import { constName, idName, isNullExpr, strip } from '../frontend/exprs';

export const FLT_REGISTRATION_FIELDS = [
  'Size', 'Version', 'Flags', 'ContextRegistration', 'OperationRegistration', 'FilterUnloadCallback',
  'InstanceSetupCallback', 'InstanceQueryTeardownCallback', 'InstanceTeardownStartCallback',
  'InstanceTeardownCompleteCallback', 'GenerateFileNameCallback', 'NormalizeNameComponentCallback',
  'NormalizeContextCleanupCallback', 'TransactionNotificationCallback', 'NormalizeNameComponentExCallback',
  'SectionNotificationCallback',
] as const;

const OPERATION_FIELDS = ['MajorFunction', 'Flags', 'PreOperation', 'PostOperation', 'Reserved1'] as const;
const CONTEXT_FIELDS = ['ContextType', 'Flags', 'ContextCleanupCallback', 'Size', 'PoolTag', 'ContextAllocateCallback', 'ContextFreeCallback', 'Reserved1'] as const;

export interface OperationRow {
  major: string | undefined;
  pre: string | undefined;
  post: string | undefined;
  /** The PostOperation slot was written as NULL (or left out). */
  postIsNull: boolean;
  reserved?: Expr;
  isEnd: boolean;
  span: Span;
  fields: Map<string, Expr>;
}

export interface OperationTable {
  name: string;
  rows: OperationRow[];
  span: Span;
}

export interface ContextRow {
  type: string | undefined;
  cleanup: string | undefined;
  isEnd: boolean;
  span: Span;
}

export interface ContextTable {
  name: string;
  rows: ContextRow[];
  span: Span;
}

export interface FilterRegistration {
  name: string;
  fields: Map<string, Expr>;
  span: Span;
}

/** Maps an initializer list onto field names, honouring `.Field = value` designators. */
export function fieldsOf(init: Expr, order: readonly string[]): Map<string, Expr> {
  const out = new Map<string, Expr>();
  if (init.k !== 'init') return out;
  let pos = 0;
  init.items.forEach((item, i) => {
    const d = init.designators[i];
    if (d) {
      out.set(d, item);
      const at = order.indexOf(d);
      if (at >= 0) pos = at + 1;
    } else {
      if (pos < order.length) out.set(order[pos], item);
      pos++;
    }
  });
  return out;
}

function fnName(e: Expr | undefined): string | undefined {
  if (!e || isNullExpr(e)) return undefined;
  const s = strip(e);
  if (s.k === 'unary' && s.op === '&') return idName(s.arg);
  return idName(s);
}

export function readOperationTable(name: string, init: Expr): OperationTable {
  const rows: OperationRow[] = [];
  if (init.k === 'init') {
    for (const item of init.items) {
      if (item.k !== 'init') continue;
      const f = fieldsOf(item, OPERATION_FIELDS);
      const major = constName(f.get('MajorFunction'));
      const postExpr = f.get('PostOperation');
      rows.push({
        major,
        pre: fnName(f.get('PreOperation')),
        post: fnName(postExpr),
        postIsNull: !postExpr || isNullExpr(postExpr),
        reserved: f.get('Reserved1'),
        isEnd: major === 'IRP_MJ_OPERATION_END',
        span: item.r,
        fields: f,
      });
    }
  }
  return { name, rows, span: init.r };
}

export function readContextTable(name: string, init: Expr): ContextTable {
  const rows: ContextRow[] = [];
  if (init.k === 'init') {
    for (const item of init.items) {
      if (item.k !== 'init') continue;
      const f = fieldsOf(item, CONTEXT_FIELDS);
      const type = constName(f.get('ContextType'));
      rows.push({ type, cleanup: fnName(f.get('ContextCleanupCallback')), isEnd: type === 'FLT_CONTEXT_END', span: item.r });
    }
  }
  return { name, rows, span: init.r };
}

export function readFilterRegistration(name: string, init: Expr): FilterRegistration {
  return { name, fields: fieldsOf(init, FLT_REGISTRATION_FIELDS), span: init.r };
}

/** The function a FLT_REGISTRATION callback slot names, if any. */
export function registrationCallback(reg: FilterRegistration, field: string): string | undefined {
  return fnName(reg.fields.get(field));
}

/** The table a FLT_REGISTRATION pointer slot names (`Callbacks`, `&Callbacks[0]`). */
export function registrationTableName(reg: FilterRegistration, field: string): string | undefined {
  const e = reg.fields.get(field);
  if (!e || isNullExpr(e)) return undefined;
  let s = strip(e);
  if (s.k === 'unary' && s.op === '&') s = strip(s.arg);
  if (s.k === 'index') s = strip(s.obj);
  return s.k === 'id' ? s.name : undefined;
}
