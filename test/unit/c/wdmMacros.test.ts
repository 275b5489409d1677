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

test('the WDK headers\' include guards are defined once the header is included, with those of the headers it includes', async () => {
  const probe = `
#ifdef __FLTKERNEL__
#define HAS_FLT 1
#else
#define HAS_FLT 0
#endif
#ifdef _NTIFS_
#define HAS_IFS 1
#else
#define HAS_IFS 0
#endif
#if defined(_NTDDK_) && defined(_WDMDDK_)
#define HAS_DDK 1
#else
#define HAS_DDK 0
#endif
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNREFERENCED_PARAMETER(DriverObject); UNREFERENCED_PARAMETER(RegistryPath);
    DbgPrint("%d %d %d", HAS_FLT, HAS_IFS, HAS_DDK);
    return STATUS_SUCCESS;
}
`;
  const outputs: string[] = [];
  for (const header of ['fltKernel.h', 'ntifs.h', 'ntddk.h']) {
    const world = await runWorld('/t/s.fltsim', 'driver "d.c"\n', oneDriver('d.c', `#include <${header}>\n${probe}`));
    assert.equal(world.fault, undefined, world.fault?.message);
    outputs.push(...world.sim.output);
  }
  assert.deepEqual(outputs, ['1 1 1', '0 1 1', '0 0 1']);
});
