/**
 * MmIsAddressValid (engine/kernel/addressValidity.ts) on a driver written for this test: live
 * memory and engine objects are valid; NULL, the NULL page, an integer no allocation holds and
 * freed pool are not.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oneDriver, runWorld } from '../worldRun';

const DRIVER = String.raw`
#include <fltKernel.h>
PFLT_FILTER Filter;
ULONG Global;
NTSTATUS Unload(FLT_FILTER_UNLOAD_FLAGS Flags) { UNREFERENCED_PARAMETER(Flags); FltUnregisterFilter(Filter); return STATUS_SUCCESS; }
const FLT_REGISTRATION Reg = { sizeof(FLT_REGISTRATION), FLT_REGISTRATION_VERSION, 0, NULL, NULL, Unload };
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    NTSTATUS status;
    PUCHAR block = (PUCHAR)ExAllocatePoolWithTag(NonPagedPoolNx, 16, 'tseT');
    UNREFERENCED_PARAMETER(RegistryPath);
    if (block == NULL) return STATUS_INSUFFICIENT_RESOURCES;
    DbgPrint("pool %d end %d past %d global %d driver %d\n", MmIsAddressValid(block), MmIsAddressValid(block + 15), MmIsAddressValid(block + 16), MmIsAddressValid(&Global), MmIsAddressValid(DriverObject));
    ExFreePoolWithTag(block, 'tseT');
    DbgPrint("freed %d null %d page %d integer %d\n", MmIsAddressValid(block), MmIsAddressValid(NULL), MmIsAddressValid((PVOID)0x10), MmIsAddressValid((PVOID)(ULONG_PTR)0xFFFFF80012345678ULL));
    status = FltRegisterFilter(DriverObject, &Reg, &Filter);
    if (NT_SUCCESS(status)) status = FltStartFiltering(Filter);
    return status;
}
`;

test('MmIsAddressValid: TRUE inside live memory and for engine objects; FALSE for NULL, the NULL page, unheld integers and freed pool', async () => {
  const w = await runWorld('/t/s.fltsim', 'driver "v.c"\nunload at 2', oneDriver('v.c', DRIVER));
  assert.equal(w.fault, undefined, w.fault?.message);
  assert.deepEqual(w.sim.kernel.output, ['pool 1 end 1 past 0 global 1 driver 1', 'freed 0 null 0 page 0 integer 0']);
});
