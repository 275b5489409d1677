/** Every rule, in the order the documentation lists them. */
import type { Rule } from '../rule';
import wiBadQueueType from './wi-bad-queue-type';
import wiQueueStatusIgnored from './wi-queue-status-ignored';
import wiAllocNullUnchecked from './wi-alloc-null-unchecked';
import wiLeakOnQueueFailure from './wi-leak-on-queue-failure';
import wiNotFreedByWorker from './wi-not-freed-by-worker';
import wiFreeMismatch from './wi-free-mismatch';
import genericWiWrongAllocator from './generic-wi-wrong-allocator';
import deferredWiWrongAllocator from './deferred-wi-wrong-allocator';
import deferredWiNonIrp from './deferred-wi-non-irp';
import cppBadStatus from './cpp-bad-status';
import cppCtxNotNull from './cpp-ctx-not-null';
import cppIrql from './cpp-irql';
import preopPendingNonIrp from './preop-pending-non-irp';
import preopCtxNonnull from './preop-ctx-nonnull';
import preopPendingNoOwner from './preop-pending-no-owner';
import preopCallbackWithoutPostop from './preop-callback-without-postop';
import postopMprWithoutPost from './postop-mpr-without-post';
import postopMprNonIrp from './postop-mpr-non-irp';
import postopIrqlUnsafeCall from './postop-irql-unsafe-call';
import postopPageable from './postop-pageable';
import cbdqNonIrp from './cbdq-non-irp';
import cbdqInsertUnchecked from './cbdq-insert-unchecked';
import cbdqLockIrql from './cbdq-lock-irql';
import cbdqCallbackLocks from './cbdq-callback-locks';
import cbdqCancelCb from './cbdq-cancel-cb';
import cbdqRemoveNull from './cbdq-remove-null';
import cbdqIoCtxLifetime from './cbdq-io-ctx-lifetime';
import cbdqNoDrain from './cbdq-no-drain';
import regStruct from './reg-struct';
import regStartErrors from './reg-start-errors';
import unloadNoUnregister from './unload-no-unregister';
import deletingObject from './deleting-object';
import ctxRefLeak from './ctx-ref-leak';
import nameInfo from './name-info';
import obRefLeak from './ob-ref-leak';
import poolLeak from './pool-leak';
import syncAsyncRw from './sync-async-rw';
import dirtyMissing from './dirty-missing';
import wiRunningFlagStuck from './wi-running-flag-stuck';
import wiRoutineMismatch from './wi-routine-mismatch';
import ioWiForeignDevice from './io-wi-foreign-device';
import pendedPreNotCompleted from './pended-pre-not-completed';
import pendedPostNotCompleted from './pended-post-not-completed';
import postopDraining from './postop-draining';
import cbdqMixedCompletion from './cbdq-mixed-completion';
import cbdqNeverInserted from './cbdq-never-inserted';
import relatedObjectsKept from './related-objects-kept';
import irqlAboveBound from './irql-above-bound';
import syncOnCreate from './sync-on-create';
import syncUnsupportedOp from './sync-unsupported-op';
import reservedStatus from './reserved-status';
import ctxSetPrecreate from './ctx-set-precreate';
import noUnloadCb from './no-unload-cb';
import cbdqAcquireRelease from './cbdq-acquire-release';
import sendmsgTimeout from './sendmsg-timeout';
import portNotClosed from './port-not-closed';
import postcreateFail from './postcreate-fail';
import cancelOpenNotPostcreate from './cancel-open-not-postcreate';
import syncHoldsLock from './sync-holds-lock';
import preopTouchAfterHandoff from './preop-touch-after-handoff';
import startBeforeInit from './start-before-init';
import unloadRefuseMandatory from './unload-refuse-mandatory';

export const ALL_RULES: readonly Rule[] = [
  wiBadQueueType, wiQueueStatusIgnored, wiAllocNullUnchecked, wiLeakOnQueueFailure, wiNotFreedByWorker, wiFreeMismatch,
  genericWiWrongAllocator, deferredWiWrongAllocator, deferredWiNonIrp, wiRunningFlagStuck, wiRoutineMismatch, ioWiForeignDevice,
  cppBadStatus, cppCtxNotNull, cppIrql, pendedPreNotCompleted, pendedPostNotCompleted,
  preopPendingNonIrp, preopCtxNonnull, preopPendingNoOwner, preopTouchAfterHandoff, preopCallbackWithoutPostop, postopMprWithoutPost,
  postopMprNonIrp, postopIrqlUnsafeCall, postopPageable, postopDraining, postcreateFail, cancelOpenNotPostcreate, cbdqNonIrp, cbdqInsertUnchecked, cbdqLockIrql,
  cbdqCallbackLocks, cbdqAcquireRelease, cbdqCancelCb, cbdqRemoveNull, cbdqIoCtxLifetime, cbdqNoDrain, cbdqMixedCompletion, cbdqNeverInserted,
  regStruct, regStartErrors, startBeforeInit, unloadNoUnregister, unloadRefuseMandatory, noUnloadCb, deletingObject, ctxRefLeak, ctxSetPrecreate, nameInfo, obRefLeak, poolLeak, sendmsgTimeout, portNotClosed, relatedObjectsKept,
  syncAsyncRw, syncOnCreate, syncUnsupportedOp, syncHoldsLock, reservedStatus, dirtyMissing,
  irqlAboveBound,
];
