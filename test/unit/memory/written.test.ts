// Memory is paid for when written: a block costs the pages its writes touch, freed blocks give them
// back, and past the run's `memory` limit a write that needs a new page fails with 'memory-limit'
// (a run stop naming the limit) instead of exhausting the process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AddressSpace } from '../../../engine/memory/space';
import { PAGE_SIZE } from '../../../engine/memory/allocation';
import { MemoryError } from '../../../engine/memory/errors';

test('a 256 MiB block costs nothing until written, then one page per page touched; freeing gives them back', () => {
  const s = new AddressSpace();
  const a = s.allocate('pool', 256 * 1024 * 1024);
  assert.equal(s.written, 0);
  a.writeInt(0, 1, 1);
  a.writeInt(a.size - 1, 1, 2);
  assert.equal(s.written, 2 * PAGE_SIZE);
  a.fill(PAGE_SIZE, 3 * PAGE_SIZE, 0xab);
  assert.equal(s.written, 5 * PAGE_SIZE);
  assert.equal(a.readInt(a.size - 1, 1, false), 2);
  s.free(a);
  assert.equal(s.written, 0);
});

test('small blocks count the size class of their page, and recycled pages are counted once', () => {
  const s = new AddressSpace();
  const a = s.allocate('stack', 10);
  a.writeInt(0, 4, 7);
  assert.equal(s.written, 16);
  s.free(a);
  assert.equal(s.written, 0);
  const b = s.allocate('stack', 12);
  b.writeInt(0, 4, 7);
  assert.equal(s.written, 16, 'the recycled page is counted again, once');
});

test('past the limit a write that needs a new page fails with memory-limit and names the knob; written pages stay usable', () => {
  const s = new AddressSpace();
  s.writtenLimit = 3 * PAGE_SIZE;
  s.writtenHint = 'raise it with `limit memory N`';
  const a = s.allocate('pool', 16 * PAGE_SIZE);
  a.fill(0, 3 * PAGE_SIZE, 1);
  assert.equal(s.written, 3 * PAGE_SIZE);
  assert.throws(() => a.writeInt(3 * PAGE_SIZE, 1, 1), (e: unknown) => {
    assert.ok(e instanceof MemoryError);
    assert.equal(e.kind, 'memory-limit');
    assert.equal(e.message, "would write past the run's memory limit: 12 KiB of memory is written already and the limit is 12 KiB; raise it with `limit memory N`");
    return true;
  });
  a.writeInt(PAGE_SIZE + 5, 1, 9);
  assert.equal(a.readInt(PAGE_SIZE + 5, 1, false), 9, 'a page already written is written again freely');
  s.free(a);
  const b = s.allocate('pool', PAGE_SIZE);
  b.writeInt(0, 1, 1);
  assert.equal(s.written, PAGE_SIZE, 'after a free there is room again');
});

test('pages made one after another, across many runs, hold their own bytes and start zeroed (or uninitialised) whatever came before', () => {
  // Enough small and full pages to span several of the shared slabs pages are carved from.
  const spaces = [new AddressSpace(), new AddressSpace(), new AddressSpace()];
  const blocks: { a: ReturnType<AddressSpace['allocate']>; byte: number }[] = [];
  for (let i = 0; i < 120; i++) {
    const s = spaces[i % spaces.length]!;
    const size = i % 5 === 0 ? PAGE_SIZE : 16 << (i % 6);
    const a = s.allocate('pool', size, { zeroed: i % 2 === 0 });
    // A fresh page reads as zeros: zeroed memory as initialised ones, the rest as never written.
    assert.equal(a.isInitialized(size - 1, 1), i % 2 === 0);
    // Zero bytes every third block: a page overlapping the one before would clear its mask there.
    const byte = i % 3 === 0 ? 0 : i & 0xff;
    a.fill(0, size, byte);
    blocks.push({ a, byte });
  }
  for (const { a, byte } of blocks) {
    assert.ok(a.isInitialized(0, a.size), `${a.describe()} stayed initialised`);
    const bytes = a.readBytes(0, a.size);
    assert.ok(bytes.every((b) => b === byte), `${a.describe()} kept its bytes`);
  }
  // Freed small pages are recycled cleared: the next block on one reads zeros, not the old bytes.
  const s = spaces[0]!;
  const old = s.allocate('pool', 32);
  old.fill(0, 32, 0x5a);
  s.free(old);
  const next = s.allocate('pool', 32, { zeroed: true });
  next.writeInt(0, 1, 1);
  assert.equal(next.readInt(8, 8, false), 0);
});
