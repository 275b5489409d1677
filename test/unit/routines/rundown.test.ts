/**
 * Run-down protection (engine/kernel/rundown.ts) on a driver written for these tests
 * (test/fixtures/routines/rundown.c).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runWorld, oneDriver } from '../worldRun';

const source = readFileSync(path.resolve('test/fixtures/routines/rundown.c'), 'utf8');
const files = oneDriver('rundown.c', source);

test('the rundown waits for the holder\'s release, then refuses new references until reinitialised', async () => {
  const w = await runWorld('/t/s.fltsim', 'driver "rundown.c"', files);
  assert.equal(w.fault, undefined, w.fault?.message);
  assert.deepEqual(w.sim.kernel.output, [
    'first 1 count 2', // the count in the driver's structure: twice the holders
    'worker holds',
    'running down',
    'worker releases',
    'run down, acquire 0 count 1', // rundown begun, no holders
    'again 1',
  ]);
  assert.deepEqual(w.sim.violations.map((v) => v.rule), []);
});

test('releasing a reference nobody holds is reported at its line', async () => {
  const w = await runWorld('/t/s.fltsim', 'driver "rundown.c"\ndefine EXTRA', files);
  const v = w.sim.violations.filter((x) => x.rule === 'invalid-parameter');
  assert.equal(v.length, 1, w.sim.violations.map((x) => x.message).join('\n'));
  assert.match(v[0]!.message, /ExReleaseRundownProtection releases a reference of run-down protection, but none is held/);
  const lines = source.split('\n');
  assert.equal(v[0]!.location?.line, lines.lastIndexOf('    ExReleaseRundownProtection(&Rundown);') + 1);
});
