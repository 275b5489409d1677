/**
 * Views that share the file's bytes (issue 12): a data-scan section's view is the file's own pages,
 * so the view shows later writes, a store through a writable view changes the file, the file cannot
 * be cut short or deleted under a mapped view, views past the section's end fail, a view used after
 * its unmap is a use after free, and an operation that conflicts with an open data-scan section
 * calls the filter's SectionNotificationCallback. Fixture written for these tests:
 * test/fixtures/datascan/sharedview.c.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { STATUS } from '../../../engine';
import { World } from '../../../engine/run/world';
import { oneDriver, runWorld } from '../worldRun';

const driver = readFileSync(path.resolve('test/fixtures/datascan/sharedview.c'), 'utf8');
const lineOf = (text: string) => driver.split('\n').findIndex((l) => l.includes(text)) + 1;
const V = '\\Device\\HarddiskVolume1';

async function run(caseNo: number, lines: readonly string[]): Promise<World> {
  const files = oneDriver('sharedview.c', driver);
  const text = [`driver "sharedview.c"`, `define CASE ${caseNo}`, `volume "${V}"`, ...lines, ''].join('\n');
  const world = await runWorld('/t/d.fltsim', text, files);
  return world;
}

const SHARED = [
  `file "${V}\\shared.txt" content "hello world"`,
  `io #1 create "${V}\\shared.txt" at 1`,
  `io #2 write "${V}\\shared.txt" data "NEW" offset 0 at 2`,
  `io #3 write "${V}\\shared.txt" data "!!" offset 11 at 3`,
  `io #4 read "${V}\\shared.txt" length 5 offset 0 at 4`,
  `io #5 set-info "${V}\\shared.txt" class FileEndOfFileInformation length 8 at 5`,
  `io #6 set-info "${V}\\shared.txt" class FileDispositionInformation length 1 delete at 6`,
  `io #7 create "${V}\\shared.txt" disposition overwrite at 7`,
  `io #8 cleanup "${V}\\shared.txt" at 8`,
  `io #9 create "${V}\\shared.txt" at 9`,
  `io #10 read "${V}\\shared.txt" length 5 offset 0 at 10`,
  `io #11 set-info "${V}\\shared.txt" class FileEndOfFileInformation length 8 at 11`,
];

test('a view is the file: it shows later writes, a store through it is what the file reads back, before and after the unmap', async () => {
  const world = await run(0, SHARED);
  const sim = world.sim;
  assert.equal(world.fault, undefined, world.fault?.message);
  assert.deepEqual(sim.output, [
    'section 00000000 size 11',
    'map 00000000 size 4096: hello',
    'write 00000000; the view shows NEWlo, byte 11 0',
    // The file grew over the view's last page: the view sees the new bytes.
    'write 00000000; the view shows NEWlo, byte 11 33',
    // The filter stored 'Z' through the view before the read: the file system read it.
    'read ZEWlo',
    'unmap 00000000 again c0000019',
    'close 00000000',
    'read ZEWlo',
  ]);
  assert.deepEqual(sim.violations, []);
});

test('a view outlives its section: after ObDereferenceObject and FltCloseSectionForDataScan it still shows and changes the file', async () => {
  const world = await run(5, SHARED);
  const sim = world.sim;
  assert.equal(world.fault, undefined, world.fault?.message);
  assert.deepEqual(sim.output, [
    'section 00000000 size 11',
    'map 00000000 size 4096: hello',
    'close 00000000',
    'write 00000000; the view shows NEWlo, byte 11 0',
    'write 00000000; the view shows NEWlo, byte 11 33',
    'read ZEWlo',
    'unmap 00000000 again c0000019',
    'read ZEWlo',
  ]);
  // The mapped view, not the section, is what keeps the file from being cut short.
  assert.equal(sim.result(5)?.status, STATUS.STATUS_USER_MAPPED_FILE);
  assert.deepEqual(sim.violations, []);
});

test('while a view is mapped the file cannot be cut short, overwritten or deleted; after the unmap it can', async () => {
  const world = await run(0, SHARED);
  const sim = world.sim;
  assert.equal(sim.result(5)?.status, STATUS.STATUS_USER_MAPPED_FILE);
  assert.equal(sim.result(6)?.status, STATUS.STATUS_CANNOT_DELETE);
  assert.equal(sim.result(7)?.status, STATUS.STATUS_USER_MAPPED_FILE);
  assert.equal(sim.result(11)?.status, STATUS.STATUS_SUCCESS);
});

test('reading a view after ZwUnmapViewOfSection is a use after free at that line, naming the unmap', async () => {
  const world = await run(1, SHARED);
  assert.ok(world.fault, 'the run should stop at the access');
  assert.equal(world.fault!.line, lineOf('DbgPrint("after unmap %c\\n", View[0]);'));
  assert.match(world.fault!.message, /view of data-scan section of .*shared\.txt.* after it was freed at .*:\d+ \(use after free\)/);
});

test('views past the section end fail with STATUS_INVALID_VIEW_SIZE; an offset goes down to 64 KiB and the view grows by the difference', async () => {
  const big = 'x'.repeat(0x10004) + 'B' + 'y'.repeat(100);
  const world = await run(2, [`file "${V}\\big.bin" content "${big}"`, `io #1 create "${V}\\big.bin" at 1`]);
  const sim = world.sim;
  assert.equal(world.fault, undefined, world.fault?.message);
  assert.deepEqual(sim.output, [
    `section 00000000 size ${big.length}`,
    'map 1048576 at 0: c000001f',
    'map 0 at 131072: c000001f',
    // 0x10004 rounds down to 0x10000; 10 bytes from there plus the 4 it gained fit one page.
    'map 10 at 65540: 00000000 offset 65536 size 4096 first B',
    `map 0 at 0: 00000000 offset 0 size ${Math.ceil(big.length / 4096) * 4096} first x`,
    'close 00000000',
  ]);
  assert.deepEqual(sim.violations, []);
});

const CONFLICTS = [
  `file "${V}\\shared.txt" content "hello world"`,
  `io #1 create "${V}\\shared.txt" at 1`,
  `io #2 write "${V}\\shared.txt" data "NEW" at 2`,
  `io #3 write "${V}\\shared.txt" data "AGAIN" at 3`,
  `io #4 read "${V}\\shared.txt" length 5 at 4`,
  `io #5 create "${V}\\shared.txt" disposition overwrite-if at 5`,
  `io #6 cleanup "${V}\\shared.txt" at 6`,
];

test('a write that meets an open data-scan section calls SectionNotificationCallback, which closes the section; later writes do not', async () => {
  const world = await run(3, CONFLICTS);
  const sim = world.sim;
  assert.equal(world.fault, undefined, world.fault?.message);
  assert.deepEqual(sim.output, ['section 00000000 size 11', 'conflict: major 4, our section', 'close 00000000', 'read AGAIN']);
  assert.equal(sim.result(2)?.status, STATUS.STATUS_SUCCESS);
  assert.equal(sim.result(5)?.status, STATUS.STATUS_SUCCESS);
  assert.deepEqual(sim.violations, []);
});

test('a section left open hears every conflicting write and overwriting create; the operations go on', async () => {
  const world = await run(4, CONFLICTS);
  const sim = world.sim;
  assert.equal(world.fault, undefined, world.fault?.message);
  assert.deepEqual(sim.output, [
    'section 00000000 size 11',
    'conflict: major 4, our section',
    'conflict: major 4, our section',
    'read AGAIN',
    // The read does not conflict; the overwriting create does.
    'conflict: major 0, our section',
    'close 00000000',
  ]);
  assert.equal(sim.result(5)?.status, STATUS.STATUS_SUCCESS);
});
