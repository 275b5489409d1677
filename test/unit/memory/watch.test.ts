import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AddressSpace } from '../../../engine/memory/space';
import { Allocation } from '../../../engine/memory/allocation';
import { isWatched, unwatchAllocation, watchAllocation, type WatchedAccess } from '../../../engine/memory/watch';
import { MemoryIndex, parseAddress } from '../../../engine/run/debuggee/memoryIndex';

function recorder(): { seen: string[]; freed: number; listener: Parameters<typeof watchAllocation>[2] } {
  const r = {
    seen: [] as string[],
    freed: 0,
    listener: {
      access: (_a: Allocation, x: WatchedAccess) => r.seen.push(`${x.kind} ${x.offset}+${x.size}`),
      freed: () => void r.freed++,
    },
  };
  return r;
}

test('a watch hears every accessor that overlaps its range, and nothing outside it', () => {
  const s = new AddressSpace();
  const a = s.allocate('pool', 32, { zeroed: true });
  const src = s.allocate('pool', 32, { zeroed: true });
  const r = recorder();
  watchAllocation(a, [{ offset: 8, size: 4 }], r.listener);
  a.writeInt(0, 4, 1); // outside
  a.writeInt(8, 4, 5);
  assert.equal(a.readInt(10, 2, false), 0);
  a.writeInt(12, 4, 1); // just past the end
  a.fill(0, 16, 0xab);
  a.writeBytes(11, [1, 2]);
  a.writePointer(8, null);
  a.copyFrom(src, 0, 4, 8);
  const dst = s.allocate('pool', 32);
  dst.copyFrom(a, 8, 0, 4); // a is read by the copy
  assert.deepEqual(r.seen, ['write 8+4', 'read 10+2', 'write 0+16', 'write 11+2', 'write 8+8', 'write 4+8', 'read 8+4']);
});

test('an unwatched allocation runs the class accessors; unwatching restores them; freeing ends the watch', () => {
  const s = new AddressSpace();
  const a = s.allocate('pool', 16, { zeroed: true });
  const other = s.allocate('pool', 16, { zeroed: true });
  const r = recorder();
  watchAllocation(a, [{ offset: 0, size: 16 }], r.listener);
  assert.equal(Object.prototype.hasOwnProperty.call(other, 'writeInt'), false);
  assert.equal(other.writeInt, Allocation.prototype.writeInt);
  unwatchAllocation(a);
  assert.equal(a.writeInt, Allocation.prototype.writeInt);
  a.writeInt(0, 4, 1);
  assert.deepEqual(r.seen, []);
  watchAllocation(a, [{ offset: 0, size: 4 }], r.listener);
  s.free(a);
  assert.equal(r.freed, 1);
  assert.equal(isWatched(a), false);
});

test('the memory index finds allocations by address and id, answers unreadable bytes for gaps and freed blocks', () => {
  const s = new AddressSpace();
  const index = new MemoryIndex();
  s.onAllocate = (a) => index.add(a);
  const a = s.allocate('pool', 8, { zeroed: true });
  const b = s.allocate('pool', 8, { zeroed: true });
  const u = s.allocate('user', 4, { zeroed: true });
  a.writeBytes(0, [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(index.at(a.base + 7), a);
  assert.equal(index.at(a.base + 8), undefined, 'the gap after a block');
  assert.equal(index.byId(b.id), b);
  assert.equal(index.at(u.base), u);
  const r = index.read(a.base + 6, 64);
  assert.deepEqual([...r.bytes], [7, 8]);
  assert.equal(r.unreadable, b.base - (a.base + 8), 'unreadable up to the next block');
  s.free(a);
  const gone = index.read(a.base, 4);
  assert.equal(gone.bytes.length, 0);
  assert.equal(gone.unreadable, 4);
  assert.match(gone.why ?? '', /freed/);
  assert.equal(index.writable(a.base, 1).ok, false);
  assert.equal(index.writable(b.base + 6, 4).ok, false, 'past the end');
  assert.equal(index.writable(b.base + 4, 4).ok, true);
  assert.equal(parseAddress(`0x${BigInt.asUintN(64, BigInt(b.base)).toString(16)}`), b.base);
  assert.equal(parseAddress('16'), 16);
  assert.equal(parseAddress('gReads'), undefined);
});
