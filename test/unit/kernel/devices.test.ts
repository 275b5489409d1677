/**
 * Control device objects (issue 12, item 7) on a fixture written for these tests
 * (test/fixtures/cdo/cdofilter.c): IoCreateDevice with an extension, a symbolic link, scenario I/O
 * by either name reaching the dispatch routine as IRPs the filters never see, and the driver's
 * mistakes: an IRP never completed, a device never deleted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { STATUS } from '../../../engine';
import { World } from '../../../engine/run/world';
import { oneDriver, runWorld } from '../worldRun';

const driver = readFileSync(path.resolve('test/fixtures/cdo/cdofilter.c'), 'utf8');
const WORKLOAD = [
  'io #1 create "\\FileSystem\\Filters\\TestCdo" at 1',
  'io #2 ioctl "\\DosDevices\\TestCdo" code 0x222000 length 4 at 2',
  'io #3 read "\\FileSystem\\Filters\\TestCdo" at 3',
  'io #4 cleanup "\\FileSystem\\Filters\\TestCdo" at 4',
  'io #5 close "\\FileSystem\\Filters\\TestCdo" at 5',
  'io #6 create "\\Device\\HarddiskVolume1\\a.txt" at 6',
  'unload at 8',
].join('\n');

async function run(caseNo: number): Promise<World> {
  const files = oneDriver('cdofilter.c', driver);
  const world = await runWorld('/t/d.fltsim', `driver "cdofilter.c"\ndefine CASE ${caseNo}\n${WORKLOAD}\n`, files);
  assert.equal(world.fault, undefined, world.fault?.message);
  return world;
}

test('I/O to the device (by name or by its link) becomes IRPs for the dispatch routine; volume I/O still goes to the filters', async () => {
  const world = await run(0);
  const sim = world.sim;
  assert.deepEqual(sim.output, [
    'device linked=1 again=c0000035 second=1',
    'dispatch major=0 mine=1',
    'dispatch major=14 mine=1',
    'dispatch major=3 mine=1',
    'dispatch major=18 mine=1',
    'dispatch major=2 mine=1',
    'unload opens=1 magic=cd0',
  ]);
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((i) => sim.result(i)?.status), [
    STATUS.STATUS_SUCCESS, STATUS.STATUS_SUCCESS, STATUS.STATUS_INVALID_DEVICE_REQUEST, STATUS.STATUS_SUCCESS, STATUS.STATUS_SUCCESS, STATUS.STATUS_SUCCESS,
  ]);
  // The IOCTL answered with one ULONG; the create with FILE_OPENED.
  assert.equal(sim.result(2)?.information, 4);
  assert.equal(sim.result(1)?.information, 1);
  assert.deepEqual(sim.violations, []);
});

test('a dispatch routine that returns without IoCompleteRequest is irp-not-completed', async () => {
  const world = await run(1);
  assert.deepEqual(world.sim.violations.map((v) => v.rule), ['irp-not-completed']);
  assert.match(world.sim.violations[0]!.message, /#4 without calling IoCompleteRequest/);
});

test('a device never deleted leaves its extension behind: pool-leak once every driver has unloaded', async () => {
  const world = await run(2);
  const leaks = world.sim.violations.filter((v) => v.rule === 'pool-leak');
  assert.equal(leaks.length, 1);
  assert.match(leaks[0]!.message, /IoCreateDevice/);
});
