/**
 * The simulated file system and the Filter Manager routines that reach it (issue 12 items 1, 2, 4
 * and 6), through real scenario runs of C fixtures written for these tests (test/fixtures/fsio):
 * filter-initiated I/O seen only below the issuer, content that reads and writes really change,
 * create dispositions, a directory walked in C by NextEntryOffset, a rename that moves the file and
 * the name a post-op sees, a disposition that deletes at cleanup, and what volumes say about
 * themselves.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathRules, type ProjectFiles } from '../../../engine';
import { World } from '../../../engine/run/world';
import { runWorld } from '../worldRun';

const dir = path.resolve('test/fixtures/fsio');
const sources: Record<string, string> = {
  '/t/upper.c': readFileSync(path.join(dir, 'upper.c'), 'utf8'),
  '/t/lower.c': readFileSync(path.join(dir, 'lower.c'), 'utf8'),
};
const files: ProjectFiles = { readFile: (p) => sources[p], paths: pathRules('posix') };

async function run(text: string): Promise<World> {
  const world = await runWorld('/t/s.fltsim', text, files);
  assert.equal(world.fault, undefined);
  return world;
}

const V = '\\Device\\HarddiskVolume1';

test('a filter reads, writes and queries a file it did not open; only the filter below sees that I/O; dispositions fail as Windows fails them', async () => {
  const w = await run([
    'driver "upper.c" altitude 370000',
    'driver "lower.c" altitude 320000',
    'define CASE 1',
    `volume "${V}"`,
    `file "${V}\\data\\a.txt" content "hello world"`,
    `file "${V}\\data\\trigger.txt" size 10`,
    `io #1 write "${V}\\data\\a.txt" data "HE" at 0`,
    `io #2 create "${V}\\data\\trigger.txt" at 1`,
    'unload at 5',
  ].join('\n'));
  assert.deepEqual(w.sim.violations.map((v) => v.message), []);
  assert.deepEqual(w.sim.kernel.output, [
    'lower: write \\data\\a.txt generated=0',
    'lower: create \\data\\trigger.txt generated=0',
    'lower: create \\data\\a.txt generated=1',
    `open ${V}\\data\\a.txt: 0x00000000 info=1`,
    'lower: read \\data\\a.txt generated=1',
    // the workload's write of "HE" reached the file's bytes
    "read 0x00000000 5 'HEllo'",
    'lower: write \\data\\a.txt generated=1',
    'write 0x00000000 2',
    'lower: read \\data\\a.txt generated=1',
    "read back 0x00000000 11 'HXYlo world'",
    'lower: read \\data\\a.txt generated=1',
    'read past the end 0xC0000011 0',
    // FILE_STANDARD_INFORMATION is 24 bytes; 8 bytes cannot hold it
    'standard 0x00000000 24 eof=11 dir=0',
    'standard in 8 bytes 0xC0000004',
    'lower: create \\data\\a.txt generated=1',
    `open ${V}\\data\\a.txt: 0xC0000035 info=0`,
    'lower: create \\data\\none.txt generated=1',
    `open ${V}\\data\\none.txt: 0xC0000034 info=0`,
    'lower: create \\nodir\\x.txt generated=1',
    `open ${V}\\nodir\\x.txt: 0xC000003A info=0`,
    'lower: create \\data generated=1',
    `open ${V}\\data: 0xC00000BA info=0`,
    'lower: create \\data\\new.txt generated=1',
    `open ${V}\\data\\new.txt: 0x00000000 info=2`,
    // the upper filter never saw the reads it issued
    'upper: saw 0 read(s)',
  ]);
  assert.equal(w.sim.result(1)?.information, 2);
});

test('a folder listed with FltQueryDirectoryFile and walked in C by NextEntryOffset; the next query says no more files; a small buffer holds one entry', async () => {
  const w = await run([
    'driver "upper.c" altitude 370000',
    'define CASE 2',
    `volume "${V}"`,
    `file "${V}\\data\\a.txt" content "hello world"`,
    `file "${V}\\data\\Quarterly Report.docx" size 3000`,
    `file "${V}\\data\\sub" folder`,
    `file "${V}\\data\\trigger.txt" size 10`,
    `io #1 create "${V}\\data\\trigger.txt" at 0`,
  ].join('\n'));
  assert.deepEqual(w.sim.violations.map((v) => v.message), []);
  assert.deepEqual(w.sim.kernel.output, [
    `open ${V}\\data: 0x00000000 info=1`,
    'list 0x00000000 660 bytes',
    '  . size=0 dir=1 short=0',
    '  .. size=0 dir=1 short=0',
    '  a.txt size=11 dir=0 short=0',
    // only a name that is not 8.3 has a short name (QUARTE~1.DOC: 12 characters)
    '  Quarterly Report.docx size=3000 dir=0 short=24',
    '  sub size=0 dir=1 short=0',
    '  trigger.txt size=10 dir=0 short=0',
    'again 0x80000006',
    // 0x70 bytes hold the 0x5E-byte fixed part and "." (96 bytes), not also ".."
    'small buffer 0x00000000 96 next=0',
  ]);
});

test('a rename moves the file: the pre-op names the destination, the post-op sees the new name, the old name is gone; a disposition deletes at cleanup', async () => {
  const w = await run([
    'driver "upper.c" altitude 370000',
    'define CASE 3',
    `volume "${V}"`,
    `file "${V}\\data\\a.txt" content "hello world"`,
    `file "${V}\\data\\moved" folder`,
    `io #1 create "${V}\\data\\a.txt" at 0`,
    `io #2 set-info "${V}\\data\\a.txt" class FileRenameInformation to "${V}\\data\\moved\\b.txt" at 1`,
    `io #3 cleanup "${V}\\data\\a.txt" at 2`,
    `io #4 create "${V}\\data\\a.txt" at 3`,
    `io #5 create "${V}\\data\\moved\\b.txt" at 4`,
    `io #6 read "${V}\\data\\moved\\b.txt" length 5 at 5`,
    `io #7 set-info "${V}\\data\\moved\\b.txt" class FileDispositionInformation delete at 6`,
    `io #8 cleanup "${V}\\data\\moved\\b.txt" at 7`,
    `io #9 create "${V}\\data\\moved\\b.txt" at 8`,
  ].join('\n'));
  assert.deepEqual(w.sim.violations.map((v) => v.message), []);
  assert.deepEqual(w.sim.kernel.output, [
    `pre-rename: to ${V}\\data\\moved\\b.txt`,
    `post-set-info: 0x00000000 now ${V}\\data\\moved\\b.txt`,
    `post-set-info: opened as ${V}\\data\\a.txt`,
    `post-set-info: 0x00000000 now ${V}\\data\\moved\\b.txt`,
    `post-set-info: opened as ${V}\\data\\moved\\b.txt`,
  ]);
  const st = (id: number) => [w.sim.result(id)?.status, w.sim.result(id)?.information];
  assert.deepEqual(st(4), [0xc0000034, 0]);
  assert.deepEqual(st(5), [0, 1]);
  assert.deepEqual(st(6), [0, 5]);
  assert.deepEqual(st(9), [0xc0000034, 0]);
});

test('each declared volume answers for itself: name, properties with their names in the caller buffer, writable, file system, disk device', async () => {
  const w = await run([
    'driver "upper.c" altitude 370000',
    'define CASE 4',
    `volume "${V}"`,
    'volume "\\Device\\HarddiskVolume7" fs fat sector 4096 readonly removable',
  ].join('\n'));
  assert.deepEqual(w.sim.violations.map((v) => v.message), []);
  assert.deepEqual(w.sim.kernel.output, [
    'setup: name size 0xC0000023 46',
    'setup: short buffer 0xC0000023',
    `setup: name 0x00000000 ${V} type=8 fs=2`,
    // FLT_VOLUME_PROPERTIES is 72 bytes; with its three names it needs 160
    'setup: properties in 72 bytes 0x80000005 needs 160 sector=512',
    `setup: properties 0x00000000 \\FileSystem\\Ntfs \\Ntfs ${V} inside=1`,
    'setup: writable=1 fstype=2 disk 0x00000000 devtype=7 removable=0',
    'setup: name size 0xC0000023 46',
    'setup: short buffer 0xC0000023',
    'setup: name 0x00000000 \\Device\\HarddiskVolume7 type=8 fs=3',
    'setup: properties in 72 bytes 0x80000005 needs 172 sector=4096',
    'setup: properties 0x00000000 \\FileSystem\\fastfat \\fastfat \\Device\\HarddiskVolume7 inside=1',
    'setup: writable=0 fstype=3 disk 0x00000000 devtype=7 removable=1',
  ]);
});

test('a workload on a declared volume: a missing file is not found, FILE_CREATE makes it, delete-on-close removes it at cleanup, a read-only volume refuses writes', async () => {
  const w = await run([
    'driver "lower.c" altitude 320000',
    `volume "${V}"`,
    'volume "\\Device\\HarddiskVolume2" readonly',
    `file "\\Device\\HarddiskVolume2\\ro.txt" content "x"`,
    `io #1 create "${V}\\new.txt" at 0`,
    `io #2 create "${V}\\new.txt" disposition create delete-on-close at 1`,
    `io #3 write "${V}\\new.txt" data "abc" at 2`,
    `io #4 query-info "${V}\\new.txt" class FileStandardInformation length 24 at 3`,
    `io #5 cleanup "${V}\\new.txt" at 4`,
    `io #6 create "${V}\\new.txt" at 5`,
    `io #7 create "\\Device\\HarddiskVolume2\\ro.txt" disposition overwrite-if at 6`,
    `io #8 create "${V}\\dir" disposition create directory at 7`,
    `io #9 query-dir "${V}\\dir" class FileDirectoryInformation at 8`,
  ].join('\n'));
  const st = (id: number) => [w.sim.result(id)?.status, w.sim.result(id)?.information];
  assert.deepEqual(st(1), [0xc0000034, 0]);
  assert.deepEqual(st(2), [0, 2]);
  assert.deepEqual(st(3), [0, 3]);
  assert.deepEqual(st(4), [0, 24]);
  assert.deepEqual(st(6), [0xc0000034, 0]);
  assert.deepEqual(st(7), [0xc00000a2, 0]);
  assert.deepEqual(st(8), [0, 2]);
  // an empty folder lists "." and "..": FileName sits at offset 64, so 66 bytes, 6 of padding to
  // align the second entry on 8 bytes, then 68
  assert.deepEqual(st(9), [0, 66 + 6 + 68]);
});

test('a pre-create that replaces the name and returns STATUS_REPARSE: the create is reissued for the new name, whose post-create sees it', async () => {
  const w = await run([
    'driver "upper.c" altitude 370000',
    'define CASE 5',
    `volume "${V}"`,
    `file "${V}\\new\\doc.txt" content "moved here"`,
    `io #1 create "${V}\\old\\doc.txt" at 0`,
    `io #2 create "${V}\\old\\gone.txt" at 1`,
  ].join('\n'));
  assert.deepEqual(w.sim.violations.map((v) => v.message), []);
  assert.deepEqual(w.sim.kernel.output, [
    'pre-create: \\old\\doc.txt reparses',
    `post-create: opened ${V}\\new\\doc.txt`,
    'pre-create: \\old\\gone.txt reparses',
  ]);
  assert.deepEqual([w.sim.result(1)?.status, w.sim.result(1)?.information], [0, 1]);
  assert.deepEqual([w.sim.result(2)?.status, w.sim.result(2)?.information], [0xc0000034, 0]);
});
