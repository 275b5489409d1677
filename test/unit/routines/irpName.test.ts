/** FltGetIrpName (engine/fltmgr/irpNames.ts) on a driver written inline for this test. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oneDriver, runWorld } from '../worldRun';

const DRIVER = `#include <fltKernel.h>
NTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r) {
    UNREFERENCED_PARAMETER(d); UNREFERENCED_PARAMETER(r);
    DbgPrint("%s|%s|%s|%s|same %d\\n", FltGetIrpName(IRP_MJ_CREATE), FltGetIrpName(IRP_MJ_SET_INFORMATION),
             FltGetIrpName(IRP_MJ_ACQUIRE_FOR_SECTION_SYNCHRONIZATION), FltGetIrpName(0x42), FltGetIrpName(IRP_MJ_READ) == FltGetIrpName(IRP_MJ_READ));
    return STATUS_SUCCESS;
}
`;

test('FltGetIrpName names each major code, the Filter Manager\'s own included, and says when a code is none', async () => {
  const w = await runWorld('/t/s.fltsim', 'driver "names.c"', oneDriver('names.c', DRIVER));
  assert.equal(w.fault, undefined, w.fault?.message);
  assert.deepEqual(w.sim.kernel.output, ['IRP_MJ_CREATE|IRP_MJ_SET_INFORMATION|IRP_MJ_ACQUIRE_FOR_SECTION_SYNCHRONIZATION|<Invalid IRP code>|same 1']);
});
