/**
 * writeFields lays an engine object's fields into C memory with the typed stores directly (not
 * through a view's accessors). It must leave exactly the bytes, initialisation and pointer
 * provenance that assigning each field through a view leaves: bit-fields inside their units, a
 * nested struct, an anonymous member's field, arrays of scalars and of structs, and pointers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sizeOf, ULONG, USHORT, type StructType } from '../../../engine/c/types';
import { writeFields } from '../../../engine/kernel/marshal';
import { AddressSpace } from '../../../engine/memory/space';
import { fieldPlaces } from '../../../engine/memory/typed';
import { viewAt, type StructView } from '../../../engine/memory/view';
import { FLAGS, LARGE_INTEGER, NODE, PVOID, struct } from '../memory/types';

const PAIR = struct('_PAIR', [{ name: 'X', type: USHORT }, { name: 'Y', type: ULONG }]);
const OUTER: StructType = struct('_OUTER', [
  { name: 'Flags', type: FLAGS },
  { name: 'Node', type: NODE },
  { name: 'Size', type: LARGE_INTEGER },
  { name: 'Pairs', type: { kind: 'array', of: PAIR, length: 2 } },
  { name: 'Owner', type: PVOID },
]);

function source(target: object): Record<string, unknown> {
  return {
    engineOnly: 'never written',
    Flags: { A: 5, B: 0, C: -3, Mid: 7, D: 0xff_ffff_ffff, E: 0x123456 },
    Node: { Tag: 65, Next: null, Count: 9, Key: { QuadPart: 0x1_0000_0002 }, Name: { Length: 4, MaximumLength: 6 }, Slots: [1, 0, 3] },
    Size: { HighPart: -1 },
    Pairs: [{ X: 1, Y: 2 }, { X: 0, Y: 4 }],
    Owner: target,
  };
}

/** The reference: every field assigned through views, as writeFields did before. */
function throughViews(view: StructView, src: Record<string, unknown>, fresh: boolean): void {
  for (const [key, value] of Object.entries(src)) {
    const place = fieldPlaces(view.$type).get(key);
    if (place === undefined || value === undefined || (fresh && (value === 0 || value === null))) continue;
    if (place.type.kind === 'array') {
      const arr = view[key] as { get(i: number): unknown; set(i: number, v: unknown): void };
      (value as unknown[]).forEach((el, i) => {
        if (fresh && (el === 0 || el === null)) return;
        if (typeof el === 'object' && el !== null) throughViews(arr.get(i) as StructView, el as Record<string, unknown>, fresh);
        else arr.set(i, el);
      });
    } else if (place.type.kind === 'struct') {
      throughViews(view[key] as StructView, value as Record<string, unknown>, fresh);
    } else {
      view[key] = value;
    }
  }
}

function image(space: AddressSpace, fill: (v: StructView) => void, zeroed: boolean): { bytes: number[]; init: boolean[]; owner: unknown } {
  const a = space.allocate('engine', sizeOf(OUTER), { zeroed });
  fill(viewAt(a, 0, OUTER));
  const init: boolean[] = [];
  for (let i = 0; i < a.size; i++) init.push(a.isInitialized(i, 1));
  const owner = a.provenance().get(sizeOf(OUTER) - 8);
  return { bytes: [...a.peek(0, a.size)], init, owner: owner === undefined ? undefined : (owner as { alloc: unknown }).alloc };
}

for (const fresh of [true, false]) {
  test(`writeFields leaves the bytes, initialisation and provenance that view stores leave (${fresh ? 'fresh zeroed memory' : 'memory written before'})`, () => {
    const space = new AddressSpace();
    const target = space.allocate('pool', 16, { zeroed: true });
    const ptr = space.pointer(target);
    const src = source(ptr);
    const direct = image(space, (v) => writeFields(v, src, fresh), fresh);
    const viaViews = image(space, (v) => throughViews(v, src, fresh), fresh);
    assert.deepEqual(direct.bytes, viaViews.bytes);
    assert.deepEqual(direct.init, viaViews.init);
    assert.equal(direct.owner, target, 'the pointer field keeps the target allocation as its provenance');
    assert.equal(viaViews.owner, target);
    // Spot checks against the layout, so the comparison cannot pass with both sides wrong.
    const v = viewAt(space.allocate('engine', sizeOf(OUTER), { zeroed: true }), 0, OUTER);
    writeFields(v, src, true);
    const flags = v.Flags as StructView;
    assert.deepEqual([flags.A, flags.C, flags.Mid, flags.D, flags.E], [5, -3, 7, 0xff_ffff_ffff, 0x123456]);
    const node = v.Node as StructView;
    assert.equal((node.Key as StructView).QuadPart, 0x1_0000_0002);
    assert.equal((node.Name as StructView).MaximumLength, 6);
    assert.deepEqual((node.Slots as { toArray(): unknown[] }).toArray(), [1, 0, 3]);
    assert.equal((v.Size as StructView).HighPart, -1, 'a field of an anonymous member');
    assert.equal(((v.Pairs as { get(i: number): StructView }).get(1)).Y, 4);
  });
}
