/**
 * Prelude: the executive and kernel core of wdm.h/ntddk.h — IRQLs, pool, dispatcher objects and
 * locks, lookaside lists, threads, interlocked operations, debug output, and the list helpers.
 * The list helpers are written in C so they run on the same memory model as the driver; the other
 * routines are answered by the engine (or stop with "does not model it").
 */
export const KERNEL_H = String.raw`
#ifndef _FLTSIM_KERNEL_
#define _FLTSIM_KERNEL_

#define PASSIVE_LEVEL 0
#define LOW_LEVEL 0
#define APC_LEVEL 1
#define DISPATCH_LEVEL 2
#define CMCI_LEVEL 5
#define CLOCK_LEVEL 13
#define IPI_LEVEL 14
#define DRS_LEVEL 14
#define POWER_LEVEL 14
#define PROFILE_LEVEL 15
#define HIGH_LEVEL 15

typedef enum _MODE { KernelMode, UserMode, MaximumMode } MODE;
/* wdm.h's name for a GUID used as a unique id (ExUuidCreate's, WFP's callout and layer keys). */
#ifndef UUID_DEFINED
#define UUID_DEFINED
typedef GUID UUID;
#endif

typedef enum _POOL_TYPE {
    NonPagedPool = 0,
    NonPagedPoolExecute = 0,
    PagedPool = 1,
    NonPagedPoolMustSucceed = 2,
    DontUseThisType = 3,
    NonPagedPoolCacheAligned = 4,
    PagedPoolCacheAligned = 5,
    NonPagedPoolCacheAlignedMustS = 6,
    MaxPoolType = 7,
    NonPagedPoolNx = 512,
    NonPagedPoolNxCacheAligned = 516,
    NonPagedPoolSessionNx = 544
} POOL_TYPE;
typedef ULONG64 POOL_FLAGS;
/* wdm.h's reader/writer spin lock word (ExAcquireSpinLockShared… are not modelled). */
typedef volatile LONG EX_SPIN_LOCK, *PEX_SPIN_LOCK;
#define POOL_FLAG_REQUIRED_START 0x0000000000000001ULL
#define POOL_FLAG_USE_QUOTA 0x0000000000000001ULL
#define POOL_FLAG_UNINITIALIZED 0x0000000000000002ULL
#define POOL_FLAG_SESSION 0x0000000000000004ULL
#define POOL_FLAG_CACHE_ALIGNED 0x0000000000000008ULL
#define POOL_FLAG_RAISE_ON_FAILURE 0x0000000000000020ULL
#define POOL_FLAG_NON_PAGED 0x0000000000000040ULL
#define POOL_FLAG_NON_PAGED_EXECUTE 0x0000000000000080ULL
#define POOL_FLAG_PAGED 0x0000000000000100ULL
#define POOL_FLAG_RESERVED1 0x0000000000000010ULL
#define POOL_FLAG_RESERVED2 0x0000000000000200ULL
#define POOL_FLAG_RESERVED3 0x0000000000000400ULL
#define POOL_FLAG_REQUIRED_END 0x0000000080000000ULL
#define POOL_FLAG_OPTIONAL_START 0x0000000100000000ULL
#define POOL_FLAG_SPECIAL_POOL 0x0000000100000000ULL
#define POOL_FLAG_OPTIONAL_END 0x8000000000000000ULL
#define POOL_NX_OPTIN 1
#define POOL_NX_ALLOCATION 512
#define POOL_COLD_ALLOCATION 256
typedef enum _EX_POOL_PRIORITY { LowPoolPriority, NormalPoolPriority = 16, HighPoolPriority = 32 } EX_POOL_PRIORITY;
#define DrvRtPoolNxOptIn 0x00000001

typedef enum _WORK_QUEUE_TYPE {
    CriticalWorkQueue,
    DelayedWorkQueue,
    HyperCriticalWorkQueue,
    NormalWorkQueue,
    BackgroundWorkQueue,
    RealTimeWorkQueue,
    SuperCriticalWorkQueue,
    MaximumWorkQueue,
    CustomPriorityWorkQueue = 32
} WORK_QUEUE_TYPE;

typedef enum _EVENT_TYPE { NotificationEvent, SynchronizationEvent } EVENT_TYPE;
typedef enum _KWAIT_REASON { Executive, FreePage, PageIn, PoolAllocation, DelayExecution, Suspended, UserRequest, WrExecutive } KWAIT_REASON;
typedef enum _WAIT_TYPE { WaitAll, WaitAny } WAIT_TYPE;
#define IO_NO_INCREMENT 0
#define EVENT_INCREMENT 1

typedef struct _KTHREAD *PKTHREAD, *PRKTHREAD;
typedef struct _MDL *PMDL;
typedef struct _DEVICE_OBJECT *PDEVICE_OBJECT;
typedef struct _DRIVER_OBJECT *PDRIVER_OBJECT;
typedef struct _FILE_OBJECT *PFILE_OBJECT;
typedef struct _OBJECT_ATTRIBUTES *POBJECT_ATTRIBUTES;
typedef struct _ETHREAD *PETHREAD;
typedef struct _EPROCESS *PEPROCESS;
typedef struct _KPROCESS *PKPROCESS, *PRKPROCESS;
typedef struct _IRP *PIRP;
typedef struct _SECTION_OBJECT_POINTERS *PSECTION_OBJECT_POINTERS;
typedef PVOID PSECURITY_DESCRIPTOR;
typedef struct _IO_SECURITY_CONTEXT *PIO_SECURITY_CONTEXT;
typedef struct _ACCESS_STATE *PACCESS_STATE;
typedef struct _ECP_LIST *PECP_LIST;

typedef struct _IO_STATUS_BLOCK {
    union { NTSTATUS Status; PVOID Pointer; };
    ULONG_PTR Information;
} IO_STATUS_BLOCK, *PIO_STATUS_BLOCK;

typedef ULONG_PTR KSPIN_LOCK;
typedef KSPIN_LOCK *PKSPIN_LOCK;
typedef struct _KSPIN_LOCK_QUEUE { struct _KSPIN_LOCK_QUEUE *volatile Next; PKSPIN_LOCK volatile Lock; } KSPIN_LOCK_QUEUE, *PKSPIN_LOCK_QUEUE;
typedef struct _KLOCK_QUEUE_HANDLE { KSPIN_LOCK_QUEUE LockQueue; KIRQL OldIrql; } KLOCK_QUEUE_HANDLE, *PKLOCK_QUEUE_HANDLE;

typedef struct _DISPATCHER_HEADER {
    union {
        struct { UCHAR Type; UCHAR Signalling; UCHAR Size; UCHAR Reserved1; };
        volatile LONG Lock;
        LONG LockNV;
    };
    LONG SignalState;
    LIST_ENTRY WaitListHead;
} DISPATCHER_HEADER, *PDISPATCHER_HEADER;
typedef struct _KEVENT { DISPATCHER_HEADER Header; } KEVENT, *PKEVENT, *PRKEVENT;
typedef struct _KGATE { DISPATCHER_HEADER Header; } KGATE, *PKGATE;
typedef struct _KSEMAPHORE { DISPATCHER_HEADER Header; LONG Limit; } KSEMAPHORE, *PKSEMAPHORE, *PRKSEMAPHORE;
typedef struct _KMUTANT {
    DISPATCHER_HEADER Header;
    LIST_ENTRY MutantListEntry;
    struct _KTHREAD *OwnerThread;
    BOOLEAN Abandoned;
    UCHAR ApcDisable;
} KMUTANT, *PKMUTANT, *PRKMUTANT, KMUTEX, *PKMUTEX, *PRKMUTEX;
typedef struct _KDPC *PKDPC, *PRKDPC;
typedef struct _KTIMER {
    DISPATCHER_HEADER Header;
    ULARGE_INTEGER DueTime;
    LIST_ENTRY TimerListEntry;
    PKDPC Dpc;
    ULONG Processor;
    ULONG Period;
} KTIMER, *PKTIMER, *PRKTIMER;
typedef struct _FAST_MUTEX { volatile LONG Count; PVOID Owner; ULONG Contention; KEVENT Event; ULONG OldIrql; } FAST_MUTEX, *PFAST_MUTEX;
typedef struct _KGUARDED_MUTEX {
    volatile LONG Count;
    PVOID Owner;
    ULONG Contention;
    KGATE Gate;
    union {
        struct { SHORT KernelApcDisable; SHORT SpecialApcDisable; };
        ULONG CombinedApcDisable;
    };
} KGUARDED_MUTEX, *PKGUARDED_MUTEX;
typedef ULONG_PTR ERESOURCE_THREAD, *PERESOURCE_THREAD;
typedef struct _OWNER_ENTRY {
    ERESOURCE_THREAD OwnerThread;
    union {
        struct { ULONG IoPriorityBoosted : 1; ULONG OwnerReferenced : 1; ULONG IoQoSPriorityBoosted : 1; ULONG OwnerCount : 29; };
        ULONG TableSize;
    };
} OWNER_ENTRY, *POWNER_ENTRY;
typedef struct _ERESOURCE {
    LIST_ENTRY SystemResourcesList;
    POWNER_ENTRY OwnerTable;
    SHORT ActiveCount;
    union { USHORT Flag; struct { UCHAR ReservedLowFlags; UCHAR WaiterPriority; }; };
    volatile PKSEMAPHORE SharedWaiters;
    volatile PKEVENT ExclusiveWaiters;
    OWNER_ENTRY OwnerEntry;
    ULONG ActiveEntries;
    ULONG ContentionCount;
    ULONG NumberOfSharedWaiters;
    ULONG NumberOfExclusiveWaiters;
    PVOID Reserved2;
    union { PVOID Address; ULONG_PTR CreatorBackTraceIndex; };
    KSPIN_LOCK SpinLock;
} ERESOURCE, *PERESOURCE;
typedef struct _EX_PUSH_LOCK { union { ULONG_PTR Value; PVOID Ptr; }; } EX_PUSH_LOCK, *PEX_PUSH_LOCK;
typedef struct _EX_RUNDOWN_REF { union { volatile ULONG_PTR Count; volatile PVOID Ptr; }; } EX_RUNDOWN_REF, *PEX_RUNDOWN_REF;
typedef void KDEFERRED_ROUTINE(struct _KDPC *Dpc, PVOID DeferredContext, PVOID SystemArgument1, PVOID SystemArgument2);
typedef KDEFERRED_ROUTINE *PKDEFERRED_ROUTINE;
typedef struct _KDPC {
    UCHAR Type;
    UCHAR Importance;
    volatile USHORT Number;
    LIST_ENTRY DpcListEntry;
    PKDEFERRED_ROUTINE DeferredRoutine;
    PVOID DeferredContext;
    PVOID SystemArgument1;
    PVOID SystemArgument2;
    volatile PVOID DpcData;
} KDPC;
typedef struct _KAPC {
    UCHAR Type;
    UCHAR SpareByte0;
    UCHAR Size;
    UCHAR SpareByte1;
    ULONG SpareLong0;
    struct _KTHREAD *Thread;
    LIST_ENTRY ApcListEntry;
    PVOID KernelRoutine;
    PVOID RundownRoutine;
    PVOID NormalRoutine;
    PVOID NormalContext;
    PVOID SystemArgument1;
    PVOID SystemArgument2;
    CCHAR ApcStateIndex;
    KPROCESSOR_MODE ApcMode;
    BOOLEAN Inserted;
} KAPC, *PKAPC, *PRKAPC;

typedef union _SLIST_HEADER {
    struct { ULONGLONG _Alignas(16) Alignment; ULONGLONG Region; };
    struct {
        ULONGLONG Depth : 16;
        ULONGLONG Sequence : 48;
        ULONGLONG Reserved : 4;
        ULONGLONG NextEntry : 60;
    } HeaderX64;
} SLIST_HEADER, *PSLIST_HEADER;
/* An entry of an interlocked singly linked list (16-byte aligned, as on x64); engine/kernel/slist.ts. */
typedef struct _SLIST_ENTRY { _Alignas(16) struct _SLIST_ENTRY *Next; } SLIST_ENTRY, *PSLIST_ENTRY;
void InitializeSListHead(PSLIST_HEADER SListHead);
PSLIST_ENTRY InterlockedPushEntrySList(PSLIST_HEADER ListHead, PSLIST_ENTRY ListEntry);
PSLIST_ENTRY InterlockedPopEntrySList(PSLIST_HEADER ListHead);
PSLIST_ENTRY InterlockedFlushSList(PSLIST_HEADER ListHead);
USHORT QueryDepthSList(PSLIST_HEADER SListHead);
PSLIST_ENTRY ExInterlockedPushEntrySList(PSLIST_HEADER ListHead, PSLIST_ENTRY ListEntry, PKSPIN_LOCK Lock);
PSLIST_ENTRY ExInterlockedPopEntrySList(PSLIST_HEADER ListHead, PKSPIN_LOCK Lock);
PSLIST_ENTRY ExInterlockedFlushSList(PSLIST_HEADER ListHead);
USHORT ExQueryDepthSList(PSLIST_HEADER SListHead);
typedef PVOID (*PALLOCATE_FUNCTION)(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag);
typedef void (*PFREE_FUNCTION)(PVOID Buffer);
typedef struct _LOOKASIDE_LIST_EX *PLOOKASIDE_LIST_EX;
typedef PVOID (*PALLOCATE_FUNCTION_EX)(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag, PLOOKASIDE_LIST_EX Lookaside);
typedef void (*PFREE_FUNCTION_EX)(PVOID Buffer, PLOOKASIDE_LIST_EX Lookaside);
/* The members every lookaside list starts with (the WDK spells them out in one macro too). */
#define __FLTSIM_LOOKASIDE_MEMBERS \
    union { SLIST_HEADER ListHead; SINGLE_LIST_ENTRY SingleListHead; }; \
    USHORT Depth; \
    USHORT MaximumDepth; \
    ULONG TotalAllocates; \
    union { ULONG AllocateMisses; ULONG AllocateHits; }; \
    ULONG TotalFrees; \
    union { ULONG FreeMisses; ULONG FreeHits; }; \
    POOL_TYPE Type; \
    ULONG Tag; \
    ULONG Size; \
    union { PALLOCATE_FUNCTION_EX AllocateEx; PALLOCATE_FUNCTION Allocate; }; \
    union { PFREE_FUNCTION_EX FreeEx; PFREE_FUNCTION Free; }; \
    LIST_ENTRY ListEntry; \
    ULONG LastTotalAllocates; \
    union { ULONG LastAllocateMisses; ULONG LastAllocateHits; }; \
    ULONG Future[2];
typedef struct _GENERAL_LOOKASIDE { ULONGLONG _Alignas(64) __fltsim_cache_line[0]; __FLTSIM_LOOKASIDE_MEMBERS } GENERAL_LOOKASIDE, *PGENERAL_LOOKASIDE;
typedef struct _GENERAL_LOOKASIDE_POOL { __FLTSIM_LOOKASIDE_MEMBERS } GENERAL_LOOKASIDE_POOL, *PGENERAL_LOOKASIDE_POOL;
typedef struct _LOOKASIDE_LIST_EX { GENERAL_LOOKASIDE_POOL L; } LOOKASIDE_LIST_EX;
/* On x64 the lists are the general lookaside alone (the lock member exists on x86 only). */
typedef struct _NPAGED_LOOKASIDE_LIST { GENERAL_LOOKASIDE L; } NPAGED_LOOKASIDE_LIST, *PNPAGED_LOOKASIDE_LIST;
typedef struct _PAGED_LOOKASIDE_LIST { GENERAL_LOOKASIDE L; } PAGED_LOOKASIDE_LIST, *PPAGED_LOOKASIDE_LIST;

typedef void KSTART_ROUTINE(PVOID StartContext);
typedef KSTART_ROUTINE *PKSTART_ROUTINE;
typedef void WORKER_THREAD_ROUTINE(PVOID Parameter);
typedef WORKER_THREAD_ROUTINE *PWORKER_THREAD_ROUTINE;

#define PAGED_CODE() __fltsim_paged_code()
#define PAGED_CODE_LOCKED() ((void)0)
#define NT_ASSERT(e) __fltsim_assert((e), #e)
#define NT_ASSERTMSG(m, e) __fltsim_assert((e), m)
#define NT_ASSERTMSGW(m, e) __fltsim_assert((e), #e)
#define NT_VERIFY(e) __fltsim_assert((e), #e)
#define NT_VERIFYMSG(m, e) __fltsim_assert((e), m)
#define ASSERT(e) __fltsim_assert((e), #e)
#define ASSERTMSG(m, e) __fltsim_assert((e), m)
#define NT_FRE_ASSERT(e) __fltsim_assert((e), #e)
#define NT_ANALYSIS_ASSUME(e) ((void)0)
#define __analysis_assume(e) ((void)0)
#define KeWaitForMutexObject KeWaitForSingleObject
#define KfRaiseIrql(NewIrql) KeRaiseIrql((NewIrql), NULL)
#define KfLowerIrql(NewIrql) KeLowerIrql(NewIrql)

void __fltsim_paged_code(void);
void __fltsim_assert(LONGLONG Condition, const char *Text);
void __fltsim_list_corrupt(PLIST_ENTRY Entry);
ULONG DbgPrint(PCSTR Format, ...);
ULONG DbgPrintEx(ULONG ComponentId, ULONG Level, PCSTR Format, ...);
ULONG vDbgPrintEx(ULONG ComponentId, ULONG Level, PCCH Format, va_list arglist);
ULONG vDbgPrintExWithPrefix(PCCH Prefix, ULONG ComponentId, ULONG Level, PCCH Format, va_list arglist);
void DbgBreakPoint(void);
#define DPFLTR_IHVDRIVER_ID 77
#define DPFLTR_FLTMGR_ID 47
#define DPFLTR_DEFAULT_ID 101
#define DPFLTR_ERROR_LEVEL 0
#define DPFLTR_WARNING_LEVEL 1
#define DPFLTR_TRACE_LEVEL 2
#define DPFLTR_INFO_LEVEL 3
#define DPFLTR_MASK 0x80000000

KIRQL KeGetCurrentIrql(void);
KIRQL KeRaiseIrql(KIRQL NewIrql, PKIRQL OldIrql);
void KeLowerIrql(KIRQL NewIrql);
KIRQL KeRaiseIrqlToDpcLevel(void);
void KeInitializeSpinLock(PKSPIN_LOCK SpinLock);
void KeAcquireSpinLock(PKSPIN_LOCK SpinLock, PKIRQL OldIrql);
KIRQL KeAcquireSpinLockRaiseToDpc(PKSPIN_LOCK SpinLock);
PKTHREAD KeGetCurrentThread(void);
PEPROCESS PsGetCurrentProcess(void);
PVOID ExAllocatePool(POOL_TYPE PoolType, SIZE_T NumberOfBytes);
void ExInitializePushLock(PEX_PUSH_LOCK PushLock);
void KeInitializeGuardedMutex(PKGUARDED_MUTEX Mutex);
void KeAcquireGuardedMutex(PKGUARDED_MUTEX Mutex);
void KeReleaseGuardedMutex(PKGUARDED_MUTEX Mutex);
void KeReleaseSpinLock(PKSPIN_LOCK SpinLock, KIRQL NewIrql);
void KeAcquireSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock);
void KeReleaseSpinLockFromDpcLevel(PKSPIN_LOCK SpinLock);
void KeAcquireInStackQueuedSpinLock(PKSPIN_LOCK SpinLock, PKLOCK_QUEUE_HANDLE LockHandle);
void KeReleaseInStackQueuedSpinLock(PKLOCK_QUEUE_HANDLE LockHandle);
BOOLEAN KeTestSpinLock(PKSPIN_LOCK SpinLock);
void KeInitializeEvent(PRKEVENT Event, EVENT_TYPE Type, BOOLEAN State);
LONG KeSetEvent(PRKEVENT Event, KPRIORITY Increment, BOOLEAN Wait);
void KeClearEvent(PRKEVENT Event);
LONG KeResetEvent(PRKEVENT Event);
LONG KeReadStateEvent(PRKEVENT Event);
NTSTATUS KeWaitForSingleObject(PVOID Object, KWAIT_REASON WaitReason, KPROCESSOR_MODE WaitMode, BOOLEAN Alertable, PLARGE_INTEGER Timeout);
NTSTATUS KeDelayExecutionThread(KPROCESSOR_MODE WaitMode, BOOLEAN Alertable, PLARGE_INTEGER Interval);
void KeInitializeMutex(PKMUTEX Mutex, ULONG Level);
LONG KeReleaseMutex(PKMUTEX Mutex, BOOLEAN Wait);
void KeInitializeSemaphore(PKSEMAPHORE Semaphore, LONG Count, LONG Limit);
LONG KeReleaseSemaphore(PKSEMAPHORE Semaphore, KPRIORITY Increment, LONG Adjustment, BOOLEAN Wait);
LONG KeReadStateSemaphore(PRKSEMAPHORE Semaphore);
void KeEnterCriticalRegion(void);
void KeLeaveCriticalRegion(void);
void KeQuerySystemTime(PLARGE_INTEGER CurrentTime);
void KeQuerySystemTimePrecise(PLARGE_INTEGER CurrentTime);
ULONGLONG KeQueryInterruptTime(void);
void KeQueryTickCount(PLARGE_INTEGER TickCount);
ULONG KeQueryTimeIncrement(void);
LARGE_INTEGER KeQueryPerformanceCounter(PLARGE_INTEGER PerformanceFrequency);
KPROCESSOR_MODE ExGetPreviousMode(void);
ULONG KeGetCurrentProcessorNumber(void);
BOOLEAN KeAreAllApcsDisabled(void);
BOOLEAN KeAreApcsDisabled(void);
void ExInitializeFastMutex(PFAST_MUTEX FastMutex);
void ExAcquireFastMutex(PFAST_MUTEX FastMutex);
void ExReleaseFastMutex(PFAST_MUTEX FastMutex);
BOOLEAN ExTryToAcquireFastMutex(PFAST_MUTEX FastMutex);
void ExAcquireFastMutexUnsafe(PFAST_MUTEX FastMutex);
void ExReleaseFastMutexUnsafe(PFAST_MUTEX FastMutex);
NTSTATUS ExInitializeResourceLite(PERESOURCE Resource);
NTSTATUS ExDeleteResourceLite(PERESOURCE Resource);
BOOLEAN ExAcquireResourceExclusiveLite(PERESOURCE Resource, BOOLEAN Wait);
BOOLEAN ExAcquireResourceSharedLite(PERESOURCE Resource, BOOLEAN Wait);
void ExReleaseResourceLite(PERESOURCE Resource);
BOOLEAN ExIsResourceAcquiredExclusiveLite(PERESOURCE Resource);
ULONG ExIsResourceAcquiredSharedLite(PERESOURCE Resource);
void ExAcquirePushLockExclusive(PEX_PUSH_LOCK PushLock);
void ExAcquirePushLockShared(PEX_PUSH_LOCK PushLock);
void ExReleasePushLockExclusive(PEX_PUSH_LOCK PushLock);
void ExReleasePushLockShared(PEX_PUSH_LOCK PushLock);
void ExReleasePushLock(PEX_PUSH_LOCK PushLock);
void ExInitializeDriverRuntime(ULONG RuntimeFlags);
PVOID ExAllocatePoolWithTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag);
PVOID ExAllocatePoolZero(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag);
PVOID ExAllocatePoolUninitialized(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag);
PVOID ExAllocatePoolQuotaZero(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag);
PVOID ExAllocatePoolWithQuotaTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag);
PVOID ExAllocatePool2(POOL_FLAGS Flags, SIZE_T NumberOfBytes, ULONG Tag);
void ExFreePoolWithTag(PVOID P, ULONG Tag);
void ExFreePool(PVOID P);
void ExInitializeNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside, PALLOCATE_FUNCTION Allocate, PFREE_FUNCTION Free, ULONG Flags, SIZE_T Size, ULONG Tag, USHORT Depth);
void ExDeleteNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside);
PVOID ExAllocateFromNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside);
void ExFreeToNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside, PVOID Entry);
void ExInitializePagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside, PALLOCATE_FUNCTION Allocate, PFREE_FUNCTION Free, ULONG Flags, SIZE_T Size, ULONG Tag, USHORT Depth);
void ExDeletePagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside);
PVOID ExAllocateFromPagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside);
void ExFreeToPagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside, PVOID Entry);
void ExInitializeRundownProtection(PEX_RUNDOWN_REF RunRef);
BOOLEAN ExAcquireRundownProtection(PEX_RUNDOWN_REF RunRef);
void ExReleaseRundownProtection(PEX_RUNDOWN_REF RunRef);
void ExWaitForRundownProtectionRelease(PEX_RUNDOWN_REF RunRef);
void ExReInitializeRundownProtection(PEX_RUNDOWN_REF RunRef);
void ExRundownCompleted(PEX_RUNDOWN_REF RunRef);
BOOLEAN ExAcquireRundownProtectionEx(PEX_RUNDOWN_REF RunRef, ULONG Count);
void ExReleaseRundownProtectionEx(PEX_RUNDOWN_REF RunRef, ULONG Count);
LONG InterlockedIncrement(LONG volatile *Addend);
LONG InterlockedDecrement(LONG volatile *Addend);
LONG InterlockedExchange(LONG volatile *Target, LONG Value);
LONG InterlockedExchangeAdd(LONG volatile *Addend, LONG Value);
LONG InterlockedCompareExchange(LONG volatile *Destination, LONG Exchange, LONG Comperand);
LONG InterlockedOr(LONG volatile *Destination, LONG Value);
LONG InterlockedAnd(LONG volatile *Destination, LONG Value);
LONG InterlockedXor(LONG volatile *Destination, LONG Value);
LONG64 InterlockedIncrement64(LONG64 volatile *Addend);
LONG64 InterlockedDecrement64(LONG64 volatile *Addend);
LONG64 InterlockedExchange64(LONG64 volatile *Target, LONG64 Value);
LONG64 InterlockedExchangeAdd64(LONG64 volatile *Addend, LONG64 Value);
LONG64 InterlockedCompareExchange64(LONG64 volatile *Destination, LONG64 Exchange, LONG64 Comperand);
PVOID InterlockedExchangePointer(PVOID volatile *Target, PVOID Value);
PVOID InterlockedCompareExchangePointer(PVOID volatile *Destination, PVOID Exchange, PVOID Comperand);
SHORT InterlockedIncrement16(SHORT volatile *Addend);
SHORT InterlockedDecrement16(SHORT volatile *Addend);
CHAR InterlockedExchange8(CHAR volatile *Target, CHAR Value);
SHORT InterlockedExchange16(SHORT volatile *Target, SHORT Value);
SHORT InterlockedCompareExchange16(SHORT volatile *Destination, SHORT Exchange, SHORT Comperand);
CHAR InterlockedExchangeAdd8(CHAR volatile *Addend, CHAR Value);
SHORT InterlockedExchangeAdd16(SHORT volatile *Addend, SHORT Value);
CHAR InterlockedAnd8(CHAR volatile *Destination, CHAR Value);
CHAR InterlockedOr8(CHAR volatile *Destination, CHAR Value);
CHAR InterlockedXor8(CHAR volatile *Destination, CHAR Value);
SHORT InterlockedAnd16(SHORT volatile *Destination, SHORT Value);
SHORT InterlockedOr16(SHORT volatile *Destination, SHORT Value);
SHORT InterlockedXor16(SHORT volatile *Destination, SHORT Value);
LONG64 InterlockedAnd64(LONG64 volatile *Destination, LONG64 Value);
LONG64 InterlockedOr64(LONG64 volatile *Destination, LONG64 Value);
LONG64 InterlockedXor64(LONG64 volatile *Destination, LONG64 Value);
PVOID MmGetSystemRoutineAddress(PUNICODE_STRING SystemRoutineName);
PIRP IoGetTopLevelIrp(void);
PEPROCESS IoGetCurrentProcess(void);
PETHREAD PsGetCurrentThread(void);
HANDLE PsGetCurrentThreadId(void);
HANDLE PsGetCurrentProcessId(void);
HANDLE PsGetProcessId(PEPROCESS Process);
HANDLE PsGetThreadId(PETHREAD Thread);
BOOLEAN PsIsSystemThread(PETHREAD Thread);
BOOLEAN IoIsSystemThread(PETHREAD Thread);
NTSTATUS PsCreateSystemThread(PHANDLE ThreadHandle, ULONG DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes, HANDLE ProcessHandle, PVOID ClientId, PKSTART_ROUTINE StartRoutine, PVOID StartContext);
NTSTATUS PsTerminateSystemThread(NTSTATUS ExitStatus);
PEPROCESS IoThreadToProcess(PETHREAD Thread);
void KeMemoryBarrier(void);
void IoGetStackLimits(PULONG_PTR LowLimit, PULONG_PTR HighLimit);
ULONG_PTR IoGetRemainingStackSize(void);
BOOLEAN IoIs32bitProcess(struct _IRP *Irp);
void KeStackAttachProcess(PEPROCESS Process, PVOID ApcState);
void KeUnstackDetachProcess(PVOID ApcState);
void KeInitializeTimer(PKTIMER Timer);
BOOLEAN KeSetTimer(PKTIMER Timer, LARGE_INTEGER DueTime, PKDPC Dpc);
BOOLEAN KeCancelTimer(PKTIMER Timer);
void KeInitializeDpc(PRKDPC Dpc, PKDEFERRED_ROUTINE DeferredRoutine, PVOID DeferredContext);
// The wait blocks a wait on more than THREAD_WAIT_OBJECTS objects needs; their fields are the kernel's.
typedef struct _KWAIT_BLOCK { LIST_ENTRY WaitListEntry; PVOID Thread; PVOID Object; struct _KWAIT_BLOCK *NextWaitBlock; USHORT WaitKey; UCHAR WaitType; UCHAR BlockState; LONG SpareLong; } KWAIT_BLOCK, *PKWAIT_BLOCK, *PRKWAIT_BLOCK;
#define THREAD_WAIT_OBJECTS 3
#define MAXIMUM_WAIT_OBJECTS 64
NTSTATUS KeWaitForMultipleObjects(ULONG Count, PVOID Object[], WAIT_TYPE WaitType, KWAIT_REASON WaitReason, KPROCESSOR_MODE WaitMode, BOOLEAN Alertable, PLARGE_INTEGER Timeout, PKWAIT_BLOCK WaitBlockArray);

void InitializeListHead(PLIST_ENTRY ListHead) {
    ListHead->Flink = ListHead;
    ListHead->Blink = ListHead;
}

BOOLEAN IsListEmpty(const LIST_ENTRY *ListHead) {
    return (BOOLEAN)(ListHead->Flink == ListHead);
}

BOOLEAN RemoveEntryList(PLIST_ENTRY Entry) {
    PLIST_ENTRY Next = Entry->Flink;
    PLIST_ENTRY Prev = Entry->Blink;
    if (Next == NULL || Prev == NULL || Next->Blink != Entry || Prev->Flink != Entry) {
        __fltsim_list_corrupt(Entry);
        return FALSE;
    }
    Prev->Flink = Next;
    Next->Blink = Prev;
    return (BOOLEAN)(Prev == Next);
}

PLIST_ENTRY RemoveHeadList(PLIST_ENTRY ListHead) {
    PLIST_ENTRY Entry = ListHead->Flink;
    PLIST_ENTRY Next = Entry->Flink;
    if (Entry->Blink != ListHead || Next->Blink != Entry) {
        __fltsim_list_corrupt(ListHead);
        return ListHead;
    }
    ListHead->Flink = Next;
    Next->Blink = ListHead;
    return Entry;
}

PLIST_ENTRY RemoveTailList(PLIST_ENTRY ListHead) {
    PLIST_ENTRY Entry = ListHead->Blink;
    PLIST_ENTRY Prev = Entry->Blink;
    if (Entry->Flink != ListHead || Prev->Flink != Entry) {
        __fltsim_list_corrupt(ListHead);
        return ListHead;
    }
    ListHead->Blink = Prev;
    Prev->Flink = ListHead;
    return Entry;
}

void InsertTailList(PLIST_ENTRY ListHead, PLIST_ENTRY Entry) {
    PLIST_ENTRY Prev = ListHead->Blink;
    if (Prev == NULL || Prev->Flink != ListHead) {
        __fltsim_list_corrupt(ListHead);
        return;
    }
    Entry->Flink = ListHead;
    Entry->Blink = Prev;
    Prev->Flink = Entry;
    ListHead->Blink = Entry;
}

void InsertHeadList(PLIST_ENTRY ListHead, PLIST_ENTRY Entry) {
    PLIST_ENTRY Next = ListHead->Flink;
    if (Next == NULL || Next->Blink != ListHead) {
        __fltsim_list_corrupt(ListHead);
        return;
    }
    Entry->Flink = Next;
    Entry->Blink = ListHead;
    Next->Blink = Entry;
    ListHead->Flink = Entry;
}

#define PAGE_SIZE 0x1000
#define MAXIMUM_FILENAME_LENGTH 256
#define PAGE_SHIFT 12L
#define PAGE_ALIGN(Va) ((PVOID)((ULONG_PTR)(Va) & ~(PAGE_SIZE - 1)))
#define ROUND_TO_PAGES(Size) (((ULONG_PTR)(Size) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))
#define BYTES_TO_PAGES(Size) (((Size) >> PAGE_SHIFT) + (((Size) & (PAGE_SIZE - 1)) != 0))

LARGE_INTEGER RtlConvertLongToLargeInteger(LONG SignedInteger) {
    LARGE_INTEGER Result;
    Result.QuadPart = SignedInteger;
    return Result;
}

/* The interlocked list routines hold the caller's spin lock around the plain list operation. */
PLIST_ENTRY ExInterlockedInsertHeadList(PLIST_ENTRY ListHead, PLIST_ENTRY ListEntry, PKSPIN_LOCK Lock) {
    KIRQL OldIrql;
    PLIST_ENTRY First;
    KeAcquireSpinLock(Lock, &OldIrql);
    First = IsListEmpty(ListHead) ? NULL : ListHead->Flink;
    InsertHeadList(ListHead, ListEntry);
    KeReleaseSpinLock(Lock, OldIrql);
    return First;
}

PLIST_ENTRY ExInterlockedInsertTailList(PLIST_ENTRY ListHead, PLIST_ENTRY ListEntry, PKSPIN_LOCK Lock) {
    KIRQL OldIrql;
    PLIST_ENTRY Last;
    KeAcquireSpinLock(Lock, &OldIrql);
    Last = IsListEmpty(ListHead) ? NULL : ListHead->Blink;
    InsertTailList(ListHead, ListEntry);
    KeReleaseSpinLock(Lock, OldIrql);
    return Last;
}

PLIST_ENTRY ExInterlockedRemoveHeadList(PLIST_ENTRY ListHead, PKSPIN_LOCK Lock) {
    KIRQL OldIrql;
    PLIST_ENTRY Entry = NULL;
    KeAcquireSpinLock(Lock, &OldIrql);
    if (!IsListEmpty(ListHead)) Entry = RemoveHeadList(ListHead);
    KeReleaseSpinLock(Lock, OldIrql);
    return Entry;
}

/* Critical region and resource in one call; the release leaves the region the acquire entered. */
PVOID ExEnterCriticalRegionAndAcquireResourceExclusive(PERESOURCE Resource) {
    KeEnterCriticalRegion();
    ExAcquireResourceExclusiveLite(Resource, TRUE);
    return Resource;
}

PVOID ExEnterCriticalRegionAndAcquireResourceShared(PERESOURCE Resource) {
    KeEnterCriticalRegion();
    ExAcquireResourceSharedLite(Resource, TRUE);
    return Resource;
}

void ExReleaseResourceAndLeaveCriticalRegion(PERESOURCE Resource) {
    ExReleaseResourceLite(Resource);
    KeLeaveCriticalRegion();
}

void AppendTailList(PLIST_ENTRY ListHead, PLIST_ENTRY ListToAppend) {
    PLIST_ENTRY ListEnd = ListHead->Blink;
    ListHead->Blink->Flink = ListToAppend;
    ListHead->Blink = ListToAppend->Blink;
    ListToAppend->Blink->Flink = ListHead;
    ListToAppend->Blink = ListEnd;
}

PSINGLE_LIST_ENTRY PopEntryList(PSINGLE_LIST_ENTRY ListHead) {
    PSINGLE_LIST_ENTRY FirstEntry = ListHead->Next;
    if (FirstEntry != NULL) {
        ListHead->Next = FirstEntry->Next;
    }
    return FirstEntry;
}

void PushEntryList(PSINGLE_LIST_ENTRY ListHead, PSINGLE_LIST_ENTRY Entry) {
    Entry->Next = ListHead->Next;
    ListHead->Next = Entry;
}

/* x64 wdm.h: saving the floating-point state is an inline function that saves nothing and succeeds
   (the thread's SSE state is kept by the processor's context switch). */
typedef ULONG KFLOATING_SAVE, *PKFLOATING_SAVE;
NTSTATUS KeSaveFloatingPointState(PKFLOATING_SAVE FloatSave) {
    UNREFERENCED_PARAMETER(FloatSave);
    return STATUS_SUCCESS;
}
NTSTATUS KeRestoreFloatingPointState(PKFLOATING_SAVE FloatSave) {
    UNREFERENCED_PARAMETER(FloatSave);
    return STATUS_SUCCESS;
}

#endif
`;
