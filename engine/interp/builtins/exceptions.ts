/**
 * What C code sees of a structured exception: GetExceptionCode and GetExceptionInformation in a
 * filter or handler, AbnormalTermination in a `__finally`, and the routines that raise one
 * (ExRaiseStatus and its two fixed forms). The dispatch itself is interp/seh.ts.
 */
import { preludeStruct } from '../../c/prelude/structs';
import { sizeOf } from '../../c/types';
import { SehException } from '../../kernel/exceptions';
import { formatStatus, STATUS } from '../../kernel/status';
import { viewAt, type ArrayView } from '../../memory/view';
import type { Builtin, BuiltinCall, BuiltinTable } from '../builtin';
import { CRuntimeError } from '../errors';

/** sizeof(CONTEXT) on x64: the record is there for filters that pass it on; nothing fills it. */
const CONTEXT_SIZE = 1232;

function current(call: BuiltinCall, what: string): SehException {
  const e = call.frame.exception;
  if (e === undefined) throw new CRuntimeError('bad-call', `${what} is only meaningful inside an __except filter or handler`, call.loc, 'call it from the filter expression or the handler block');
  return e;
}

/** EXCEPTION_POINTERS for an exception, made once per exception (filters may ask several times). */
const POINTERS = new WeakMap<SehException, unknown>();

function exceptionPointers(call: BuiltinCall, e: SehException): unknown {
  const known = POINTERS.get(e);
  if (known !== undefined) return known;
  const space = call.interp.addresses;
  const recordType = preludeStruct('_EXCEPTION_RECORD');
  const record = space.allocate('engine', sizeOf(recordType), { label: `EXCEPTION_RECORD of ${formatStatus(e.code)}`, zeroed: true, type: recordType });
  const r = viewAt(record, 0, recordType);
  r.ExceptionCode = e.code | 0;
  r.ExceptionFlags = e.flags;
  r.NumberParameters = e.information.length;
  const info = r.ExceptionInformation as ArrayView;
  e.information.forEach((v, i) => info.set(i, v));
  const context = space.allocate('engine', CONTEXT_SIZE, { label: 'CONTEXT record (not filled by fltsim)', zeroed: true });
  const pointersType = preludeStruct('_EXCEPTION_POINTERS');
  const pointers = space.allocate('engine', sizeOf(pointersType), { label: 'EXCEPTION_POINTERS', zeroed: true, type: pointersType });
  const p = viewAt(pointers, 0, pointersType);
  p.ExceptionRecord = space.pointer(record);
  p.ContextRecord = space.pointer(context);
  const ptr = space.pointer(pointers);
  POINTERS.set(e, ptr);
  return ptr;
}

function raise(code: number, what: string): never {
  throw new SehException(code >>> 0, what);
}

export function exceptionBuiltins(): BuiltinTable {
  const table: BuiltinTable = new Map<string, Builtin>();
  table.set('__fltsim_exception_code', (call) => current(call, 'GetExceptionCode()').code | 0);
  table.set('__fltsim_exception_information', (call) => exceptionPointers(call, current(call, 'GetExceptionInformation()')));
  table.set('__fltsim_abnormal_termination', (call) => (call.frame.abnormalTermination ? 1 : 0));
  table.set('ExRaiseStatus', (call) => raise(Number(call.args[0] ?? 0), `ExRaiseStatus(${formatStatus(Number(call.args[0] ?? 0) >>> 0)}) in ${call.frame.name}`));
  table.set('ExRaiseAccessViolation', (call) => raise(STATUS.STATUS_ACCESS_VIOLATION, `ExRaiseAccessViolation in ${call.frame.name}`));
  table.set('ExRaiseDatatypeMisalignment', (call) => raise(STATUS.STATUS_DATATYPE_MISALIGNMENT, `ExRaiseDatatypeMisalignment in ${call.frame.name}`));
  return table;
}
