/**
 * The Zw file routines (engine/fltmgr/zwFiles.ts) on a filter written for these tests
 * (test/fixtures/routines/zwfiles.c): a log written, read back, queried and truncated through a
 * kernel handle, the filter seeing its own Zw I/O (it starts at the top of the stack), ZwClose
 * sending the cleanup, and a FltCreateFile handle read with ZwReadFile and closed with ZwClose.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runWorld, oneDriver } from '../worldRun';

const files = oneDriver('zwfiles.c', readFileSync(path.resolve('test/fixtures/routines/zwfiles.c'), 'utf8'));
const V = '\\Device\\HarddiskVolume1';

test('a post-create writes, reads back, queries and truncates a log through ZwCreateFile\'s handle; its own filter sees that I/O', async () => {
  const w = await runWorld('/t/s.fltsim', ['driver "zwfiles.c"', `volume "${V}"`, `file "${V}\\trigger.txt" content "x"`, `io #1 create "${V}\\trigger.txt" at 1`, 'unload at 5'].join('\n'), files);
  assert.equal(w.fault, undefined, w.fault?.message);
  const out = w.sim.kernel.output;
  assert.deepEqual(out.filter((l) => !l.startsWith('generated')), [
    'create 0 info 2 own creates 1', // FILE_CREATED; the filter's own pre-create saw it
    'write 0 5 own writes 2',
    "read 0 11 'hello world'",
    'query 0 eof 11',
    'truncate 0 eof 5',
    'object \\log.txt',
    'close 0 own cleanups 1',
    'after close c0000008',
  ], out.join('\n'));
  assert.ok(!out.includes('generated?'), 'Zw I/O is not marked as filter-generated');
  // The read after ZwClose is reported at its line.
  const v = w.sim.violations.filter((x) => x.rule === 'bad-object');
  assert.equal(v.length, 1, w.sim.violations.map((x) => x.message).join('\n'));
  assert.match(v[0]!.message, /ZwReadFile needs an open file handle .* it was given a closed file handle/);
});

test('a FltCreateFile handle works with ZwReadFile, and ZwClose on it sends the cleanup below the filter', async () => {
  const w = await runWorld('/t/s.fltsim', ['driver "zwfiles.c"', 'define FLTOPEN', `volume "${V}"`, `file "${V}\\trigger.txt" content "x"`, `file "${V}\\data.txt" content "abcdef"`,
    `io #1 create "${V}\\trigger.txt" at 1`, 'unload at 5'].join('\n'), files);
  assert.equal(w.fault, undefined, w.fault?.message);
  assert.deepEqual(w.sim.kernel.output, ["flt read 0 'abcd'", 'flt close 0']);
  assert.deepEqual(w.sim.violations.map((v) => v.rule), []);
});
