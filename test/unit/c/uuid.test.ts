// wdm.h names a GUID used as a unique id UUID (WFP callout and layer keys are declared with it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oneDriver, runWorld } from '../worldRun';

test('UUID is a GUID for a driver that includes <fltKernel.h>, and a header that guards its own copy keeps it', async () => {
  const src = `#include <fltKernel.h>
#ifndef UUID_DEFINED
typedef struct { int x; } UUID;
#endif
UUID Key = { 0x5f61fd37, 0xd074, 0x49b4, { 0x8e, 0x28, 0x6b, 0xc8, 0xb5, 0x97, 0x5e, 0x8d } };
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    GUID *g = &Key;
    DbgPrint("%d %x %x", (int)sizeof(UUID), g->Data2, g->Data4[7]);
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    return STATUS_SUCCESS;
}
`;
  const world = await runWorld('/t/s.fltsim', 'driver "d.c"\n', oneDriver('d.c', src));
  assert.equal(world.fault, undefined, world.fault?.message);
  assert.deepEqual(world.sim.output, ['16 d074 8d']);
});
