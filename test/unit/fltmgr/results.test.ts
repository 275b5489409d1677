/**
 * ResultTable keeps finished requests' outcomes in columns for small ids and as objects otherwise;
 * either way `get` must give back exactly what was recorded, the last record winning.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResultTable } from '../../../engine/fltmgr/fltmgr';

test('ResultTable returns what was recorded, for dense, huge and fractional ids, and odd Information values', () => {
  const r = new ResultTable();
  assert.equal(r.get(1), undefined);
  r.setDone(1, 1, 0, 4096);
  r.setDone(5000, 7, 0xc0000120, 0);
  r.setDone(2 ** 40, 3, 0x103, 12);
  r.setDone(2.5, 9, 0, 1);
  const marker = { pointer: true };
  r.setDone(3, 4, 0, marker);
  assert.deepEqual(r.get(1), { io: 1, data: 1, status: 0, information: 4096, state: 'done' });
  assert.deepEqual(r.get(5000), { io: 5000, data: 7, status: 0xc0000120, information: 0, state: 'done' });
  assert.deepEqual(r.get(2 ** 40), { io: 2 ** 40, data: 3, status: 0x103, information: 12, state: 'done' });
  assert.deepEqual(r.get(2.5), { io: 2.5, data: 9, status: 0, information: 1, state: 'done' });
  assert.equal(r.get(3)!.information, marker);
  assert.equal(r.get(2), undefined);
  assert.equal(r.has(4999), false);
  assert.equal(r.has(5000), true);
  // A later record for the same id replaces the earlier one, whichever way each was kept.
  r.setDone(3, 8, 0, 100);
  assert.deepEqual(r.get(3), { io: 3, data: 8, status: 0, information: 100, state: 'done' });
  r.setDone(1, 2, 0xc0000001, marker);
  assert.equal(r.get(1)!.data, 2);
  assert.equal(r.get(1)!.information, marker);
});
