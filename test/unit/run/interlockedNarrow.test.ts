/**
 * The 8- and 16-bit interlocked forms work on the variable's own width (a BOOLEAN flag next to
 * other bytes stays apart from them) and return the previous value; the 64-bit bitwise forms keep
 * all 64 bits.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oneDriver, runWorld } from '../worldRun';

const DRIVER = String.raw`
#include <fltKernel.h>

struct { BOOLEAN Flag; UCHAR Next; SHORT Count; } G = { FALSE, 0x7f, 5 };
LONG64 Bits = 0x100000000LL;

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    CHAR was;
    SHORT old;
    LONG64 before;
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    was = InterlockedExchange8((volatile CHAR *)&G.Flag, TRUE);
    DbgPrint("exchange8 was=%d flag=%d next=%x", was, G.Flag, G.Next);
    was = InterlockedOr8((volatile CHAR *)&G.Next, (CHAR)0x80);
    DbgPrint("or8 was=%x next=%x", (UCHAR)was, G.Next);
    old = InterlockedCompareExchange16(&G.Count, 9, 4);
    DbgPrint("cmpxchg16 miss old=%d count=%d", old, G.Count);
    old = InterlockedCompareExchange16(&G.Count, 9, 5);
    DbgPrint("cmpxchg16 hit old=%d count=%d", old, G.Count);
    old = InterlockedExchangeAdd16(&G.Count, 32767);
    DbgPrint("add16 old=%d count=%d", old, G.Count);
    before = InterlockedOr64(&Bits, 1);
    DbgPrint("or64 before=%llx bits=%llx", before, Bits);
    before = InterlockedXor64(&Bits, 0x100000000LL);
    DbgPrint("xor64 before=%llx bits=%llx", before, Bits);
    return STATUS_UNSUCCESSFUL;
}
`;

test('narrow and 64-bit interlocked routines update the variable at its width and return the old value', async () => {
  const w = await runWorld('/t/s.fltsim', 'driver "i.c"\n', oneDriver('i.c', DRIVER));
  assert.equal(w.fault, undefined);
  assert.deepEqual(w.sim.violations.map((v) => v.message), []);
  assert.deepEqual(w.sim.kernel.output, [
    'exchange8 was=0 flag=1 next=7f',
    'or8 was=7f next=ff',
    'cmpxchg16 miss old=5 count=5',
    'cmpxchg16 hit old=5 count=9',
    // 9 + 32767 wraps to a negative SHORT.
    'add16 old=9 count=-32760',
    'or64 before=100000000 bits=100000001',
    'xor64 before=100000001 bits=1',
  ]);
});
