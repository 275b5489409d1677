/**
 * The disk under a volume answers the storage queries USB and DLP filters send from instance setup
 * (engine/fltmgr/storageQueries.ts), through the storage device and through FltOpenVolume +
 * FltDeviceIoControlFile; a filter written for the tests (test/fixtures/routines/storagequery.c)
 * refuses USB volumes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runWorld, oneDriver } from '../worldRun';

const files = oneDriver('storagequery.c', readFileSync(path.resolve('test/fixtures/routines/storagequery.c'), 'utf8'));

test('a fixed volume is a SATA disk and a removable one a USB disk; the filter attaches to the first only', async () => {
  const w = await runWorld('/t/s.fltsim', [
    'driver "storagequery.c"',
    'volume "\\Device\\HarddiskVolume1"',
    'volume "\\Device\\HarddiskVolume2" fs fat removable',
    'unload at 5',
  ].join('\n'), files);
  assert.equal(w.fault, undefined, w.fault?.message);
  assert.deepEqual(w.sim.kernel.output, [
    'header 0 8 size>fixed 1',
    'device 0 bus 11 removable 0 vendor FLTSIM product Virtual Disk',
    'exists 0',
    'trim c00000bb',
    'short input c000000d',
    'extents 0 count 1 disk 0 start 1048576',
    'adapter 0 32 bus 11',
    'attach 1',
    'header 0 8 size>fixed 1',
    'device 0 bus 7 removable 1 vendor FLTSIM product USB Flash Disk',
    'exists 0',
    'trim c00000bb',
    'short input c000000d',
    'extents 0 count 1 disk 1 start 1048576',
    'adapter 0 32 bus 7',
    'attach 0',
  ]);
  assert.deepEqual(w.sim.violations.map((v) => v.rule), []);
});
