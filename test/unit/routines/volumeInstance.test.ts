/**
 * FltGetVolumeInstanceFromName (engine/fltmgr/enumerate.ts) from a pre-create callback of a driver
 * written for this test: by no name, by the instance's name (any case), by a wrong name; each
 * instance found is referenced, and the driver's FltObjectDereference finds a reference to drop.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oneDriver, runWorld } from '../worldRun';

const DRIVER = String.raw`
#include <fltKernel.h>
PFLT_FILTER Filter;
static VOID Lookup(PCFLT_RELATED_OBJECTS Objects, PCUNICODE_STRING Name, PCSTR What)
{
    PFLT_INSTANCE found = NULL;
    NTSTATUS status = FltGetVolumeInstanceFromName(Filter, Objects->Volume, Name, &found);
    DbgPrint("%s 0x%08X same %d\n", What, status, found == Objects->Instance);
    if (found != NULL) FltObjectDereference(found);
}
FLT_PREOP_CALLBACK_STATUS PreCreate(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS Objects, PVOID *Context)
{
    UNICODE_STRING mine = RTL_CONSTANT_STRING(L"v instance");
    UNICODE_STRING other = RTL_CONSTANT_STRING(L"Other Instance");
    UNREFERENCED_PARAMETER(Data);
    UNREFERENCED_PARAMETER(Context);
    Lookup(Objects, NULL, "first");
    Lookup(Objects, &mine, "named");
    Lookup(Objects, &other, "wrong");
    return FLT_PREOP_SUCCESS_NO_CALLBACK;
}
NTSTATUS Unload(FLT_FILTER_UNLOAD_FLAGS Flags) { UNREFERENCED_PARAMETER(Flags); FltUnregisterFilter(Filter); return STATUS_SUCCESS; }
CONST FLT_OPERATION_REGISTRATION Callbacks[] = { { IRP_MJ_CREATE, 0, PreCreate, NULL }, { IRP_MJ_OPERATION_END } };
const FLT_REGISTRATION Reg = { sizeof(FLT_REGISTRATION), FLT_REGISTRATION_VERSION, 0, NULL, Callbacks, Unload };
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    NTSTATUS status;
    UNREFERENCED_PARAMETER(RegistryPath);
    status = FltRegisterFilter(DriverObject, &Reg, &Filter);
    if (NT_SUCCESS(status)) status = FltStartFiltering(Filter);
    return status;
}
`;
const scenario = () => ['driver "v.c"', 'file "\\Device\\HarddiskVolume1\\a.txt" content "x"', 'io #1 create "\\Device\\HarddiskVolume1\\a.txt" at 1', 'unload at 3'].join('\n');

test('FltGetVolumeInstanceFromName finds the filter\'s instance on the volume with no name and by its name in any case; a wrong name is STATUS_FLT_INSTANCE_NOT_FOUND', async () => {
  const w = await runWorld('/t/s.fltsim', scenario(), oneDriver('v.c', DRIVER));
  assert.equal(w.fault, undefined, w.fault?.message);
  assert.deepEqual(w.sim.kernel.output, ['first 0x00000000 same 1', 'named 0x00000000 same 1', 'wrong 0xC01C0015 same 0']);
  assert.deepEqual(w.sim.violations.map((v) => v.rule), []);
});
