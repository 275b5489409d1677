import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AddressSpace } from '../../../engine/memory/space';
import { MemoryError } from '../../../engine/memory/errors';
import { Ptr } from '../../../engine/memory/pointer';
import { PAGE_SIZE } from '../../../engine/memory/allocation';

function memoryError(kind: MemoryError['kind'], message: string | RegExp): (e: unknown) => boolean {
  return (e) => {
    assert.ok(e instanceof MemoryError, `expected a MemoryError, got ${String(e)}`);
    assert.equal(e.kind, kind);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  };
}

test('integers are stored little-endian and read back with their signedness', () => {
  const s = new AddressSpace();
  const a = s.allocate('pool', 16, { label: 'pool block #1' });
  a.writeInt(0, 4, 0x11223344);
  assert.deepEqual([...a.readBytes(0, 4)], [0x44, 0x33, 0x22, 0x11]);
  a.writeInt(4, 2, -2);
  assert.equal(a.readInt(4, 2, true), -2);
  assert.equal(a.readInt(4, 2, false), 0xfffe);
  a.writeInt(6, 1, 0x1ff);
  assert.equal(a.readInt(6, 1, false), 0xff);
  assert.equal(a.readInt(6, 1, true), -1);
  a.writeInt(8, 8, -1);
  assert.equal(a.readInt(8, 8, true), -1);
  assert.equal(a.readInt(8, 8, false), 0xffff_ffff_ffff_ffffn);
});

test('64-bit values are exact: numbers while safe, bigints beyond 2^53', () => {
  const s = new AddressSpace();
  const a = s.allocate('pool', 8);
  a.writeInt(0, 8, Number.MAX_SAFE_INTEGER);
  assert.equal(a.readInt(0, 8, false), Number.MAX_SAFE_INTEGER);
  a.writeInt(0, 8, 0xabab_abab_abab_ababn);
  assert.equal(a.readInt(0, 8, false), 0xabab_abab_abab_ababn);
  assert.equal(a.readInt(0, 8, true), BigInt.asIntN(64, 0xabab_abab_abab_ababn));
  a.writeInt(0, 8, -(2 ** 53) + 1);
  assert.equal(a.readInt(0, 8, true), -(2 ** 53) + 1);
  a.fill(0, 8, 0xab);
  assert.equal(a.readInt(0, 8, false), 0xabab_abab_abab_ababn);
  assert.equal(a.readInt(0, 4, false), 0xabababab);
});

test('floats round-trip in 4 and 8 bytes', () => {
  const a = new AddressSpace().allocate('stack', 12);
  a.writeFloat(0, 8, Math.PI);
  a.writeFloat(8, 4, 1.5);
  assert.equal(a.readFloat(0, 8), Math.PI);
  assert.equal(a.readFloat(8, 4), 1.5);
  assert.deepEqual([...a.readBytes(8, 4)], [0, 0, 0xc0, 0x3f]);
});

test('an access past the end names the bytes, the offset and the allocation', () => {
  const a = new AddressSpace().allocate('pool', 16, { label: "pool block #3 (tag 'Tag1')" });
  assert.throws(() => a.readInt(14, 4, false), memoryError('out-of-bounds', "reads 4 bytes at offset 14 of a 16-byte pool block #3 (tag 'Tag1'): past its end (only 2 left)"));
  assert.throws(() => a.writeInt(16, 1, 0), memoryError('out-of-bounds', "writes 1 byte at offset 16 of a 16-byte pool block #3 (tag 'Tag1'): past its end"));
  assert.throws(() => a.readInt(-4, 4, false), memoryError('out-of-bounds', "reads 4 bytes at offset -4 of a 16-byte pool block #3 (tag 'Tag1'): before its start"));
  assert.throws(() => a.fill(8, 9, 0), memoryError('out-of-bounds', /^writes 9 bytes at offset 8 of a 16-byte/));
});

test('reading never-written bytes is an uninitialised read; zeroed memory reads as zeros', () => {
  const s = new AddressSpace();
  const a = s.allocate('stack', 8, { label: "local 'x' of F" });
  a.writeInt(0, 2, 7);
  assert.equal(a.readInt(0, 2, false), 7);
  assert.throws(() => a.readInt(0, 4, false), memoryError('uninitialized-read', "reads 4 bytes at offset 0 of a 8-byte local 'x' of F: 2 of them were never written (offsets 2–3)"));
  assert.throws(() => a.readInt(4, 4, false), memoryError('uninitialized-read', "reads 4 bytes at offset 4 of a 8-byte local 'x' of F before anything was written there"));
  const z = s.allocate('pool', 8, { zeroed: true });
  assert.equal(z.readInt(0, 8, false), 0);
  assert.equal(z.isInitialized(0, 8), true);
  assert.equal(a.isInitialized(0, 2), true);
  assert.equal(a.isInitialized(0, 3), false);
});

test('an uninitialised-read handler may report and let the read go on with the bytes there', () => {
  const s = new AddressSpace();
  const seen: [number, number][] = [];
  s.onUninitialized = (_a, off, size) => seen.push([off, size]);
  const a = s.allocate('stack', 8);
  a.writeInt(1, 1, 0x12);
  assert.equal(a.readInt(0, 4, false), 0x1200);
  assert.deepEqual(seen, [[0, 4]]);
});

test('after free every access is use-after-free, naming where it was freed; a stack slot says use after return', () => {
  const s = new AddressSpace();
  const a = s.allocate('pool', 16, { label: 'pool block #1' });
  a.writeInt(0, 4, 1);
  assert.equal(s.free(a, { file: 'drv.c', line: 40, column: 5 }), true);
  assert.throws(() => a.readInt(0, 4, false), memoryError('use-after-free', 'reads 4 bytes at offset 0 of a 16-byte pool block #1 after it was freed at drv.c:40:5 (use after free)'));
  assert.throws(() => a.writeInt(4, 4, 1), memoryError('use-after-free', /^writes 4 bytes at offset 4 .* after it was freed/));
  assert.equal(s.free(a), false, 'a second free is reported by the caller');
  const local = s.allocate('stack', 4, { label: "local 'v' of Helper" });
  s.free(local);
  assert.throws(() => local.readInt(0, 4, false), memoryError('use-after-free', "reads 4 bytes at offset 0 of a 4-byte local 'v' of Helper after the function that owned it returned (use after return)"));
});

test('handles and code cannot be dereferenced', () => {
  const s = new AddressSpace();
  const h = s.allocate('opaque', 0, { label: 'PFLT_INSTANCE of Counting' });
  assert.throws(() => h.readInt(0, 4, false), memoryError('not-dereferenceable', 'reads memory through PFLT_INSTANCE of Counting, a handle C code cannot dereference (pass it to the routines that take it)'));
  const fn = { kind: 'function' as const, name: 'PreRead' };
  const code = s.codeFor(fn);
  assert.throws(() => code.writeInt(0, 1, 0), memoryError('not-dereferenceable', 'writes memory through a pointer to the function PreRead'));
  assert.equal(s.codeFor(fn), code, 'one code allocation per function');
});

test('a stored pointer keeps its provenance; overwriting one of its bytes leaves a plain integer', () => {
  const s = new AddressSpace();
  const target = s.allocate('pool', 32);
  const holder = s.allocate('pool', 24);
  const p = new Ptr(target, 8);
  holder.writePointer(8, p);
  assert.equal(holder.readPointer(8), p, 'the same pointer value comes back');
  assert.equal(holder.readInt(8, 8, true), target.base + 8, 'its bytes are the address');
  const byte1 = holder.readBytes(9, 1)[0];
  holder.writeInt(9, 1, byte1); // the same byte value, written as an integer
  const back = holder.readPointer(8) as Ptr;
  assert.ok(back instanceof Ptr);
  // Reading the whole pointer as an integer above exposed `target`, so the address finds it again.
  assert.equal(back.alloc, target);
  assert.equal(back.offset, 8);
  assert.equal(holder.provenance().size, 0);
});

test('without exposure, an integer that happens to equal an address has no provenance', () => {
  const s = new AddressSpace();
  const target = s.allocate('pool', 32);
  const holder = s.allocate('pool', 8);
  holder.writeInt(0, 8, target.base);
  const p = holder.readPointer(0) as Ptr;
  assert.equal(p.alloc, null);
  assert.equal(p.address, target.base);
});

test('NULL stores as eight zero bytes and reads back as null', () => {
  const s = new AddressSpace();
  const a = s.allocate('pool', 8);
  a.writePointer(0, null);
  assert.equal(a.readPointer(0), null);
  assert.deepEqual([...a.readBytes(0, 8)], [0, 0, 0, 0, 0, 0, 0, 0]);
});

test('a function pointer stored in memory comes back as the function', () => {
  const s = new AddressSpace();
  const fn = { kind: 'function' as const, name: 'PreRead' };
  const a = s.allocate('global', 16);
  a.writePointer(0, fn);
  assert.equal(a.readPointer(0), fn);
  a.copyFrom(a, 0, 8, 8);
  assert.equal(a.readPointer(8), fn);
});

test('memcpy copies bytes, initialisation and whole pointers; a pointer cut by the range loses provenance', () => {
  const s = new AddressSpace();
  const t1 = s.allocate('pool', 8);
  const t2 = s.allocate('pool', 8);
  const src = s.allocate('pool', 32);
  src.writePointer(0, new Ptr(t1, 0));
  src.writeInt(8, 4, 0xdeadbeef);
  src.writePointer(16, new Ptr(t2, 4));
  // bytes 12..15 never written
  const dst = s.allocate('pool', 32);
  dst.copyFrom(src, 0, 0, 32);
  assert.equal((dst.readPointer(0) as Ptr).alloc, t1);
  assert.equal(dst.readInt(8, 4, false), 0xdeadbeef);
  assert.equal(dst.isInitialized(12, 4), false, 'uninitialised bytes stay uninitialised');
  assert.equal((dst.readPointer(16) as Ptr).offset, 4);
  const cut = s.allocate('pool', 32);
  cut.copyFrom(src, 4, 0, 16); // the first pointer's upper half, the int, the gap, and nothing of the second
  assert.equal(cut.provenance().size, 0);
  assert.equal(cut.readInt(4, 4, false), 0xdeadbeef);
});

test('memmove within one allocation handles overlap', () => {
  const a = new AddressSpace().allocate('pool', 16);
  a.writeBytes(0, [1, 2, 3, 4, 5, 6, 7, 8]);
  a.copyFrom(a, 0, 2, 8);
  assert.deepEqual([...a.readBytes(0, 10)], [1, 2, 1, 2, 3, 4, 5, 6, 7, 8]);
});

test('memset sets bytes and drops provenance', () => {
  const s = new AddressSpace();
  const t = s.allocate('pool', 8);
  const a = s.allocate('pool', 16);
  a.writePointer(0, new Ptr(t, 0));
  a.fill(4, 8, 0xab);
  assert.equal(a.provenance().size, 0);
  assert.deepEqual([...a.readBytes(4, 8)], Array(8).fill(0xab));
});

test('a large allocation costs only the pages written', () => {
  const a = new AddressSpace().allocate('pool', 1 << 20, { zeroed: true });
  assert.equal(a.committedBytes, 0);
  a.writeInt(512 * 1024 + 10, 4, 99);
  assert.equal(a.committedBytes, PAGE_SIZE);
  assert.equal(a.readInt(512 * 1024 + 10, 4, false), 99);
  assert.equal(a.readInt(900 * 1024, 8, false), 0, 'unwritten zeroed pages read as zero');
  assert.equal(a.committedBytes, PAGE_SIZE, 'reading does not materialise');
});

test('values that straddle a page boundary are read and written whole', () => {
  const s = new AddressSpace();
  const a = s.allocate('pool', 3 * PAGE_SIZE);
  a.writeInt(PAGE_SIZE - 2, 4, 0x01020304);
  assert.equal(a.readInt(PAGE_SIZE - 2, 4, false), 0x01020304);
  a.writeInt(2 * PAGE_SIZE - 3, 8, 0x1122_3344_5566_7788n);
  assert.equal(a.readInt(2 * PAGE_SIZE - 3, 8, false), 0x1122_3344_5566_7788n);
  const t = s.allocate('pool', 4);
  a.writePointer(PAGE_SIZE - 4, new Ptr(t, 2));
  assert.equal((a.readPointer(PAGE_SIZE - 4) as Ptr).offset, 2);
  a.writeFloat(PAGE_SIZE * 2 - 1, 8, -0.25);
  assert.equal(a.readFloat(PAGE_SIZE * 2 - 1, 8), -0.25);
});

test('a read of a partly written block names the runs nothing wrote, not the whole read', () => {
  const s = new AddressSpace();
  const msg = s.allocate('pool', 64, { label: 'pool block #1' });
  msg.writeInt(0, 4, 20); // a header's length field
  msg.fill(8, 20, 0x41); // the first 20 bytes of its payload
  assert.throws(() => msg.readBytes(0, 64), memoryError('uninitialized-read', 'reads 64 bytes at offset 0 of a 64-byte pool block #1: 40 of them were never written (offsets 4–7, 28–63)'));
  const gappy = s.allocate('pool', 16, { label: 'pool block #2' });
  for (const at of [0, 2, 4, 6, 8, 10, 12]) gappy.writeInt(at, 1, 1);
  assert.throws(() => gappy.readBytes(0, 16), memoryError('uninitialized-read', /: 9 of them were never written \(offsets 1, 3, 5, 7, and 3 more runs\)$/));
});
