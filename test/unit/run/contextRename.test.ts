/**
 * Stream and file contexts belong to the file, not to its name: set when the file is opened, they
 * are found again through the new name after a rename (fixture test/fixtures/fsio/ctxrename.c).
 * The same fixture frees aligned pool at DISPATCH_LEVEL: allowed for a nonpaged block, a violation
 * for a paged one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { World } from '../../../engine/run/world';
import { oneDriver, runWorld } from '../worldRun';

const source = readFileSync(path.resolve('test/fixtures/fsio/ctxrename.c'), 'utf8');
const files = oneDriver('ctxrename.c', source);
const V = '\\Device\\HarddiskVolume1';

async function run(text: string): Promise<World> {
  const world = await runWorld('/t/s.fltsim', text, files);
  assert.equal(world.fault, undefined);
  return world;
}

test('stream and file contexts set on a file are found through its new name after a rename; a new file at the old name has none', async () => {
  const w = await run([
    'driver "ctxrename.c"',
    `volume "${V}"`,
    `file "${V}\\docs\\a.txt" content "hello world"`,
    `io #1 create "${V}\\docs\\a.txt" at 0`,
    `io #2 set-info "${V}\\docs\\a.txt" class FileRenameInformation to "${V}\\docs\\b.txt" at 1`,
    `io #3 read "${V}\\docs\\b.txt" length 5 at 2`,
    `io #4 create "${V}\\docs\\a.txt" disposition create at 3`,
    `io #5 read "${V}\\docs\\a.txt" length 5 at 4`,
  ].join('\n'));
  assert.deepEqual(w.sim.kernel.output.filter((l) => !l.startsWith('set ')), [
    // the read through the new name finds what was set when the file was opened as a.txt
    'stream \\docs\\b.txt: 0x00000000 100',
    'file \\docs\\b.txt: 0x00000000 101',
    // a.txt is now another file: the contexts it got at its own create
    'stream \\docs\\a.txt: 0x00000000 102',
    'file \\docs\\a.txt: 0x00000000 103',
  ]);
  assert.deepEqual(w.sim.kernel.output.filter((l) => l.startsWith('set ')), [
    'set stream 100: 0x00000000',
    'set file 101: 0x00000000',
    'set stream 102: 0x00000000',
    'set file 103: 0x00000000',
  ]);
  assert.deepEqual(w.sim.violations.filter((v) => v.rule !== 'irql-above-bound').map((v) => v.rule), []);
});

test('FltFreePoolAlignedWithTag at DISPATCH_LEVEL: a nonpaged block frees cleanly, a paged one is irql-above-bound', async () => {
  const w = await run([
    'driver "ctxrename.c"',
    `volume "${V}"`,
    `file "${V}\\docs\\a.txt" content "hello world"`,
    `io #1 read "${V}\\docs\\a.txt" length 5 at 0`,
  ].join('\n'));
  const irql = w.sim.violations.filter((v) => v.rule === 'irql-above-bound');
  assert.equal(irql.length, 1, w.sim.violations.map((v) => `${v.rule}: ${v.message}`).join('\n'));
  assert.match(irql[0]!.message, /FltFreePoolAlignedWithTag frees paged block \d+ at DISPATCH_LEVEL/);
  assert.deepEqual(w.sim.violations.filter((v) => v.rule !== 'irql-above-bound').map((v) => v.rule), []);
});
