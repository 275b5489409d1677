/**
 * Named streams in the simulated file system (fsCreate.ts, fsTree.ts, fileinfo.ts), through a C
 * fixture written for these tests (test/fixtures/fsio/streams.c) that copies a file into its
 * `:backup` stream as backup filters do, and through workload I/O on declared streams.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runWorld, oneDriver } from '../worldRun';

const files = oneDriver('streams.c', readFileSync(path.resolve('test/fixtures/fsio/streams.c'), 'utf8'));
const V = '\\Device\\HarddiskVolume1';

/** Bytes of a FILE_STREAM_INFORMATION entry holding `name`: 24 fixed bytes, then the UTF-16 name. */
const entry = (name: string) => 24 + 2 * name.length;
const aligned = (n: number) => (n + 7) & ~7;

test('a filter copies a file into its :backup stream: the stream has its own bytes, size, FsContext and name; FileStreamInformation lists it; deleting it leaves the file', async () => {
  const w = await runWorld('/t/s.fltsim', ['driver "streams.c"', `volume "${V}"`, `file "${V}\\data\\a.txt" content "hello world"`, `file "${V}\\data\\trigger.txt" content "x"`,
    `io #1 create "${V}\\data\\trigger.txt" at 1`, 'unload at 5'].join('\n'), files);
  assert.equal(w.fault, undefined, w.fault?.message);
  assert.deepEqual(w.sim.violations.map((v) => v.message), []);
  const both = aligned(entry('::$DATA')) + entry(':backup:$DATA');
  assert.deepEqual(w.sim.kernel.output, [
    'open file 0x00000000',
    'open backup 0x00000000 info 2', // FILE_CREATED: the stream was new, the file untouched
    'write backup 0x00000000 11',
    "file reads 0x00000000 11 'hello world'",
    "backup reads 0x00000000 11 'COPYo world'",
    'backup standard 0x00000000 eof=11',
    'different FsContext 1',
    `backup name ${V}\\data\\a.txt:backup stream :backup final a.txt:backup`,
    `file: streams 0x00000000 ${both}`,
    'file: stream ::$DATA size 11',
    'file: stream :backup:$DATA size 11',
    `backup: streams 0x00000000 ${both}`,
    'backup: stream ::$DATA size 11',
    'backup: stream :backup:$DATA size 11',
    'create existing stream 0xC0000035', // STATUS_OBJECT_NAME_COLLISION
    'open missing stream 0xC0000034', // STATUS_OBJECT_NAME_NOT_FOUND
    'open bad stream type 0xC0000033', // STATUS_OBJECT_NAME_INVALID
    "default stream reads 0x00000000 'hello world' same FsContext 1",
    'delete backup 0x00000000',
    `after delete: streams 0x00000000 ${entry('::$DATA')}`,
    'after delete: stream ::$DATA size 11',
    'open deleted stream 0xC0000034',
    'create stream of a new file 0x00000000 info 2',
    `new: streams 0x00000000 ${aligned(entry('::$DATA')) + entry(':tag:$DATA')}`,
    'new: stream ::$DATA size 0',
    'new: stream :tag:$DATA size 0',
  ]);
  const vol = w.sim.fltmgr.fs.volume(V);
  const file = vol.lookup('\\data\\a.txt');
  assert.ok('node' in file && file.node.size === 11 && file.node.namedStreams.length === 0);
});

test('a scenario declares a stream and works on it: reads its own bytes, overwrite empties only the stream; a FAT volume refuses stream names', async () => {
  const w = await runWorld('/t/s.fltsim', [
    'driver "streams.c"', `volume "${V}"`, 'volume "\\Device\\HarddiskVolume2" fs fat',
    `file "${V}\\b.txt" content "main"`, `file "${V}\\b.txt:Zone.Identifier" content "[ZoneTransfer]"`,
    `io #1 read "${V}\\b.txt:Zone.Identifier" length 100 offset 0 at 1`,
    `io #2 create "${V}\\b.txt:Zone.Identifier" disposition overwrite at 2`,
    `io #3 create "${V}\\b.txt:other" at 3`,
    `io #4 create "\\Device\\HarddiskVolume2\\c.txt:s" disposition create at 4`,
    `io #5 create "${V}\\b.txt:" at 5`,
    'unload at 9'].join('\n'), files);
  assert.equal(w.fault, undefined, w.fault?.message);
  const st = (id: number) => [w.sim.result(id)?.status, w.sim.result(id)?.information];
  assert.deepEqual(st(1), [0, '[ZoneTransfer]'.length]);
  assert.deepEqual(st(2), [0, 3]); // FILE_OVERWRITTEN
  assert.deepEqual(st(3), [0xc0000034, 0]);
  assert.deepEqual(st(4), [0xc0000033, 0]);
  assert.deepEqual(st(5), [0xc0000033, 0]);
  const vol = w.sim.fltmgr.fs.volume(V);
  const main = vol.lookup('\\b.txt');
  const zone = vol.lookup('\\b.txt:zone.identifier');
  assert.ok('node' in main && 'node' in zone);
  assert.equal(main.node.size, 4);
  assert.equal(zone.node.size, 0);
  assert.equal(zone.node.path, '\\b.txt:Zone.Identifier');
});

test('a create of a name no file can have gets STATUS_OBJECT_NAME_INVALID, even on the lenient default volume', async () => {
  const names = [`${V}\\docs\\..\\b.txt`, `${V}\\.\\b.txt`, `${V}\\a*.txt`, `${V}\\a?.txt`, `${V}\\a|b.txt`, `${V}\\${'n'.repeat(256)}`, `${V}\\b.txt:s*`];
  const w = await runWorld('/t/s.fltsim', [
    'driver "streams.c"', `file "${V}\\b.txt" content "main"`,
    ...names.map((n, i) => `io #${i + 1} create "${n}" disposition open-if at ${i + 1}`),
    `io #${names.length + 1} create "${V}\\${'n'.repeat(255)}" disposition open-if at ${names.length + 1}`,
    'unload at 20'].join('\n'), files);
  assert.equal(w.fault, undefined, w.fault?.message);
  for (let i = 1; i <= names.length; i++) assert.equal(w.sim.result(i)?.status, 0xc0000033, names[i - 1]);
  assert.equal(w.sim.result(names.length + 1)?.status, 0, 'a 255-character name is one NTFS keeps');
});
