/**
 * Idioms of headers a driver shares with its program: structs whose unions and inner structs end
 * with DUMMYUNIONNAME / DUMMYSTRUCTNAME (anonymous in a kernel build, so members are reached
 * directly), FILTER_MESSAGE_HEADER from fltUserStructures.h, and RtlNtStatusToDosError to hand
 * the program a Win32 error code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oneDriver, runWorld } from '../worldRun';

const DRIVER = String.raw`
#include <fltKernel.h>

typedef union _CODE {
    LONG Value;
    struct { USHORT Minor; USHORT Major; } DUMMYSTRUCTNAME;
} CODE;

typedef struct _COMMAND {
    ULONG Type;
    union {
        BOOLEAN Flag;
        struct { USHORT Count; ULONG Size; UCHAR Data[1]; } DUMMYSTRUCTNAME;
        struct { USHORT NameSize; WCHAR Name[1]; } DUMMYSTRUCTNAME2;
    } DUMMYUNIONNAME;
} COMMAND;

typedef struct _RECORD_MESSAGE {
    FILTER_MESSAGE_HEADER Header;
    ULONG Body;
} RECORD_MESSAGE;

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    CODE code;
    COMMAND cmd;
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    code.Value = 0x00020001;
    RtlZeroMemory(&cmd, sizeof(cmd));
    cmd.Count = 3;
    cmd.Size = 40;
    DbgPrint("code major=%u minor=%u", code.Major, code.Minor);
    DbgPrint("cmd count=%u size=%lu namesize=%u at=%u", cmd.Count, cmd.Size, cmd.NameSize, (ULONG)FIELD_OFFSET(COMMAND, Size));
    DbgPrint("message header=%u body at %u", (ULONG)sizeof(FILTER_MESSAGE_HEADER), (ULONG)FIELD_OFFSET(RECORD_MESSAGE, Body));
    DbgPrint("dos %lu %lu %lu %lu %lu", RtlNtStatusToDosError(STATUS_SUCCESS), RtlNtStatusToDosError(STATUS_ACCESS_DENIED),
             RtlNtStatusToDosError(STATUS_OBJECT_NAME_NOT_FOUND), RtlNtStatusToDosError((NTSTATUS)0xC0070020), RtlNtStatusToDosError((NTSTATUS)0xC0ABCDEF));
    return STATUS_UNSUCCESSFUL;
}
`;

test('DUMMYSTRUCTNAME members, FILTER_MESSAGE_HEADER and RtlNtStatusToDosError work as in a kernel build', async () => {
  const w = await runWorld('/t/s.fltsim', 'driver "h.c"\n', oneDriver('h.c', DRIVER));
  assert.equal(w.fault, undefined, w.fault?.message);
  assert.deepEqual(w.sim.kernel.output, [
    'code major=2 minor=1',
    'cmd count=3 size=40 namesize=3 at=8',
    'message header=16 body at 16',
    // ERROR_ACCESS_DENIED, ERROR_FILE_NOT_FOUND, a Win32-facility status's own code, ERROR_MR_MID_NOT_FOUND.
    'dos 0 5 2 32 317',
  ]);
});
