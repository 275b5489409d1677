/**
 * Prelude: what fltKernel.h and fltUserStructures.h give for enumerating filters, instances and
 * volumes and asking about them (FltEnumerate*, FltGetFilterFromName, FltGetInstanceInformation
 * and its INSTANCE_*_INFORMATION classes), FltQueryVolumeInformationFile, and the oplock package a
 * filter that owns oplocks calls (FltInitializeOplock, FltOplockFsctrl, FltCheckOplock…).
 */
export const FLTOBJECTS_H = String.raw`
#ifndef _FLTSIM_FLTOBJECTS_
#define _FLTSIM_FLTOBJECTS_

typedef enum _INSTANCE_INFORMATION_CLASS {
    InstanceBasicInformation, InstancePartialInformation, InstanceFullInformation, InstanceAggregateStandardInformation
} INSTANCE_INFORMATION_CLASS, *PINSTANCE_INFORMATION_CLASS;
typedef struct _INSTANCE_BASIC_INFORMATION { ULONG NextEntryOffset; USHORT InstanceNameLength; USHORT InstanceNameBufferOffset; } INSTANCE_BASIC_INFORMATION, *PINSTANCE_BASIC_INFORMATION;
typedef struct _INSTANCE_PARTIAL_INFORMATION { ULONG NextEntryOffset; USHORT InstanceNameLength; USHORT InstanceNameBufferOffset; USHORT AltitudeLength; USHORT AltitudeBufferOffset; } INSTANCE_PARTIAL_INFORMATION, *PINSTANCE_PARTIAL_INFORMATION;
typedef struct _INSTANCE_FULL_INFORMATION { ULONG NextEntryOffset; USHORT InstanceNameLength; USHORT InstanceNameBufferOffset; USHORT AltitudeLength; USHORT AltitudeBufferOffset; USHORT VolumeNameLength; USHORT VolumeNameBufferOffset; USHORT FilterNameLength; USHORT FilterNameBufferOffset; } INSTANCE_FULL_INFORMATION, *PINSTANCE_FULL_INFORMATION;

NTSTATUS FltEnumerateFilters(PFLT_FILTER *FilterList, ULONG FilterListSize, PULONG NumberFiltersReturned);
NTSTATUS FltGetFilterFromName(PCUNICODE_STRING FilterName, PFLT_FILTER *RetFilter);
typedef PVOID OPLOCK, *POPLOCK;
typedef VOID (*PFLTOPLOCK_WAIT_COMPLETE_ROUTINE)(PFLT_CALLBACK_DATA CallbackData, PVOID Context);
typedef VOID (*PFLTOPLOCK_PREPOST_CALLBACKDATA_ROUTINE)(PFLT_CALLBACK_DATA CallbackData, PVOID Context);
#define FILE_OPLOCK_BROKEN_TO_LEVEL_2 0x00000007
#define FILE_OPLOCK_BROKEN_TO_NONE 0x00000008
#define OPLOCK_FLAG_COMPLETE_IF_OPLOCKED 0x00000001
#define OPLOCK_FLAG_OPLOCK_KEY_CHECK_ONLY 0x00000002
#define OPLOCK_FLAG_BACK_OUT_ATOMIC_OPLOCK 0x00000004
#define OPLOCK_FLAG_IGNORE_OPLOCK_KEYS 0x00000008
VOID FltInitializeOplock(POPLOCK Oplock);
VOID FltUninitializeOplock(POPLOCK Oplock);
FLT_PREOP_CALLBACK_STATUS FltOplockFsctrl(POPLOCK Oplock, PFLT_CALLBACK_DATA CallbackData, ULONG OpenCount);
FLT_PREOP_CALLBACK_STATUS FltCheckOplock(POPLOCK Oplock, PFLT_CALLBACK_DATA CallbackData, PVOID Context, PFLTOPLOCK_WAIT_COMPLETE_ROUTINE WaitCompletionRoutine, PFLTOPLOCK_PREPOST_CALLBACKDATA_ROUTINE PrePostCallbackDataRoutine);
FLT_PREOP_CALLBACK_STATUS FltCheckOplockEx(POPLOCK Oplock, PFLT_CALLBACK_DATA CallbackData, ULONG Flags, PVOID Context, PFLTOPLOCK_WAIT_COMPLETE_ROUTINE WaitCompletionRoutine, PFLTOPLOCK_PREPOST_CALLBACKDATA_ROUTINE PrePostCallbackDataRoutine);
FLT_PREOP_CALLBACK_STATUS FltOplockBreakToNone(POPLOCK Oplock, PFLT_CALLBACK_DATA CallbackData, PVOID Context, PFLTOPLOCK_WAIT_COMPLETE_ROUTINE WaitCompletionRoutine, PFLTOPLOCK_PREPOST_CALLBACKDATA_ROUTINE PrePostCallbackDataRoutine);
BOOLEAN FltOplockIsFastIoPossible(POPLOCK Oplock);
BOOLEAN FltCurrentBatchOplock(POPLOCK Oplock);
VOID FltReissueSynchronousIo(PFLT_INSTANCE InitiatingInstance, PFLT_CALLBACK_DATA CallbackData);
NTSTATUS FltQueryVolumeInformationFile(PFLT_INSTANCE Instance, PFILE_OBJECT FileObject, PVOID FsInformation, ULONG Length, FS_INFORMATION_CLASS FsInformationClass, PULONG LengthReturned);
#endif
`;
