/**
 * FsRtlGetFileSize (engine/fltmgr/fileSize.ts) on a filter written for these tests
 * (test/fixtures/routines/filesize.c): the size of each opened file from the file system, the
 * query seen by the filter itself (it goes to the top of the stack), a directory's status, and a
 * call before the file is open.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runWorld, oneDriver } from '../worldRun';

const files = oneDriver('filesize.c', readFileSync(path.resolve('test/fixtures/routines/filesize.c'), 'utf8'));
const V = '\\Device\\HarddiskVolume1';

test('the post-create gets each file\'s end of file through a query its own filter sees; a folder is STATUS_FILE_IS_A_DIRECTORY', async () => {
  const w = await runWorld('/t/s.fltsim', [
    'driver "filesize.c"',
    `file "${V}\\docs\\a.txt" content "hello world"`,
    `file "${V}\\docs\\empty.txt" content ""`,
    `io #1 create "${V}\\docs\\a.txt" at 1`,
    `io #2 write "${V}\\docs\\a.txt" offset 100 length 28 at 2`,
    `io #3 create "${V}\\docs\\a.txt" at 3`,
    `io #4 create "${V}\\docs\\empty.txt" at 4`,
    `io #5 create "${V}\\docs" directory at 5`,
    'unload at 10',
  ].join('\n'), files);
  assert.equal(w.fault, undefined, w.fault?.message);
  const out = w.sim.kernel.output.filter((l) => l.startsWith('size '));
  assert.deepEqual(out, [
    'size \\docs\\a.txt 0 11 seen 1',
    'size \\docs\\a.txt 0 128 seen 1',
    'size \\docs\\empty.txt 0 0 seen 1',
    'size \\docs c00000ba -1 seen 1',
  ], w.sim.kernel.output.join('\n'));
  assert.deepEqual(w.sim.violations.map((v) => v.rule), []);
});

test('asking before the create completed is reported: the file is not open yet', async () => {
  const w = await runWorld('/t/s.fltsim', ['driver "filesize.c"', 'define EARLY', `file "${V}\\a.txt" content "x"`, `io #1 create "${V}\\a.txt" at 1`, 'unload at 5'].join('\n'), files);
  assert.ok(w.sim.kernel.output.includes('early c000000d'), w.sim.kernel.output.join('\n'));
  const v = w.sim.violations.filter((x) => x.rule === 'bad-object');
  assert.equal(v.length, 1);
  assert.match(v[0]!.message, /FsRtlGetFileSize on .*a\.txt before its create completed/);
});
