/**
 * RtlNtStatusToDosError: the Win32 error code a user-mode program would see for an NTSTATUS, as
 * drivers compute it to hand a result to their program. The common statuses are mapped; a status
 * of the Win32 facility (0xC007xxxx, 0x8007xxxx) gives its code; anything else gives
 * ERROR_MR_MID_NOT_FOUND, as Windows does for a status it has no mapping for.
 */
import { STATUS } from './status';

/** What Windows answers for a status it cannot map. */
export const ERROR_MR_MID_NOT_FOUND = 317;

const FACILITY_WIN32 = 7;

const WIN32_ERROR: ReadonlyMap<number, number> = new Map([
  [STATUS.STATUS_SUCCESS, 0],
  [STATUS.STATUS_PENDING, 997], // ERROR_IO_PENDING
  [STATUS.STATUS_BUFFER_OVERFLOW, 234], // ERROR_MORE_DATA
  [STATUS.STATUS_NO_MORE_FILES, 18], // ERROR_NO_MORE_FILES
  [STATUS.STATUS_UNSUCCESSFUL, 31], // ERROR_GEN_FAILURE
  [STATUS.STATUS_NOT_IMPLEMENTED, 1], // ERROR_INVALID_FUNCTION
  [STATUS.STATUS_INFO_LENGTH_MISMATCH, 24], // ERROR_BAD_LENGTH
  [STATUS.STATUS_INVALID_HANDLE, 6], // ERROR_INVALID_HANDLE
  [STATUS.STATUS_INVALID_PARAMETER, 87], // ERROR_INVALID_PARAMETER
  [STATUS.STATUS_NO_SUCH_FILE, 2], // ERROR_FILE_NOT_FOUND
  [STATUS.STATUS_INVALID_DEVICE_REQUEST, 1], // ERROR_INVALID_FUNCTION
  [STATUS.STATUS_END_OF_FILE, 38], // ERROR_HANDLE_EOF
  [STATUS.STATUS_NO_MEMORY, 8], // ERROR_NOT_ENOUGH_MEMORY
  [STATUS.STATUS_ACCESS_DENIED, 5], // ERROR_ACCESS_DENIED
  [STATUS.STATUS_BUFFER_TOO_SMALL, 122], // ERROR_INSUFFICIENT_BUFFER
  [STATUS.STATUS_OBJECT_NAME_INVALID, 123], // ERROR_INVALID_NAME
  [STATUS.STATUS_OBJECT_NAME_NOT_FOUND, 2], // ERROR_FILE_NOT_FOUND
  [STATUS.STATUS_OBJECT_NAME_COLLISION, 183], // ERROR_ALREADY_EXISTS
  [STATUS.STATUS_OBJECT_PATH_NOT_FOUND, 3], // ERROR_PATH_NOT_FOUND
  [STATUS.STATUS_SHARING_VIOLATION, 32], // ERROR_SHARING_VIOLATION
  [STATUS.STATUS_DELETE_PENDING, 5], // ERROR_ACCESS_DENIED
  [STATUS.STATUS_INSUFFICIENT_RESOURCES, 1450], // ERROR_NO_SYSTEM_RESOURCES
  [STATUS.STATUS_MEDIA_WRITE_PROTECTED, 19], // ERROR_WRITE_PROTECT
  [STATUS.STATUS_NOT_SUPPORTED, 50], // ERROR_NOT_SUPPORTED
  [STATUS.STATUS_CANCELLED, 995], // ERROR_OPERATION_ABORTED
  [STATUS.STATUS_NOT_FOUND, 1168], // ERROR_NOT_FOUND
]);

/** The Win32 error code for `status`. */
export function win32ErrorOf(status: number): number {
  const s = status >>> 0;
  const known = WIN32_ERROR.get(s);
  if (known !== undefined) return known;
  const severity = s >>> 30;
  if ((severity === 3 || severity === 2) && ((s >>> 16) & 0xfff) === FACILITY_WIN32) return s & 0xffff;
  return ERROR_MR_MID_NOT_FOUND;
}

export class DosErrorRoutines {
  RtlNtStatusToDosError(Status: number): number {
    return win32ErrorOf(Status);
  }

  RtlNtStatusToDosErrorNoTeb(Status: number): number {
    return win32ErrorOf(Status);
  }
}
