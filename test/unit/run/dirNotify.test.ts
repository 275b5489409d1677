/**
 * Directory change notification (issue 12): the file system pends IRP_MN_NOTIFY_CHANGE_DIRECTORY
 * and completes it later, and a filter's post-op (test/fixtures/dirnotify/watcher.c, written for
 * these tests) runs then and walks the FILE_NOTIFY_INFORMATION records it got.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathRules, type ProjectFiles } from '../../../engine';
import { World } from '../../../engine/run/world';
import { decodeRecords, encodeRecords, FileAction } from '../../../engine/fltmgr/dirNotify';
import { STATUS } from '../../../engine/kernel/status';
import { runWorld } from '../worldRun';

const sources: Record<string, string> = { '/t/watcher.c': readFileSync(path.resolve('test/fixtures/dirnotify/watcher.c'), 'utf8') };
const files: ProjectFiles = { readFile: (p) => sources[p], paths: pathRules('posix') };
const V = '\\Device\\HarddiskVolume1';

async function run(lines: string[]): Promise<World> {
  const text = ['driver "watcher.c"', `volume "${V}"`, `file "${V}\\docs" folder`, ...lines].join('\n');
  const world = await runWorld('/t/s.fltsim', text, files);
  assert.equal(world.fault, undefined);
  assert.deepEqual(world.sim.violations.map((v) => v.message), []);
  return world;
}

const result = (w: World, id: number) => [w.sim.result(id)?.status, w.sim.result(id)?.information];

test('a notification pends until a file is created in the folder; the post-op runs then and sees the record', async () => {
  const w = await run([
    `io #1 notify-dir "${V}\\docs" changes name size length 512 at 0`,
    `io #2 create "${V}\\docs\\new.txt" disposition create at 5`,
  ]);
  assert.deepEqual(w.sim.kernel.output, [
    'pre-notify: filter 0xb tree=0 length 512',
    // 12 bytes of header and "new.txt" in UTF-16
    'post-notify: 0x00000000 26 bytes at IRQL 0',
    `  action ${FileAction.ADDED} new.txt`,
  ]);
  assert.deepEqual(result(w, 1), [STATUS.STATUS_SUCCESS, 26]);
  // it completed after the create, not when it was issued
  const events = w.sim.kernel.log.all();
  const pended = events.findIndex((e) => e.data === 1 && /pends/.test(e.detail));
  const created = events.findIndex((e) => e.data === 2 && /file system completed/.test(e.detail));
  const completed = events.findIndex((e) => e.data === 1 && /file system completed/.test(e.detail));
  assert.ok(pended >= 0 && pended < created && created < completed, `${pended} ${created} ${completed}`);
});

test('a watch-tree notification hears of a rename below the folder: old name now, new name kept for the next request; a write is a last-write change', async () => {
  const w = await run([
    `file "${V}\\docs\\sub\\a.txt" size 3`,
    `io #1 notify-dir "${V}\\docs" watch-tree changes name last-write async at 0`,
    `io #2 set-info "${V}\\docs\\sub\\a.txt" class FileRenameInformation to "b.txt" at 3`,
    `io #3 notify-dir "${V}\\docs" at 4`,
    `io #4 write "${V}\\docs\\sub\\b.txt" data "xy" at 6`,
    `io #5 notify-dir "${V}\\docs" at 7`,
  ]);
  assert.deepEqual(w.sim.kernel.output.filter((l) => l.startsWith('  ')), [
    `  action ${FileAction.RENAMED_OLD_NAME} sub\\a.txt`,
    `  action ${FileAction.RENAMED_NEW_NAME} sub\\b.txt`,
    `  action ${FileAction.MODIFIED} sub\\b.txt`,
  ]);
  assert.deepEqual(result(w, 5), [STATUS.STATUS_SUCCESS, 12 + 2 * 'sub\\b.txt'.length]);
});

test('records that do not fit the buffer give STATUS_NOTIFY_ENUM_DIR and no bytes; a change in a subfolder is not seen without watch-tree', async () => {
  const w = await run([
    `file "${V}\\docs\\sub" folder`,
    `io #1 notify-dir "${V}\\docs" length 8 async at 0`,
    `io #2 create "${V}\\docs\\sub\\deep.txt" disposition create at 2`,
    `io #3 create "${V}\\docs\\new.txt" disposition create at 5`,
  ]);
  assert.deepEqual(w.sim.kernel.output, ['pre-notify: filter 0x3 tree=0 length 8', 'post-notify: 0x0000010C 0 bytes at IRQL 0']);
  assert.deepEqual(result(w, 1), [STATUS.STATUS_NOTIFY_ENUM_DIR, 0]);
});

test('cleanup of the handle completes the pended notification with STATUS_NOTIFY_CLEANUP; a cancel with STATUS_CANCELLED', async () => {
  const cleanup = await run([`io #1 notify-dir "${V}\\docs" async at 0`, `io #2 cleanup "${V}\\docs" at 6`]);
  assert.deepEqual(cleanup.sim.kernel.output, ['pre-notify: filter 0x3 tree=0 length 4096', 'post-notify: 0x0000010B 0 bytes at IRQL 0']);
  assert.deepEqual(result(cleanup, 1), [STATUS.STATUS_NOTIFY_CLEANUP, 0]);
  const cancel = await run([`io #1 notify-dir "${V}\\docs" at 0`, 'cancel #1 at 4', `io #2 create "${V}\\docs\\late.txt" disposition create at 6`]);
  assert.deepEqual(cancel.sim.kernel.output, ['pre-notify: filter 0x3 tree=0 length 4096', 'post-notify: 0xC0000120 0 bytes at IRQL 0']);
  assert.deepEqual(result(cancel, 1), [STATUS.STATUS_CANCELLED, 0]);
});

test('FILE_NOTIFY_INFORMATION records are chained by NextEntryOffset on 4-byte boundaries', () => {
  const bytes = encodeRecords([{ action: FileAction.ADDED, name: 'a' }, { action: FileAction.REMOVED, name: 'bc' }]);
  const dv = new DataView(bytes.buffer);
  // 12 + 2 = 14, aligned to 16; the last record is not padded
  assert.equal(dv.getUint32(0, true), 16);
  assert.equal(bytes.length, 16 + 12 + 4);
  assert.equal(dv.getUint32(16, true), 0);
  assert.deepEqual(decodeRecords(bytes), [{ action: FileAction.ADDED, name: 'a' }, { action: FileAction.REMOVED, name: 'bc' }]);
});
