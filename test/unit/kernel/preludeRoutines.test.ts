/**
 * Kernel routines the prelude writes in C: the ExInterlocked list routines, the critical-region
 * resource wrappers and RtlInitAnsiString/RtlInitString.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadC } from '../interp/harness';

test('ExInterlockedInsertTailList/RemoveHeadList keep FIFO order and answer NULL for an empty list', async () => {
  const h = await loadC(`
#include <ntddk.h>
typedef struct _ITEM { LIST_ENTRY Link; int Value; } ITEM;
LIST_ENTRY Head; KSPIN_LOCK Lock; ITEM Items[3];
int Run(void) {
    int i, result = 0; PLIST_ENTRY e;
    InitializeListHead(&Head); KeInitializeSpinLock(&Lock);
    if (ExInterlockedInsertTailList(&Head, &Items[0].Link, &Lock) != NULL) return -1;
    if (ExInterlockedInsertTailList(&Head, &Items[1].Link, &Lock) != &Items[0].Link) return -2;
    if (ExInterlockedInsertHeadList(&Head, &Items[2].Link, &Lock) != &Items[0].Link) return -3;
    for (i = 0; i < 3; i++) Items[i].Value = i + 1;
    while ((e = ExInterlockedRemoveHeadList(&Head, &Lock)) != NULL) result = result * 10 + CONTAINING_RECORD(e, ITEM, Link)->Value;
    return result;
}
`);
  assert.deepEqual(h.diagnostics, []);
  assert.equal(h.call('Run'), 312, 'the head insert comes out first, then the two tail inserts in order');
  assert.equal(h.violations.length, 0, JSON.stringify(h.violations));
});

test('ExEnterCriticalRegionAndAcquireResourceExclusive pairs with ExReleaseResourceAndLeaveCriticalRegion', async () => {
  const h = await loadC(`
#include <ntddk.h>
ERESOURCE Resource;
int Run(void) {
    ExInitializeResourceLite(&Resource);
    ExEnterCriticalRegionAndAcquireResourceExclusive(&Resource);
    if (!ExIsResourceAcquiredExclusiveLite(&Resource)) return -1;
    ExReleaseResourceAndLeaveCriticalRegion(&Resource);
    ExEnterCriticalRegionAndAcquireResourceShared(&Resource);
    ExReleaseResourceAndLeaveCriticalRegion(&Resource);
    ExDeleteResourceLite(&Resource);
    return 1;
}
`);
  assert.equal(h.call('Run'), 1);
  assert.equal(h.violations.length, 0, JSON.stringify(h.violations));
});

test('RtlInitAnsiString counts the characters without the terminator and points at the caller\'s text', async () => {
  const h = await loadC(`
#include <ntddk.h>
int Run(void) {
    ANSI_STRING s, empty;
    const char *text = "svchost.exe";
    RtlInitAnsiString(&s, text);
    RtlInitString(&empty, NULL);
    if (s.Buffer != text || empty.Buffer != NULL || empty.MaximumLength != 0) return -1;
    return s.Length * 100 + s.MaximumLength;
}
`);
  assert.deepEqual(h.diagnostics, []);
  assert.equal(h.call('Run'), 11 * 100 + 12);
});
