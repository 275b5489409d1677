/**
 * AscendingIdTable (threads and work items by id) must behave like the Map it replaced: the same
 * answers to get/has/size, iteration in insertion order, and iterators that skip entries removed
 * and see entries added while they run — including across the compactions it does on its own.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AscendingIdTable, InsertionTable } from '../../../engine/kernel/idtable';

interface Item {
  readonly id: number;
}

type Op = { add: number } | { remove: number } | { iterate: number };

test('AscendingIdTable answers like a Map under random additions (increasing ids), removals and iterations', () => {
  fc.assert(
    fc.property(
      fc.array(fc.oneof(fc.record({ add: fc.integer({ min: 1, max: 3 }) }), fc.record({ remove: fc.nat(60) }), fc.record({ iterate: fc.nat(30) })), { maxLength: 300 }),
      (ops: Op[]) => {
        const table = new AscendingIdTable<Item>();
        const map = new Map<number, Item>();
        let next = 1;
        for (const op of ops) {
          if ('add' in op) {
            next += op.add;
            const item = { id: next };
            table.set(item.id, item);
            map.set(item.id, item);
          } else if ('remove' in op) {
            const id = next - op.remove;
            assert.equal(table.delete(id), map.delete(id));
          } else {
            // Iterate part-way, change the tables, then finish: both iterators must agree.
            for (let i = 0; i < 40; i++) {
              const item = { id: ++next };
              table.set(item.id, item);
              map.set(item.id, item);
            }
            const ti = table.values();
            const mi = map.values();
            const seenT: number[] = [];
            const seenM: number[] = [];
            for (let i = 0; i < op.iterate; i++) {
              const a = ti.next();
              const b = mi.next();
              if (!a.done) seenT.push(a.value.id);
              if (!b.done) seenM.push(b.value.id);
            }
            // Remove most of the entries (forcing a compaction), then add a few.
            for (const id of [...map.keys()].filter((_, i) => i % 4 !== 0)) {
              table.delete(id);
              map.delete(id);
            }
            for (let i = 0; i < 3; i++) {
              const item = { id: ++next };
              table.set(item.id, item);
              map.set(item.id, item);
            }
            for (const v of { [Symbol.iterator]: () => ti }) seenT.push(v.id);
            for (const v of { [Symbol.iterator]: () => mi }) seenM.push(v.id);
            assert.deepEqual(seenT, seenM);
          }
          assert.equal(table.size, map.size);
          assert.deepEqual([...table.keys()], [...map.keys()]);
          for (const id of [next, next - 1, next - 5]) {
            assert.equal(table.get(id), map.get(id));
            assert.equal(table.has(id), map.has(id));
          }
        }
      },
    ),
    { numRuns: 300 },
  );
});

test('AscendingIdTable keeps thousands of short-lived entries behind a long-lived one without growing', () => {
  const table = new AscendingIdTable<Item>();
  const keeper = { id: 1 };
  table.set(1, keeper);
  for (let id = 2; id < 20_000; id++) {
    table.set(id, { id });
    assert.equal(table.delete(id), true);
  }
  assert.equal(table.size, 1);
  assert.deepEqual([...table.values()], [keeper]);
  assert.equal(table.get(1), keeper);
  assert.equal(table.get(19_999), undefined);
  // Holes are compacted away: the table's arrays stay small.
  const inner = table as unknown as { ids: number[] };
  assert.ok(inner.ids.length < 100, `ids array has ${inner.ids.length} slots`);
});

test('InsertionTable keeps insertion order whatever the ids, and finds, removes and forgets entries like a Map', () => {
  interface Entry { readonly id: number; tableSeq: number }
  const table = new InsertionTable<Entry>();
  const map = new Map<number, Entry>();
  const made: Entry[] = [];
  const ids = [40, 3, 17, 1000, 2, 8, 5, 64, 7];
  for (const id of ids) {
    const e = { id, tableSeq: 0 };
    made.push(e);
    table.add(e);
    map.set(id, e);
  }
  assert.deepEqual([...table.keys()], ids);
  for (const id of [3, 1000, 7]) {
    assert.equal(table.remove(map.get(id)!), true);
    map.delete(id);
  }
  assert.equal(table.delete(17), map.delete(17));
  assert.equal(table.delete(17), map.delete(17));
  assert.equal(table.remove(made[0]!), true);
  map.delete(40);
  assert.equal(table.remove(made[0]!), false, 'a removed entry is not removed twice');
  assert.equal(made[0]!.tableSeq, 0);
  const again = { id: 3, tableSeq: 0 };
  table.add(again);
  map.set(3, again);
  assert.deepEqual([...table.entries()], [...map.entries()]);
  assert.equal(table.size, map.size);
  for (const id of [...ids, 99]) {
    assert.equal(table.get(id), map.get(id));
    assert.equal(table.has(id), map.has(id));
  }
});

test('InsertionTable lookups by id stay right when adds and removes come between them', () => {
  interface Entry { readonly id: number; tableSeq: number }
  const op = fc.oneof(
    fc.record({ k: fc.constant('add' as const), id: fc.integer({ min: 0, max: 30 }) }),
    fc.record({ k: fc.constant('remove' as const), id: fc.integer({ min: 0, max: 30 }) }),
    fc.record({ k: fc.constant('get' as const), id: fc.integer({ min: 0, max: 30 }) }),
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
      const table = new InsertionTable<Entry>();
      const map = new Map<number, Entry>();
      for (const o of ops) {
        if (o.k === 'add') {
          if (map.has(o.id)) continue; // ids are unique among the entries
          const e = { id: o.id, tableSeq: 0 };
          table.add(e);
          map.set(o.id, e);
        } else if (o.k === 'remove') {
          const e = map.get(o.id);
          assert.equal(e ? table.remove(e) : table.delete(o.id), e !== undefined);
          map.delete(o.id);
        } else {
          assert.equal(table.get(o.id), map.get(o.id));
        }
      }
      assert.deepEqual([...table.keys()], [...map.keys()]);
    }),
    { numRuns: 200 },
  );
});
