// wdm.h macros real drivers use: RTL_CONSTANT_OBJECT_ATTRIBUTES, the brace initializer of an
// OBJECT_ATTRIBUTES, in C and in C++ (KDelProtect of Windows Kernel Programming opens its registry
// key with one), and the optional POOL_FLAG_ values (the book's ktl names them in an enum).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oneDriver, runWorld } from '../worldRun';

const driver = `#include <ntddk.h>
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    OBJECT_ATTRIBUTES a = RTL_CONSTANT_OBJECT_ATTRIBUTES(RegistryPath, OBJ_KERNEL_HANDLE | OBJ_CASE_INSENSITIVE);
    OBJECT_ATTRIBUTES b = RTL_INIT_OBJECT_ATTRIBUTES((PUNICODE_STRING)NULL, 0);
    DbgPrint("%d %x %d %d %d", (int)a.Length, a.Attributes, a.ObjectName == RegistryPath, a.RootDirectory == NULL, b.ObjectName == NULL);
    UNREFERENCED_PARAMETER(DriverObject);
    return STATUS_SUCCESS;
}
`;

for (const file of ['d.c', 'd.cpp']) {
  test(`RTL_CONSTANT_OBJECT_ATTRIBUTES and RTL_INIT_OBJECT_ATTRIBUTES fill in the length, the name and the attributes (${file})`, async () => {
    const source = file.endsWith('.cpp') ? driver.replace('NTSTATUS DriverEntry', 'extern "C" NTSTATUS DriverEntry') : driver;
    const world = await runWorld('/t/s.fltsim', `driver "${file}"\n`, oneDriver(file, source));
    assert.equal(world.fault, undefined, world.fault?.message);
    assert.deepEqual(world.sim.output, ['48 240 1 1 1']);
  });
}

test('the optional POOL_FLAG_ values (POOL_FLAG_SPECIAL_POOL) are wdm.h\'s: an enum over them (ktl\'s PoolType) is a constant', async () => {
  const source = `#include <ntddk.h>
enum class PoolType : ULONG64 { Paged = POOL_FLAG_PAGED, Special = POOL_FLAG_SPECIAL_POOL, End = POOL_FLAG_OPTIONAL_END };
extern "C" NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(DriverObject); UNREFERENCED_PARAMETER(RegistryPath);
    DbgPrint("%llx %llx %llx %llx", (ULONG64)PoolType::Special, (ULONG64)PoolType::End, POOL_FLAG_OPTIONAL_START, POOL_FLAG_REQUIRED_END);
    return STATUS_SUCCESS;
}
`;
  const world = await runWorld('/t/s.fltsim', 'driver "d.cpp"\n', oneDriver('d.cpp', source));
  assert.equal(world.fault, undefined, world.fault?.message);
  assert.deepEqual(world.sim.output, ['100000000 8000000000000000 100000000 80000000']);
});
