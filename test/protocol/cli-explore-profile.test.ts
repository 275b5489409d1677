// The Test Explorer's Explore profile without an editor: `fltsim explore` run as the profile runs it
// (exploreInvocation + runExplore, the bundled CLI as a process, on fixtures copied to a scratch
// folder), and the outcome it turns the JSON report into (exploreOutcome): messages, places, frames,
// the replay file behind the "Debug the Failing Schedule" button, cancelling, bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { exploreInvocation, replayPathFor, type ExploreSettings } from '../../extension/client/cliInvocation';
import { runExplore, type ExploreEnd } from '../../extension/client/exploreProcess';
import { exploreOutcome } from '../../extension/client/testing/exploreOutcome';

const root = path.resolve('.');

function scratch(fixture: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'fltsim-explore-profile-'));
  cpSync(path.resolve('test/fixtures/explore', fixture), dir, { recursive: true });
  return dir;
}

async function explore(scenario: string, settings: ExploreSettings = {}, signal?: AbortSignal, onProgress?: () => void): Promise<{ end: ExploreEnd; cwd: string }> {
  const inv = exploreInvocation(process.execPath, root, scenario, settings);
  return { end: await runExplore(inv, { signal, onProgress, idleTimeoutMs: 120_000 }), cwd: inv.cwd };
}

/** The line of a file, 1-based. */
function lineOf(file: string, line: number): string {
  return readFileSync(file, 'utf8').split(/\r?\n/)[line - 1] ?? '';
}

test('a failing schedule: failed, with the interleaving as frames at driver lines, the counts, and the replay to debug', async () => {
  const dir = scratch('cancel-race');
  const scenario = path.join(dir, 'race.fltsim');
  const { end, cwd } = await explore(scenario);
  assert.equal(end.kind, 'report');
  if (end.kind !== 'report') return;
  assert.equal(end.code, 1);
  const replay = path.resolve(cwd, replayPathFor(scenario));
  assert.ok(existsSync(replay), 'the replay file is written beside the scenario');
  const o = exploreOutcome(end.report, { cwd, replay, durationMs: 5 });
  assert.equal(o.state, 'failed');
  const [main, ...atLines] = o.messages;
  assert.match(main!.text, /^Schedule \d+ fails \(shrunk to 1 preemption, first change from the default schedule at decision \d+\)\./);
  assert.match(main!.text, /✗ violation complete-twice at pendlist\.c:53/);
  assert.match(main!.text, /Search: \d+ schedules run \(dfs, up to 2 preemptions[^)]*\)(; about [\d,]+ schedules exist without reduction)?; not exhaustive: it stopped at the first failing schedule\./);
  assert.match(main!.text, /» time passes to 1 ms while Delayed worker 1 \[thread 2\] is held back; Cancel I\/O #1 \[thread 6\] starts/);
  assert.equal(main!.replay, replay);
  // The message opens at the first step that differs from the default schedule, in the driver.
  assert.equal(main!.place?.file, path.join(dir, 'pendlist.c'));
  // Every frame with a place points at a real line of the driver, and names the call or access made there.
  const placed = (main!.frames ?? []).filter((f) => f.place);
  assert.ok(placed.length >= 3, JSON.stringify(main!.frames));
  for (const f of placed) {
    assert.equal(f.place!.file, path.join(dir, 'pendlist.c'));
    const m = /(called|read|wrote) (\w+) at pendlist\.c:(\d+)$/.exec(f.label);
    if (!m) continue; // "runs on" lines name no routine
    assert.equal(Number(m[3]), f.place!.line);
    assert.ok(lineOf(f.place!.file, f.place!.line).includes(m[2]!), `${f.label}: ${lineOf(f.place!.file, f.place!.line)}`);
  }
  // The unmet expect line fails at its line; the violation is a message at its driver line.
  assert.deepEqual(o.expectations.map((x) => [x.line, x.state]), [[8, 'failed']]);
  assert.match(o.expectations[0]!.messages[0]!.text, /^Under failing schedule \d+: line 8: expect no violations — got violations: complete-twice/);
  assert.equal(o.expectations[0]!.messages[0]!.replay, replay);
  const violation = atLines.find((m) => /complete-twice/.test(m.text));
  assert.deepEqual(violation?.place, { file: path.join(dir, 'pendlist.c'), line: 53 });
  assert.equal(violation?.replay, replay);
});

test('the fixed twin passes, exhaustively; the settings reach the CLI', async () => {
  const dir = scratch('cancel-race');
  const fixed = path.join(dir, 'fixed.fltsim');
  const { end, cwd } = await explore(fixed, { preemptions: 1 });
  assert.equal(end.kind, 'report');
  if (end.kind !== 'report') return;
  assert.equal(end.code, 0);
  assert.equal(end.report.preemptions, 1);
  assert.equal(end.report.schedules.exhaustive, true);
  const o = exploreOutcome(end.report, { cwd, replay: replayPathFor(fixed), durationMs: 1 });
  assert.deepEqual([o.state, o.messages, o.expectations], ['passed', [], []]);
  assert.ok(!existsSync(replayPathFor(fixed)), 'no replay file when nothing fails');

  const walks = await explore(fixed, { strategy: 'random', maxSchedules: 5, timeLimitSeconds: 30 });
  assert.equal(walks.end.kind, 'report');
  if (walks.end.kind !== 'report') return;
  assert.equal(walks.end.report.strategy, 'random');
  assert.equal(walks.end.report.schedules.run, 5);
  assert.equal(walks.end.report.schedules.exhaustive, false);
  assert.equal(walks.end.report.stoppedBy, 'max-schedules');
});

test('cancelling stops the process and still reads the report so far; bad input is a failure with the reason', async () => {
  const dir = scratch('livelock');
  const abort = new AbortController();
  // Without reduction the search is long; cancel once progress shows it under way.
  const { end } = await explore(path.join(dir, 'fixed.fltsim'), { maxSchedules: 1_000_000, preemptions: 6 }, abort.signal, () => abort.abort());
  assert.equal(end.kind, 'report');
  if (end.kind !== 'report') return;
  assert.equal(end.cancelled, true);
  assert.equal(end.report.stoppedBy, 'cancelled');
  assert.equal(end.report.schedules.exhaustive, false);

  writeFileSync(path.join(dir, 'broken.fltsim'), 'driver "missing.c"\nio #1 read "\\Device\\HarddiskVolume1\\a.txt" at 0\n');
  const bad = await explore(path.join(dir, 'broken.fltsim'));
  assert.equal(bad.end.kind, 'failed');
  if (bad.end.kind !== 'failed') return;
  assert.equal(bad.end.code, 2);
  assert.match(bad.end.detail, /broken\.fltsim:1:.*missing\.c/);
});
