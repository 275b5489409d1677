// FLT_PARAMETERS of a read or write: Read and Write are one member of the C union, so the engine's
// object gives the same value for both, and only Read is written when the block goes to C memory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeParameters } from '../../../engine/fltmgr/structs';
import { IRP_MJ } from '../../../engine/fltmgr/constants';

const input = (major: number) => ({ major, length: 512, offset: 4096, infoClass: 0, code: 0, createOptions: 0, data: new Uint8Array(512).fill(7) });

test('a write\'s Parameters.Write is its Parameters.Read (one union member), and only Read is an own enumerable member', () => {
  for (const major of [IRP_MJ.READ, IRP_MJ.WRITE]) {
    const p = makeParameters(input(major));
    assert.ok(p.Read !== undefined);
    assert.equal(p.Write, p.Read);
    assert.deepEqual(Object.keys(p), ['Read'], 'Write is not laid out a second time');
    assert.equal((p.Write as { Length: number }).Length, 512);
  }
  const w = makeParameters(input(IRP_MJ.WRITE));
  assert.equal(((w.Write as { WriteBuffer: { contents?: Uint8Array } }).WriteBuffer.contents ?? [])[0], 7, 'a write carries its data');
});

test('assigning Write sets it apart from Read, as assigning any member does; other majors have no Write', () => {
  const p = makeParameters(input(IRP_MJ.WRITE));
  const read = p.Read;
  const other = { Length: 1 };
  (p as Record<string, unknown>).Write = other;
  assert.equal(p.Write, other);
  assert.equal(p.Read, read);
  assert.deepEqual(Object.keys(p), ['Read']);
  assert.equal(makeParameters(input(IRP_MJ.QUERY_INFORMATION)).Write, undefined);
});
