/**
 * The explore bench's fork census (test/bench/worldGraph.ts): what it counts as a run's own state
 * and what its generic copy keeps, on hand-made graphs (the bench's numbers are only as true as
 * these).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { census, copyData, reachable } from '../../bench/worldGraph';

class Node {
  next: Node | null = null;
  constructor(public value: number) {}
  get doubled(): number {
    return this.value * 2;
  }
}

test('reachable follows properties, Map and Set entries, and stops at shared objects and generators', () => {
  const shared = { big: true };
  function* gen(): Generator<number> {
    yield 1;
  }
  const g = gen();
  const inner = { x: 1 };
  const root = { m: new Map([['k', inner]]), s: new Set([{ y: 2 }]), shared, g, f: () => 1 };
  const seen = reachable({ root }, new Set([shared]));
  assert.equal(seen.get(inner), 'root.m[]');
  assert.equal(seen.has(shared), false);
  assert.equal(seen.has(g), true);
  const c = census(seen);
  assert.equal(c.generators, 1);
  assert.equal(c.closures, 1);
  assert.deepEqual(c.closureHolders, [['root.f', 1]]);
  // root, the Map, inner, the Set, its member, the generator, the closure
  assert.equal(c.objects, 7);
});

test('census counts WeakMaps by the field holding them and the bytes of typed arrays', () => {
  const root = { table: { byObject: new WeakMap(), byAddress: new WeakMap() }, bytes: new Uint8Array(40) };
  const c = census(reachable({ root }));
  assert.equal(c.weakMaps, 2);
  assert.deepEqual(new Map(c.weakHolders), new Map([['table.byObject', 1], ['table.byAddress', 1]]));
  assert.equal(c.typedBytes, 40);
});

test('copyData keeps prototypes, cycles, Map/Set contents and typed-array views over one copied buffer', () => {
  const a = new Node(1);
  const b = new Node(2);
  a.next = b;
  b.next = a;
  const buffer = new ArrayBuffer(16);
  const bytes = new Uint8Array(buffer, 4, 8);
  const words = new Float64Array(buffer, 8, 1);
  const sharedThing = { shared: true };
  const fn = (): number => 3;
  const root = { a, map: new Map<unknown, unknown>([[a, 'a']]), set: new Set([b]), bytes, words, sharedThing, fn, list: [a, b] };
  const copy = copyData(root, new Set([sharedThing]));
  assert.notEqual(copy.a, a);
  assert.ok(copy.a instanceof Node);
  assert.equal(copy.a.doubled, 2);
  assert.equal(copy.a.next!.next, copy.a);
  assert.equal(copy.map.get(copy.a), 'a');
  assert.equal(copy.map.has(a), false);
  assert.ok(copy.set.has(copy.a.next!));
  assert.deepEqual(copy.list, [copy.a, copy.a.next]);
  assert.equal(copy.bytes.buffer, copy.words.buffer);
  assert.notEqual(copy.bytes.buffer, buffer);
  assert.equal(copy.bytes.byteOffset, 4);
  copy.bytes[4] = 9; // the copy's byte 8: the first byte of its Float64Array
  assert.notEqual(new Uint8Array(copy.words.buffer, 8, 1)[0], new Uint8Array(buffer, 8, 1)[0]);
  assert.equal(copy.sharedThing, sharedThing);
  assert.equal(copy.fn, fn);
});
