/**
 * Data-scan sections (issue 12): FltRegisterForDataScan, FltCreateSectionForDataScan over a file's
 * real content with a section context, views mapped by the user-mode program (the scenario's
 * `client … then` lines) or by the filter itself (ZwOpenProcess, ZwMapViewOfSection), and
 * FltCloseSectionForDataScan. Fixture written for these tests: test/fixtures/datascan/scanfilter.c.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { STATUS } from '../../../engine';
import { World } from '../../../engine/run/world';
import { oneDriver, runWorld } from '../worldRun';

const driver = readFileSync(path.resolve('test/fixtures/datascan/scanfilter.c'), 'utf8');
const lineOf = (text: string) => driver.split('\n').findIndex((l) => l.includes(text)) + 1;

const FILES = [
  'volume "\\Device\\HarddiskVolume1"',
  'file "\\Device\\HarddiskVolume1\\clean.txt" content "nothing to see here"',
  'file "\\Device\\HarddiskVolume1\\bad.txt" content "xx VIRUS xx"',
  'io #1 create "\\Device\\HarddiskVolume1\\clean.txt" at 1',
  'io #2 create "\\Device\\HarddiskVolume1\\bad.txt" at 2',
  'unload at 5',
];

/** The scanner program: thread id 9; command 1 with the scan id, map and scan, command 2 with the verdict. */
const PROGRAM = [
  'client "\\ScanPort" connect at 0',
  'client "\\ScanPort" reply ulong 9 when kind 0',
  'client "\\ScanPort" then send ulong 1 zeros 4 message 8 8 zeros 8 output 8 when kind 0',
  'client "\\ScanPort" then scan-section output 0 find "VIRUS" infected ulong 1 clean ulong 2 when kind 0',
  'client "\\ScanPort" then send ulong 2 zeros 4 message 8 8 verdict zeros 4 when kind 0',
];

async function run(caseNo: number, lines: readonly string[] = [], workload: readonly string[] = FILES): Promise<World> {
  const files = oneDriver('scanfilter.c', driver);
  const world = await runWorld('/t/d.fltsim', [`driver "scanfilter.c"`, `define CASE ${caseNo}`, ...lines, ...workload, ''].join('\n'), files);
  return world;
}

test('the user-mode program maps the section the filter hands it, flags one file and the filter denies that open', async () => {
  const world = await run(0, PROGRAM);
  const sim = world.sim;
  assert.equal(world.fault, undefined, world.fault?.message);
  assert.deepEqual(sim.output, [
    'section 00000000 size 19',
    'close 00000000',
    'scan 1 of \\clean.txt: 00000000 thread 9 verdict 2',
    'section 00000000 size 11',
    'close 00000000',
    'scan 2 of \\bad.txt: 00000000 thread 9 verdict 1',
  ]);
  assert.equal(sim.result(1)?.status, STATUS.STATUS_SUCCESS);
  assert.equal(sim.result(2)?.status, STATUS.STATUS_ACCESS_DENIED);
  const scans = sim.clientLog.filter((r) => r.what === 'scan');
  assert.deepEqual(scans.map((r) => [r.status, [...(r.bytes ?? [])]]), [
    [STATUS.STATUS_SUCCESS, [2, 0, 0, 0]],
    [STATUS.STATUS_SUCCESS, [1, 0, 0, 0]],
  ]);
  // The first send of each scan returned the section handle (8 bytes), the second nothing.
  assert.deepEqual(sim.clientLog.filter((r) => r.what === 'send').map((r) => r.bytes?.length), [8, 0, 8, 0]);
  assert.deepEqual(sim.violations, []);
});

test('a scanner that cannot map (no handle came back) stops, and the filter waits for a verdict that never comes', async () => {
  const world = await run(0, PROGRAM.map((l) => l.replace('output 8', 'output 0')));
  const scans = world.sim.clientLog.filter((r) => r.what === 'scan');
  // One failed scan per open: each create waits forever in its own thread.
  assert.deepEqual(scans.map((r) => r.status), [STATUS.STATUS_INVALID_HANDLE, STATUS.STATUS_INVALID_HANDLE]);
  assert.deepEqual([...new Set(world.sim.violations.map((v) => v.rule))], ['deadlock']);
});

test('the filter maps a kernel-handle section into its own process: a page-rounded view, zeros after the end, unmapped once', async () => {
  const world = await run(1);
  const sim = world.sim;
  assert.equal(world.fault, undefined, world.fault?.message);
  assert.deepEqual(sim.output.slice(0, 5), [
    'kernel section 00000000 size 19',
    'map 00000000 view 4096 tail 0',
    // STATUS_NOT_MAPPED_VIEW for the second unmap.
    'unmap 00000000 again c0000019',
    // STATUS_NOT_FOUND for the second close.
    'close 00000000 again c0000225',
    'scan 1 of \\clean.txt: 00000000 thread 0 verdict 2',
  ]);
  assert.equal(sim.result(2)?.status, STATUS.STATUS_ACCESS_DENIED);
  assert.deepEqual(sim.violations, []);
});

test('a section never closed with FltCloseSectionForDataScan is data-scan-section-leak at the line that made it', async () => {
  const world = await run(2);
  const v = world.sim.violations.filter((x) => x.rule === 'data-scan-section-leak');
  assert.equal(v.length, 2);
  assert.match(v[0]!.message, /data-scan section of \\Device\\HarddiskVolume1\\clean\.txt made in ScanInKernel was never closed/);
  assert.equal(v[0]!.location?.line, lineOf('status = FltCreateSectionForDataScan(FltObjects->Instance'));
});

test('FltCreateSectionForDataScan without FltRegisterForDataScan is data-scan-not-registered and fails with STATUS_NOT_SUPPORTED', async () => {
  const world = await run(3);
  assert.deepEqual([...new Set(world.sim.violations.map((v) => v.rule))], ['data-scan-not-registered']);
  assert.equal(world.sim.output[0], 'kernel section c00000bb size 0');
});

test('writing to a PAGE_READONLY view faults at the write', async () => {
  const world = await run(4);
  assert.ok(world.fault);
  assert.equal(world.fault!.line, lineOf("((PUCHAR)base)[0] = 'x';"));
  assert.match(world.fault!.message, /read-only|readonly/i);
});

test('the user-mode scanner reads its view as the file is when it reads: a write during a slow scan (after N) is what it sees', async () => {
  const slow = PROGRAM.map((l) => (l.includes('scan-section') ? l.replace(' when kind 0', ' after 5 when kind 0') : l));
  const workload = [
    'volume "\\Device\\HarddiskVolume1"',
    'file "\\Device\\HarddiskVolume1\\clean.txt" content "nothing to see here"',
    'io #1 create "\\Device\\HarddiskVolume1\\clean.txt" at 1',
    'io #2 write "\\Device\\HarddiskVolume1\\clean.txt" data "VIRUS" offset 0 at 3',
    'unload at 20',
  ];
  const world = await run(0, slow, workload);
  const sim = world.sim;
  assert.equal(world.fault, undefined, world.fault?.message);
  // The view was mapped at tick 1, when the file was clean; the scanner read it at tick 6, after the write.
  const scans = sim.clientLog.filter((r) => r.what === 'scan');
  assert.deepEqual(scans.map((r) => [r.time, r.bytes?.[0]]), [[6, 1]]);
  assert.equal(sim.result(2)?.status, STATUS.STATUS_SUCCESS);
  assert.equal(sim.result(1)?.status, STATUS.STATUS_ACCESS_DENIED);
});
