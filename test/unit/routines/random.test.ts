/**
 * RtlRandom and RtlRandomEx (engine/kernel/rtlRandom.ts) on a driver written for these tests
 * (test/fixtures/routines/random.c): the seed is the caller's, the same seed gives the same
 * number, results stay in 0 … MAXLONG − 1, and misuse is reported at the call.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runWorld, oneDriver } from '../worldRun';
import { nextSeed } from '../../../engine/kernel/rtlRandom';

const source = readFileSync(path.resolve('test/fixtures/routines/random.c'), 'utf8');
const files = oneDriver('random.c', source);
const lineOf = (text: string) => source.split('\n').findIndex((l) => l.includes(text)) + 1;

test('RtlRandomEx and RtlRandom update the caller\'s seed, repeat for the same seed and stay below MAXLONG', async () => {
  const w = await runWorld('/t/s.fltsim', 'driver "random.c"\nunload at 2', files);
  assert.equal(w.fault, undefined, w.fault?.message);
  assert.deepEqual(w.sim.kernel.output, [
    'seed moved 1',
    'same seed same number 1, next differs 1',
    'zero seed works 1, in range 1',
  ]);
  assert.deepEqual(w.sim.violations.map((v) => v.rule), []);
});

test('a draw under a spin lock is above the routines\' bound, and a NULL seed is a null-param at the call', async () => {
  const high = await runWorld('/t/s.fltsim', 'driver "random.c"\ndefine AT_DISPATCH\nunload at 2', files);
  const irql = high.sim.violations.filter((v) => v.rule === 'irql-above-bound');
  assert.equal(irql.length, 1, JSON.stringify(high.sim.violations.map((v) => v.message)));
  assert.match(irql[0]!.message, /RtlRandomEx/);
  assert.equal(irql[0]!.location?.line, lineOf('value = RtlRandomEx(&seed);'));
  const none = await runWorld('/t/s.fltsim', 'driver "random.c"\ndefine NULL_SEED\nunload at 2', files);
  const nulls = none.sim.violations.filter((v) => v.rule === 'null-param');
  assert.equal(nulls.length, 1);
  assert.equal(nulls[0]!.location?.line, lineOf('RtlRandomEx(NULL)'));
  assert.ok(none.sim.kernel.output.includes('null seed gives 0'), none.sim.kernel.output.join('\n'));
});

test('the sequence is a function of the seed alone, never 0, and a seed out of range is brought into it', () => {
  assert.equal(nextSeed(1), 16807);
  assert.equal(nextSeed(16807), 282475249);
  assert.equal(nextSeed(0), nextSeed(1));
  assert.equal(nextSeed(0x7fffffff), nextSeed(1));
  assert.equal(nextSeed(0xffffffff), nextSeed(1));
});
