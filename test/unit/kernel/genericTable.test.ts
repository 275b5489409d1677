// RTL_GENERIC_TABLE from C (issue 12, item 7): the driver's compare, allocate and free routines
// order and hold the elements; lookups, deletes and walks see that order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oneDriver, runWorld } from '../worldRun';

const C = `#include <fltKernel.h>
typedef struct _ENTRY { ULONG Key; ULONG Value; } ENTRY, *PENTRY;
RTL_GENERIC_TABLE Table;
ULONG Allocs, Frees;

RTL_GENERIC_COMPARE_RESULTS Compare(PRTL_GENERIC_TABLE T, PVOID A, PVOID B) {
    ULONG a = ((PENTRY)A)->Key, b = ((PENTRY)B)->Key;
    UNREFERENCED_PARAMETER(T);
    return a < b ? GenericLessThan : a > b ? GenericGreaterThan : GenericEqual;
}
PVOID Allocate(PRTL_GENERIC_TABLE T, CLONG Size) {
    UNREFERENCED_PARAMETER(T);
    Allocs++;
    return ExAllocatePool2(POOL_FLAG_NON_PAGED, Size, 'bTnG');
}
VOID Free(PRTL_GENERIC_TABLE T, PVOID Buffer) {
    UNREFERENCED_PARAMETER(T);
    Frees++;
    ExFreePoolWithTag(Buffer, 'bTnG');
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath) {
    ENTRY e;
    PENTRY p;
    BOOLEAN isNew;
    ULONG keys[] = { 30, 10, 20, 10 };
    ULONG i;
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    RtlInitializeGenericTable(&Table, Compare, Allocate, Free, NULL);
    DbgPrint("empty=%u\\n", RtlIsGenericTableEmpty(&Table));
    for (i = 0; i < 4; i++) {
        e.Key = keys[i];
        e.Value = i;
        p = RtlInsertElementGenericTable(&Table, &e, sizeof(e), &isNew);
        DbgPrint("insert %lu new=%u value=%lu\\n", keys[i], isNew, p->Value);
    }
    for (i = 0; i < RtlNumberGenericTableElements(&Table); i++) DbgPrint("at %lu key=%lu\\n", i, ((PENTRY)RtlGetElementGenericTable(&Table, i))->Key);
    e.Key = 20;
    p = RtlLookupElementGenericTable(&Table, &e);
    DbgPrint("lookup 20 value=%lu\\n", p ? p->Value : 99);
    DbgPrint("delete 20=%u again=%u\\n", RtlDeleteElementGenericTable(&Table, &e), RtlDeleteElementGenericTable(&Table, &e));
    for (p = RtlEnumerateGenericTable(&Table, TRUE); p != NULL; p = RtlEnumerateGenericTable(&Table, FALSE)) DbgPrint("walk %lu\\n", p->Key);
    while (!RtlIsGenericTableEmpty(&Table)) RtlDeleteElementGenericTable(&Table, RtlGetElementGenericTable(&Table, 0));
    DbgPrint("allocs=%lu frees=%lu\\n", Allocs, Frees);
    return STATUS_UNSUCCESSFUL;
}
`;

test('a generic table keeps the compare routine\'s order, refuses duplicates, and frees through the driver', async () => {
  const files = oneDriver('g.c', C);
  const world = await runWorld('/t/g.fltsim', 'driver "g.c"\n', files);
  assert.equal(world.fault, undefined, world.fault?.message);
  assert.deepEqual(world.sim.output, [
    'empty=1',
    'insert 30 new=1 value=0',
    'insert 10 new=1 value=1',
    'insert 20 new=1 value=2',
    // An equal key is not inserted again: the element already there comes back.
    'insert 10 new=0 value=1',
    'at 0 key=10',
    'at 1 key=20',
    'at 2 key=30',
    'lookup 20 value=2',
    'delete 20=1 again=0',
    'walk 10',
    'walk 30',
    'allocs=3 frees=3',
  ]);
  assert.deepEqual(world.sim.violations, []);
});

// The same driver on the AVL flavour: the Avl routines keep the same order and memory contract,
// each element behind an RTL_BALANCED_LINKS (32 bytes), and the walk without splaying resumes from
// the key the caller keeps.
const AVL = C.replace(/RTL_GENERIC_TABLE/g, 'RTL_AVL_TABLE')
  .replace(/(Rtl\w*GenericTable\w*)\(/g, '$1Avl(')
  .replace(/ULONG Allocs, Frees;/, 'ULONG Allocs, Frees, LastSize;')
  .replace(/Allocs\+\+;/, 'Allocs++; LastSize = Size;')
  .replace(/ {4}while \(!RtlIsGenericTableEmptyAvl/, `    {
        PVOID key = NULL;
        p = RtlEnumerateGenericTableWithoutSplayingAvl(&Table, &key);
        DbgPrint("links %lu\\n", (ULONG)((PUCHAR)p - (PUCHAR)key));
        for (; p != NULL; p = RtlEnumerateGenericTableWithoutSplayingAvl(&Table, &key)) DbgPrint("resume %lu\\n", p->Key);
        DbgPrint("size %lu end %u\\n", LastSize, key == NULL);
    }
    while (!RtlIsGenericTableEmptyAvl`);

test('an AVL generic table (the Avl routines) keeps the same order and memory contract, and walks without splaying from the caller\'s restart key', async () => {
  const files = oneDriver('a.c', AVL);
  const world = await runWorld('/t/a.fltsim', 'driver "a.c"\n', files);
  assert.equal(world.fault, undefined, world.fault?.message);
  assert.deepEqual(world.sim.output, [
    'empty=1',
    'insert 30 new=1 value=0',
    'insert 10 new=1 value=1',
    'insert 20 new=1 value=2',
    'insert 10 new=0 value=1',
    'at 0 key=10',
    'at 1 key=20',
    'at 2 key=30',
    'lookup 20 value=2',
    'delete 20=1 again=0',
    'walk 10',
    'walk 30',
    // The key holds the element's links, just in front of it.
    'links 32',
    'resume 10',
    'resume 30',
    // The size asked for is the 8-byte ENTRY plus the links; the walk ends with the key NULL.
    'size 40 end 1',
    'allocs=3 frees=3',
  ]);
  assert.deepEqual(world.sim.violations, []);
});

test('a splay routine on an AVL table is reported: the two keep different links in front of each element', async () => {
  const src = AVL.replace('DbgPrint("empty=%u\\n", RtlIsGenericTableEmptyAvl(&Table));', 'DbgPrint("count=%lu\\n", RtlNumberGenericTableElements((PRTL_GENERIC_TABLE)&Table));');
  const world = await runWorld('/t/a.fltsim', 'driver "a.c"\n', oneDriver('a.c', src));
  const v = world.sim.violations.filter((x) => x.rule === 'uninitialized-object');
  assert.equal(v.length, 1, world.sim.violations.map((x) => x.message).join('\n'));
  assert.match(v[0]!.message, /^RtlNumberGenericTableElements used .*, which RtlInitializeGenericTableAvl initialized: use the Avl routines on it$/);
  assert.equal(world.sim.output[0], 'count=0');
});
