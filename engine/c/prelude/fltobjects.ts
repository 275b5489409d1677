/**
 * Prelude: what fltKernel.h and fltUserStructures.h give for enumerating filters, instances and
 * volumes and asking about them (FltEnumerate*, FltGetFilterFromName, FltGetInstanceInformation
 * and its INSTANCE_*_INFORMATION classes), and FltQueryVolumeInformationFile.
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
NTSTATUS FltQueryVolumeInformationFile(PFLT_INSTANCE Instance, PFILE_OBJECT FileObject, PVOID FsInformation, ULONG Length, FS_INFORMATION_CLASS FsInformationClass, PULONG LengthReturned);
#endif
`;
