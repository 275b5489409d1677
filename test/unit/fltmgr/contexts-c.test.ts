/**
 * Context reference counting through C (issue 12, item 3), on a fixture written for these tests
 * (test/fixtures/contexts/ctxref.c): file, instance and stream-handle contexts live in driver memory
 * and count their references; a leaked reference is reported at the line that took it, an
 * over-release at the release, and the memory an over-release frees is then a use after free.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { World } from '../../../engine/run/world';
import { oneDriver, runWorld } from '../worldRun';

const dir = path.resolve('test/fixtures/contexts');
const driver = readFileSync(path.join(dir, 'ctxref.c'), 'utf8');
const lines = driver.split('\n');
const scenario = readFileSync(path.join(dir, 'ctxref.fltsim'), 'utf8').replace(/^expect.*$/m, '');

/** The 1-based line of the n-th (from 0) line of the fixture that holds `text`. */
function lineOf(text: string, nth = 0): number {
  const found = lines.map((l, i) => (l.includes(text) ? i + 1 : 0)).filter((n) => n > 0);
  assert.ok(found[nth] !== undefined, text);
  return found[nth]!;
}

async function run(caseNo: number): Promise<World> {
  const files = oneDriver('ctxref.c', driver);
  const world = await runWorld('/t/c.fltsim', scenario.replace('driver "ctxref.c"', `driver "ctxref.c"\ndefine CASE ${caseNo}`), files);
  return world;
}

test('file, instance and stream-handle contexts: values kept in driver memory, deleted with the old context returned, cleaned up once each', async () => {
  const world = await run(0);
  assert.equal(world.fault, undefined);
  assert.deepEqual(world.sim.violations, []);
  assert.deepEqual(world.sim.output, [
    'read 1 magic=f11e',
    'instance serial=77',
    'read 2 magic=f11e',
    'instance serial=77',
    'delete handle context status=00000000 opened=1',
    // FLT_STREAMHANDLE_CONTEXT: the driver released the reference FltDeleteStreamHandleContext gave it.
    'cleanup type=16',
    'delete again status=c0000225',
    // Unload: the instance context (2), then the file context (4).
    'cleanup type=2',
    'cleanup type=4',
    'cleanups=3',
  ]);
});

test('a reference from FltGetFileContext never released is ctx-ref-leak at the FltGetFileContext line, once per leaked reference', async () => {
  const world = await run(1);
  assert.equal(world.fault, undefined);
  const leaks = world.sim.violations.filter((v) => v.rule === 'ctx-ref-leak');
  assert.equal(leaks.length, 2);
  for (const v of leaks) {
    assert.equal(v.location?.line, lineOf('FltGetFileContext(FltObjects->Instance'));
    assert.match(v.message, /FLT_FILE_CONTEXT .* from FltGetFileContext in CtxPreRead/);
  }
  assert.deepEqual(world.sim.violations.map((v) => v.rule), ['ctx-ref-leak', 'ctx-ref-leak']);
});

test('releasing a context twice is ctx-over-release at the second release; the freed block is then a use after free', async () => {
  const world = await run(2);
  const over = world.sim.violations.filter((v) => v.rule === 'ctx-over-release');
  assert.equal(over.length, 1);
  assert.equal(over[0]!.location?.line, lineOf('FltReleaseContext(file);', 2));
  assert.equal(over[0]!.time, 1);
  // The next read's FltGetFileContext hands out the freed block; the driver's read of it faults.
  assert.match(world.fault?.message ?? '', /after it was freed/);
  assert.equal(world.fault?.line, lineOf('file->Reads++'));
});
