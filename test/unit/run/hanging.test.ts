/**
 * A run that ends with work left hanging never passes silently (engine/fltmgr/hanging.ts): a request
 * nothing completed, one a filter pended and forgot, a work item that never ran. Each is named in the
 * verdict with where it stands, and only `expect #N pending` / `expect #N state …` / `expect hanging`
 * make it wanted. A thread waiting for its own request is that request's story, not a deadlock.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathRules, prepareScenarioText, type ProjectFiles } from '../../../engine';
import { World } from '../../../engine/run/world';
import { judgeRun as judgeSchedule } from '../../../engine/run/explore';
import { runWorld } from '../worldRun';

const sources: Record<string, string> = {
  '/t/watcher.c': readFileSync(path.resolve('test/fixtures/dirnotify/watcher.c'), 'utf8'),
  '/t/stuck.c': readFileSync(path.resolve('test/fixtures/verdicts/stuck.c'), 'utf8'),
  '/t/selfwatch.c': readFileSync(path.resolve('test/fixtures/dirnotify/selfwatch.c'), 'utf8'),
};
const files: ProjectFiles = { readFile: (p) => sources[p], paths: pathRules('posix') };
const V = '\\Device\\HarddiskVolume1';

async function run(lines: string[]): Promise<World> {
  const world = await runWorld('/t/s.fltsim', lines.join('\n'), files);
  assert.equal(world.fault, undefined);
  return world;
}

const watcher = (...lines: string[]) => run(['driver "watcher.c"', `volume "${V}"`, `file "${V}\\docs" folder`, ...lines]);

test('an asynchronous change notification nothing completes fails the run, naming the request and where it waits; expect #1 pending makes it wanted', async () => {
  const w = await watcher(`io #1 notify-dir "${V}\\docs" async at 0`);
  const v = w.verdict();
  assert.equal(v.passed, false);
  assert.equal(w.facts().end.kind, 'finished', 'no thread is blocked: this is not a deadlock');
  assert.deepEqual(v.problems, [
    "the run ended with work left hanging: request #1 (IRP_MJ_DIRECTORY_CONTROL) never completed: the file system holds it on the folder's change-notification list (no matching change came, and the handle was never cleaned up or the request cancelled) (write 'expect #1 pending' if the scenario leaves it outstanding on purpose)",
  ]);
  assert.deepEqual(v.unexpectedHanging.map((h) => [h.kind, h.io]), [['request', 1]]);
  assert.deepEqual(w.sim.violations.map((x) => x.rule), [], 'leaving a notification outstanding is not a driver bug');

  const wanted = await watcher(`io #1 notify-dir "${V}\\docs" async at 0`, 'expect #1 pending');
  assert.equal(wanted.verdict().passed, true);
  assert.deepEqual(wanted.verdict().expectations.map((e) => [e.verdict, e.actual]), [['pass', '#1 never completed (state: in-fs)']]);
  const byState = await watcher(`io #1 notify-dir "${V}\\docs" async at 0`, 'expect #1 state in-fs');
  assert.equal(byState.verdict().passed, true);
});

test('expect #N pending fails when the request completed', async () => {
  const w = await watcher(`io #1 notify-dir "${V}\\docs" async at 0`, `io #2 create "${V}\\docs\\n.txt" disposition create at 3`, 'expect #1 pending');
  const v = w.verdict();
  assert.equal(v.passed, false);
  assert.deepEqual(v.expectations.map((e) => [e.verdict, e.actual]), [['fail', '#1 completed with STATUS_SUCCESS']]);
  assert.deepEqual(v.problems, []);
});

test('a synchronous notification nothing completes: its thread waits for it, which is the request left hanging, not a deadlock', async () => {
  const w = await watcher(`io #1 notify-dir "${V}\\docs" at 0`);
  const facts = w.facts();
  assert.equal(facts.end.kind, 'finished');
  assert.deepEqual(w.sim.violations.map((x) => x.rule), [], 'no deadlock violation for the waiting issuer');
  assert.equal(w.verdict().passed, false);
  assert.match(w.verdict().problems[0]!, /request #1 \(IRP_MJ_DIRECTORY_CONTROL\) never completed: .*; I\/O #1 \(notify-dir\) waits for it forever/);
  // Exploration judges a schedule the same way: the hung request fails it.
  assert.deepEqual(judgeSchedule(w, 'done').failures.map((f) => f.key), ['hanging:1']);
});

test('requests a filter pended and forgot, and a work item whose workers are all blocked, are each named; expect deadlock covers the work item, the requests need their own lines', async () => {
  const scenario = (...more: string[]) => run([
    'driver "stuck.c"', 'define MODE 0', 'workers delayed 1',
    `io #1 read "${V}\\a.txt" at 0`, `io #2 read "${V}\\a.txt" at 1`, ...more,
  ]);
  const w = await scenario();
  const v = w.verdict();
  assert.equal(w.facts().end.kind, 'deadlock', 'the worker waits for an event nobody sets');
  assert.deepEqual(v.unexpectedHanging.map((h) => [h.kind, h.io ?? null]), [['request', 1], ['request', 2], ['work-item', null]]);
  assert.match(v.unexpectedHanging[0]!.text, /stuck pended it in PreRead \(FLT_PREOP_PENDING\) and nothing called FltCompletePendedPreOperation for it/);
  assert.match(v.unexpectedHanging[2]!.text, /^generic work item Worker was queued to DelayedWorkQueue at stuck\.c:\d+ and never ran/);
  // The deadlock, three pieces of hanging work, and the pre-ops nobody completed (errors no expect line is about).
  assert.equal(v.problems.length, 5, v.problems.join('\n'));
  assert.match(v.problems[4]!, /^the run recorded 2 violations of error severity .* the first: pended-pre-not-completed/);

  // Leaving the requests pending on purpose accepts the hanging work; the violations are judged by their own line.
  const accepted = await scenario('expect deadlock', 'expect #1 pending', 'expect #2 state pended', 'expect violation pended-pre-not-completed');
  assert.deepEqual(accepted.verdict().problems, []);
  assert.equal(accepted.verdict().passed, true);
  const partly = await scenario('expect deadlock', 'expect #1 pending');
  assert.deepEqual(partly.verdict().unexpectedHanging.map((h) => h.io), [2]);
  const all = await scenario('expect deadlock', 'expect hanging', 'expect violation pended-pre-not-completed');
  assert.equal(all.verdict().passed, true);
});

test('expect hanging fails when nothing was left hanging', async () => {
  const w = await watcher(`io #1 notify-dir "${V}\\docs" async at 0`, `io #2 create "${V}\\docs\\n.txt" disposition create at 3`, 'expect hanging');
  assert.deepEqual(w.verdict().expectations.map((e) => [e.verdict, e.actual]), [['fail', 'nothing was left hanging']]);
});

test('expect #N pending next to a status or `state done` for the same request is a contradiction warning; an unknown #N is an error', async () => {
  const text = ['driver "watcher.c"', `io #1 notify-dir "${V}\\docs" async at 0`, 'expect #1 pending', 'expect #1 status STATUS_SUCCESS', 'expect #1 state done', 'expect #7 pending'].join('\n');
  const prepared = await prepareScenarioText('/t/s.fltsim', text, files);
  assert.ok(!prepared.ok, 'the unknown #7 is an error');
  assert.deepEqual(prepared.diagnostics.map((d) => [d.line, d.severity, d.message]), [
    [4, 'warning', '#1 is expected never to complete (line 3), so it cannot end with a status'],
    [5, 'warning', '#1 is expected never to complete (line 3), so it cannot end done'],
    [6, 'error', 'expect refers to #7, but no io line declares it'],
  ]);
});

test('I/O a filter issued that never comes back is left hanging (only expect hanging accepts it); a change that completes it leaves nothing', async () => {
  const scenario = (...more: string[]) => run(['driver "selfwatch.c"', `volume "${V}"`, `file "${V}\\docs" folder`, `io #1 create "${V}\\docs" directory at 0`, ...more]);
  const w = await scenario();
  assert.deepEqual(w.sim.kernel.output, ['issue: 0x00000103']);
  assert.deepEqual(w.verdict().unexpectedHanging.map((h) => [h.kind, h.io ?? null]), [['operation', null]]);
  assert.match(w.verdict().problems[0]!, /IRP_MJ_DIRECTORY_CONTROL #\d+ that selfwatch issued never completed: the file system holds it on the folder's change-notification list .*\(write 'expect hanging'/);
  assert.equal((await scenario('expect hanging', 'expect violation bad-object')).verdict().passed, true);
  const completed = await scenario(`io #2 create "${V}\\docs\\new.txt" disposition create at 5`);
  assert.deepEqual(completed.sim.kernel.output, ['issue: 0x00000103', 'own notification: 0x00000000']);
  assert.deepEqual(completed.verdict().problems, []);
});
