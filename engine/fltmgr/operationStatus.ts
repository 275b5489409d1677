/**
 * FltRequestOperationStatusCallback: a pre-operation callback asks to hear the status the file
 * system's dispatch returned for an IRP operation (STATUS_PENDING when it pends the request), which
 * the post-operation callback never sees for a pended request. The callback runs in the issuing
 * thread as soon as the dispatch returns, with the instance's related objects and a snapshot of the
 * parameter block as the operation was issued.
 */
import type { Kernel } from '../kernel/kernel';
import { STATUS } from '../kernel/status';
import { FLTFL_CALLBACK_DATA } from './constants';
import { callbackDataArg, type FltCallbackData, type OperationStatusRequest } from './callbackData';
import type { Instance } from './objects';

export class OperationStatusRoutines {
  constructor(private readonly k: Kernel) {}

  FltRequestOperationStatusCallback(Data: unknown, CallbackRoutine: unknown, RequesterContext: unknown): number {
    const k = this.k;
    k.checkIrql('FltRequestOperationStatusCallback');
    const data = callbackDataArg(k, Data, 'FltRequestOperationStatusCallback');
    if (data === null) return STATUS.STATUS_INVALID_PARAMETER;
    if (CallbackRoutine === null || CallbackRoutine === undefined || CallbackRoutine === 0) {
      k.violation('null-param', 'FltRequestOperationStatusCallback needs the routine to call with the status');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    // Only an IRP has a dispatch whose return value there is to report.
    if ((data.Flags & FLTFL_CALLBACK_DATA.IRP_OPERATION) === 0) {
      k.violation('invalid-parameter', `FltRequestOperationStatusCallback was called for ${data.label}, which is not an IRP-based operation`, data.id);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (!data.preRunning) {
      k.violation('invalid-parameter', `FltRequestOperationStatusCallback was called for ${data.label} outside its pre-operation callback`, data.id);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const inst = data.Iopb.TargetInstance as Instance;
    (data.statusRequests ??= []).push({ inst, routine: CallbackRoutine, context: RequesterContext ?? null, iopb: data.Iopb.snapshot() });
    return STATUS.STATUS_SUCCESS;
  }
}

/** The callbacks requested for `data`, once: the dispatch returns one status per request. */
export function takeStatusRequests(data: FltCallbackData): OperationStatusRequest[] {
  const requests = data.statusRequests ?? [];
  data.statusRequests = null;
  return requests;
}
