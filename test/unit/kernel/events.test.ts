/**
 * The event log stores events in typed columns and string chunks, optionally as a ring. Whatever
 * the layout, reading one event by seq must give the same event as the full listing, and a ring
 * must drop exactly the oldest ones. The debug adapter follows a run through `get(seq)` alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { EventLog } from '../../../engine/kernel/events';
import type { Irql } from '../../../engine/kernel/irql';

function fill(log: EventLog, n: number): void {
  for (let i = 1; i <= n; i++) {
    const loc = i % 3 === 0 ? { file: 'f.c', line: i } : undefined;
    log.append(i * 10, i % 5, `T${i % 5}`, (i % 3) as Irql, i % 2 ? 'output' : 'pend', i, `d${i}`, loc, i % 4 === 0 ? i / 4 : 0);
  }
}

test('get(seq) agrees with all() and with what was appended, in an unbounded log and in a ring', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 3000 }), fc.option(fc.integer({ min: 1, max: 1500 }), { nil: undefined }), (n, limit) => {
      const log = new EventLog(limit ?? Infinity);
      fill(log, n);
      assert.equal(log.total, n);
      const all = log.all();
      const kept = limit === undefined ? n : Math.min(n, limit);
      assert.equal(all.length, kept);
      assert.equal(log.length, kept);
      for (const e of all) {
        assert.equal(log.get(e.seq), e);
        assert.equal(e.time, e.seq * 10);
        assert.equal(e.detail, `d${e.seq}`);
        assert.equal(e.threadName, `T${e.seq % 5}`);
        assert.equal(e.kind, e.seq % 2 ? 'output' : 'pend');
        assert.deepEqual(e.location, e.seq % 3 === 0 ? { file: 'f.c', line: e.seq } : undefined);
        assert.equal(e.item, e.seq % 4 === 0 ? e.seq / 4 : undefined, 'the work item column, absent when 0');
      }
      if (kept > 0) assert.equal(all[0]!.seq, n - kept + 1);
      // Dropped and future seqs have no event.
      assert.equal(log.get(n - kept), undefined);
      assert.equal(log.get(n + 1), undefined);
    }),
    { numRuns: 60 },
  );
});
