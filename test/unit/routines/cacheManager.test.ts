/**
 * The cache flushes filters call (engine/fltmgr/cacheManager.ts) and the SECTION_OBJECT_POINTERS
 * a file object gets from the file system (sectionPointers.ts), on a filter written for these
 * tests (test/fixtures/routines/cache.c).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runWorld, oneDriver } from '../worldRun';

const files = oneDriver('cache.c', readFileSync(path.resolve('test/fixtures/routines/cache.c'), 'utf8'));
const V = '\\Device\\HarddiskVolume1';

test('a file object the file system opened points at its stream\'s SECTION_OBJECT_POINTERS; with nothing cached or mapped, flush and purge succeed', async () => {
  const w = await runWorld('/t/s.fltsim', ['driver "cache.c"', `io #1 create "${V}\\a.txt" at 1`, `io #2 create "${V}\\a.txt" at 2`, 'unload at 5'].join('\n'), files);
  assert.equal(w.fault, undefined, w.fault?.message);
  const once = ['flush 0x00000000 0 cached 0', 'purge 1 image write 1 image delete 1'];
  assert.deepEqual(w.sim.kernel.output, ['pre-create pointers null 1', ...once, 'pre-create pointers null 1', ...once, 'same stream, same pointers 1']);
  assert.deepEqual(w.sim.violations.map((v) => v.rule), []);
});

test('a purge without the stream\'s pointers is reported at its line', async () => {
  const w = await runWorld('/t/s.fltsim', ['driver "cache.c"', 'define NULL_POINTERS', `io #1 create "${V}\\a.txt" at 1`, 'unload at 5'].join('\n'), files);
  assert.equal(w.fault, undefined, w.fault?.message);
  const line = readFileSync(path.resolve('test/fixtures/routines/cache.c'), 'utf8').split('\n').findIndex((l) => l.includes('CcPurgeCacheSection(NULL')) + 1;
  assert.deepEqual(w.sim.violations.map((v) => `${v.rule} ${v.location?.line}`), [`null-param ${line}`]);
});
