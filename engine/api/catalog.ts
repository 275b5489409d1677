/**
 * One table of the kernel and Filter Manager routines fltsim knows: the IRQL each may be called at
 * and what its caller must respect. The runtime verifier (engine/fltmgr), the static rules
 * (engine/lint) and the hover text (language server) all read this table; none keeps its own copy.
 *
 * Sources: flt-rules.md section 2 and the Microsoft reference pages it cites. Summaries are our own
 * words.
 */
import { Irql } from '../kernel/irql';

/**
 * How high the caller's IRQL may be.
 * - a fixed level;
 * - `cbdq`: DISPATCH_LEVEL if the queue's Acquire callback takes a spin lock, APC_LEVEL otherwise;
 * - `cpp`: DISPATCH_LEVEL when CallbackStatus is FLT_PREOP_COMPLETE, APC_LEVEL otherwise;
 * - `any`: no documented bound.
 */
export type IrqlBound = Irql | 'cbdq' | 'cpp' | 'any';

export interface ApiInfo {
  name: string;
  maxIrql: IrqlBound;
  /** One or two sentences: what it does. */
  summary: string;
  /** Caller obligations, each a short sentence. */
  rules: string[];
  /** `_Must_inspect_result_` in the header: ignoring the result is a bug. */
  mustInspect?: boolean;
  /** May block the calling thread (waits, acquires that can contend). */
  mayBlock?: boolean;
}

const P = Irql.PASSIVE_LEVEL;
const A = Irql.APC_LEVEL;
const D = Irql.DISPATCH_LEVEL;

function api(name: string, maxIrql: IrqlBound, summary: string, rules: string[] = [], extra: Partial<ApiInfo> = {}): ApiInfo {
  return { name, maxIrql, summary, rules, ...extra };
}

const ENTRIES: ApiInfo[] = [
  // Work items
  api('FltAllocateGenericWorkItem', D, 'Allocates a work item that is not tied to an I/O operation.', ['Returns NULL when nonpaged pool runs out; test the result.', 'Free it with FltFreeGenericWorkItem, usually from the worker routine.'], { mustInspect: true }),
  api('FltQueueGenericWorkItem', D, 'Queues a generic work item; its worker routine later runs on a system worker thread at PASSIVE_LEVEL.', ['The item must come from FltAllocateGenericWorkItem.', 'QueueType must be CriticalWorkQueue or DelayedWorkQueue; HyperCriticalWorkQueue is reserved for the system.', 'Returns STATUS_FLT_DELETING_OBJECT while the filter or instance is being torn down; free the item then.'], { mustInspect: true }),
  api('FltFreeGenericWorkItem', D, 'Frees a generic work item.', ['Only for items from FltAllocateGenericWorkItem, and only once.']),
  api('FltAllocateDeferredIoWorkItem', D, 'Allocates a work item for posting an I/O operation to a worker thread.', ['Returns NULL when nonpaged pool runs out; test the result.'], { mustInspect: true }),
  api('FltQueueDeferredIoWorkItem', D, 'Posts an IRP-based I/O operation to a system worker thread; the worker receives the callback data.', ['The item must come from FltAllocateDeferredIoWorkItem.', 'Only for IRP-based operations that are not paging I/O and have no top-level IRP.', 'Fails with STATUS_FLT_DELETING_OBJECT or STATUS_FLT_NOT_SAFE_TO_POST_OPERATION; free the item then.'], { mustInspect: true }),
  api('FltFreeDeferredIoWorkItem', D, 'Frees a deferred-I/O work item.', ['Only for items from FltAllocateDeferredIoWorkItem, and only once.']),
  // Pending and completion
  api('FltCompletePendedPreOperation', 'cpp', 'Hands a pended pre-operation back to the Filter Manager, which resumes it as CallbackStatus says.', ['CallbackStatus must be FLT_PREOP_COMPLETE, FLT_PREOP_SUCCESS_NO_CALLBACK or FLT_PREOP_SUCCESS_WITH_CALLBACK.', 'Context must be NULL unless CallbackStatus is FLT_PREOP_SUCCESS_WITH_CALLBACK.', 'At DISPATCH_LEVEL only FLT_PREOP_COMPLETE is allowed; other statuses need IRQL <= APC_LEVEL.', 'Call it exactly once per pended operation.']),
  api('FltCompletePendedPostOperation', D, 'Resumes completion of an operation whose post-operation callback returned FLT_POSTOP_MORE_PROCESSING_REQUIRED.', ['Only for operations pended in a post-operation callback.']),
  api('FltDoCompletionProcessingWhenSafe', 'any', 'Runs post-operation work at a safe IRQL: inline below DISPATCH_LEVEL, otherwise from a worker thread.', ['Only from a post-operation callback, for IRP-based operations that are not paging I/O and not draining.', 'Test the BOOLEAN result; return the status it stored in *RetPostOperationStatus.'], { mustInspect: true }),
  // Cancel-safe queues
  api('FltCbdqInitialize', 'any', 'Sets up a cancel-safe callback data queue with the filter\'s six callbacks; the queue starts enabled.', ['Do not take locks inside the Insert, Remove and Peek callbacks: the queue lock is already held.']),
  api('FltCbdqInsertIo', 'cbdq', 'Inserts callback data into a cancel-safe queue and arms cancellation for it.', ['Only for IRP-based operations.', 'Returns STATUS_FLT_CBDQ_DISABLED when the queue is disabled; only return FLT_PREOP_PENDING when the insert succeeded.', 'The queue I/O context must stay valid until the operation leaves the queue.'], { mustInspect: true }),
  api('FltCbdqRemoveIo', 'cbdq', 'Removes a specific item from a cancel-safe queue, using the context given at insert time.', ['Returns NULL if the item was already cancelled or removed; test the result.'], { mustInspect: true }),
  api('FltCbdqRemoveNextIo', 'cbdq', 'Removes the next item that matches PeekContext; never returns a cancelled item.', ['Returns NULL when nothing matches; test the result.'], { mustInspect: true }),
  api('FltCbdqEnable', 'cbdq', 'Lets a disabled cancel-safe queue accept inserts again.'),
  api('FltCbdqDisable', 'cbdq', 'Makes further inserts fail with STATUS_FLT_CBDQ_DISABLED; queued items stay until removed.', ['At teardown, disable the queue and then drain it, completing every item.']),
  // Registration
  api('FltRegisterFilter', A, 'Registers the minifilter with the Filter Manager from DriverEntry.', ['Check the status; on failure DriverEntry must clean up and fail.', 'The FLT_REGISTRATION Size and Version fields and the IRP_MJ_OPERATION_END terminator must be right.'], { mustInspect: true }),
  api('FltStartFiltering', A, 'Starts filtering: instances attach and callbacks can run before it returns.', ['On failure call FltUnregisterFilter.'], { mustInspect: true }),
  api('FltUnregisterFilter', A, 'Tears down the filter\'s instances, deletes its contexts and waits for outstanding work to drain.', ['Call it from the unload routine with the handle FltRegisterFilter returned.']),
  // Contexts
  api('FltAllocateContext', A, 'Allocates a context of a registered type.', ['The context type must appear in the registration.', 'Release it with FltReleaseContext.']),
  api('FltReleaseContext', D, 'Drops one reference on a context.', ['Exactly one release per reference taken.', 'Paged contexts may only be released at IRQL <= APC_LEVEL.']),
  api('FltReferenceContext', D, 'Adds a reference to a context.', ['Match it with FltReleaseContext.']),
  api('FltGetInstanceContext', A, 'Returns the instance context with a new reference.', ['Release the returned context with FltReleaseContext.']),
  api('FltSetInstanceContext', A, 'Attaches a context to an instance.', ['On success the instance holds its own reference; release yours.']),
  api('FltGetStreamContext', A, 'Returns the stream context with a new reference.', ['Release the returned context with FltReleaseContext.']),
  api('FltSetStreamContext', A, 'Attaches a context to a stream.', ['Not from a pre-create callback: the file is not open yet.']),
  api('FltGetStreamHandleContext', A, 'Returns the stream-handle context with a new reference.', ['Release the returned context with FltReleaseContext.']),
  api('FltSetStreamHandleContext', A, 'Attaches a context to a stream handle.'),
  api('FltGetVolumeContext', A, 'Returns the volume context with a new reference.', ['Release the returned context with FltReleaseContext.']),
  api('FltSetVolumeContext', A, 'Attaches a context to a volume.'),
  api('FltDeleteContext', A, 'Detaches a context from its object.', ['Hold a reference while calling it.']),
  // Names
  api('FltGetFileNameInformation', A, 'Returns name information for the file of an operation, with a reference.', ['Release it with FltReleaseFileNameInformation; do not modify it.', 'Fails with STATUS_FLT_INVALID_NAME_REQUEST on paging I/O or with a top-level IRP.']),
  api('FltParseFileNameInformation', A, 'Fills in the parsed parts (volume, parent directory, final component, extension) of name information.'),
  api('FltReleaseFileNameInformation', A, 'Drops a reference on name information.', ['Exactly once per successful get.']),
  // Callback data helpers
  api('FltSetCallbackDataDirty', 'any', 'Tells the Filter Manager the filter changed the operation\'s parameters.', ['Call it after changing Iopb parameters, or the change is ignored.']),
  api('FltClearCallbackDataDirty', 'any', 'Clears the dirty flag set by FltSetCallbackDataDirty.'),
  api('FltIsCallbackDataDirty', 'any', 'Tells whether the callback data is marked dirty.'),
  api('FltIsOperationSynchronous', 'any', 'Tells whether the operation is synchronous.', ['TRUE does not mean a filter returned FLT_PREOP_SYNCHRONIZE.']),
  api('FltLockUserBuffer', A, 'Locks the operation\'s user buffer and creates an MDL for it.', ['Only for the majors that carry a user buffer.']),
  api('FltIsIoCanceled', 'any', 'Tells whether the operation has been cancelled.'),
  api('FltSetCancelCompletion', D, 'Sets a routine to run if the operation is cancelled.', ['Only for IRP-based operations that are not paging I/O, and not for operations in a cbdq.']),
  api('FltCancelIo', D, 'Cancels an I/O operation the filter itself started.'),
  api('FltObjectReference', D, 'Takes a rundown reference on a filter, instance or volume.', ['Match it with FltObjectDereference, or unload waits forever.'], { mustInspect: true }),
  api('FltObjectDereference', D, 'Drops a rundown reference.'),
  api('FltGetFilterFromInstance', D, 'Returns the filter of an instance with a rundown reference.', ['Match it with FltObjectDereference.']),
  api('FltSendMessage', A, 'Sends a message to a user-mode client and optionally waits for a reply.', ['STATUS_TIMEOUT is a success code: it does not mean a reply arrived.']),
  api('FltAcquireResourceExclusive', A, 'Acquires an ERESOURCE exclusively, entering a critical region.', [], { mayBlock: true }),
  api('FltAcquireResourceShared', A, 'Acquires an ERESOURCE shared, entering a critical region.', [], { mayBlock: true }),
  api('FltReleaseResource', D, 'Releases an ERESOURCE acquired by FltAcquireResource*.'),
  api('FltAcquirePushLockExclusive', A, 'Acquires a push lock exclusively.', [], { mayBlock: true }),
  api('FltAcquirePushLockShared', A, 'Acquires a push lock shared.', [], { mayBlock: true }),
  api('FltReleasePushLock', A, 'Releases a push lock.'),
  api('FltInitializePushLock', 'any', 'Initializes a push lock.'),
  api('FltDeletePushLock', 'any', 'Deletes a push lock.'),
  // Kernel
  api('KeAcquireSpinLock', D, 'Raises IRQL to DISPATCH_LEVEL and acquires a spin lock, returning the old IRQL.', ['Release it with KeReleaseSpinLock and the saved IRQL.']),
  api('KeReleaseSpinLock', D, 'Releases a spin lock and restores the IRQL saved when it was acquired.', ['Must be called at DISPATCH_LEVEL with the IRQL KeAcquireSpinLock returned.']),
  api('KeAcquireSpinLockAtDpcLevel', D, 'Acquires a spin lock when already at DISPATCH_LEVEL.'),
  api('KeReleaseSpinLockFromDpcLevel', D, 'Releases a spin lock taken at DISPATCH_LEVEL, leaving IRQL unchanged.'),
  api('KeInitializeSpinLock', 'any', 'Initializes a spin lock.'),
  api('KeRaiseIrql', 'any', 'Raises the current IRQL and returns the old one.', ['The new IRQL must not be lower than the current one.']),
  api('KeLowerIrql', 'any', 'Lowers the current IRQL to a value saved by KeRaiseIrql.', ['The new IRQL must not be higher than the current one.']),
  api('KeGetCurrentIrql', 'any', 'Returns the current IRQL.'),
  api('ExAcquireFastMutex', A, 'Acquires a fast mutex and raises IRQL to APC_LEVEL.', [], { mayBlock: true }),
  api('ExReleaseFastMutex', A, 'Releases a fast mutex and restores the IRQL it saved.', ['Must be called at APC_LEVEL by the owner.']),
  api('ExTryToAcquireFastMutex', A, 'Acquires a fast mutex if it is free, without waiting.'),
  api('ExInitializeFastMutex', D, 'Initializes a fast mutex.'),
  api('ExAcquireResourceExclusiveLite', A, 'Acquires an ERESOURCE exclusively; call it inside a critical region.', [], { mayBlock: true }),
  api('ExAcquireResourceSharedLite', A, 'Acquires an ERESOURCE shared; call it inside a critical region.', [], { mayBlock: true }),
  api('ExReleaseResourceLite', D, 'Releases an ERESOURCE.'),
  api('ExEnterCriticalRegionAndAcquireResourceExclusive', A, 'Enters a critical region and acquires an ERESOURCE exclusively.', ['Release it with ExReleaseResourceAndLeaveCriticalRegion.'], { mayBlock: true }),
  api('ExEnterCriticalRegionAndAcquireResourceShared', A, 'Enters a critical region and acquires an ERESOURCE shared.', ['Release it with ExReleaseResourceAndLeaveCriticalRegion.'], { mayBlock: true }),
  api('ExReleaseResourceAndLeaveCriticalRegion', A, 'Releases an ERESOURCE and leaves the critical region entered when it was acquired.'),
  api('KeEnterCriticalRegion', A, 'Disables normal kernel APCs for the current thread.'),
  api('KeLeaveCriticalRegion', A, 'Re-enables normal kernel APCs.'),
  api('KeInitializeEvent', D, 'Initializes an event object.'),
  api('KeSetEvent', D, 'Signals an event, waking waiters.', ['With Wait = TRUE the caller must be at IRQL <= APC_LEVEL.']),
  api('KeClearEvent', D, 'Resets an event to not signalled.'),
  api('KeResetEvent', D, 'Resets an event and returns its previous state.'),
  api('KeReadStateEvent', D, 'Returns whether an event is signalled.'),
  api('KeWaitForSingleObject', D, 'Waits for a dispatcher object, optionally with a timeout.', ['Waiting with a non-zero timeout (or none) requires IRQL <= APC_LEVEL; at DISPATCH_LEVEL only a zero timeout is allowed.'], { mayBlock: true }),
  api('KeDelayExecutionThread', A, 'Puts the current thread to sleep for an interval.', [], { mayBlock: true }),
  api('KeQuerySystemTime', 'any', 'Returns the system time.'),
  api('KeQueryInterruptTime', 'any', 'Returns the interrupt time.'),
  api('ExAllocatePoolWithTag', D, 'Allocates pool memory.', ['At DISPATCH_LEVEL only nonpaged pool may be allocated.', 'Returns NULL on failure; test the result.']),
  api('ExAllocatePool2', D, 'Allocates pool memory, zeroed unless told otherwise.', ['At DISPATCH_LEVEL only nonpaged pool may be allocated.']),
  api('ExAllocatePoolZero', D, 'Allocates zeroed pool memory.', ['At DISPATCH_LEVEL only nonpaged pool may be allocated.']),
  api('ExFreePoolWithTag', D, 'Frees pool memory.', ['Free each allocation exactly once.']),
  api('ExFreePool', D, 'Frees pool memory.', ['Free each allocation exactly once.']),
  api('ExInitializeNPagedLookasideList', D, 'Initializes a nonpaged lookaside list of fixed-size entries.'),
  api('ExDeleteNPagedLookasideList', D, 'Deletes a nonpaged lookaside list.'),
  api('ExAllocateFromNPagedLookasideList', D, 'Takes an entry from a nonpaged lookaside list.', ['Returns NULL on failure; test the result.']),
  api('ExFreeToNPagedLookasideList', D, 'Returns an entry to a nonpaged lookaside list.'),
  api('ExInitializePagedLookasideList', A, 'Initializes a paged lookaside list.'),
  api('ExAllocateFromPagedLookasideList', A, 'Takes an entry from a paged lookaside list.'),
  api('ExFreeToPagedLookasideList', A, 'Returns an entry to a paged lookaside list.'),
  api('IoGetTopLevelIrp', 'any', 'Returns the top-level IRP of the current thread, or NULL.'),
  api('ZwOpenKey', P, 'Opens a registry key.'),
  api('ZwQueryValueKey', P, 'Reads a registry value.'),
  api('ZwClose', P, 'Closes a handle.'),
  api('RtlCompareUnicodeString', A, 'Compares two counted Unicode strings.'),
  api('RtlEqualUnicodeString', A, 'Tells whether two counted Unicode strings are equal.'),
  api('RtlPrefixUnicodeString', A, 'Tells whether one counted Unicode string starts with another.'),
  api('RtlInitUnicodeString', D, 'Points a UNICODE_STRING at a NUL-terminated wide string.'),
  api('DbgPrint', 'any', 'Prints to the kernel debugger.'),
  api('PAGED_CODE', A, 'Marks code that may be paged out: the caller must be at IRQL <= APC_LEVEL, where page faults can be taken.', ['Code in a PAGE section must start with PAGED_CODE(); never call it from a post-operation callback or under a spin lock.']),
  api('MmGetSystemRoutineAddress', P, 'Looks up an exported kernel routine by name; returns NULL when the running system does not have it.', ['Test the result for NULL before calling through it.']),
  api('DbgPrintEx', 'any', 'Prints to the kernel debugger with a component and a level.'),
  // Added with the simulation engine: routines it models beyond the lint set.
  api('DbgBreakPoint', 'any', 'Breaks into the kernel debugger; in the simulation it only writes a line of output.'),
  api('ExAcquireFastMutexUnsafe', A, 'Acquires a fast mutex without raising IRQL; the caller must already be at APC_LEVEL or in a critical region.', [], { mayBlock: true }),
  api('ExReleaseFastMutexUnsafe', A, 'Releases a fast mutex taken with ExAcquireFastMutexUnsafe.'),
  api('ExInitializePushLock', 'any', 'Initializes a push lock.'),
  api('ExAcquirePushLockExclusive', A, 'Acquires a push lock exclusively; the caller must disable normal kernel APCs first.', [], { mayBlock: true }),
  api('ExAcquirePushLockShared', A, 'Acquires a push lock shared; the caller must disable normal kernel APCs first.', [], { mayBlock: true }),
  api('ExReleasePushLock', A, 'Releases a push lock.'),
  api('ExReleasePushLockExclusive', A, 'Releases a push lock held exclusively.'),
  api('ExReleasePushLockShared', A, 'Releases a push lock held shared.'),
  api('ExAllocatePool', D, 'Allocates untagged pool memory (obsolete; prefer a tagged allocator).', ['At DISPATCH_LEVEL only nonpaged pool may be allocated.']),
  api('ExAllocatePoolUninitialized', D, 'Allocates pool memory without zeroing it.', ['At DISPATCH_LEVEL only nonpaged pool may be allocated.']),
  api('ExDeletePagedLookasideList', A, 'Deletes a paged lookaside list.'),
  api('ExInitializeResourceLite', D, 'Initializes an ERESOURCE.'),
  api('ExDeleteResourceLite', D, 'Deletes an ERESOURCE that nobody holds.'),
  api('ExIsResourceAcquiredExclusiveLite', D, 'Tells whether the calling thread holds an ERESOURCE exclusively.'),
  api('ExIsResourceAcquiredSharedLite', D, 'Tells how many times the calling thread holds an ERESOURCE.'),
  api('FltClearCancelCompletion', D, 'Removes the cancel routine set with FltSetCancelCompletion.'),
  api('FltGetFileNameInformationUnsafe', A, 'Returns name information for a file object outside an I/O operation, with a reference.', ['Release it with FltReleaseFileNameInformation.']),
  api('FltCheckAndGrowNameControl', A, 'Makes the name buffer of an FLT_NAME_CONTROL large enough for a name, keeping what it holds.', ['Only for the name control a GenerateFileNameCallback received; call it before copying the name in.', 'The old buffer is freed when it grows: do not keep a pointer to it.'], { mustInspect: true }),
  api('FltPurgeFileNameInformationCache', A, 'Drops the cached names of a file (or of every file of the instance\'s volume) so the next request asks the name providers again.'),
  api('RtlIsNameLegalDOS8Dot3', P, 'Tells whether a name is a legal 8.3 (DOS) name, and whether it holds spaces.'),
  api('RtlUpcaseUnicodeString', P, 'Copies a counted Unicode string in upper case, into the caller\'s buffer or a new one.', ['A new buffer (AllocateDestinationString TRUE) is freed with RtlFreeUnicodeString.']),
  api('RtlDowncaseUnicodeString', P, 'Copies a counted Unicode string in lower case, into the caller\'s buffer or a new one.', ['A new buffer (AllocateDestinationString TRUE) is freed with RtlFreeUnicodeString.']),
  api('RtlFreeUnicodeString', P, 'Frees a string buffer an Rtl routine allocated for the caller.'),
  api('IoAcquireCancelSpinLock', D, 'Takes the system-wide cancel spin lock, raising to DISPATCH_LEVEL.', ['Release it with IoReleaseCancelSpinLock and the IRQL it returned, quickly: every cancellation waits for it.']),
  api('IoReleaseCancelSpinLock', D, 'Releases the cancel spin lock and returns to the IRQL saved when it was taken.'),
  api('IoGetTransactionParameterBlock', 'any', 'Returns the transaction parameters of a file opened in a transaction, or NULL.'),
  api('FltReferenceFileNameInformation', A, 'Adds a reference to name information.', ['Match it with FltReleaseFileNameInformation.']),
  api('FltGetRequestorProcess', D, 'Returns the process that issued the operation.'),
  api('FltGetRequestorProcessId', D, 'Returns the id of the process that issued the operation.'),
  // Volumes and filter-initiated I/O (our summaries of the reference pages)
  api('FltQueryDirectoryFile', P, 'Lists a folder the filter has open, below the filter: FILE_*_DIRECTORY_INFORMATION entries chained by NextEntryOffset.', ['STATUS_NO_MORE_FILES ends the listing.']),
  api('FltFsControlFile', P, 'Sends a file system control request below the filter.'),
  api('FltReuseCallbackData', A, 'Makes callback data from FltAllocateCallbackData ready to be filled and sent again.'),
  api('FltGetVolumeName', A, 'Copies the volume\'s device name into a UNICODE_STRING.', ['With a NULL or short string it returns STATUS_BUFFER_TOO_SMALL and the size it needs.']),
  api('FltGetVolumeGuidName', A, 'Copies the volume\'s GUID name into a UNICODE_STRING.', ['With a NULL or short string it returns STATUS_BUFFER_TOO_SMALL and the size it needs.']),
  api('FltGetVolumeProperties', A, 'Fills FLT_VOLUME_PROPERTIES and the names that follow it in the buffer.', ['A buffer smaller than the structure gets STATUS_BUFFER_TOO_SMALL; one without room for every name gets STATUS_BUFFER_OVERFLOW.']),
  api('FltGetDiskDeviceObject', A, 'Returns the disk device object of a volume, with a reference.', ['Drop it with ObDereferenceObject.']),
  api('FltIsVolumeWritable', A, 'Tells whether a volume can be written to.'),
  api('FltGetFileSystemType', A, 'Returns the FLT_FILESYSTEM_TYPE of the volume of an instance or volume.'),
  api('FltGetVolumeFromName', A, 'Finds a volume by its device name.'),
  api('FltGetVolumeFromFileObject', A, 'Returns the volume a file object is on.'),
  api('FltIsDirectory', A, 'Tells whether a file object has a folder open.'),
  api('FltCreateSystemVolumeInformationFolder', P, 'Makes sure the volume has its System Volume Information folder.'),
  api('IoReplaceFileObjectName', P, 'Replaces the name in a create\'s file object, before the create returns STATUS_REPARSE.'),
  api('IoVolumeDeviceToDosName', P, 'Returns the drive letter name of a volume\'s device in pool the caller frees.', ['Free DosName->Buffer with ExFreePool.']),
  api('FltGetVolumeFromInstance', D, 'Returns the volume an instance is attached to, with a reference.', ['Match it with FltObjectDereference.']),
  api('InterlockedIncrement', 'any', 'Adds one to a LONG atomically and returns the new value.'),
  api('InterlockedDecrement', 'any', 'Subtracts one from a LONG atomically and returns the new value.'),
  api('InterlockedExchange', 'any', 'Stores a value atomically and returns the previous one.'),
  api('InterlockedExchangeAdd', 'any', 'Adds to a LONG atomically and returns the previous value.'),
  api('InterlockedCompareExchange', 'any', 'Stores a value if the target equals a comparand; returns the previous value.'),
  api('InterlockedExchangePointer', 'any', 'Stores a pointer atomically and returns the previous one.'),
  api('InterlockedCompareExchangePointer', 'any', 'Stores a pointer if the target equals a comparand; returns the previous pointer.'),
  api('IoAllocateMdl', D, 'Allocates an MDL describing a buffer.'),
  api('IoFreeMdl', D, 'Frees an MDL from IoAllocateMdl.'),
  api('IoGetCurrentProcess', D, 'Returns the current process.'),
  api('KeAcquireInStackQueuedSpinLock', D, 'Acquires a queued spin lock, raising to DISPATCH_LEVEL; the old IRQL is kept in the lock handle.', ['Release it with KeReleaseInStackQueuedSpinLock and the same handle.']),
  api('KeReleaseInStackQueuedSpinLock', D, 'Releases a queued spin lock and restores the IRQL kept in its handle.'),
  api('KeAcquireSpinLockRaiseToDpc', D, 'Raises IRQL to DISPATCH_LEVEL and acquires a spin lock, returning the old IRQL.'),
  api('KeRaiseIrqlToDpcLevel', D, 'Raises IRQL to DISPATCH_LEVEL and returns the old IRQL.'),
  api('KeTestSpinLock', D, 'Tells whether a spin lock is free, without acquiring it.'),
  api('KeInitializeGuardedMutex', D, 'Initializes a guarded mutex.'),
  api('KeAcquireGuardedMutex', A, 'Acquires a guarded mutex, disabling all APCs for the thread.', [], { mayBlock: true }),
  api('KeReleaseGuardedMutex', A, 'Releases a guarded mutex.'),
  api('KeInitializeMutex', P, 'Initializes a kernel mutex object.'),
  api('KeReleaseMutex', D, 'Releases a kernel mutex object.'),
  api('KeInitializeSemaphore', P, 'Initializes a semaphore with a count and a limit.'),
  api('KeReleaseSemaphore', D, 'Adds to a semaphore\'s count, waking waiters.'),
  api('KeAreApcsDisabled', 'any', 'Tells whether normal kernel APCs are disabled for the thread.'),
  api('KeAreAllApcsDisabled', 'any', 'Tells whether all APCs are disabled for the thread.'),
  api('KeGetCurrentThread', D, 'Returns the current thread.'),
  api('KeGetCurrentProcessorNumber', 'any', 'Returns the number of the processor the thread runs on.'),
  api('KeQuerySystemTimePrecise', 'any', 'Returns the system time with the best available precision.'),
  api('KeQueryTickCount', 'any', 'Returns the number of clock ticks since boot.'),
  api('KeQueryTimeIncrement', 'any', 'Returns the length of a clock tick in 100 ns units.'),
  api('MmBuildMdlForNonPagedPool', D, 'Fills an MDL for a nonpaged buffer and maps it.'),
  api('MmGetSystemAddressForMdlSafe', D, 'Returns a system address for the buffer an MDL describes, or NULL.', ['Test the result for NULL.']),
  api('ObReferenceObject', D, 'Adds a reference to an object.'),
  api('ObDereferenceObject', D, 'Drops a reference to an object.'),
  api('ObReferenceObjectByHandle', P, 'Turns a handle into an object pointer with a reference.', ['Match it with ObDereferenceObject.']),
  api('PsCreateSystemThread', P, 'Starts a system thread running a routine of the driver.', ['Close the handle with ZwClose; make sure the thread exits before the driver unloads.']),
  api('PsTerminateSystemThread', P, 'Ends the calling system thread.'),
  api('PsGetCurrentThread', 'any', 'Returns the current thread.'),
  api('PsGetCurrentThreadId', 'any', 'Returns the id of the current thread.'),
  api('PsGetCurrentProcess', 'any', 'Returns the current process.'),
  api('PsGetCurrentProcessId', 'any', 'Returns the id of the current process.'),
  api('PsIsSystemThread', 'any', 'Tells whether a thread is a system thread.'),
  // File I/O, contexts and names used by the lint rules (flt-rules.md section 2)
  api('FltCreateFile', P, 'Opens a file below the calling filter, so the filter does not see its own create.', ['Close the handle with FltClose.']),
  api('FltCreateFileEx', P, 'Opens a file below the calling filter and also returns the file object.', ['Close the handle with FltClose and dereference the file object.']),
  api('FltCreateFileEx2', P, 'Opens a file below the calling filter, with an optional create context.', ['Close the handle with FltClose and dereference the file object.']),
  api('FltClose', P, 'Closes a handle opened with FltCreateFile*.'),
  api('FltReadFile', P, 'Reads from a file object, sending the request only to the filters below the caller.', ['The paging-I/O variants may run at APC_LEVEL; the others need PASSIVE_LEVEL.']),
  api('FltWriteFile', P, 'Writes to a file object, sending the request only to the filters below the caller.', ['The paging-I/O variants may run at APC_LEVEL; the others need PASSIVE_LEVEL.']),
  api('FltQueryInformationFile', P, 'Queries file information, with the request seen only by filters below the caller.'),
  api('FltSetInformationFile', P, 'Sets file information, with the request seen only by filters below the caller.'),
  api('FltCancelFileOpen', P, 'Undoes a successful create from a post-create callback.', ['Only from a post-create callback, before returning; set an error status too.']),
  api('FltCreateCommunicationPort', P, 'Creates the server port user-mode clients connect to.', ['Close it with FltCloseCommunicationPort before FltUnregisterFilter.']),
  api('FltCloseCommunicationPort', P, 'Closes a server port.', ['Call it before FltUnregisterFilter, or unload can hang.']),
  api('FltCloseClientPort', P, 'Closes a client connection port.'),
  // Ports, contexts and the rest the samples call (issue 12, part 2)
  api('FltBuildDefaultSecurityDescriptor', P, 'Builds a security descriptor that lets only the system and administrators open a port.', ['Free it with FltFreeSecurityDescriptor once the port exists.']),
  api('FltFreeSecurityDescriptor', P, 'Frees a descriptor from FltBuildDefaultSecurityDescriptor.'),
  api('FltAllocatePoolAlignedWithTag', A, 'Allocates pool aligned for non-cached I/O on the instance\'s volume.', ['Free it with FltFreePoolAlignedWithTag and the same tag.']),
  api('FltFreePoolAlignedWithTag', D, 'Frees pool from FltAllocatePoolAlignedWithTag.', ['A nonpaged block may be freed at DISPATCH_LEVEL; a paged one only at APC_LEVEL or below.']),
  api('RtlInitializeGenericTable', 'any', 'Prepares a generic table ordered by the compare routine of the driver, with memory from its allocate routine.'),
  api('RtlInsertElementGenericTable', 'any', 'Inserts a copy of an element unless an equal one exists; returns the element in the table.'),
  api('RtlLookupElementGenericTable', 'any', 'Finds the element equal to the one given, or NULL.'),
  api('RtlDeleteElementGenericTable', 'any', 'Removes the element equal to the one given and frees it through the free routine.'),
  api('RtlGetElementGenericTable', 'any', 'Returns the element at a position in the order of the table, or NULL.'),
  api('RtlIsGenericTableEmpty', 'any', 'Tells whether a generic table has no element.'),
  api('RtlNumberGenericTableElements', 'any', 'Returns the number of elements of a generic table.'),
  api('RtlEnumerateGenericTable', 'any', 'Walks the elements in order: restart, then one per call, then NULL.'),
  api('FsRtlIsNameInExpression', 'any', 'Tells whether a file name matches a search expression with wildcards (*, ?, and the DOS forms).', ['With IgnoreCase the expression must already be upper case.']),
  api('FsRtlDoesNameContainWildCards', 'any', 'Tells whether a name holds any wildcard character.'),
  api('FsRtlIsNtstatusExpected', 'any', 'Tells whether an exception code is one an exception filter may handle (not a fault such as an access violation).'),
  api('IoIs32bitProcess', 'any', 'Tells whether the process behind a request is a 32-bit one.'),
  api('IoGetStackLimits', 'any', 'Returns the bounds of the current thread\'s stack.'),
  api('IoThreadToProcess', 'any', 'Returns the process a thread belongs to.'),
  api('FltAllocateExtraCreateParameterList', A, 'Allocates an empty list of extra create parameters.', ['Free it with FltFreeExtraCreateParameterList.']),
  api('FltAllocateExtraCreateParameter', A, 'Allocates an extra create parameter of a given GUID type and size.', ['Insert it into a list, or free it with FltFreeExtraCreateParameter.']),
  api('FltInsertExtraCreateParameter', A, 'Adds a parameter to an ECP list; one parameter per GUID type.'),
  api('FltRemoveExtraCreateParameter', A, 'Takes the parameter of a GUID type out of an ECP list.', ['The caller owns the removed parameter and must free it.']),
  api('FltFindExtraCreateParameter', A, 'Finds the parameter of a GUID type in an ECP list.'),
  api('FltGetNextExtraCreateParameter', A, 'Walks the parameters of an ECP list one after the other.'),
  api('FltFreeExtraCreateParameter', A, 'Frees a parameter that is in no list; its cleanup callback runs first.'),
  api('FltFreeExtraCreateParameterList', A, 'Frees an ECP list and every parameter in it.'),
  api('FltGetEcpListFromCallbackData', A, 'Returns the ECP list of a create operation, or NULL when it has none.'),
  api('FltSetEcpListIntoCallbackData', A, 'Attaches an ECP list to a create operation that has none.', ['The caller still owns the list and frees it after the create.']),
  api('FltAcknowledgeEcp', A, 'Marks a parameter as seen and handled.'),
  api('FltIsEcpAcknowledged', A, 'Tells whether a filter acknowledged a parameter.'),
  api('FltIsEcpFromUserMode', A, 'Tells whether a parameter came from user mode.'),
  api('FltSupportsFileContexts', A, 'Tells whether the file system supports file contexts for a file object.'),
  api('FltSupportsFileContextsEx', A, 'Tells whether the file system supports file contexts for a file object on an instance.'),
  api('FltSupportsStreamContexts', A, 'Tells whether the file system supports stream contexts for a file object.'),
  api('FltSupportsStreamHandleContexts', A, 'Tells whether the file system supports stream-handle contexts for a file object.'),
  api('FltDeleteTransactionContext', A, 'Detaches the transaction context.'),
  api('IoCreateDevice', P, 'Creates a device object of the driver, such as a control device object user programs open.', ['Delete it with IoDeleteDevice before the driver unloads.']),
  api('IoDeleteDevice', P, 'Deletes a device object the driver created.'),
  api('IoCreateSymbolicLink', P, 'Gives a device a second name, such as one under \\DosDevices.'),
  api('IoDeleteSymbolicLink', P, 'Removes a symbolic link.'),
  api('IoCompleteRequest', D, 'Completes an IRP; the caller must not touch it afterwards.', ['Call it exactly once per IRP the dispatch routine does not pend or pass on.']),
  api('FltGetDeviceObject', A, 'Returns the Filter Manager\'s volume device object of the volume, with a reference.', ['Drop it with ObDereferenceObject.']),
  api('IoGetAttachedDeviceReference', D, 'Returns the highest device of a device stack, with a reference.', ['Drop it with ObDereferenceObject.']),
  api('IoGetAttachedDevice', D, 'Returns the highest device of a device stack, without a reference.'),
  api('IoGetDeviceAttachmentBaseRef', D, 'Returns the lowest device of a device stack, with a reference.', ['Drop it with ObDereferenceObject.']),
  api('IoGetLowerDeviceObject', D, 'Returns the device directly below a device in its stack, with a reference (NULL at the bottom).', ['Drop it with ObDereferenceObject.']),
  api('IoBuildDeviceIoControlRequest', P, 'Builds an IRP for a device control request to a device stack; the I/O manager frees it when it completes.', ['Send it with IoCallDriver; on STATUS_PENDING wait on the event, then read the IO_STATUS_BLOCK.', 'Returns NULL when pool runs out; test the result.'], { mustInspect: true }),
  api('IoBuildSynchronousFsdRequest', P, 'Builds an IRP for a read, write, flush or shutdown of a device stack; the I/O manager frees it when it completes.', ['Send it with IoCallDriver; on STATUS_PENDING wait on the event, then read the IO_STATUS_BLOCK.', 'Returns NULL when pool runs out; test the result.'], { mustInspect: true }),
  api('IoCallDriver', D, 'Sends an IRP to a device: its next stack location becomes current and the driver\'s dispatch routine runs.', ['After the call the IRP may already be completed and freed: touch it only if the caller still owns it.']),
  api('IofCallDriver', D, 'What IoCallDriver expands to in the WDK headers.'),
  api('IoFreeIrp', D, 'Frees an IRP the driver allocated itself.', ['Never free an IRP from IoBuildDeviceIoControlRequest or IoBuildSynchronousFsdRequest: the I/O manager does.']),
  api('ObOpenObjectByPointer', P, 'Opens a handle to an object the caller holds a pointer to.', ['Close the handle with ZwClose (or NtClose for a user-mode handle).', 'Without OBJ_KERNEL_HANDLE the handle belongs to the process the caller runs in.']),
  api('NtClose', P, 'Closes a handle with the caller\'s previous mode; drivers use it to close a handle they made for a user-mode process.'),
  api('ZwOpenProcess', P, 'Opens a handle to the process a CLIENT_ID names.', ['Close it with ZwClose.']),
  api('ZwMapViewOfSection', P, 'Maps a view of a section into a process\'s address space.', ['Unmap it with ZwUnmapViewOfSection in the same process.']),
  api('ZwUnmapViewOfSection', P, 'Unmaps a view of a section from a process\'s address space.'),
  api('ZwQueryInformationTransaction', P, 'Returns information about a transaction, such as its outcome.'),
  api('FltRegisterForDataScan', P, 'Enables data-scan sections (FltCreateSectionForDataScan) on an instance\'s volume.'),
  api('FltCreateSectionForDataScan', P, 'Creates a section over a file\'s content that a scanner can map, tied to a section context.', ['Call FltRegisterForDataScan for the instance first.', 'The section context must be a FLT_SECTION_CONTEXT from FltAllocateContext.', 'Close the section with FltCloseSectionForDataScan; drop the SectionObject reference with ObDereferenceObject.'], { mustInspect: true }),
  api('FltGetSectionContext', A, 'Returns the section context of a file\'s data-scan section on the instance, with a new reference.', ['Release the returned context with FltReleaseContext.']),
  api('FltCloseSectionForDataScan', P, 'Closes the section FltCreateSectionForDataScan made for a section context and detaches the context.'),
  api('FltEnlistInTransaction', A, 'Enlists the instance in a transaction, to be told when it commits or rolls back.', ['The transaction context must be a FLT_TRANSACTION_CONTEXT; the filter must register a TransactionNotificationCallback.']),
  api('FltCommitComplete', A, 'Tells the Filter Manager that a pended commit notification is finished.'),
  api('FltRollbackComplete', A, 'Tells the Filter Manager that a pended rollback notification is finished.'),
  api('FltPrepareComplete', A, 'Tells the Filter Manager that a pended prepare notification is finished.'),
  api('FltCancellableWaitForSingleObject', A, 'Waits for a dispatcher object like KeWaitForSingleObject, and ends with STATUS_CANCELLED when the operation given is cancelled.', ['Test for STATUS_CANCELLED and STATUS_TIMEOUT as well as success.'], { mayBlock: true }),
  api('FltGetRoutineAddress', P, 'Looks up a Filter Manager routine by name; returns NULL when the running system does not have it.', ['Test the result for NULL before calling through it.']),
  api('FltGetFileContext', A, 'Returns the file context with a new reference.', ['Release the returned context with FltReleaseContext.']),
  api('FltSetFileContext', A, 'Attaches a context to a file.', ['On success the file holds its own reference; release yours.']),
  api('FltGetTransactionContext', A, 'Returns the transaction context with a new reference.', ['Release the returned context with FltReleaseContext.']),
  api('FltSetTransactionContext', A, 'Attaches a context to a transaction.'),
  api('FltDeleteInstanceContext', A, 'Detaches the instance context.', ['A returned old context carries a reference: release it.']),
  api('FltDeleteStreamContext', A, 'Detaches the stream context.', ['A returned old context carries a reference: release it.']),
  api('FltDeleteStreamHandleContext', A, 'Detaches the stream-handle context.', ['A returned old context carries a reference: release it.']),
  api('FltDeleteVolumeContext', A, 'Detaches the volume context.', ['A returned old context carries a reference: release it.']),
  api('FltDeleteFileContext', A, 'Detaches the file context.', ['A returned old context carries a reference: release it.']),
  api('FltGetDestinationFileNameInformation', A, 'Returns name information for the target of a rename or hard-link operation, with a reference.', ['Release it with FltReleaseFileNameInformation.']),
  api('FltGetTunneledName', A, 'Returns the tunneled name of a file after a create or rename, if there is one.', ['Release a returned name with FltReleaseFileNameInformation.']),
  api('FltAllocateCallbackData', A, 'Allocates callback data for an I/O operation the filter initiates.', ['Free it with FltFreeCallbackData.']),
  api('FltPerformSynchronousIo', A, 'Sends an operation the filter initiated and waits for it to finish.'),
  api('FltFreeCallbackData', D, 'Frees callback data from FltAllocateCallbackData.'),
  api('FltPerformAsynchronousIo', A, 'Sends an operation the filter initiated without waiting; CallbackRoutine runs when it completes.', ['The completion routine may run at DISPATCH_LEVEL in any thread: it must not call routines that need a lower IRQL.']),
  api('FltCheckOplock', A, 'Checks an operation against the file\'s oplock state; may pend it until an oplock break completes.', ['A returned FLT_PREOP_PENDING means the operation now belongs to the oplock package.', 'WaitCompletionRoutine may run at DISPATCH_LEVEL in any thread.']),
  api('FltCheckOplockEx', A, 'Like FltCheckOplock, with flags that control how the oplock is broken.', ['WaitCompletionRoutine may run at DISPATCH_LEVEL in any thread.']),
  // Legacy I/O work items
  api('IoAllocateWorkItem', D, 'Allocates an I/O work item tied to a device object of the calling driver.', ['Returns NULL when pool runs out; test the result.', 'Pass a device object the driver created: the object is referenced until the work routine returns, which keeps the driver loaded.', 'A minifilter usually has no device object of its own; prefer FltAllocateGenericWorkItem.'], { mustInspect: true }),
  api('IoQueueWorkItem', D, 'Queues an I/O work item; its routine later runs on a system worker thread at PASSIVE_LEVEL with (DeviceObject, Context).'),
  api('IoQueueWorkItemEx', D, 'Queues an I/O work item whose routine also receives the work item (IoObject, Context, IoWorkItem).'),
  api('IoFreeWorkItem', D, 'Frees an I/O work item from IoAllocateWorkItem.'),
];
export const API_CATALOG: ReadonlyMap<string, ApiInfo> = new Map(ENTRIES.map((e) => [e.name, e]));

export function apiInfo(name: string): ApiInfo | undefined {
  return API_CATALOG.get(name);
}

/**
 * The highest IRQL a call may run at. `cbdqUsesSpinLock` resolves the `cbdq` bound and
 * `completeStatusIsComplete` the `cpp` bound; unresolved conditional bounds give the stricter level.
 */
export function maxIrqlFor(name: string, ctx: { cbdqUsesSpinLock?: boolean; completeStatusIsComplete?: boolean } = {}): Irql | undefined {
  const info = API_CATALOG.get(name);
  if (!info) return undefined;
  switch (info.maxIrql) {
    case 'any': return Irql.HIGH_LEVEL;
    case 'cbdq': return ctx.cbdqUsesSpinLock ? D : A;
    case 'cpp': return ctx.completeStatusIsComplete ? D : A;
    default: return info.maxIrql;
  }
}
