/**
 * Where the buffers of a request live, as the I/O manager and the Filter Manager place them on
 * x64 Windows. A request from user mode that nothing buffers hands the file system the caller's own
 * buffer, at a user-space address: reads and writes (file systems do neither buffered nor direct
 * I/O on their volume devices), directory queries and change notifications, and METHOD_NEITHER
 * control codes (the output of METHOD_IN_DIRECT / METHOD_OUT_DIRECT too). The information classes
 * (query/set information, volume information) and METHOD_BUFFERED control codes get a system
 * buffer in pool: Irp->AssociatedIrp.SystemBuffer, flagged IRP_BUFFERED_IO and, in the callback
 * data, FLTFL_CALLBACK_DATA_SYSTEM_BUFFER. Kernel-mode and paging requests carry kernel buffers.
 */
import { IRP_MJ } from './constants';
import { ioctlMethod, isBufferedMethod, METHOD_NEITHER } from '../kernel/transferMethod';

/** Where one buffer of a request is: in the user program's address space or in the kernel's. */
export type BufferSpace = 'user' | 'kernel';

/** What the placement depends on. */
export interface BufferRequest {
  major: number;
  code: number;
  kernelMode?: boolean;
  systemBuffer?: boolean;
  paging?: boolean;
}

/** Whether the I/O manager gives this operation a system buffer, whoever issues it. */
export function alwaysSystemBuffered(r: BufferRequest): boolean {
  switch (r.major) {
    case IRP_MJ.QUERY_INFORMATION:
    case IRP_MJ.SET_INFORMATION:
    case IRP_MJ.QUERY_VOLUME_INFORMATION:
    case IRP_MJ.SET_VOLUME_INFORMATION:
    case IRP_MJ.QUERY_EA:
    case IRP_MJ.SET_EA:
    case IRP_MJ.QUERY_SECURITY:
    case IRP_MJ.SET_SECURITY:
      return true;
    case IRP_MJ.FILE_SYSTEM_CONTROL:
    case IRP_MJ.DEVICE_CONTROL:
    case IRP_MJ.INTERNAL_DEVICE_CONTROL:
      return isBufferedMethod(r.code);
    default:
      return false;
  }
}

/**
 * The space of a request's buffer; `output` picks the output buffer of a control code (its input
 * is in a system buffer for the direct methods).
 */
export function bufferSpace(r: BufferRequest, output = true): BufferSpace {
  // Only an explicit user-mode request has user buffers: filter-issued and engine-made ones are kernel.
  if (r.kernelMode !== false || r.systemBuffer === true || r.paging === true || alwaysSystemBuffered(r)) return 'kernel';
  if (r.major === IRP_MJ.FILE_SYSTEM_CONTROL || r.major === IRP_MJ.DEVICE_CONTROL || r.major === IRP_MJ.INTERNAL_DEVICE_CONTROL) {
    return ioctlMethod(r.code) === METHOD_NEITHER || output ? 'user' : 'kernel';
  }
  return 'user';
}
