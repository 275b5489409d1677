// FltCancellableWaitForSingleObject (issue 12, item 7): a wait that the operation's cancellation ends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STATUS } from '../../../engine';
import { oneDriver, runWorld } from '../worldRun';

const C = `#include <fltKernel.h>
PFLT_FILTER Filter;
KEVENT Never;
FLT_PREOP_CALLBACK_STATUS PreRead(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *Ctx) {
    LARGE_INTEGER timeout;
    NTSTATUS status;
    UNREFERENCED_PARAMETER(FltObjects);
    UNREFERENCED_PARAMETER(Ctx);
    timeout.QuadPart = -50 * 10000;
    status = FltCancellableWaitForSingleObject(&Never, Data->Iopb->Parameters.Read.Length == 100 ? NULL : &timeout, Data);
    DbgPrint("wait %lu: %08x\\n", Data->Iopb->Parameters.Read.Length, status);
    if (status == STATUS_CANCELLED) {
        Data->IoStatus.Status = STATUS_CANCELLED;
        Data->IoStatus.Information = 0;
        return FLT_PREOP_COMPLETE;
    }
    return FLT_PREOP_SUCCESS_NO_CALLBACK;
}
CONST FLT_OPERATION_REGISTRATION Callbacks[] = { { IRP_MJ_READ, 0, PreRead, NULL }, { IRP_MJ_OPERATION_END } };
CONST FLT_REGISTRATION Reg = { sizeof(FLT_REGISTRATION), FLT_REGISTRATION_VERSION, 0, NULL, Callbacks, NULL };
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath) {
    NTSTATUS status;
    UNREFERENCED_PARAMETER(RegistryPath);
    KeInitializeEvent(&Never, NotificationEvent, FALSE);
    status = FltRegisterFilter(DriverObject, &Reg, &Filter);
    if (NT_SUCCESS(status)) status = FltStartFiltering(Filter);
    return status;
}
`;

test('the wait ends with STATUS_CANCELLED when the operation is cancelled, and with STATUS_TIMEOUT otherwise', async () => {
  const files = oneDriver('w.c', C);
  const world = await runWorld('/t/w.fltsim', 'driver "w.c"\nio #1 read "\\\\Device\\\\HarddiskVolume1\\\\a.txt" length 100 at 1\nio #2 read "\\\\Device\\\\HarddiskVolume1\\\\b.txt" length 200 at 1\ncancel #1 at 10\n', files);
  assert.equal(world.fault, undefined, world.fault?.message);
  assert.deepEqual(world.sim.output, ['wait 100: c0000120', 'wait 200: 00000102']);
  assert.equal(world.sim.result(1)?.status, STATUS.STATUS_CANCELLED);
  assert.equal(world.sim.result(2)?.status, STATUS.STATUS_SUCCESS);
  assert.deepEqual(world.sim.violations, []);
});
