/**
 * Extra create parameters (issue 12, item 7) on two fixture filters written for these tests
 * (test/fixtures/ecp): the upper one attaches a list with one parameter to each create, the lower
 * one walks the list, reads the parameter's bytes and acknowledges it; the upper one sees the
 * acknowledgement and frees the list, whose cleanup callback runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathRules, type ProjectFiles } from '../../../engine';
import { runWorld } from '../worldRun';

const dir = path.resolve('test/fixtures/ecp');
const sources: Record<string, string> = {
  '/t/upper.c': readFileSync(path.join(dir, 'upper.c'), 'utf8'),
  '/t/lower.c': readFileSync(path.join(dir, 'lower.c'), 'utf8'),
};

test('an ECP travels down with its create: found, read, acknowledged, then freed with its cleanup callback', async () => {
  const files: ProjectFiles = { readFile: (p) => sources[p], paths: pathRules('posix') };
  const scenario = 'driver "upper.c" altitude 380000\ndriver "lower.c" altitude 360000\nio #1 create "\\\\Device\\\\HarddiskVolume1\\\\a.txt" at 1\nio #2 create "\\\\Device\\\\HarddiskVolume1\\\\ignore.txt" at 2\nunload at 5\n';
  const world = await runWorld('/t/e.fltsim', scenario, files);
  assert.equal(world.fault, undefined, world.fault?.message);
  assert.deepEqual(world.sim.output, [
    // Inserting a parameter that is already in a list fails (STATUS_INVALID_PARAMETER).
    'upper: insert=00000000 again=c000000d',
    'lower: ecp size=8 magic=ec9 sequence=1 user=0',
    'lower: 1 parameter(s)',
    'upper: acknowledged=1',
    'upper: cleanup magic=ec9 type=6d9f2a4e',
    'upper: insert=00000000 again=c000000d',
    'lower: ecp size=8 magic=ec9 sequence=2 user=0',
    'lower: 1 parameter(s)',
    // The lower filter does not acknowledge the parameter of "ignore.txt".
    'upper: acknowledged=0',
    'upper: cleanup magic=ec9 type=6d9f2a4e',
  ]);
  const insertLine = sources['/t/upper.c']!.split('\n').findIndex((l) => l.includes('again=%08x')) + 1;
  assert.deepEqual(world.sim.violations.map((v) => [v.rule, v.location?.line]), [['invalid-parameter', insertLine], ['invalid-parameter', insertLine]]);
});
