// CONTAINING_RECORD, FIELD_OFFSET and offsetof with the type written by its tag (`struct node`), as C
// code without typedefs writes them (engine/c/pp/tagArguments.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadC } from './harness';
import { CRuntimeError } from '../../../engine/interp/errors';

test('a struct or union named by its tag is the type argument of CONTAINING_RECORD and FIELD_OFFSET (offsetof reads it by its grammar)', async () => {
  const h = await loadC(`
#include <ntddk.h>
struct node { ULONG id; ULONG pad[3]; LIST_ENTRY list; };
union slot { ULONG word; struct node n; };
struct node nodes[2];
LIST_ENTRY head;
ULONG walk(void) {
  ULONG total = 0;
  PLIST_ENTRY e;
  InitializeListHead(&head);
  nodes[0].id = 4; nodes[1].id = 7;
  InsertTailList(&head, &nodes[0].list);
  InsertTailList(&head, &nodes[1].list);
  for (e = head.Flink; e != &head; e = e->Flink) {
    struct node *n = CONTAINING_RECORD(e, struct node, list);
    total = total * 10 + n->id;
  }
  return total;
}
ULONG offsets(void) {
  return FIELD_OFFSET(struct node, list) * 100 + FIELD_OFFSET(union slot, n.pad) * 10 + offsetof(struct node, pad);
}
`);
  assert.deepEqual(h.diagnostics, []);
  assert.equal(h.call('walk'), 47);
  assert.equal(h.call('offsets'), 16 * 100 + 4 * 10 + 4);
});

test('a tag that names no declared struct is reported at its line', async () => {
  const h = await loadC(`
#include <ntddk.h>
PVOID f(PLIST_ENTRY e) { return CONTAINING_RECORD(e, struct missing, list); }
`);
  assert.throws(() => h.call('f', null), (e: CRuntimeError) => e.message === 'CONTAINING_RECORD: struct missing: no such struct is declared before this line' && e.loc?.line === 3);
});
