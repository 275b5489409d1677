/**
 * The rules a pre-operation callback's result is checked against (the Dispatcher acts on the result
 * itself, dispatch.ts): a completion context only with a post-op, a final status for an operation
 * completed in the pre-op path, and a pended operation handed to something that can complete it.
 */
import type { Kernel } from '../kernel/kernel';
import { formatStatus, STATUS } from '../kernel/status';
import type { CallbackScope } from '../kernel/thread';
import type { FltCallbackData } from './callbackData';
import { IRP_MJ, preopName } from './constants';
import type { OperationCallbacks } from './objects';

/** A pre-op set *CompletionContext although its result calls no post-op. */
export function noContext(k: Kernel, data: FltCallbackData, ops: OperationCallbacks, ctx: unknown, st: number): void {
  if (ctx !== null) {
    k.violation('preop-ctx-nonnull', `${ops.preName} set *CompletionContext for ${data.label} but returned ${preopName(st)}, which ignores it`, data.id);
  }
}

/** IoStatus of an operation completed in its pre-op path (COMPLETE, or a pended one completed). */
export function checkCompleteStatus(k: Kernel, data: FltCallbackData, who: string): void {
  const s = data.IoStatus.Status >>> 0;
  if (s === STATUS.STATUS_PENDING || s === STATUS.STATUS_FLT_DISALLOW_FAST_IO) {
    k.violation('preop-complete-status', `${who} completed ${data.label} with ${formatStatus(s)}, which is not a final status`, data.id);
  } else if ((data.major === IRP_MJ.CLEANUP || data.major === IRP_MJ.CLOSE) && s !== STATUS.STATUS_SUCCESS) {
    k.violation('preop-complete-status', `${who} completed ${data.label} with ${formatStatus(s)}; cleanup and close must complete with STATUS_SUCCESS`, data.id);
  }
}

/** A pre-op returned PENDING: did it hand the operation to something that can complete it? */
export function checkHandoff(k: Kernel, data: FltCallbackData, ops: OperationCallbacks, scope: CallbackScope): void {
  if (data.early !== null || scope.handoffs > 0) return;
  switch (scope.failedHandoff) {
    case 'cbdq':
      k.violation('cbdq-insert-unchecked', `${ops.preName} returned FLT_PREOP_PENDING for ${data.label} although FltCbdqInsertIo failed`, data.id);
      return;
    case 'not-safe':
      k.violation('deferred-wi-not-safe', `${ops.preName} returned FLT_PREOP_PENDING for ${data.label} although FltQueueDeferredIoWorkItem failed with STATUS_FLT_NOT_SAFE_TO_POST_OPERATION`, data.id);
      return;
    case 'deleting':
      k.violation('deleting-object', `${ops.preName} returned FLT_PREOP_PENDING for ${data.label} although queuing its work failed with STATUS_FLT_DELETING_OBJECT`, data.id);
      return;
    default:
      // A filter may keep pended operations in a queue of its own, which the engine cannot see; the
      // verdict waits for the end of the run, when an operation nobody ever completed proves it.
      data.noHandoff = `${ops.preName} returned FLT_PREOP_PENDING for ${data.label} without queuing a work item, inserting it into a cbdq, or signalling anything that could complete it`;
  }
}
