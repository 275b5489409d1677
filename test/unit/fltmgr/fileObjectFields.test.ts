/**
 * FILE_OBJECT fields as the file system and I/O manager set them (issue 12): ReadAccess …
 * SharedDelete from the create's access and sharing (all 0 for an attributes-only open),
 * FO_SYNCHRONOUS_IO, FO_DELETE_ON_CLOSE, FO_HANDLE_CREATED and FO_CLEANUP_COMPLETE, CurrentByteOffset
 * moved by synchronous reads, FsContext shared by every open of a file and FsContext2 per handle.
 * Fixture written for these tests: test/fixtures/fileobject/fields.c.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { STATUS } from '../../../engine';
import { World } from '../../../engine/run/world';
import { oneDriver, runWorld } from '../worldRun';

const driver = readFileSync(path.resolve('test/fixtures/fileobject/fields.c'), 'utf8');
const V = '\\Device\\HarddiskVolume1';

async function run(lines: readonly string[]): Promise<World> {
  const files = oneDriver('fields.c', driver);
  const text = ['driver "fields.c"', `volume "${V}"`, `file "${V}\\a.txt" content "0123456789abcdef"`, ...lines, ''].join('\n');
  const world = await runWorld('/t/d.fltsim', text, files);
  return world;
}

test('each open carries its own access, sharing and flags; FsContext is the file\'s, FsContext2 the handle\'s', async () => {
  const world = await run([
    `io #1 create "${V}\\a.txt" access read share all synchronous at 1`,
    `io #2 create "${V}\\a.txt" access all share read-delete delete-on-close async at 2`,
    `io #3 create "${V}\\a.txt" access attributes at 3`,
    `io #4 create "${V}\\a.txt" access write share all at 4`,
  ]);
  const sim = world.sim;
  assert.equal(world.fault, undefined, world.fault?.message);
  assert.deepEqual(sim.output, [
    'open: access 100 shared 111 sync 1 delete-on-close 0 handle-created 1 same stream 1 same handle 1',
    'open: access 111 shared 101 sync 0 delete-on-close 1 handle-created 1 same stream 1 same handle 0',
    // Creates are synchronous unless 'async' (the scenario's default).
    'open: access 000 shared 000 sync 1 delete-on-close 0 handle-created 1 same stream 1 same handle 0',
    // The second open shares only reading and deleting: a writer is refused.
    'open failed c0000043',
  ]);
  assert.equal(sim.result(4)?.status, STATUS.STATUS_SHARING_VIOLATION);
});

test('synchronous reads move CurrentByteOffset past what they read, in the memory the driver reads; cleanup sets FO_CLEANUP_COMPLETE', async () => {
  const world = await run([
    `io #1 create "${V}\\a.txt" synchronous at 1`,
    `io #2 read "${V}\\a.txt" length 4 offset 0 synchronous at 2`,
    `io #3 read "${V}\\a.txt" length 5 offset 6 synchronous at 3`,
    `io #4 cleanup "${V}\\a.txt" synchronous at 4`,
  ]);
  assert.equal(world.fault, undefined, world.fault?.message);
  assert.deepEqual(world.sim.output.slice(1), ['read 00000000: position 4', 'read 00000000: position 11', 'cleanup: complete 0', 'after cleanup: complete 1']);
});
