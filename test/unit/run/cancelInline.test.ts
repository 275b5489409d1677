/**
 * A cancel routine completes the IRP it cancels in the cancelling thread, as IoCancelIrp does on
 * Windows: the post-operation callbacks of a cancelled change notification have run when the
 * cancel returns, on the cancelling thread (test/fixtures/dirnotify/watcher.c prints from its post-op).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathRules, prepareScenarioText, type ProjectFiles } from '../../../engine';
import { World } from '../../../engine/run/world';
import { STATUS } from '../../../engine/kernel/status';

const sources: Record<string, string> = { '/t/watcher.c': readFileSync(path.resolve('test/fixtures/dirnotify/watcher.c'), 'utf8') };
const files: ProjectFiles = { readFile: (p) => sources[p], paths: pathRules('posix') };
const V = '\\Device\\HarddiskVolume1';

test('cancelling a pended change notification runs its post-op in the cancelling thread, before the cancel returns', async () => {
  const text = ['driver "watcher.c"', `volume "${V}"`, `file "${V}\\docs" folder`, `io #1 notify-dir "${V}\\docs" async at 0`, 'cancel #1 at 3'].join('\n');
  const prepared = await prepareScenarioText('/t/s.fltsim', text, files);
  assert.ok(prepared.ok);
  const w = new World(prepared.prepared, {});
  w.run();
  assert.equal(w.fault, undefined);
  assert.equal(w.sim.result(1)?.status, STATUS.STATUS_CANCELLED);
  const events = w.sim.kernel.log.all();
  const cancel = events.find((e) => /IoCancelIrp\(#1\): the file system's cancel routine completes/.test(e.detail));
  const post = events.find((e) => e.kind === 'output' && /^post-notify: 0xC0000120/.test(e.detail));
  assert.ok(cancel && post, 'the cancel and the post-op are both in the log');
  assert.equal(post.threadName, cancel.threadName, 'the post-op ran on the thread that cancelled');
  assert.ok(post.seq > cancel.seq);
});
