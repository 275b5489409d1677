/**
 * Prelude: the rest of fltKernel.h a filter calls — volumes and instances, filter-initiated I/O
 * (FltCreateFile*, FltReadFile, FltQueryInformationFile…), callback data a filter allocates,
 * communication ports, extra create parameters (ECPs) and their well-known contexts, transactions,
 * section-based data scanning, and aligned pool.
 */
export const FLTIO_H = String.raw`
#ifndef _FLTSIM_FLTIO_
#define _FLTSIM_FLTIO_

typedef struct _FLT_VOLUME_PROPERTIES {
    DEVICE_TYPE DeviceType;
    ULONG DeviceCharacteristics;
    ULONG DeviceObjectFlags;
    ULONG AlignmentRequirement;
    USHORT SectorSize;
    USHORT Flags;
    UNICODE_STRING FileSystemDriverName;
    UNICODE_STRING FileSystemDeviceName;
    UNICODE_STRING RealDeviceName;
} FLT_VOLUME_PROPERTIES, *PFLT_VOLUME_PROPERTIES;
#define FLT_VOLUME_PROPERTY_FLAG_SUPPORTS_STREAM_HANDLE_CONTEXTS 0x0001

typedef ULONG FLT_IO_OPERATION_FLAGS;
#define FLTFL_IO_OPERATION_NON_CACHED 0x00000001
#define FLTFL_IO_OPERATION_PAGING 0x00000002
#define FLTFL_IO_OPERATION_DO_NOT_UPDATE_BYTE_OFFSET 0x00000004
#define FLTFL_IO_OPERATION_SYNCHRONOUS_PAGING 0x00000008
#define IO_IGNORE_SHARE_ACCESS_CHECK_FLT IO_IGNORE_SHARE_ACCESS_CHECK
typedef void (*PFLT_GET_OPERATION_STATUS_CALLBACK)(PCFLT_RELATED_OBJECTS FltObjects, PFLT_IO_PARAMETER_BLOCK IopbSnapshot, NTSTATUS OperationStatus, PVOID RequesterContext);
#define FLT_PORT_CONNECT 0x0001
#define FLT_PORT_ALL_ACCESS (FLT_PORT_CONNECT | STANDARD_RIGHTS_ALL)

typedef ULONG FSRTL_ALLOCATE_ECP_FLAGS;
typedef ULONG FSRTL_ALLOCATE_ECPLIST_FLAGS;
#define FSRTL_ALLOCATE_ECP_FLAG_CHARGE_QUOTA 0x0001
#define FSRTL_ALLOCATE_ECP_FLAG_NONPAGED_POOL 0x0002
#define FSRTL_ALLOCATE_ECPLIST_FLAG_CHARGE_QUOTA 0x0001
typedef void (*PFSRTL_EXTRA_CREATE_PARAMETER_CLEANUP_CALLBACK)(PVOID EcpContext, LPCGUID EcpType);
typedef struct _ECP_LIST *PECP_LIST;
typedef struct _ECP_OPEN_PARAMETERS { USHORT Size; USHORT Reserved; ULONG Flags; } ECP_OPEN_PARAMETERS, *PECP_OPEN_PARAMETERS;
typedef struct _OPLOCK_KEY_ECP_CONTEXT { GUID OplockKey; ULONG Reserved; } OPLOCK_KEY_ECP_CONTEXT, *POPLOCK_KEY_ECP_CONTEXT;
typedef struct sockaddr_storage SOCKADDR_STORAGE_NFS, *PSOCKADDR_STORAGE_NFS;
typedef struct _NFS_OPEN_ECP_CONTEXT { PUNICODE_STRING ExportAlias; PSOCKADDR_STORAGE_NFS ClientSocketAddress; } NFS_OPEN_ECP_CONTEXT, *PNFS_OPEN_ECP_CONTEXT, **PPNFS_OPEN_ECP_CONTEXT;
typedef enum _SRV_INSTANCE_TYPE { SrvInstanceTypeUndefined, SrvInstanceTypePrimary, SrvInstanceTypeCsv, SrvInstanceTypeSBL, SrvInstanceTypeSR, SrvInstanceTypeUSBL } SRV_INSTANCE_TYPE, *PSRV_INSTANCE_TYPE;
typedef struct _SRV_OPEN_ECP_CONTEXT {
    PUNICODE_STRING ShareName;
    PSOCKADDR_STORAGE_NFS SocketAddress;
    BOOLEAN OplockBlockState;
    BOOLEAN OplockAppState;
    BOOLEAN OplockFinalState;
    USHORT Version;
    SRV_INSTANCE_TYPE InstanceType;
} SRV_OPEN_ECP_CONTEXT, *PSRV_OPEN_ECP_CONTEXT;
typedef struct _CSV_QUERY_FILE_REVISION_ECP_CONTEXT { LONGLONG FileId; LONGLONG FileRevision[3]; } CSV_QUERY_FILE_REVISION_ECP_CONTEXT, *PCSV_QUERY_FILE_REVISION_ECP_CONTEXT;
/* The well-known ECP types, as constant GUID values (the WDK defines them with DEFINE_GUID). */
#define GUID_ECP_NETWORK_OPEN_CONTEXT ((const GUID){ 0xc584edbf, 0x00df, 0x4d28, { 0xb8, 0x84, 0x35, 0xba, 0xca, 0x89, 0x11, 0xe8 } })
#define GUID_ECP_PREFETCH_OPEN ((const GUID){ 0xe1777b21, 0x847e, 0x4837, { 0xaa, 0x45, 0x64, 0x16, 0x1d, 0x28, 0x06, 0x55 } })
#define GUID_ECP_NFS_OPEN ((const GUID){ 0xf326d30c, 0xe5f8, 0x4fe7, { 0xab, 0x74, 0xf5, 0xa3, 0x19, 0x6d, 0x92, 0xdb } })
#define GUID_ECP_SRV_OPEN ((const GUID){ 0xbebfaebc, 0xaabf, 0x489d, { 0x9d, 0x2c, 0xe9, 0xe3, 0x61, 0x10, 0x28, 0x53 } })
#define GUID_ECP_OPLOCK_KEY ((const GUID){ 0x48850596, 0x3050, 0x4be7, { 0x98, 0x63, 0xfe, 0xc3, 0x50, 0xce, 0x8d, 0x7f } })
#define GUID_ECP_CSV_DOWN_LEVEL_OPEN ((const GUID){ 0x4248be44, 0x647f, 0x488f, { 0x8b, 0xe5, 0xa0, 0x8a, 0xaf, 0x70, 0xf0, 0x28 } })
#define GUID_ECP_CSV_QUERY_FILE_REVISION ((const GUID){ 0x44aec90b, 0xde65, 0x4d46, { 0x8f, 0xbf, 0x76, 0x3f, 0x9d, 0x97, 0x0b, 0x1d } })

#define FLT_MAX_TRANSACTION_NOTIFICATIONS (TRANSACTION_NOTIFY_PREPREPARE | TRANSACTION_NOTIFY_PREPARE | TRANSACTION_NOTIFY_COMMIT | TRANSACTION_NOTIFY_ROLLBACK | TRANSACTION_NOTIFY_COMMIT_FINALIZE)
typedef PVOID PFLT_SECTION_CONTEXT_FOR_SCAN;
#define FLT_SECTION_CONTEXT_FOR_SCAN FLT_SECTION_CONTEXT

NTSTATUS FltAllocateCallbackData(PFLT_INSTANCE Instance, PFILE_OBJECT FileObject, PFLT_CALLBACK_DATA *RetNewCallbackData);
NTSTATUS FltAllocateExtraCreateParameter(PFLT_FILTER Filter, LPCGUID EcpType, ULONG SizeOfContext, FSRTL_ALLOCATE_ECP_FLAGS Flags, PFSRTL_EXTRA_CREATE_PARAMETER_CLEANUP_CALLBACK CleanupCallback, ULONG PoolTag, PVOID *EcpContext);
NTSTATUS FltAllocateExtraCreateParameterFromLookasideList(PFLT_FILTER Filter, LPCGUID EcpType, ULONG SizeOfContext, FSRTL_ALLOCATE_ECP_FLAGS Flags, PFSRTL_EXTRA_CREATE_PARAMETER_CLEANUP_CALLBACK CleanupCallback, PVOID LookasideList, PVOID *EcpContext);
NTSTATUS FltAllocateExtraCreateParameterList(PFLT_FILTER Filter, FSRTL_ALLOCATE_ECPLIST_FLAGS Flags, PECP_LIST *EcpList);
PVOID FltAllocatePoolAlignedWithTag(PFLT_INSTANCE Instance, POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag);
NTSTATUS FltBuildDefaultSecurityDescriptor(PSECURITY_DESCRIPTOR *SecurityDescriptor, ACCESS_MASK DesiredAccess);
NTSTATUS FltCancellableWaitForSingleObject(PVOID Object, PLARGE_INTEGER Timeout, PFLT_CALLBACK_DATA CallbackData);
NTSTATUS FltClose(HANDLE FileHandle);
void FltCloseClientPort(PFLT_FILTER Filter, PFLT_PORT *ClientPort);
void FltCloseCommunicationPort(PFLT_PORT ServerPort);
NTSTATUS FltCloseSectionForDataScan(PFLT_CONTEXT SectionContext);
NTSTATUS FltCreateCommunicationPort(PFLT_FILTER Filter, PFLT_PORT *ServerPort, POBJECT_ATTRIBUTES ObjectAttributes, PVOID ServerPortCookie, PFLT_CONNECT_NOTIFY ConnectNotifyCallback, PFLT_DISCONNECT_NOTIFY DisconnectNotifyCallback, PFLT_MESSAGE_NOTIFY MessageNotifyCallback, LONG MaxConnections);
NTSTATUS FltCreateFile(PFLT_FILTER Filter, PFLT_INSTANCE Instance, PHANDLE FileHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes, PIO_STATUS_BLOCK IoStatusBlock, PLARGE_INTEGER AllocationSize, ULONG FileAttributes, ULONG ShareAccess, ULONG CreateDisposition, ULONG CreateOptions, PVOID EaBuffer, ULONG EaLength, ULONG Flags);
NTSTATUS FltCreateFileEx(PFLT_FILTER Filter, PFLT_INSTANCE Instance, PHANDLE FileHandle, PFILE_OBJECT *FileObject, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes, PIO_STATUS_BLOCK IoStatusBlock, PLARGE_INTEGER AllocationSize, ULONG FileAttributes, ULONG ShareAccess, ULONG CreateDisposition, ULONG CreateOptions, PVOID EaBuffer, ULONG EaLength, ULONG Flags);
NTSTATUS FltCreateFileEx2(PFLT_FILTER Filter, PFLT_INSTANCE Instance, PHANDLE FileHandle, PFILE_OBJECT *FileObject, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes, PIO_STATUS_BLOCK IoStatusBlock, PLARGE_INTEGER AllocationSize, ULONG FileAttributes, ULONG ShareAccess, ULONG CreateDisposition, ULONG CreateOptions, PVOID EaBuffer, ULONG EaLength, ULONG Flags, PIO_DRIVER_CREATE_CONTEXT DriverContext);
NTSTATUS FltCreateSectionForDataScan(PFLT_INSTANCE Instance, PFILE_OBJECT FileObject, PFLT_CONTEXT SectionContext, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes, PLARGE_INTEGER MaximumSize, ULONG SectionPageProtection, ULONG AllocationAttributes, ULONG Flags, PHANDLE SectionHandle, PVOID *SectionObject, PLARGE_INTEGER SectionFileSize);
NTSTATUS FltCreateSystemVolumeInformationFolder(PFLT_INSTANCE Instance);
NTSTATUS FltDeleteStreamHandleContext(PFLT_INSTANCE Instance, PFILE_OBJECT FileObject, PFLT_CONTEXT *OldContext);
NTSTATUS FltEnlistInTransaction(PFLT_INSTANCE Instance, PKTRANSACTION Transaction, PFLT_CONTEXT TransactionContext, NOTIFICATION_MASK NotificationMask);
NTSTATUS FltEnumerateInstances(PFLT_VOLUME Volume, PFLT_FILTER Filter, PFLT_INSTANCE *InstanceList, ULONG InstanceListSize, PULONG NumberInstancesReturned);
NTSTATUS FltFindExtraCreateParameter(PFLT_FILTER Filter, PECP_LIST EcpList, LPCGUID EcpType, PVOID *EcpContext, ULONG *EcpContextSize);
void FltFreeCallbackData(PFLT_CALLBACK_DATA CallbackData);
void FltFreeExtraCreateParameter(PFLT_FILTER Filter, PVOID EcpContext);
void FltFreeExtraCreateParameterList(PFLT_FILTER Filter, PECP_LIST EcpList);
void FltFreePoolAlignedWithTag(PFLT_INSTANCE Instance, PVOID Buffer, ULONG Tag);
void FltFreeSecurityDescriptor(PSECURITY_DESCRIPTOR SecurityDescriptor);
NTSTATUS FltFsControlFile(PFLT_INSTANCE Instance, PFILE_OBJECT FileObject, ULONG FsControlCode, PVOID InputBuffer, ULONG InputBufferLength, PVOID OutputBuffer, ULONG OutputBufferLength, PULONG LengthReturned);
NTSTATUS FltDeviceIoControlFile(PFLT_INSTANCE Instance, PFILE_OBJECT FileObject, ULONG IoControlCode, PVOID InputBuffer, ULONG InputBufferLength, PVOID OutputBuffer, ULONG OutputBufferLength, PULONG LengthReturned);
NTSTATUS FltOpenVolume(PFLT_INSTANCE Instance, PHANDLE VolumeHandle, PFILE_OBJECT *VolumeFileObject);
NTSTATUS FltGetDeviceObject(PFLT_VOLUME Volume, PDEVICE_OBJECT *DeviceObject);
NTSTATUS FltGetDiskDeviceObject(PFLT_VOLUME Volume, PDEVICE_OBJECT *DiskDeviceObject);
NTSTATUS FltGetEcpListFromCallbackData(PFLT_FILTER Filter, PFLT_CALLBACK_DATA CallbackData, PECP_LIST *EcpList);
NTSTATUS FltGetFileSystemType(PVOID FltObject, PFLT_FILESYSTEM_TYPE FileSystemType);
PCHAR FltGetIrpName(UCHAR IrpMajorCode);
PVOID FltGetNewSystemBufferAddress(PFLT_CALLBACK_DATA CallbackData);
NTSTATUS FltGetNextExtraCreateParameter(PFLT_FILTER Filter, PECP_LIST EcpList, PVOID CurrentEcpContext, LPGUID NextEcpType, PVOID *NextEcpContext, ULONG *NextEcpContextSize);
PVOID FltGetRoutineAddress(PCSTR FltMgrRoutineName);
NTSTATUS FltGetTransactionContext(PFLT_INSTANCE Instance, PKTRANSACTION Transaction, PFLT_CONTEXT *Context);
NTSTATUS FltGetSectionContext(PFLT_INSTANCE Instance, PFILE_OBJECT FileObject, PFLT_CONTEXT *Context);
NTSTATUS FltGetVolumeFromFileObject(PFLT_FILTER Filter, PFILE_OBJECT FileObject, PFLT_VOLUME *RetVolume);
NTSTATUS FltGetVolumeGuidName(PFLT_VOLUME Volume, PUNICODE_STRING VolumeGuidName, PULONG BufferSizeNeeded);
NTSTATUS FltGetVolumeProperties(PFLT_VOLUME Volume, PFLT_VOLUME_PROPERTIES VolumeProperties, ULONG VolumePropertiesLength, PULONG LengthReturned);
NTSTATUS FltInsertExtraCreateParameter(PFLT_FILTER Filter, PECP_LIST EcpList, PVOID EcpContext);
NTSTATUS FltIsDirectory(PFILE_OBJECT FileObject, PFLT_INSTANCE Instance, PBOOLEAN IsDirectory);
BOOLEAN FltIsEcpAcknowledged(PFLT_FILTER Filter, PVOID EcpContext);
BOOLEAN FltIsEcpFromUserMode(PFLT_FILTER Filter, PVOID EcpContext);
NTSTATUS FltPerformAsynchronousIo(PFLT_CALLBACK_DATA CallbackData, PFLT_COMPLETED_ASYNC_IO_CALLBACK CallbackRoutine, PVOID CallbackContext);
void FltPerformSynchronousIo(PFLT_CALLBACK_DATA CallbackData);
NTSTATUS FltQueryDirectoryFile(PFLT_INSTANCE Instance, PFILE_OBJECT FileObject, PVOID FileInformation, ULONG Length, FILE_INFORMATION_CLASS FileInformationClass, BOOLEAN ReturnSingleEntry, PUNICODE_STRING FileName, BOOLEAN RestartScan, PULONG LengthReturned);
NTSTATUS FltQueryInformationFile(PFLT_INSTANCE Instance, PFILE_OBJECT FileObject, PVOID FileInformation, ULONG Length, FILE_INFORMATION_CLASS FileInformationClass, PULONG LengthReturned);
NTSTATUS FltReadFile(PFLT_INSTANCE InitiatingInstance, PFILE_OBJECT FileObject, PLARGE_INTEGER ByteOffset, ULONG Length, PVOID Buffer, FLT_IO_OPERATION_FLAGS Flags, PULONG BytesRead, PFLT_COMPLETED_ASYNC_IO_CALLBACK CallbackRoutine, PVOID CallbackContext);
NTSTATUS FltRegisterForDataScan(PFLT_INSTANCE Instance);
NTSTATUS FltRequestOperationStatusCallback(PFLT_CALLBACK_DATA Data, PFLT_GET_OPERATION_STATUS_CALLBACK CallbackRoutine, PVOID RequesterContext);
void FltReuseCallbackData(PFLT_CALLBACK_DATA CallbackData);
NTSTATUS FltSetEcpListIntoCallbackData(PFLT_FILTER Filter, PFLT_CALLBACK_DATA CallbackData, PECP_LIST EcpList);
NTSTATUS FltSetInformationFile(PFLT_INSTANCE Instance, PFILE_OBJECT FileObject, PVOID FileInformation, ULONG Length, FILE_INFORMATION_CLASS FileInformationClass);
NTSTATUS FltSetTransactionContext(PFLT_INSTANCE Instance, PKTRANSACTION Transaction, FLT_SET_CONTEXT_OPERATION Operation, PFLT_CONTEXT NewContext, PFLT_CONTEXT *OldContext);
BOOLEAN FltSupportsStreamHandleContexts(PFILE_OBJECT FileObject);
NTSTATUS FltWriteFile(PFLT_INSTANCE InitiatingInstance, PFILE_OBJECT FileObject, PLARGE_INTEGER ByteOffset, ULONG Length, PVOID Buffer, FLT_IO_OPERATION_FLAGS Flags, PULONG BytesWritten, PFLT_COMPLETED_ASYNC_IO_CALLBACK CallbackRoutine, PVOID CallbackContext);
NTSTATUS FltQueryVolumeInformation(PFLT_INSTANCE Instance, PIO_STATUS_BLOCK Iosb, PVOID FsInformation, ULONG Length, FS_INFORMATION_CLASS FsInformationClass);
NTSTATUS FltGetVolumeInstanceFromName(PFLT_FILTER Filter, PFLT_VOLUME Volume, PCUNICODE_STRING InstanceName, PFLT_INSTANCE *RetInstance);
NTSTATUS FltGetVolumeFromName(PFLT_FILTER Filter, PCUNICODE_STRING VolumeName, PFLT_VOLUME *RetVolume);
NTSTATUS FltGetInstanceInformation(PFLT_INSTANCE Instance, ULONG InformationClass, PVOID Buffer, ULONG BufferSize, PULONG BytesReturned);
NTSTATUS FltAttachVolume(PFLT_FILTER Filter, PFLT_VOLUME Volume, PCUNICODE_STRING InstanceName, PFLT_INSTANCE *RetInstance);
NTSTATUS FltEnumerateVolumes(PFLT_FILTER Filter, PFLT_VOLUME *VolumeList, ULONG VolumeListSize, PULONG NumberVolumesReturned);
NTSTATUS FltCommitComplete(PFLT_INSTANCE Instance, PKTRANSACTION Transaction, PFLT_CONTEXT TransactionContext);
NTSTATUS FltRollbackComplete(PFLT_INSTANCE Instance, PKTRANSACTION Transaction, PFLT_CONTEXT TransactionContext);
#endif
`;
