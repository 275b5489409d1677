/**
 * The oplock package a filter calls (FltInitializeOplock, FltOplockFsctrl, FltCheckOplock…) through
 * scenario runs of a C fixture written for these tests (test/fixtures/fmcore/oplock.c): a batch
 * oplock granted to the workload's asynchronous request, a second exclusive request refused, a
 * create from another handle breaking it and waiting until the owner acknowledges — pended with a
 * WaitCompletionRoutine or blocked without one — or waiting on when nobody does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathRules, prepareScenarioText, STATUS, type ProjectFiles } from '../../../engine';
import { World } from '../../../engine/run/world';
import { runWorld } from '../worldRun';

const sources: Record<string, string> = { '/t/oplock.c': readFileSync(path.resolve('test/fixtures/fmcore/oplock.c'), 'utf8') };
const files: ProjectFiles = { readFile: (p) => sources[p], paths: pathRules('posix') };
const V = '\\Device\\HarddiskVolume1';
const A = `"${V}\\data\\a.txt"`;

async function run(wait: 0 | 1, tail: string[]): Promise<World> {
  const text = [
    'driver "oplock.c" altitude 370000',
    `define WAIT ${wait}`,
    `volume "${V}"`,
    `file "${V}\\data\\a.txt" content "hello"`,
    `io #1 create ${A} at 0`,
    // FSCTL_REQUEST_BATCH_OPLOCK, then FSCTL_REQUEST_OPLOCK_LEVEL_1 while it is held
    `io #2 fsctl ${A} code 0x90008 async at 1`,
    `io #3 fsctl ${A} code 0x90000 async at 2`,
    `io #4 create ${A} access read at 3`,
    ...tail,
  ].join('\n');
  const world = await runWorld('/t/s.fltsim', text, files);
  assert.equal(world.fault, undefined);
  return world;
}

/** When request `id` was done, from the run's events. */
function doneAt(w: World, id: number): number | undefined {
  return w.sim.kernel.log.all().find((e) => e.kind === 'io-done' && e.detail.startsWith(`#${id} `))?.time;
}

test('a create from another handle breaks a batch oplock and, pended by FltCheckOplock, goes on when the owner acknowledges', async () => {
  // FSCTL_OPLOCK_BREAK_ACK_NO_2 at tick 10
  const w = await run(1, [`io #5 fsctl ${A} code 0x90050 at 10`, 'unload at 30']);
  assert.deepEqual(w.sim.violations.map((v) => v.rule), []);
  assert.deepEqual(w.sim.kernel.output, [
    'check major 0: 0',
    // granted: FLT_PREOP_PENDING; batch held, fast I/O still possible
    'fsctl 0x90008: 2 batch=1 fastio=1',
    // not granted while the batch oplock is held: FLT_PREOP_COMPLETE
    'fsctl 0x90000: 4 batch=1 fastio=1',
    'check major 0: 2',
    'break done for major 0',
    'fsctl 0x90050: 4 batch=0 fastio=1',
  ]);
  const r = (id: number): [number | undefined, number | undefined] => [w.sim.result(id)?.status, w.sim.result(id)?.information];
  assert.deepEqual(r(2), [STATUS.STATUS_SUCCESS, 7]);
  assert.deepEqual(r(3), [STATUS.STATUS_OPLOCK_NOT_GRANTED, 0]);
  assert.deepEqual(r(4), [STATUS.STATUS_SUCCESS, 1]);
  assert.deepEqual(r(5), [STATUS.STATUS_SUCCESS, 0]);
  // the owner heard of the break when the create came; the create went on only with the acknowledgment
  assert.equal(doneAt(w, 2), 3);
  assert.equal(doneAt(w, 4), 10);
});

test('without a WaitCompletionRoutine FltCheckOplock blocks the creating thread until the acknowledgment', async () => {
  const w = await run(0, [`io #5 fsctl ${A} code 0x90050 at 10`, 'unload at 30']);
  assert.deepEqual(w.sim.violations.map((v) => v.rule), []);
  assert.ok(w.sim.kernel.output.includes('check major 0: 0'));
  assert.equal(w.sim.result(4)?.status, STATUS.STATUS_SUCCESS);
  assert.equal(doneAt(w, 4), 10);
});

test('an owner that never acknowledges leaves the create waiting; an acknowledgment with no break in progress is a protocol error', async () => {
  const w = await run(1, [`io #5 fsctl ${A} code 0x9000c at 1`]);
  assert.equal(w.sim.result(5)?.status, STATUS.STATUS_INVALID_OPLOCK_PROTOCOL);
  assert.equal(w.sim.result(4)?.state, 'pended');
  assert.ok(!w.sim.kernel.output.includes('break done for major 0'));
});

test('without a filter that owns oplocks the file system grants none', async () => {
  const prepared = await prepareScenarioText('/t/s.fltsim', [
    'driver "oplock.c" altitude 370000',
    'define WAIT 1',
    `volume "${V}"`,
    `file "${V}\\data\\b.txt" content "hello"`,
    `io #1 fsctl "${V}\\data\\b.txt" code 0x90008 async at 1`,
    `io #2 fsctl "${V}\\data\\b.txt" code 0x9000c at 2`,
  ].join('\n'), files);
  assert.ok(prepared.ok);
  const w = new World(prepared.prepared, {});
  w.run();
  assert.equal(w.sim.result(1)?.status, STATUS.STATUS_OPLOCK_NOT_GRANTED);
  assert.equal(w.sim.result(2)?.status, STATUS.STATUS_INVALID_OPLOCK_PROTOCOL);
});
