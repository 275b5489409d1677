/**
 * File content in the simulated file system is kept in chunks, only where something was written: a
 * write far past the end of a file (found by npm run fuzz: `offset 4294967296` stopped the run with
 * a JavaScript error) costs one chunk; the bytes in between read as zeros; truncating drops what
 * lies past the new end; a negative offset that is not one of the two special values is refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathRules, type ProjectFiles } from '../../../engine';
import { FsNode, type FsVolume } from '../../../engine/fltmgr/fsTree';
import { runWorld } from '../worldRun';

const dir = path.resolve('test/fixtures/fsio');
const sources: Record<string, string> = {
  '/t/upper.c': readFileSync(path.join(dir, 'upper.c'), 'utf8'),
  '/t/lower.c': readFileSync(path.join(dir, 'lower.c'), 'utf8'),
};
const files: ProjectFiles = { readFile: (p) => sources[p], paths: pathRules('posix') };
const V = '\\Device\\HarddiskVolume1';

test('a driver writes at a negative offset (refused), appends with the write-to-end offset and reads at the file position (the end)', async () => {
  const text = [
    'driver "upper.c" altitude 370000',
    'define CASE 6',
    `file "${V}\\data\\a.txt" content "hello world"`,
    `file "${V}\\data\\trigger.txt" size 10`,
    `io #1 create "${V}\\data\\trigger.txt"`,
  ].join('\n');
  const world = await runWorld('/t/s.fltsim', text, files);
  assert.equal(world.fault, undefined);
  assert.deepEqual(world.sim.kernel.output.filter((l) => !l.startsWith('open ')), [
    // STATUS_INVALID_PARAMETER: before, the write threw inside the engine
    'write at -5 0xC000000D 0',
    'append 0x00000000 2',
    "read back 0x00000000 13 'hello world!!'",
    // STATUS_END_OF_FILE: the read back left the position at the end
    "read at the position 0xC0000011 0 ''",
  ]);
});

test('a scenario writes 4 GiB into a file and reads the bytes back; the run ends normally', async () => {
  const text = [
    'driver "lower.c"',
    `file "${V}\\a.txt" content "abc"`,
    `io #1 write "${V}\\a.txt" offset 4294967296 data "hello"`,
    `io #2 read "${V}\\a.txt" offset 4294967296 length 5 at 1`,
    `io #3 read "${V}\\a.txt" offset 4294967294 length 4 at 2`,
    `io #4 query-info "${V}\\a.txt" class FileStandardInformation at 3`,
    // Found by npm run fuzz: 4 GiB with no data took 80 s (a buffer of zeros made and read byte by byte),
    // and with empty data 21 s.
    `io #5 write "${V}\\a.txt" offset 8 length 4294967295 at 4`,
    `io #6 write "${V}\\a.txt" offset 8 length 4294967295 data "" at 5`,
  ].join('\n');
  const world = await runWorld('/t/s.fltsim', text, files);
  assert.equal(world.fault, undefined);
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => world.sim.result(n)?.status), [0, 0, 0, 0, 0, 0]);
  assert.equal(world.sim.result(5)?.information, 4294967295);
  assert.equal(world.sim.result(1)?.information, 5);
  assert.equal(world.sim.result(2)?.information, 5);
  assert.equal(world.sim.result(3)?.information, 4);
});

function node(): FsNode {
  return new FsNode(1, 'a.txt', null, false, { name: '\\Device\\HarddiskVolume1' } as unknown as FsVolume, 0n);
}

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

test('file content: far writes, zeros in between, reads across chunks, truncation and growth', () => {
  const f = node();
  f.write(2 ** 32, Buffer.from('hello'), 1n);
  assert.equal(f.size, 2 ** 32 + 5);
  assert.equal(text(f.read(2 ** 32 - 2, 9)), '\0\0hello');
  assert.equal(f.read(2 ** 32 + 3, 100).length, 2, 'a read stops at the end of file');
  // A write across a chunk boundary (chunks are 64 KiB) reads back whole.
  f.write(65_534, Buffer.from('wxyz'), 2n);
  assert.equal(text(f.read(65_533, 6)), '\0wxyz\0');
  // Truncating inside the written bytes, then growing again: what was cut reads as zeros.
  f.setSize(65_536);
  assert.equal(f.size, 65_536);
  f.setSize(2 ** 32 + 5);
  assert.equal(text(f.read(65_533, 6)), '\0wx\0\0\0');
  assert.equal(text(f.read(2 ** 32, 5)), '\0\0\0\0\0');
  // Zeros written where nothing was are not stored, and read back as zeros all the same.
  f.write(10 * 65_536, new Uint8Array(65_536 * 3), 3n);
  assert.equal(f.read(10 * 65_536, 65_536 * 3).every((b) => b === 0), true);
  // Zeros known without a buffer (a write whose data nobody set) clear what was there and extend the file.
  f.write(0, Buffer.from('abcdef'), 4n);
  const asked: number[] = [];
  f.write(2, { length: 2, read: (from) => { asked.push(from); return undefined; } }, 5n);
  assert.equal(text(f.read(0, 6)), 'ab\0\0ef');
  assert.deepEqual(asked, [0]);
  f.write(2 ** 33, { length: 4, read: () => undefined }, 6n);
  assert.equal(f.size, 2 ** 33 + 4);
  // A source is read a chunk at a time: the parts asked for follow the 64 KiB chunk boundaries.
  const parts: [number, number][] = [];
  f.write(65_530, { length: 65_546, read: (from, n) => { parts.push([from, n]); return new Uint8Array(n).fill(1); } }, 7n);
  assert.deepEqual(parts, [[0, 6], [6, 65_536], [65_542, 4]]);
  assert.equal(text(f.read(65_529, 3)), '\0\x01\x01');
});
