/**
 * Prelude: FltDecodeParameters, written in C over the callback data's own parameter block — the
 * pointers it returns are the addresses of the FLT_PARAMETERS members, so what the caller writes
 * through them is what the operation carries on. Per major function: which member holds the
 * buffer, its MDL and its length, and whether a filter may change the buffer's contents (the data
 * the operation returns: IoWriteAccess) or only look at it (the data it sends: IoReadAccess). An
 * IOCTL or FSCTL with two buffers answers with its output buffer; an operation without a buffer
 * (create, close, cleanup, the FsFilter callbacks…) is STATUS_INVALID_PARAMETER.
 */
export const FLTDECODE_H = String.raw`
#ifndef _FLTSIM_FLTDECODE_
#define _FLTSIM_FLTDECODE_
NTSTATUS FltDecodeParameters(PFLT_CALLBACK_DATA CallbackData, PMDL **MdlAddressPointer, PVOID **Buffer, PULONG *Length, LOCK_OPERATION *DesiredAccess) {
    PFLT_PARAMETERS p = &CallbackData->Iopb->Parameters;
    PMDL *mdl = NULL;
    PVOID *buffer = NULL;
    PULONG length = NULL;
    LOCK_OPERATION access = IoReadAccess;
    ULONG method;
    switch (CallbackData->Iopb->MajorFunction) {
    case IRP_MJ_READ: mdl = &p->Read.MdlAddress; buffer = &p->Read.ReadBuffer; length = &p->Read.Length; access = IoWriteAccess; break;
    case IRP_MJ_WRITE: mdl = &p->Write.MdlAddress; buffer = &p->Write.WriteBuffer; length = &p->Write.Length; break;
    case IRP_MJ_QUERY_INFORMATION: buffer = &p->QueryFileInformation.InfoBuffer; length = &p->QueryFileInformation.Length; access = IoWriteAccess; break;
    case IRP_MJ_SET_INFORMATION: buffer = &p->SetFileInformation.InfoBuffer; length = &p->SetFileInformation.Length; break;
    case IRP_MJ_QUERY_EA: mdl = &p->QueryEa.MdlAddress; buffer = &p->QueryEa.EaBuffer; length = &p->QueryEa.Length; access = IoWriteAccess; break;
    case IRP_MJ_SET_EA: mdl = &p->SetEa.MdlAddress; buffer = &p->SetEa.EaBuffer; length = &p->SetEa.Length; break;
    case IRP_MJ_QUERY_VOLUME_INFORMATION: buffer = &p->QueryVolumeInformation.VolumeBuffer; length = &p->QueryVolumeInformation.Length; access = IoWriteAccess; break;
    case IRP_MJ_SET_VOLUME_INFORMATION: buffer = &p->SetVolumeInformation.VolumeBuffer; length = &p->SetVolumeInformation.Length; break;
    case IRP_MJ_DIRECTORY_CONTROL:
        if (CallbackData->Iopb->MinorFunction == IRP_MN_QUERY_DIRECTORY) {
            mdl = &p->DirectoryControl.QueryDirectory.MdlAddress; buffer = &p->DirectoryControl.QueryDirectory.DirectoryBuffer; length = &p->DirectoryControl.QueryDirectory.Length;
        } else if (CallbackData->Iopb->MinorFunction == IRP_MN_NOTIFY_CHANGE_DIRECTORY) {
            mdl = &p->DirectoryControl.NotifyDirectory.MdlAddress; buffer = &p->DirectoryControl.NotifyDirectory.DirectoryBuffer; length = &p->DirectoryControl.NotifyDirectory.Length;
        } else {
            return STATUS_INVALID_PARAMETER;
        }
        access = IoWriteAccess;
        break;
    case IRP_MJ_QUERY_SECURITY: mdl = &p->QuerySecurity.MdlAddress; buffer = &p->QuerySecurity.SecurityBuffer; length = &p->QuerySecurity.Length; access = IoWriteAccess; break;
    case IRP_MJ_QUERY_QUOTA: mdl = &p->QueryQuota.MdlAddress; buffer = &p->QueryQuota.QuotaBuffer; length = &p->QueryQuota.Length; access = IoWriteAccess; break;
    case IRP_MJ_SET_QUOTA: mdl = &p->SetQuota.MdlAddress; buffer = &p->SetQuota.QuotaBuffer; length = &p->SetQuota.Length; break;
    case IRP_MJ_DEVICE_CONTROL:
    case IRP_MJ_INTERNAL_DEVICE_CONTROL:
        if (FLT_IS_FASTIO_OPERATION(CallbackData)) {
            buffer = &p->DeviceIoControl.FastIo.OutputBuffer; length = &p->DeviceIoControl.FastIo.OutputBufferLength; access = IoWriteAccess;
            break;
        }
        method = p->DeviceIoControl.Common.IoControlCode & 3;
        length = &p->DeviceIoControl.Common.OutputBufferLength;
        if (method == METHOD_BUFFERED) { buffer = &p->DeviceIoControl.Buffered.SystemBuffer; access = IoWriteAccess; }
        else if (method == METHOD_NEITHER) { mdl = &p->DeviceIoControl.Neither.OutputMdlAddress; buffer = &p->DeviceIoControl.Neither.OutputBuffer; access = IoWriteAccess; }
        else { mdl = &p->DeviceIoControl.Direct.OutputMdlAddress; buffer = &p->DeviceIoControl.Direct.OutputBuffer; access = method == METHOD_IN_DIRECT ? IoReadAccess : IoWriteAccess; }
        break;
    case IRP_MJ_FILE_SYSTEM_CONTROL:
        method = p->FileSystemControl.Common.FsControlCode & 3;
        length = &p->FileSystemControl.Common.OutputBufferLength;
        if (method == METHOD_BUFFERED) { buffer = &p->FileSystemControl.Buffered.SystemBuffer; access = IoWriteAccess; }
        else if (method == METHOD_NEITHER) { mdl = &p->FileSystemControl.Neither.OutputMdlAddress; buffer = &p->FileSystemControl.Neither.OutputBuffer; access = IoWriteAccess; }
        else { mdl = &p->FileSystemControl.Direct.OutputMdlAddress; buffer = &p->FileSystemControl.Direct.OutputBuffer; access = method == METHOD_IN_DIRECT ? IoReadAccess : IoWriteAccess; }
        break;
    default:
        return STATUS_INVALID_PARAMETER;
    }
    if (MdlAddressPointer != NULL) *MdlAddressPointer = mdl;
    *Buffer = buffer;
    *Length = length;
    if (DesiredAccess != NULL) *DesiredAccess = access;
    return STATUS_SUCCESS;
}
#endif
`;
