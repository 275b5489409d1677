/** How kernel objects are named in messages (engine/kernel/objects.ts addressName): as the driver wrote them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oneDriver, runWorld } from '../worldRun';

const LISTS = `#include <fltKernel.h>
NPAGED_LOOKASIDE_LIST Files;
struct { ULONG Count; NPAGED_LOOKASIDE_LIST Folders; } Globals;
NTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r) {
    PVOID e;
    UNREFERENCED_PARAMETER(d); UNREFERENCED_PARAMETER(r);
    ExInitializeNPagedLookasideList(&Files, NULL, NULL, 0, 64, 'eliF', 0);
    ExInitializeNPagedLookasideList(&Globals.Folders, NULL, NULL, 0, 64, 'rdlF', 0);
    e = ExAllocateFromNPagedLookasideList(&Files);
    ExFreeToNPagedLookasideList(&Globals.Folders, e);
    ExDeleteNPagedLookasideList(&Files);
    ExDeleteNPagedLookasideList(&Globals.Folders);
    return STATUS_UNSUCCESSFUL;
}
`;

test('a lookaside list is named as the driver wrote it (&Files, &Globals.Folders), not by the first member inside the list', async () => {
  const w = await runWorld('/t/s.fltsim', 'driver "l.c"', oneDriver('l.c', LISTS));
  const bad = w.sim.violations.filter((v) => v.rule === 'pool-bad-free').map((v) => v.message);
  assert.equal(bad.length, 1, JSON.stringify(w.sim.violations));
  assert.match(bad[0]!, /returns block \d+ to &Globals\.Folders, but it came from &Files$/);
});
