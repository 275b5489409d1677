/**
 * RTL bitmaps over the driver's own array (engine/kernel/bitmap.ts) and ExUuidCreate
 * (engine/kernel/uuid.ts), on a driver written for these tests (test/fixtures/routines/bitmap.c).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runWorld, oneDriver } from '../worldRun';

const files = oneDriver('bitmap.c', readFileSync(path.resolve('test/fixtures/routines/bitmap.c'), 'utf8'));

test('bitmap routines read and write the bits in the driver\'s ULONG array; searches go up from the hint, then wrap; ExUuidCreate makes distinct version-4 UUIDs', async () => {
  const w = await runWorld('/t/s.fltsim', 'driver "bitmap.c"\nunload at 2', files);
  assert.equal(w.fault, undefined, w.fault?.message);
  assert.deepEqual(w.sim.kernel.output, [
    'size 70 untouched FFFFFFFF', // RtlInitializeBitMap leaves the bits as they were
    'words 000000F8 00000002 00000000', // bits 3..7 and 33
    'test 1 0 check 1 set 6 clear 64',
    'are-set 1 0 are-clear 1 past 0', // a range past the end is FALSE
    'find-and-set 4 from 0: 8', // 0..2 is too short
    'find 3 from 68: 0', // 68..69 is too short: the search wraps to bit 0
    'find 71: FFFFFFFF',
    'find-set-and-clear 5 from 1: 3 words 00000F00',
    'longest 36 at 34',
    'next from 34: 36 at 34',
    'uuid 0x00000000 version 4 variant 2 differ 1',
  ]);
  assert.deepEqual(w.sim.violations.map((v) => v.rule), []);
});

test('a range past the bitmap\'s end is an invalid-parameter violation at the call and changes nothing', async () => {
  const w = await runWorld('/t/s.fltsim', 'driver "bitmap.c"\ndefine OUT_OF_RANGE\nunload at 2', files);
  assert.equal(w.fault, undefined, w.fault?.message);
  const v = w.sim.violations.filter((x) => x.rule === 'invalid-parameter');
  assert.deepEqual(v.map((x) => x.message), ['RtlSetBits: bits 68..70 reach past the bitmap\'s 70 bits']);
  const source = readFileSync(path.resolve('test/fixtures/routines/bitmap.c'), 'utf8').split('\n');
  assert.equal(v[0]!.location?.line, source.findIndex((l) => l.includes('RtlSetBits(&Map, 68, 3)')) + 1);
  assert.ok(w.sim.kernel.output.includes('after past-end words 00000F00 00000002 00000000'), w.sim.kernel.output.join('\n'));
});
