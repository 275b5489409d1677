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
