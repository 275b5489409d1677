import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AddressSpace, FIRST_ADDRESS } from '../../../engine/memory/space';
import { MemoryError } from '../../../engine/memory/errors';
import { Ptr, byteDistance, hexAddress, ownerOf, resolve } from '../../../engine/memory/pointer';
import { allocateString } from '../../../engine/memory/strings';

test('allocations get increasing kernel addresses with a gap, deterministic per run', () => {
  const run = () => {
    const s = new AddressSpace();
    return [s.allocate('pool', 16), s.allocate('stack', 5), s.allocate('global', 0), s.allocate('pool', 100)];
  };
  const [a, b, c, d] = run();
  assert.equal(a.base, FIRST_ADDRESS);
  assert.equal(hexAddress(a.base), '0xffffa00000000000');
  for (const [x, y] of [[a, b], [b, c], [c, d]]) assert.ok(y.base > x.base + x.size, 'one past the end is never the next block');
  assert.deepEqual(run().map((x) => x.base), [a, b, c, d].map((x) => x.base));
  assert.deepEqual([a, b, c, d].map((x) => x.id), [1, 2, 3, 4]);
});

test('%p prints 16 hex digits of the address', () => {
  const s = new AddressSpace();
  const a = s.allocate('pool', 16);
  assert.equal(s.format(new Ptr(a, 4)), 'ffffa00000000004');
  assert.equal(s.format(null), '0000000000000000');
  assert.equal(s.format(new Ptr(null, 0x1234)), '0000000000001234');
});

test('pointer -> integer -> pointer finds the same allocation and offset', () => {
  const s = new AddressSpace();
  s.allocate('pool', 8);
  const a = s.allocate('pool', 64);
  const n = s.exposeAddress(new Ptr(a, 24));
  assert.equal(n, a.base + 24);
  const back = s.fromAddress(n) as Ptr;
  assert.equal(back.alloc, a);
  assert.equal(back.offset, 24);
  assert.equal((s.fromAddress(BigInt.asUintN(64, BigInt(n))) as Ptr).alloc, a, 'the unsigned 64-bit spelling works too');
  assert.equal((s.fromAddress(a.base + 64) as Ptr).alloc, a, 'one past the end still belongs to it');
  assert.equal(s.fromAddress(0), null);
});

test('an integer pointing at a freed block still finds it, and using it is use-after-free', () => {
  const s = new AddressSpace();
  const a = s.allocate('pool', 16, { label: 'pool block #1' });
  const n = s.exposeAddress(new Ptr(a, 0));
  s.free(a, { file: 'x.c', line: 9 });
  const p = s.fromAddress(n);
  assert.throws(() => {
    const r = resolve(p, 4, 'reads');
    r.alloc.readInt(r.offset, 4, false);
  }, (e) => e instanceof MemoryError && e.kind === 'use-after-free' && /freed at x\.c:9/.test(e.message));
});

test('an address no exposed allocation holds is a pointer without provenance', () => {
  const s = new AddressSpace();
  const p = s.fromAddress(0x20000) as Ptr;
  assert.equal(p.alloc, null);
  assert.throws(() => resolve(p, 4, 'reads'), (e) => e instanceof MemoryError && e.kind === 'bad-pointer' && e.message === 'reads 4 bytes at address 0x0000000000020000, which no allocation holds (an integer turned into a pointer)');
  assert.throws(() => resolve(new Ptr(null, 0x18), 8, 'writes'), (e) => e instanceof MemoryError && e.kind === 'null-dereference' && /NULL plus 24/.test(e.message));
  assert.throws(() => resolve(null, 4, 'reads'), (e) => e instanceof MemoryError && e.kind === 'null-dereference');
});

test('a function pointer round-trips through an integer', () => {
  const s = new AddressSpace();
  const fn = { kind: 'function' as const, name: 'Worker' };
  const n = s.exposeAddress(fn);
  assert.equal(s.fromAddress(n), fn);
  assert.equal(s.addressOf(fn), n);
});

test('pointer subtraction works within one allocation and refuses two', () => {
  const s = new AddressSpace();
  const a = s.allocate('pool', 64);
  const b = s.allocate('pool', 64);
  assert.equal(byteDistance(new Ptr(a, 40), new Ptr(a, 8)), 32);
  assert.throws(() => byteDistance(new Ptr(a, 0), new Ptr(b, 0)), (e) => e instanceof MemoryError && e.kind === 'bad-pointer');
});

test('an engine object gets one handle; the handle leads back to it and cannot be read', () => {
  const s = new AddressSpace();
  const instance = { name: 'Counting instance' };
  const h = s.handleFor(instance, 'PFLT_INSTANCE of Counting');
  assert.equal(s.handleFor(instance, 'ignored').alloc, h.alloc);
  assert.equal(ownerOf(h), instance);
  assert.equal(ownerOf(h.add(8)), undefined, 'only the handle itself stands for the object');
  assert.equal(ownerOf(new Ptr(s.allocate('pool', 8), 0)), undefined);
  assert.throws(() => resolve(h, 4, 'reads').alloc.readInt(0, 4, false), (e) => e instanceof MemoryError && e.kind === 'not-dereferenceable');
});

test('string literals are read-only', () => {
  const s = new AddressSpace();
  const p = allocateString(s, 'hello', 1);
  assert.equal(p.alloc.readInt(4, 1, false), 'o'.charCodeAt(0));
  assert.throws(() => p.alloc.writeInt(0, 1, 0x48), (e) => e instanceof MemoryError && e.kind === 'read-only' && e.message === 'writes 1 byte at offset 0 of a 6-byte string literal "hello", which is read-only (string literals are constant)');
  assert.throws(() => p.alloc.writeInt(6, 1, 0), (e) => e instanceof MemoryError && e.kind === 'out-of-bounds', 'past the end is still out of bounds');
});

test('what an observer allocates or casts leaves the run\'s addresses and exposures as they were', () => {
  const run = (look: boolean) => {
    const s = new AddressSpace();
    const a = s.allocate('pool', 16);
    if (look) {
      s.observe(() => {
        const seen = s.allocate('string', 4);
        assert.ok(seen.id < 0 && seen.base > a.base + 0x1000_0000_0000, 'set apart: its own ids and region');
        s.exposeAddress(new Ptr(a, 0));
      });
    }
    return { next: s.allocate('pool', 8).base, found: (s.fromAddress(a.base) as Ptr).alloc };
  };
  const plain = run(false);
  const looked = run(true);
  assert.equal(looked.next, plain.next);
  assert.equal(looked.found, null, 'the observer\'s cast exposed nothing');
});
