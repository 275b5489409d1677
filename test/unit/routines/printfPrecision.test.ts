/**
 * A precision on %s / %ws bounds what printf reads: the characters need not be terminated, and
 * nothing past the precision is read (engine/interp/format.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runWorld, oneDriver } from '../worldRun';

const source = `#include <fltKernel.h>
NTSTATUS DriverEntry(PDRIVER_OBJECT D, PUNICODE_STRING P) {
  UNREFERENCED_PARAMETER(D); UNREFERENCED_PARAMETER(P);
  PWCHAR wide = (PWCHAR)ExAllocatePool2(POOL_FLAG_NON_PAGED, 4 * sizeof(WCHAR), 'tseT');
  PCHAR narrow = (PCHAR)ExAllocatePool2(POOL_FLAG_NON_PAGED, 3, 'tseT');
  PCHAR partly = (PCHAR)ExAllocatePoolWithTag(NonPagedPoolNx, 8, 'tseT');
  if (!wide || !narrow || !partly) return STATUS_INSUFFICIENT_RESOURCES;
  wide[0] = L'a'; wide[1] = L'b'; wide[2] = L'c'; wide[3] = L'd';
  narrow[0] = 'x'; narrow[1] = 'y'; narrow[2] = 'z';
  partly[0] = 'p'; partly[1] = 'q';
  DbgPrint("[%.*ws] [%.3s] [%.0s] [%.2s] [%.*s]\\n", 4, wide, narrow, narrow, partly, -1, "all");
  ExFreePool(wide); ExFreePool(narrow); ExFreePool(partly);
  return STATUS_SUCCESS;
}
`;

test('%.*ws and %.Ns read exactly the counted characters: no terminator needed, the bytes after them unread', async () => {
  const w = await runWorld('/t/s.fltsim', 'driver "p.c"', oneDriver('p.c', source));
  assert.equal(w.fault, undefined, w.fault?.message);
  assert.deepEqual(w.sim.kernel.output, ['[abcd] [xyz] [] [pq] [all]']);
  assert.deepEqual(w.sim.violations.map((v) => v.rule), []);
});
