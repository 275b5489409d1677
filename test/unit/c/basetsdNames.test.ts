// Names real drivers use that the built-in headers lacked: basetsd.h's pointer/integer conversions
// (geunyeong's PtrToUint), DPFLTR_DEFAULT_ID (dedup), and the AVL table routine types declared as
// functions (accessch's `RTL_AVL_COMPARE_ROUTINE Compare;` prototypes), not only as pointers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oneDriver, runWorld } from '../worldRun';

test('PtrToUint and friends convert, DPFLTR_DEFAULT_ID is 101, and a routine is declared with RTL_AVL_COMPARE_ROUTINE', async () => {
  const src = `#include <ntddk.h>
RTL_AVL_COMPARE_ROUTINE CompareItems;
RTL_AVL_ALLOCATE_ROUTINE AllocateItem;
RTL_AVL_FREE_ROUTINE FreeItem;
RTL_GENERIC_COMPARE_RESULTS CompareItems(PRTL_AVL_TABLE Table, PVOID First, PVOID Second)
{
    UNREFERENCED_PARAMETER(Table);
    return *(PULONG)First < *(PULONG)Second ? GenericLessThan : *(PULONG)First > *(PULONG)Second ? GenericGreaterThan : GenericEqual;
}
PVOID AllocateItem(PRTL_AVL_TABLE Table, CLONG Size) { UNREFERENCED_PARAMETER(Table); UNREFERENCED_PARAMETER(Size); return NULL; }
VOID FreeItem(PRTL_AVL_TABLE Table, PVOID Buffer) { UNREFERENCED_PARAMETER(Table); UNREFERENCED_PARAMETER(Buffer); }
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    PRTL_AVL_COMPARE_ROUTINE compare = CompareItems;
    ULONG a = 3, b = 5;
    PVOID p = UIntToPtr(0x1234u);
    DbgPrintEx(DPFLTR_DEFAULT_ID, DPFLTR_ERROR_LEVEL, "%d %x %d %d %p", DPFLTR_DEFAULT_ID, PtrToUint(p), PtrToInt(IntToPtr(-2)), (int)compare(NULL, &a, &b), LongToPtr(16));
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    return STATUS_SUCCESS;
}
`;
  const world = await runWorld('/t/s.fltsim', 'driver "d.c"\n', oneDriver('d.c', src));
  assert.equal(world.fault, undefined, world.fault?.message);
  assert.equal(world.sim.output.length, 1);
  assert.match(world.sim.output[0]!, /^101 1234 -2 0 0*10$/);
});

test('DOUBLE, PCSZ, PHYSICAL_ADDRESS and EX_SPIN_LOCK are the WDK types', async () => {
  const src = `#include <ntddk.h>
EX_SPIN_LOCK Lock = 0;
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    DOUBLE ratio = 3.0 / 4.0;
    PCSZ name = "abc";
    PHYSICAL_ADDRESS pa;
    pa.QuadPart = 0x1000;
    DbgPrint("%d %d %d %d %d", (int)(ratio * 100), (int)strlen(name), (int)sizeof(PHYSICAL_ADDRESS), (int)pa.LowPart, (int)sizeof(Lock));
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    return STATUS_SUCCESS;
}
`;
  const world = await runWorld('/t/s.fltsim', 'driver "d.c"\n', oneDriver('d.c', src));
  assert.equal(world.fault, undefined, world.fault?.message);
  assert.deepEqual(world.sim.output, ['75 3 8 4096 4']);
});
