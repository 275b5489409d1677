/**
 * Every rule id the runtime verifier can record, with what it means and where the rule comes from.
 * Ids shared with the linter are the ones in flt-rules.md (section 1, rows detected at run time);
 * the rest are checks that page has no id for, named here. docs/runtime-rules.md lists the same
 * table for users, and a test keeps the two in step.
 */

export type Severity = 'error' | 'warning';

export interface RuntimeRule {
  severity: Severity;
  /** What went wrong, as a user reads it in a list. */
  meaning: string;
  /** `flt-rules` for ids from the shared catalog, otherwise the documents behind the check. */
  source: string;
}

function r(severity: Severity, meaning: string, source: string): RuntimeRule {
  return { severity, meaning, source };
}

const FLT = 'flt-rules';

export const RUNTIME_RULES = {
  // --- Rules from the shared catalog (flt-rules.md section 1) ---
  'generic-wi-wrong-allocator': r('error', 'FltQueueGenericWorkItem got an item that FltAllocateGenericWorkItem did not allocate.', FLT),
  'deferred-wi-wrong-allocator': r('error', 'FltQueueDeferredIoWorkItem got an item that FltAllocateDeferredIoWorkItem did not allocate.', FLT),
  'wi-not-freed-by-worker': r('warning', 'A work item whose worker has run was never freed.', FLT),
  'wi-free-mismatch': r('error', 'A work item was freed with the wrong routine, freed twice, or queued after being freed.', FLT),
  'wi-leak-on-queue-failure': r('error', 'Queuing a work item failed and the item was never freed.', FLT),
  'wi-bad-queue-type': r('error', 'A work item was queued to a queue other than CriticalWorkQueue or DelayedWorkQueue.', FLT),
  'deferred-wi-non-irp': r('error', 'A deferred-I/O work item was queued for an operation that is not IRP-based.', FLT),
  'deferred-wi-not-safe': r('error', 'Posting failed as not safe (paging I/O or a top-level IRP) and the pre-op still returned FLT_PREOP_PENDING.', FLT),
  'generic-wi-blocks-unload': r('error', 'FltUnregisterFilter waits for a queued work item whose worker is itself blocked.', FLT),
  'preop-pending-non-irp': r('error', 'A pre-operation callback returned FLT_PREOP_PENDING for a fast I/O or FsFilter operation.', FLT),
  'preop-ctx-nonnull': r('error', 'A pre-operation callback set a completion context with a status that ignores it.', FLT),
  'preop-pending-no-owner': r('error', 'A pre-operation callback returned FLT_PREOP_PENDING without handing the operation to anything that could complete it.', FLT),
  'pended-pre-not-completed': r('error', 'An operation pended in a pre-operation callback was never passed to FltCompletePendedPreOperation.', FLT),
  'cpp-bad-status': r('error', 'FltCompletePendedPreOperation got FLT_PREOP_PENDING, FLT_PREOP_SYNCHRONIZE or FLT_PREOP_DISALLOW_FASTIO.', FLT),
  'cpp-ctx-not-null': r('error', 'FltCompletePendedPreOperation got a non-NULL Context with a status other than FLT_PREOP_SUCCESS_WITH_CALLBACK.', FLT),
  'cpp-irql': r('error', 'FltCompletePendedPreOperation ran above APC_LEVEL with a status other than FLT_PREOP_COMPLETE.', FLT),
  'preop-complete-status': r('error', 'An operation was completed in its pre-operation path with STATUS_PENDING or a reserved status.', FLT),
  'preop-callback-without-postop': r('error', 'A post-operation callback was requested but none is registered for the operation (bug check 0xF5, 0x66).', FLT),
  'sync-async-rw': r('error', 'FLT_PREOP_SYNCHRONIZE was returned for an asynchronous read or write.', FLT),
  'disallow-fastio-misuse': r('error', 'FLT_PREOP_DISALLOW_FASTIO was returned for an operation that is not fast I/O.', FLT),
  'iostatus-when-passing': r('warning', 'A callback changed Data->IoStatus while passing the operation on instead of completing it.', FLT),
  'readonly-fields': r('error', 'A callback changed a read-only field of the callback data (Thread or RequestorMode).', FLT),
  'postop-mpr-without-post': r('error', 'A post-operation callback returned FLT_POSTOP_MORE_PROCESSING_REQUIRED without posting the work anywhere.', FLT),
  'postop-mpr-non-irp': r('error', 'A post-operation callback returned FLT_POSTOP_MORE_PROCESSING_REQUIRED for an operation that is not IRP-based.', FLT),
  'pended-post-not-completed': r('error', 'An operation pended in a post-operation callback was never passed to FltCompletePendedPostOperation.', FLT),
  'postop-draining': r('error', 'A draining post-operation callback did something other than finish processing.', FLT),
  'postop-irql-unsafe-call': r('error', 'A post-operation callback that can run at DISPATCH_LEVEL called a routine limited to APC_LEVEL or lower.', FLT),
  'reissue-misuse': r('error', 'FltReissueSynchronousIo was called outside the operation\'s post-operation callback, or for fast I/O or an asynchronous operation.', FLT),
  'dcpws-misuse': r('error', 'FltDoCompletionProcessingWhenSafe was called outside a post-operation callback, for a non-IRP or paging operation, or its result was not returned.', FLT),
  'dcpws-safecb-mpr': r('error', 'A SafePostCallback returned FLT_POSTOP_MORE_PROCESSING_REQUIRED and the operation was never resumed.', FLT),
  'cbdq-uninitialized': r('error', 'A cancel-safe queue routine was called on a queue that FltCbdqInitialize never set up.', FLT),
  'cbdq-non-irp': r('error', 'An operation that is not IRP-based was inserted into a cancel-safe queue.', FLT),
  'cbdq-insert-unchecked': r('error', 'A pre-operation callback returned FLT_PREOP_PENDING although FltCbdqInsertIo failed.', FLT),
  'cbdq-lock-irql': r('error', 'A cancel-safe queue protected by a mutex or resource was used above APC_LEVEL.', FLT),
  'cbdq-cancel-cb': r('error', 'CbdqCompleteCanceledIo removed the operation again, or did not complete it with an error status.', FLT),
  'cbdq-peek-contract': r('error', 'CbdqPeekNextIo returned an item that is not queued, or the same item twice in one scan.', FLT),
  'cbdq-remove-null': r('error', 'FltCbdqRemoveIo was called with a NULL context.', FLT),
  'cbdq-io-ctx-lifetime': r('error', 'The queue I/O context of a queued operation was freed before the operation left the queue.', FLT),
  'cbdq-no-drain': r('error', 'Instance teardown started and operations were left in a cancel-safe queue.', FLT),
  'cbdq-set-cancel': r('error', 'FltSetCancelCompletion was called for an operation that sits in a cancel-safe queue.', FLT),
  'reg-struct': r('error', 'The FLT_REGISTRATION passed to FltRegisterFilter is malformed (Size, Version, terminators, reserved fields).', FLT),
  'reg-start-errors': r('error', 'DriverEntry failed and left a registered filter behind.', FLT),
  'unload-no-unregister': r('error', 'The filter unload callback returned success without calling FltUnregisterFilter.', FLT),
  'unload-refuse-mandatory': r('error', 'The filter unload callback refused the unload after calling FltUnregisterFilter.', FLT),
  'rundown-leak': r('error', 'A rundown reference (FltObjectReference, FltGetFilterFromInstance) was never dropped, so unload waits forever.', FLT),
  'deleting-object': r('error', 'A call failed with STATUS_FLT_DELETING_OBJECT and the operation was still pended as if it had worked.', FLT),
  'teardown-pended': r('error', 'InstanceTeardownStart returned while operations pended by the instance were not on their way to completion.', FLT),
  'ctx-ref-leak': r('error', 'A context reference was never released.', FLT),
  'ctx-over-release': r('error', 'A context was released more often than it was referenced, or used after its last release.', FLT),
  'ctx-release-paged-dispatch': r('error', 'A paged-pool context was released at DISPATCH_LEVEL.', FLT),
  'ctx-delete-rules': r('error', 'A context was deleted without a reference held, or a section context was deleted with FltDeleteContext.', FLT),
  'unload-port-order': r('error', 'FltUnregisterFilter was called while a communication server port of the filter was still open.', FLT),
  'name-info': r('error', 'File name information was requested above APC_LEVEL, modified, released too often, or never released.', FLT),
  'set-cancel-misuse': r('error', 'FltSetCancelCompletion was called for a non-IRP or paging operation.', FLT),
  'lock-user-buffer': r('error', 'FltLockUserBuffer was called above APC_LEVEL or for an operation that has no user buffer to lock.', FLT),

  // --- Checks flt-rules.md has no id for ---
  'irql-above-bound': r('error', 'A routine was called above the highest IRQL its documentation allows.', 'engine/api/catalog.ts (req.irql of each routine\'s reference page)'),
  'irql-below-required': r('error', 'A routine that must run at a raised IRQL (…AtDpcLevel, …FromDpcLevel, KeReleaseSpinLock, ExReleaseFastMutex) ran lower.', 'KeAcquireSpinLockAtDpcLevel, KeReleaseSpinLock, ExReleaseFastMutex reference pages'),
  'irql-bad-raise': r('error', 'KeRaiseIrql was asked for a lower IRQL, or KeLowerIrql for a higher one (bug check 0x9, IRQL_NOT_GREATER_OR_EQUAL / 0xA).', 'KeRaiseIrql and KeLowerIrql reference pages'),
  'irql-not-restored': r('error', 'A callback or worker returned at a different IRQL than it was called at.', 'SDV/DDI rule IrqlReturn; Code Analysis C28157'),
  'spinlock-not-held': r('error', 'A spin lock was released by a thread that does not hold it.', 'DDI compliance rule SpinlockRelease'),
  'spinlock-release-irql': r('error', 'KeReleaseSpinLock was given an IRQL other than the one KeAcquireSpinLock returned.', 'DDI compliance rule IrqlKeReleaseSpinLock'),
  'lock-recursive': r('error', 'A thread acquired a lock it already holds that cannot be acquired recursively: it would deadlock.', 'KeAcquireSpinLock, ExAcquireFastMutex, FltAcquirePushLockExclusive reference pages'),
  'lock-not-held': r('error', 'A fast mutex, resource or push lock was released by a thread that does not hold it.', 'ExReleaseFastMutex, ExReleaseResourceLite, FltReleasePushLock reference pages'),
  'lock-held-on-return': r('error', 'A callback or worker returned while still holding a lock it acquired.', 'DDI compliance rule SpinLock; Code Analysis C28167'),
  'lock-held-at-end': r('error', 'A lock was still held when the run ended.', 'DDI compliance rules SpinLock and CriticalRegions'),
  'wait-at-dispatch': r('error', 'A thread waited with a non-zero timeout at DISPATCH_LEVEL or above.', 'KeWaitForSingleObject reference page; DDI rule IrqlKeWaitForMutexObject'),
  'resource-no-critical-region': r('error', 'An ERESOURCE was acquired with normal kernel APCs enabled (outside a critical region).', 'ExAcquireResourceExclusiveLite reference page; DDI rule CriticalRegions'),
  'critical-region-imbalance': r('error', 'KeLeaveCriticalRegion without a matching KeEnterCriticalRegion, or a callback returned inside a critical region it entered.', 'DDI compliance rule CriticalRegions'),
  'pool-leak': r('error', 'Pool or lookaside memory was never freed.', 'Driver Verifier pool tracking'),
  'pool-double-free': r('error', 'Pool or lookaside memory was freed twice.', 'ExFreePoolWithTag reference page (bug check 0xC2)'),
  'pool-bad-free': r('error', 'Something that is not a pool allocation was passed to a pool free routine, or a block went back to the wrong lookaside list.', 'ExFreePoolWithTag, ExFreeToNPagedLookasideList reference pages'),
  'pool-tag-mismatch': r('warning', 'ExFreePoolWithTag was given a tag other than the one used to allocate.', 'ExFreePoolWithTag reference page'),
  'pool-paged-at-dispatch': r('error', 'Paged pool was allocated at DISPATCH_LEVEL.', 'DDI compliance rule IrqlExAllocatePool'),
  'null-param': r('error', 'A required pointer parameter was NULL.', 'the routine\'s reference page (parameter marked [in], not optional)'),
  'bad-object': r('error', 'A parameter is not the kind of object the routine expects (for example a work item where a filter is needed).', 'the routine\'s reference page'),
  'uninitialized-object': r('warning', 'An event or lock was used before its initialization routine ran.', 'KeInitializeEvent, ExInitializeFastMutex, ExInitializeResourceLite reference pages'),
  'deadlock': r('error', 'The run ended with threads blocked forever.', 'fltsim: nothing could ever wake them'),
  'complete-twice': r('error', 'FltCompletePendedPreOperation or IoCompleteRequest was called a second time for the same operation or IRP.', 'FltCompletePendedPreOperation and IoCompleteRequest reference pages; flt-rules pended-pre-not-completed (second call)'),
  'cpp-not-pended': r('error', 'FltCompletePendedPreOperation was called for an operation that no pre-operation callback pended.', 'FltCompletePendedPreOperation reference page'),
  'cpost-not-pended': r('error', 'FltCompletePendedPostOperation was called for an operation that no post-operation callback pended.', 'FltCompletePendedPostOperation reference page'),
  'preop-bad-status': r('error', 'A pre-operation callback returned a value that is not an FLT_PREOP_CALLBACK_STATUS.', 'PFLT_PRE_OPERATION_CALLBACK reference page'),
  'postop-bad-status': r('error', 'A post-operation callback returned a value that is not an FLT_POSTOP_CALLBACK_STATUS.', 'PFLT_POST_OPERATION_CALLBACK reference page'),
  'cbdq-complete-queued': r('error', 'An operation was completed while it still sat in a cancel-safe queue.', 'FltCbdqRemoveIo / FltCbdqRemoveNextIo reference pages'),
  'wi-free-while-queued': r('error', 'A work item was freed while still queued, before its worker ran.', 'FltFreeGenericWorkItem reference page'),
  'wi-double-queue': r('error', 'A work item was queued again while it was still queued.', 'FltQueueGenericWorkItem reference page'),
  'wi-leak': r('error', 'A work item was allocated and never queued nor freed.', 'Filter Verifier work item tracking'),
  'invalid-parameter': r('error', 'A parameter breaks the routine\'s documented rule (a value out of range, a required flag missing).', 'the routine\'s reference page'),
  'irp-not-completed': r('error', 'A dispatch routine returned a status other than STATUS_PENDING without completing the IRP with IoCompleteRequest.', 'IoCompleteRequest and DRIVER_DISPATCH reference pages'),
  'irp-no-stack-location': r('error', 'IoCallDriver sent an IRP that had no stack location left for the device (bug check 0x35, NO_MORE_IRP_STACK_LOCATIONS).', 'IoCallDriver reference page; bug check 0x35'),
  'irp-free-in-progress': r('error', 'IoFreeIrp or IoReuseIrp was called on an IRP still being processed (sent with IoCallDriver and not completed back to its owner).', 'IoFreeIrp and IoReuseIrp reference pages'),
  'irp-own-reached-top': r('error', 'An IRP the driver allocated with IoAllocateIrp completed past its top stack location: no completion routine returned STATUS_MORE_PROCESSING_REQUIRED.', 'IoAllocateIrp and IoSetCompletionRoutine reference pages'),
  'irp-complete-with-cancel-routine': r('error', 'IoCompleteRequest was called on an IRP whose cancel routine is still set.', 'IoCompleteRequest and IoSetCancelRoutine reference pages; bug check 0xC9 (Driver Verifier)'),
  'csq-uninitialized': r('error', 'An IoCsq routine was called on an IO_CSQ that IoCsqInitialize or IoCsqInitializeEx never set up.', 'IoCsqInitialize and IoCsqInitializeEx reference pages'),
  'csq-lock-irql': r('error', 'A cancel-safe IRP queue whose lock is a mutex or resource was used above APC_LEVEL.', 'Cancel-safe IRP queues; CsqAcquireLock reference page'),
  'csq-peek-contract': r('error', 'CsqPeekNextIrp returned an IRP that is not queued, or the same IRP twice in one scan.', 'CsqPeekNextIrp reference page'),
  'csq-cancel-cb': r('error', 'CsqCompleteCanceledIrp returned without completing the cancelled IRP, or completed it with a success status.', 'CsqCompleteCanceledIrp reference page'),
  'csq-complete-queued': r('error', 'An IRP was completed while it still sat in a cancel-safe IRP queue.', 'IoCsqRemoveIrp and IoCsqRemoveNextIrp reference pages'),
  'irp-pending-at-delete': r('error', 'IoDeleteDevice was called while requests to the device were still pended by its driver.', 'IoDeleteDevice reference page'),
  'irp-leak': r('error', 'An IRP from IoAllocateIrp was never freed with IoFreeIrp.', 'IoAllocateIrp and IoFreeIrp reference pages'),
  'mdl-leak': r('error', 'An MDL from IoAllocateMdl was never freed with IoFreeMdl.', 'IoAllocateMdl and IoFreeMdl reference pages'),
  'mdl-locked-at-free': r('error', 'IoFreeMdl was called on an MDL whose pages MmProbeAndLockPages locked and MmUnlockPages never unlocked.', 'MmProbeAndLockPages and MmUnlockPages reference pages; bug check 0x76'),
  'mdl-not-locked': r('error', 'MmGetSystemAddressForMdlSafe was called on an MDL whose pages are neither locked nor built for nonpaged pool.', 'MmGetSystemAddressForMdlSafe and MmProbeAndLockPages reference pages'),
  'ob-over-release': r('error', 'ObDereferenceObject was called on an object the driver holds no reference to.', 'ObDereferenceObject reference page'),
  'ob-ref-leak': r('warning', 'A reference to a device, section or process object (PsLookupProcessByProcessId) that a routine gave the driver was never dropped with ObDereferenceObject.', 'IoGetAttachedDeviceReference, FltGetDiskDeviceObject and FltCreateSectionForDataScan reference pages'),
  'handle-leak': r('error', 'A kernel handle the driver opened (file, key, section, event, process, thread…) was still open when it had unloaded.', 'Driver Verifier handle tracking; ZwClose reference page'),
  'data-scan-not-registered': r('error', 'FltCreateSectionForDataScan was called for an instance that never called FltRegisterForDataScan.', 'FltRegisterForDataScan and FltCreateSectionForDataScan reference pages'),
  'data-scan-section-leak': r('error', 'A section made by FltCreateSectionForDataScan was never closed with FltCloseSectionForDataScan.', 'FltCloseSectionForDataScan reference page'),
  'callback-not-unregistered': r('error', 'A driver unloaded (or failed DriverEntry) with a process, thread or image notify routine, or ObRegisterCallbacks callbacks, still registered.', 'PsSetCreateProcessNotifyRoutineEx, PsSetLoadImageNotifyRoutine and ObRegisterCallbacks reference pages'),
  'ob-access-added': r('error', 'An ObRegisterCallbacks pre-operation callback set bits in DesiredAccess that the opener did not ask for; it may only clear bits.', 'OB_PRE_CREATE_HANDLE_INFORMATION reference page'),
  'port-not-closed': r('error', 'A client port the user program disconnected was never closed by the driver with FltCloseClientPort.', 'FltCloseClientPort and PFLT_DISCONNECT_NOTIFY reference pages'),
  'unregister-invalid': r('error', 'FltUnregisterFilter was called twice or with something that is not a registered filter.', 'FltUnregisterFilter reference page'),
  'probe-outside-try': r('error', 'ProbeForRead or ProbeForWrite was called with no __try/__except around it: a bad user buffer raises an exception nobody handles (bug check 0x1E).', 'ProbeForRead and ProbeForWrite reference pages'),

  'timer-set-at-unload': r('error', 'A kernel timer was still set when its driver unloaded: its DPC would run in unloaded code (bug check 0xCE).', 'KeSetTimer and KeCancelTimer reference pages; bug check 0xCE'),
  'dpc-queued-at-unload': r('error', 'A DPC was still queued when its driver unloaded: its routine would run in unloaded code (bug check 0xCE).', 'KeInsertQueueDpc, KeRemoveQueueDpc and KeFlushQueuedDpcs reference pages; bug check 0xCE'),
  'timer-freed-while-set': r('error', 'The memory of a kernel timer was freed while the timer was set.', 'KeCancelTimer reference page (cancel a timer before freeing it)'),
  'timer-reinitialized-while-set': r('error', 'KeInitializeTimer(Ex) was called on a timer that is set.', 'KeInitializeTimerEx reference page'),
  'dpc-reinitialized-while-queued': r('error', 'KeInitializeDpc was called on a DPC that is queued.', 'KeInitializeDpc reference page'),
  'ex-wi-queued-at-unload': r('error', 'An executive work item (ExQueueWorkItem) was still queued when its driver unloaded: nothing keeps the driver loaded for it.', 'ExQueueWorkItem and IoQueueWorkItem reference pages'),
  'io-wi-foreign-device': r('error', 'IoAllocateWorkItem or IoInitializeWorkItem was given a device object of another driver (the file system, the volume, the disk): it keeps that driver loaded, not the caller.', 'IoAllocateWorkItem reference page; the linter\'s rule of the same id'),
  'io-wi-leak': r('error', 'An I/O work item from IoAllocateWorkItem was never freed with IoFreeWorkItem.', 'IoAllocateWorkItem and IoFreeWorkItem reference pages'),

  // --- Checks of the C the interpreter runs ---
  'assert': r('error', 'An NT_ASSERT, ASSERT or FLT_ASSERT in driver code failed.', 'NT_ASSERT reference page (a checked build breaks into the debugger)'),
  'uninitialized-read': r('warning', 'A local variable was read before anything was assigned to it.', 'C11 6.7.9 (indeterminate value); Code Analysis C6001'),
  'list-corrupt': r('error', 'A LIST_ENTRY operation found links that do not point back (bug check 0x139, KERNEL_SECURITY_CHECK_FAILURE).', 'InsertTailList / RemoveEntryList reference pages; bug check 0x139'),
} as const satisfies Record<string, RuntimeRule>;

export type RuleId = keyof typeof RUNTIME_RULES;

export const RULE_IDS = Object.keys(RUNTIME_RULES) as RuleId[];

export function isRuleId(id: string): id is RuleId {
  return Object.prototype.hasOwnProperty.call(RUNTIME_RULES, id);
}
