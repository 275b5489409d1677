/**
 * Odd arguments the fuzzing (test/fuzz/oddCalls.ts) found handled badly, each now a clear stop at
 * the call's line: qsort/bsearch given a count far past their array (it built a JavaScript list of
 * that length: an internal RangeError) or a pointer that is not NULL but points nowhere (it said
 * "NULL"); va_arg past the arguments passed (the message named the prelude's helper); and waits on
 * more than three objects with the KWAIT_BLOCK array the WDK declares (the type was missing).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oneDriver, runWorld } from '../worldRun';

const source = `#include <fltKernel.h>
static int __cdecl Cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }
static LONGLONG Sum(int n, ...)
{
    va_list ap;
    LONGLONG sum = 0;
    va_start(ap, n);
    while (n-- > 0) sum += va_arg(ap, LONGLONG);
    va_end(ap);
    return sum;
}
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    int values[8] = { 5, 3, 8, 1, 9, 2, 7, 4 };
    int key = 7;
    KEVENT ev[4];
    PVOID objs[4];
    KWAIT_BLOCK blocks[MAXIMUM_WAIT_OBJECTS];
    LARGE_INTEGER zero;
    NTSTATUS st;
    int i;
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
#ifdef HUGE_COUNT
    qsort(values, (SIZE_T)-1, sizeof(int), Cmp);
#endif
#ifdef WILD_ARRAY
    bsearch(&key, (int *)16, 8, sizeof(int), Cmp);
#endif
#ifdef LONG_ELEMENTS
    qsort(values, 5, 64, Cmp);
#endif
#ifdef VA_PAST
    Sum(2, 1LL);
#endif
    for (i = 0; i < 4; i++) { KeInitializeEvent(&ev[i], NotificationEvent, i == 2); objs[i] = &ev[i]; }
    zero.QuadPart = 0;
    st = KeWaitForMultipleObjects(4, objs, WaitAny, Executive, KernelMode, FALSE, &zero, blocks);
    DbgPrint("wait %x blocks %d of %d bytes", st, THREAD_WAIT_OBJECTS, (int)sizeof(KWAIT_BLOCK));
    return STATUS_SUCCESS;
}
`;
const files = oneDriver('odd.c', source);
const lineOf = (text: string): number => source.split('\n').findIndex((l) => l.includes(text)) + 1;

test('KeWaitForMultipleObjects on four objects with a KWAIT_BLOCK array: WAIT_0 + the index of the signalled one', async () => {
  const w = await runWorld('/t/s.fltsim', 'driver "odd.c"', files);
  assert.equal(w.fault, undefined, w.fault?.message);
  assert.deepEqual(w.sim.kernel.output, ['wait 2 blocks 3 of 48 bytes']);
  assert.deepEqual(w.sim.violations.map((v) => v.rule), []);
});

test('qsort with a count far past its array stops with out-of-bounds naming the array (it was an internal error)', async () => {
  const w = await runWorld('/t/s.fltsim', 'driver "odd.c"\ndefine HUGE_COUNT', files);
  assert.equal(w.fault?.kind, 'out-of-bounds');
  assert.match(w.fault!.message, /^qsort: 18446744073709551615 elements of 4 bytes run past the end of local 'values' of DriverEntry, which has 32 bytes from where the array starts$/);
  assert.equal(w.fault?.line, lineOf('(SIZE_T)-1'));
});

test('qsort with elements longer than its array holds stops at the call', async () => {
  const w = await runWorld('/t/s.fltsim', 'driver "odd.c"\ndefine LONG_ELEMENTS', files);
  assert.equal(w.fault?.kind, 'out-of-bounds');
  assert.match(w.fault!.message, /5 elements of 64 bytes run past the end of local 'values'/);
  assert.equal(w.fault?.line, lineOf('qsort(values, 5, 64'));
});

test('bsearch over an array pointer that is not NULL but points nowhere says so (it said NULL)', async () => {
  const w = await runWorld('/t/s.fltsim', 'driver "odd.c"\ndefine WILD_ARRAY', files);
  assert.equal(w.fault?.kind, 'bad-pointer');
  assert.match(w.fault!.message, /^bsearch: the array is 0x0+10, which points at no memory of the driver's, with a count of 8$/);
  assert.equal(w.fault?.line, lineOf('(int *)16'));
});

test('va_arg past the arguments passed names va_arg as written, not the prelude helper behind it', async () => {
  const w = await runWorld('/t/s.fltsim', 'driver "odd.c"\ndefine VA_PAST', files);
  assert.equal(w.fault?.kind, 'out-of-bounds');
  assert.match(w.fault!.message, /^'va_arg\(ap, LONGLONG\)' reads 8 bytes at offset 8 of a 8-byte variable arguments of Sum/);
  assert.doesNotMatch(w.fault!.message, /__fltsim/);
  assert.equal(w.fault?.line, lineOf('sum += va_arg'));
});
