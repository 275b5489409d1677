/**
 * qsort and bsearch (engine/interp/builtins/sorting.ts) with the driver's comparators, on a driver
 * written for these tests (test/fixtures/routines/sorting.c).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runWorld, oneDriver } from '../worldRun';

const source = readFileSync(path.resolve('test/fixtures/routines/sorting.c'), 'utf8');
const files = oneDriver('sorting.c', source);

test('qsort orders integers and pointer-holding structs with the driver\'s comparator; bsearch finds by it', async () => {
  const w = await runWorld('/t/s.fltsim', 'driver "sorting.c"', files);
  assert.equal(w.fault, undefined, w.fault?.message);
  // One DbgPrint per element, the last one ending its line.
  assert.deepEqual(w.sim.kernel.output, [
    '1 ', '3 ', '7 ', '7 ', '19 ', '42 ', '64 ', '100',
    'calls ok',
    '10:ten ', '20:twenty ', '30:thirty ', '40:forty', // the Name pointers moved with their structs
    'hit index 6',
    'missing NULL',
    'entry twenty',
  ]);
  assert.deepEqual(w.sim.violations.map((v) => v.rule), []);
});

test('qsort without a comparator stops at the call', async () => {
  const w = await runWorld('/t/s.fltsim', 'driver "sorting.c"\ndefine NOCOMPARE', files);
  assert.equal(w.fault?.kind, 'null-dereference');
  assert.match(w.fault!.message, /qsort needs a comparison function; it was given NULL/);
  assert.equal(w.fault?.line, source.split('\n').findIndex((l) => l.includes('qsort(numbers, 8, sizeof(ULONG), NULL)')) + 1);
});
