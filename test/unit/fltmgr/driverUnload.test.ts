/**
 * DriverObject->DriverUnload of a minifilter runs after its filter is unregistered (FilterUnload
 * first, then the driver's own routine), whether the driver stored it before FltRegisterFilter or
 * after; never when FilterUnload refused. Fixture: test/fixtures/unload/driverunload.c.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { World } from '../../../engine/run/world';
import { oneDriver, runWorld } from '../worldRun';

const driver = readFileSync(path.resolve('test/fixtures/unload/driverunload.c'), 'utf8');

async function run(caseNo: number): Promise<World> {
  const world = await runWorld('/t/d.fltsim', `driver "driverunload.c"\ndefine CASE ${caseNo}\nunload at 5\n`, oneDriver('driverunload.c', driver));
  assert.equal(world.fault, undefined, world.fault?.message);
  return world;
}

test('DriverUnload stored before FltRegisterFilter runs after FilterUnload; what it frees is no leak', async () => {
  const { sim } = await run(0);
  assert.deepEqual(sim.output, ['FilterUnload flags=0', 'DriverUnload table=1']);
  assert.deepEqual(sim.violations.map((v) => v.rule), []);
  assert.equal(sim.snapshot().filters[0]!.state, 'unloaded');
});

test('DriverUnload stored after FltStartFiltering runs too, last', async () => {
  const { sim } = await run(1);
  assert.deepEqual(sim.output, ['FilterUnload flags=0', 'DriverUnload table=1']);
  assert.deepEqual(sim.violations.map((v) => v.rule), []);
});

test('a refused unload does not call DriverUnload', async () => {
  const { sim } = await run(2);
  assert.deepEqual(sim.output, ['FilterUnload flags=0']);
  assert.equal(sim.violations.filter((v) => v.rule === 'pool-leak').length, 0, 'the driver is still loaded: its table is not a leak');
});

test('FltUnregisterFilter again from DriverUnload is unregister-invalid (the filter is already gone)', async () => {
  const { sim } = await run(3);
  assert.deepEqual(sim.output, ['FilterUnload flags=0', 'DriverUnload table=1']);
  const bad = sim.violations.filter((v) => v.rule === 'unregister-invalid');
  assert.equal(bad.length, 1);
  assert.match(bad[0]!.message, /second time/);
});
