/** MmGetSystemRoutineAddress (engine/run/bindings.ts) for a routine fltsim models and one it does not. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oneDriver, runWorld } from '../worldRun';

const DRIVER = `#include <fltKernel.h>
NTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r) {
    UNICODE_STRING base = RTL_CONSTANT_STRING(L"PsGetProcessSectionBaseAddress");
    UNICODE_STRING id = RTL_CONSTANT_STRING(L"PsGetCurrentProcessId");
    UNICODE_STRING mine = RTL_CONSTANT_STRING(L"MyOwnHelper");
    UNREFERENCED_PARAMETER(d); UNREFERENCED_PARAMETER(r);
    DbgPrint("base %d id %d mine %d\\n", MmGetSystemRoutineAddress(&base) == NULL, MmGetSystemRoutineAddress(&id) == NULL, MmGetSystemRoutineAddress(&mine) == NULL);
    return STATUS_SUCCESS;
}
`;

test('MmGetSystemRoutineAddress of a kernel export fltsim does not model answers NULL and the timeline says why', async () => {
  const w = await runWorld('/t/s.fltsim', 'driver "m.c"', oneDriver('m.c', DRIVER));
  assert.equal(w.fault, undefined, w.fault?.message);
  assert.deepEqual(w.sim.kernel.output, ['base 1 id 0 mine 1']);
  const notes = w.sim.kernel.log.all().filter((e) => e.detail.startsWith('MmGetSystemRoutineAddress(')).map((e) => e.detail);
  // Only the kernel-looking name is explained; a name of no kernel family is simply not there.
  assert.equal(notes.length, 1);
  assert.match(notes[0]!, /"PsGetProcessSectionBaseAddress"\) answers NULL: fltsim does not model PsGetProcessSectionBaseAddress/);
});
