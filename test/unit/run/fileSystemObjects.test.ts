/**
 * What a filter finds behind the objects the file system hands it: FsContext is an
 * FSRTL_ADVANCED_FCB_HEADER whose sizes follow the file (encryption filters read them), query and
 * set information requests carry a system buffer as on Windows, and IoSetTopLevelIrp marks the
 * thread. Fixture: test/fixtures/fsio/fcb.c.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathRules, type ProjectFiles } from '../../../engine';
import { runWorld } from '../worldRun';

const sources: Record<string, string> = { '/t/fcb.c': readFileSync(path.resolve('test/fixtures/fsio/fcb.c'), 'utf8') };
const files: ProjectFiles = { readFile: (p) => sources[p], paths: pathRules('posix') };
const V = '\\Device\\HarddiskVolume1';

test('FsContext is an FCB header with the file\'s sizes and initialized resources; query/set information is buffered; the top-level IRP can be set and restored', async () => {
  const text = [
    'driver "fcb.c"',
    `volume "${V}"`,
    `file "${V}\\a.txt" content "hello world"`,
    `io #1 create "${V}\\a.txt" at 0`,
    `io #2 write "${V}\\a.txt" offset 4096 data "tail" at 1`,
    `io #3 query-info "${V}\\a.txt" class FileStandardInformation at 2`,
    `io #4 set-info "${V}\\a.txt" class FileEndOfFileInformation at 3`,
    `io #5 read "${V}\\a.txt" length 16 at 4`,
  ].join('\n');
  const world = await runWorld('/t/s.fltsim', text, files);
  assert.equal(world.fault, undefined);
  assert.deepEqual(world.sim.kernel.violations.map((v) => v.rule), [], 'the FCB resources come initialized');
  assert.deepEqual(world.sim.kernel.output, [
    'fcb 0 size 11 alloc 4096 valid 11 advanced 1 v1 resource 1',
    'locked 1 1',
    'held 1',
    'top 1 then 1',
    'restored 1',
    // The write at 4096 grew the file: the header C already holds says so.
    'fcb 4 size 4100 alloc 8192 valid 4100 advanced 1 v1 resource 1',
    'info 5 system-buffer 1 buffered-io 1',
    'info 6 system-buffer 1 buffered-io 1',
  ]);
});
