/**
 * ZwCreateSection over a file the driver opened and over plain memory (engine/fltmgr/zwSections.ts)
 * on a driver written for these tests (test/fixtures/routines/mapfile.c).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runWorld, oneDriver } from '../worldRun';

const files = oneDriver('mapfile.c', readFileSync(path.resolve('test/fixtures/routines/mapfile.c'), 'utf8'));

test('a section over a file maps its bytes; past its end and read/write over a read handle are refused; a memory section is zeroed and writable', async () => {
  const w = await runWorld('/t/s.fltsim', ['driver "mapfile.c"', 'file "\\Device\\HarddiskVolume1\\data.bin" content "HASH-ME-10"', 'unload at 2'].join('\n'), files);
  assert.equal(w.fault, undefined, w.fault?.message);
  const sum = [...'HASH-ME-10'].reduce((a, c) => a + c.charCodeAt(0), 0);
  assert.deepEqual(w.sim.kernel.output, [
    'open 0x00000000',
    'section 0x00000000',
    'map 0x00000000 size 4096', // a view covers whole pages
    `sum ${sum} first HASH`,
    'too big 0xC0000040', // STATUS_SECTION_TOO_BIG: 11 bytes of a 10-byte file
    'read/write on a read handle 0xC0000022',
    'memory view 8192 zero 0 stored 7',
  ]);
  assert.deepEqual(w.sim.violations.map((v) => `${v.rule}: ${v.message}`), []);
});
