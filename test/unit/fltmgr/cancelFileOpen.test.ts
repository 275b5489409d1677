// FltCancelFileOpen (issue 12, item 7): a post-create undoes a successful open and fails the create;
// from the pre-create it is a violation at its line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STATUS } from '../../../engine';
import { oneDriver, runWorld } from '../worldRun';

const C = `#include <fltKernel.h>
PFLT_FILTER Filter;
FLT_PREOP_CALLBACK_STATUS PreCreate(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *Ctx) {
    UNREFERENCED_PARAMETER(Ctx);
    if (wcsstr(Data->Iopb->TargetFileObject->FileName.Buffer, L"early") != NULL) FltCancelFileOpen(FltObjects->Instance, FltObjects->FileObject);
    return FLT_PREOP_SUCCESS_WITH_CALLBACK;
}
FLT_POSTOP_CALLBACK_STATUS PostCreate(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID Ctx, FLT_POST_OPERATION_FLAGS Flags) {
    UNREFERENCED_PARAMETER(Ctx);
    UNREFERENCED_PARAMETER(Flags);
    if (NT_SUCCESS(Data->IoStatus.Status) && wcsstr(Data->Iopb->TargetFileObject->FileName.Buffer, L"blocked") != NULL) {
        FltCancelFileOpen(FltObjects->Instance, FltObjects->FileObject);
        Data->IoStatus.Status = STATUS_ACCESS_DENIED;
        Data->IoStatus.Information = 0;
        DbgPrint("cancelled flags=%lx\\n", FltObjects->FileObject->Flags & FO_FILE_OPEN_CANCELLED);
    }
    return FLT_POSTOP_FINISHED_PROCESSING;
}
CONST FLT_OPERATION_REGISTRATION Callbacks[] = { { IRP_MJ_CREATE, 0, PreCreate, PostCreate }, { IRP_MJ_OPERATION_END } };
CONST FLT_REGISTRATION Reg = { sizeof(FLT_REGISTRATION), FLT_REGISTRATION_VERSION, 0, NULL, Callbacks, NULL };
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath) {
    NTSTATUS status;
    UNREFERENCED_PARAMETER(RegistryPath);
    status = FltRegisterFilter(DriverObject, &Reg, &Filter);
    if (NT_SUCCESS(status)) status = FltStartFiltering(Filter);
    return status;
}
`;

test('FltCancelFileOpen in the post-create undoes the open; in the pre-create it is invalid-parameter at its line', async () => {
  const files = oneDriver('c.c', C);
  const world = await runWorld('/t/c.fltsim', 'driver "c.c"\nio #1 create "\\\\Device\\\\HarddiskVolume1\\\\blocked.txt" at 1\nio #2 create "\\\\Device\\\\HarddiskVolume1\\\\fine.txt" at 2\nio #3 create "\\\\Device\\\\HarddiskVolume1\\\\early.txt" at 3\n', files);
  assert.equal(world.fault, undefined, world.fault?.message);
  assert.equal(world.sim.result(1)?.status, STATUS.STATUS_ACCESS_DENIED);
  assert.equal(world.sim.result(2)?.status, STATUS.STATUS_SUCCESS);
  assert.deepEqual(world.sim.output, ['cancelled flags=200000']);
  assert.deepEqual(world.sim.violations.map((v) => [v.rule, v.location?.line]), [['invalid-parameter', 5]]);
});
