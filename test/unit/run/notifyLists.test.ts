/**
 * A filter's own change-notification list (engine/fltmgr/notifyLists.ts): lister.c (written for
 * these tests) holds every notify request with FltNotifyFilterChangeDirectory and reports creates
 * with FsRtlNotifyFilterReportChange; watcher.c above it prints what its post-op sees.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathRules, type ProjectFiles } from '../../../engine';
import { World } from '../../../engine/run/world';
import { STATUS } from '../../../engine/kernel/status';
import { FileAction } from '../../../engine/fltmgr/dirNotify';
import { runWorld } from '../worldRun';

const sources: Record<string, string> = {
  '/t/watcher.c': readFileSync(path.resolve('test/fixtures/dirnotify/watcher.c'), 'utf8'),
  '/t/lister.c': readFileSync(path.resolve('test/fixtures/dirnotify/lister.c'), 'utf8'),
};
const files: ProjectFiles = { readFile: (p) => sources[p], paths: pathRules('posix') };
const V = '\\Device\\HarddiskVolume1';

async function run(mode: number, lines: string[]): Promise<World> {
  const text = [`define MODE ${mode}`, 'driver "watcher.c" altitude 300000', 'driver "lister.c" altitude 200000', `volume "${V}"`, `file "${V}\\docs" folder`, ...lines].join('\n');
  const world = await runWorld('/t/s.fltsim', text, files);
  assert.equal(world.fault, undefined, world.fault?.message);
  return world;
}

const result = (w: World, id: number) => [w.sim.result(id)?.status, w.sim.result(id)?.information];

test('a reported change completes the held request with its record; a change elsewhere does not; the handle\'s cleanup completes the next with STATUS_NOTIFY_CLEANUP', async () => {
  const w = await run(0, [
    `io #1 notify-dir "${V}\\docs" async at 0`,
    `io #2 create "${V}\\docs\\new.txt" disposition create at 5`,
    `io #3 notify-dir "${V}\\docs" async at 6`,
    `io #4 create "${V}\\other.txt" disposition create at 7`,
    `io #5 cleanup "${V}\\docs" at 8`,
  ]);
  assert.deepEqual(w.sim.violations.map((v) => `${v.rule}: ${v.message}`), []);
  assert.deepEqual(w.sim.kernel.output, [
    'pre-notify: filter 0x3 tree=0 length 4096',
    'post-notify: 0x00000000 26 bytes at IRQL 0',
    `  action ${FileAction.ADDED} new.txt`,
    'pre-notify: filter 0x3 tree=0 length 4096',
    'post-notify: 0x0000010B 0 bytes at IRQL 0',
  ]);
  assert.deepEqual(result(w, 1), [STATUS.STATUS_SUCCESS, 26]);
  assert.deepEqual(result(w, 3), [STATUS.STATUS_NOTIFY_CLEANUP, 0]);
  assert.equal(w.verdict().passed, true);
});

test('a change reported while no request is held is kept for the next one, which completes at once', async () => {
  const w = await run(0, [
    `io #1 notify-dir "${V}\\docs" async at 0`,
    `io #2 create "${V}\\docs\\a.txt" disposition create at 2`,
    `io #3 create "${V}\\docs\\b.txt" disposition create at 3`,
    `io #4 notify-dir "${V}\\docs" async at 4`,
    `io #5 cleanup "${V}\\docs" at 8`,
  ]);
  assert.deepEqual(w.sim.kernel.output.filter((l) => l.startsWith('  ')), [`  action ${FileAction.ADDED} a.txt`, `  action ${FileAction.ADDED} b.txt`]);
  assert.deepEqual(result(w, 4), [STATUS.STATUS_SUCCESS, 12 + 2 * 'b.txt'.length]);
});

test('IgnoreBuffer completes with STATUS_NOTIFY_ENUM_DIR and no bytes', async () => {
  const w = await run(1, [`io #1 notify-dir "${V}\\docs" async at 0`, `io #2 create "${V}\\docs\\new.txt" disposition create at 5`]);
  assert.deepEqual(result(w, 1), [STATUS.STATUS_NOTIFY_ENUM_DIR, 0]);
});

test('unloading the filter ends every watch (FsRtlNotifyCleanupAll); one nothing completes is left hanging, named as held on the filter\'s list', async () => {
  const unloaded = await run(0, [`io #1 notify-dir "${V}\\docs" async at 0`, 'unload lister at 5']);
  assert.deepEqual(result(unloaded, 1), [STATUS.STATUS_NOTIFY_CLEANUP, 0]);
  const left = await run(0, [`io #1 notify-dir "${V}\\docs" async at 0`]);
  assert.deepEqual(left.sim.violations.map((v) => v.rule), [], 'held on a list the package completes from is a hand-off');
  assert.match(left.verdict().problems[0]!, /request #1 \(IRP_MJ_DIRECTORY_CONTROL\) never completed: lister holds it on its own change-notification list for \\docs \(FltNotifyFilterChangeDirectory\)/);
});

test('FltNotifyFilterChangeDirectory for an operation that is not a notify request is invalid-parameter', async () => {
  const w = await run(2, [`file "${V}\\docs\\a.txt" size 4`, `io #1 read "${V}\\docs\\a.txt" length 4 at 0`]);
  assert.deepEqual(w.sim.violations.map((v) => v.rule), ['invalid-parameter']);
  assert.deepEqual(result(w, 1), [STATUS.STATUS_SUCCESS, 4]);
});
