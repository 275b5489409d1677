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
#define FLTFL_IASIM_DETACHED_VOLUME 0x00000001
typedef struct _INSTANCE_AGGREGATE_STANDARD_INFORMATION {
    ULONG NextEntryOffset; ULONG Flags;
    union {
        struct { ULONG Flags; ULONG FrameID; FLT_FILESYSTEM_TYPE VolumeFileSystemType; USHORT InstanceNameLength; USHORT InstanceNameBufferOffset; USHORT AltitudeLength; USHORT AltitudeBufferOffset; USHORT VolumeNameLength; USHORT VolumeNameBufferOffset; USHORT FilterNameLength; USHORT FilterNameBufferOffset; ULONG SupportedFeatures; } MiniFilter;
        struct { ULONG Flags; USHORT AltitudeLength; USHORT AltitudeBufferOffset; USHORT VolumeNameLength; USHORT VolumeNameBufferOffset; USHORT FilterNameLength; USHORT FilterNameBufferOffset; ULONG SupportedFeatures; } LegacyFilter;
    } Type;
} INSTANCE_AGGREGATE_STANDARD_INFORMATION, *PINSTANCE_AGGREGATE_STANDARD_INFORMATION;

NTSTATUS FltEnumerateFilters(PFLT_FILTER *FilterList, ULONG FilterListSize, PULONG NumberFiltersReturned);
typedef enum _FILTER_INFORMATION_CLASS { FilterFullInformation, FilterAggregateBasicInformation, FilterAggregateStandardInformation } FILTER_INFORMATION_CLASS, *PFILTER_INFORMATION_CLASS;
typedef struct _FILTER_FULL_INFORMATION { ULONG NextEntryOffset; ULONG FrameID; ULONG NumberOfInstances; USHORT FilterNameLength; WCHAR FilterNameBuffer[1]; } FILTER_FULL_INFORMATION, *PFILTER_FULL_INFORMATION;
#define FLTFL_IASI_IS_MINIFILTER 0x00000001
#define FLTFL_IASI_IS_LEGACYFILTER 0x00000002
typedef struct _FILTER_AGGREGATE_BASIC_INFORMATION {
    ULONG NextEntryOffset; ULONG Flags;
    union {
        struct { ULONG FrameID; ULONG NumberOfInstances; USHORT FilterNameLength; USHORT FilterNameBufferOffset; USHORT FilterAltitudeLength; USHORT FilterAltitudeBufferOffset; } MiniFilter;
        struct { USHORT FilterNameLength; USHORT FilterNameBufferOffset; } LegacyFilter;
    } Type;
} FILTER_AGGREGATE_BASIC_INFORMATION, *PFILTER_AGGREGATE_BASIC_INFORMATION;
#define FLTFL_ASI_IS_MINIFILTER 0x00000001
#define FLTFL_ASI_IS_LEGACYFILTER 0x00000002
typedef struct _FILTER_AGGREGATE_STANDARD_INFORMATION {
    ULONG NextEntryOffset; ULONG Flags;
    union {
        struct { ULONG Flags; ULONG FrameID; ULONG NumberOfInstances; USHORT FilterNameLength; USHORT FilterNameBufferOffset; USHORT FilterAltitudeLength; USHORT FilterAltitudeBufferOffset; } MiniFilter;
        struct { ULONG Flags; USHORT FilterNameLength; USHORT FilterNameBufferOffset; USHORT FilterAltitudeLength; USHORT FilterAltitudeBufferOffset; } LegacyFilter;
    } Type;
} FILTER_AGGREGATE_STANDARD_INFORMATION, *PFILTER_AGGREGATE_STANDARD_INFORMATION;
typedef enum _FILTER_VOLUME_INFORMATION_CLASS { FilterVolumeBasicInformation, FilterVolumeStandardInformation } FILTER_VOLUME_INFORMATION_CLASS, *PFILTER_VOLUME_INFORMATION_CLASS;
typedef struct _FILTER_VOLUME_BASIC_INFORMATION { USHORT FilterVolumeNameLength; WCHAR FilterVolumeName[1]; } FILTER_VOLUME_BASIC_INFORMATION, *PFILTER_VOLUME_BASIC_INFORMATION;
#define FLTFL_VSI_DETACHED_VOLUME 0x00000001
typedef struct _FILTER_VOLUME_STANDARD_INFORMATION { ULONG NextEntryOffset; ULONG Flags; ULONG FrameID; FLT_FILESYSTEM_TYPE FileSystemType; USHORT FilterVolumeNameLength; WCHAR FilterVolumeName[1]; } FILTER_VOLUME_STANDARD_INFORMATION, *PFILTER_VOLUME_STANDARD_INFORMATION;
NTSTATUS FltEnumerateFilterInformation(ULONG Index, FILTER_INFORMATION_CLASS InformationClass, PVOID Buffer, ULONG BufferSize, PULONG BytesReturned);
NTSTATUS FltGetFilterInformation(PFLT_FILTER Filter, FILTER_INFORMATION_CLASS InformationClass, PVOID Buffer, ULONG BufferSize, PULONG BytesReturned);
NTSTATUS FltEnumerateInstanceInformationByFilter(PFLT_FILTER Filter, ULONG Index, INSTANCE_INFORMATION_CLASS InformationClass, PVOID InstanceInformation, ULONG InformationBufferSize, PULONG BytesReturned);
NTSTATUS FltEnumerateInstanceInformationByVolume(PFLT_VOLUME Volume, ULONG Index, INSTANCE_INFORMATION_CLASS InformationClass, PVOID InstanceInformation, ULONG InformationBufferSize, PULONG BytesReturned);
NTSTATUS FltEnumerateInstanceInformationByVolumeName(PUNICODE_STRING VolumeName, ULONG Index, INSTANCE_INFORMATION_CLASS InformationClass, PVOID InstanceInformation, ULONG InformationBufferSize, PULONG BytesReturned);
NTSTATUS FltEnumerateInstanceInformationByDeviceObject(PDEVICE_OBJECT DeviceObject, ULONG Index, INSTANCE_INFORMATION_CLASS InformationClass, PVOID InstanceInformation, ULONG InformationBufferSize, PULONG BytesReturned);
NTSTATUS FltEnumerateVolumeInformation(PFLT_FILTER Filter, ULONG Index, FILTER_VOLUME_INFORMATION_CLASS InformationClass, PVOID Buffer, ULONG BufferSize, PULONG BytesReturned);
NTSTATUS FltGetVolumeInformation(PFLT_VOLUME Volume, FILTER_VOLUME_INFORMATION_CLASS InformationClass, PVOID Buffer, ULONG BufferSize, PULONG BytesReturned);
NTSTATUS FltGetFilterFromName(PCUNICODE_STRING FilterName, PFLT_FILTER *RetFilter);
// The headers of a port message as the user-mode side sees them (FilterGetMessage, FilterReplyMessage):
// fltUserStructures.h declares them for both sides, so a header shared by driver and program may use them.
typedef struct _FILTER_MESSAGE_HEADER { ULONG ReplyLength; ULONGLONG MessageId; } FILTER_MESSAGE_HEADER, *PFILTER_MESSAGE_HEADER;
typedef struct _FILTER_REPLY_HEADER { NTSTATUS Status; ULONGLONG MessageId; } FILTER_REPLY_HEADER, *PFILTER_REPLY_HEADER;
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
