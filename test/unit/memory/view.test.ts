import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layoutOf, sizeOf, ULONG, USHORT } from '../../../engine/c/types';
import { AddressSpace } from '../../../engine/memory/space';
import { MemoryError } from '../../../engine/memory/errors';
import { Ptr } from '../../../engine/memory/pointer';
import { fieldPlace, fieldPlaces, load, store } from '../../../engine/memory/typed';
import { ArrayView, Cell, isView, viewAt, viewOf, type StructView } from '../../../engine/memory/view';
import { allocateString, readChars, readCString, writeChars } from '../../../engine/memory/strings';
import { FLAGS, KEY_VALUE_PARTIAL_INFORMATION, LARGE_INTEGER, NODE, PVOID } from './types';

test('field places follow the x64 layout, through anonymous members', () => {
  assert.equal(sizeOf(NODE), 64);
  const p = fieldPlaces(NODE);
  assert.deepEqual([...p.values()].map((f) => [f.name, f.offset]), [['Tag', 0], ['Next', 8], ['Count', 16], ['Key', 24], ['Name', 32], ['Slots', 48]]);
  assert.equal(fieldPlace(LARGE_INTEGER, 'HighPart').offset, 4, 'HighPart through the anonymous struct');
  assert.throws(() => fieldPlace(NODE, 'Nope'), (e) => e instanceof MemoryError && e.message === "_NODE has no field 'Nope'");
});

test('bit-fields: positions inside their units, and writes leave the neighbours alone', () => {
  const places = fieldPlaces(FLAGS);
  const at = (n: string) => [places.get(n)!.offset, places.get(n)!.bitOffset];
  assert.deepEqual([at('A'), at('B'), at('C'), at('Mid'), at('D'), at('E')], [[0, 0], [0, 3], [0, 8], [4, undefined], [8, 0], [8, 40]]);
  assert.equal(layoutOf(FLAGS).size, 16, 'A, B and C share one 4-byte unit (MSVC packs same-size types), D and E one 8-byte unit');
  const s = new AddressSpace();
  const v = viewAt(s.allocate('pool', 16, { zeroed: true }), 0, FLAGS);
  v.A = 5;
  v.B = 31;
  v.C = -3;
  v.D = 0xff_ffff_ffff;
  v.E = 0x123456;
  assert.deepEqual([v.A, v.B, v.C, v.D, v.E], [5, 31, -3, 0xff_ffff_ffff, 0x123456]);
  assert.equal(v.$alloc.readInt(0, 4, false), 5 | (31 << 3) | (0xd << 8));
  v.A = 9; // 4 bits into a 3-bit field: the high bit is dropped, B untouched
  assert.deepEqual([v.A, v.B], [1, 31]);
  assert.equal(v.$alloc.readInt(8, 8, false), 0x123456n * 2n ** 40n + 0xff_ffff_ffffn);
});

test('a union written as one member reads as another', () => {
  const s = new AddressSpace();
  const li = viewAt(s.allocate('stack', 8), 0, LARGE_INTEGER);
  li.QuadPart = -2;
  assert.equal(li.LowPart, 0xfffffffe);
  assert.equal(li.HighPart, -1);
  assert.equal((li.u as StructView).LowPart, 0xfffffffe);
  li.HighPart = 1;
  assert.equal(li.QuadPart, 0x1_ffff_fffe);
});

test('views read embedded structs, arrays and pointers by name', () => {
  const s = new AddressSpace();
  const a = s.allocate('pool', sizeOf(NODE), { zeroed: true });
  const node = viewOf(new Ptr(a, 0), NODE);
  const text = allocateString(s, 'abc', 2);
  const name = node.Name as StructView;
  name.Length = 6;
  name.MaximumLength = 8;
  name.Buffer = text;
  (node.Slots as ArrayView).set(2, 77);
  node.Next = node.$ptr;
  assert.ok(isView(name));
  assert.equal(name.$offset, 32);
  assert.equal(readChars(name.Buffer as Ptr, 2, (name.Length as number) / 2), 'abc');
  assert.equal(a.readInt(48 + 8, 4, false), 77);
  assert.deepEqual((node.Slots as ArrayView).toArray(), [0, 0, 77]);
  assert.equal((node.Next as Ptr).alloc, a);
  const copy = viewAt(s.allocate('pool', sizeOf(NODE)), 0, NODE);
  copy.Name = name;
  assert.equal(((copy.Name as StructView).Buffer as Ptr).alloc, text.alloc, 'struct assignment copies the pointer with its provenance');
});

test('a byte buffer reused as a KEY_VALUE_PARTIAL_INFORMATION', () => {
  const s = new AddressSpace();
  const buf = s.allocate('stack', sizeOf(KEY_VALUE_PARTIAL_INFORMATION) + 16, { label: "local 'buffer' of ReadValue" });
  const info = viewOf(new Ptr(buf, 0), KEY_VALUE_PARTIAL_INFORMATION);
  info.TitleIndex = 0;
  info.Type = 4;
  info.DataLength = 4;
  const data = info.Data as ArrayView;
  data.pointer().alloc!.writeInt(data.offset, 4, 0x1234);
  assert.equal(load(new Ptr(buf, 12), ULONG), 0x1234, 'Data read as a ULONG past the declared Data[1]');
  assert.throws(() => data.pointer(sizeOf(KEY_VALUE_PARTIAL_INFORMATION) + 16 - 12).alloc!.readInt(buf.size, 1, false), (e) => e instanceof MemoryError && e.kind === 'out-of-bounds');
});

test('a cell reads and writes the caller\'s variable for an out-parameter', () => {
  const s = new AddressSpace();
  const slot = s.allocate('stack', 8, { label: "local 'ctx' of Setup" });
  const target = s.allocate('context', 32);
  const cell = Cell.of<Ptr>(new Ptr(slot, 0), PVOID);
  cell.set(new Ptr(target, 0));
  assert.equal((cell.get() as Ptr).alloc, target);
  assert.equal((slot.readPointer(0) as Ptr).alloc, target);
  assert.throws(() => Cell.of(null, PVOID), (e) => e instanceof MemoryError && e.kind === 'null-dereference');
});

test('strings: NUL-terminated reads stop at the terminator or fault past the end', () => {
  const s = new AddressSpace();
  assert.equal(readCString(allocateString(s, 'hello', 1), 1), 'hello');
  assert.equal(readCString(allocateString(s, 'wide', 2), 2), 'wide');
  const a = s.allocate('stack', 4);
  writeChars(new Ptr(a, 0), 'abcd', 1, false);
  assert.throws(() => readCString(new Ptr(a, 0), 1), (e) => e instanceof MemoryError && e.kind === 'out-of-bounds' && /reads 1 byte at offset 4/.test(e.message));
  assert.throws(() => writeChars(new Ptr(a, 2), 'xyz', 1, false), (e) => e instanceof MemoryError && e.kind === 'out-of-bounds');
  store(new Ptr(a, 0), USHORT, 0x41);
  assert.equal(readChars(new Ptr(a, 0), 2, 1), 'A');
});
