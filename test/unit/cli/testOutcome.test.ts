// From real runs (the records `fltsim test` prints, made by the same function) to what the Test
// Explorer shows: states per scenario and expect line, messages at the expect line with expected and
// actual, violations and stops at the driver line, compile errors where they are, failing seeds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { testRecords } from '../../../extension/cli/test';
import type { ScenarioOutcome, TestRunRecord, TestRunResult } from '../../../extension/shared/testRunProtocol';
import { scenarioOutcome, unpreparedOutcome } from '../../../extension/cli/testOutcome';
import { seedList } from '../../../extension/shared/testRunProtocol';

const dir = mkdtempSync(path.join(tmpdir(), 'fltsim-testing-'));
copyFileSync('test/fixtures/verdicts/stuck.c', path.join(dir, 'stuck.c'));
copyFileSync('test/fixtures/testing/race.c', path.join(dir, 'race.c'));
copyFileSync('samples/irql-bug/lockedcomplete.c', path.join(dir, 'lockedcomplete.c'));
const lineIn = (file: string, text: string) => readFileSync(path.join(dir, file), 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;

function scenario(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

async function records(files: string[], seeds?: number[]): Promise<TestRunRecord[]> {
  const out: TestRunRecord[] = [];
  for await (const r of testRecords(files, seeds)) out.push(r);
  return out;
}

const runsOf = (rs: TestRunRecord[], file: string) => rs.filter((r): r is TestRunResult => r.event === 'run' && r.scenario === file);
/** The outcome `fltsim test` sent for the scenario: what scenarioOutcome makes of its runs. */
function outcomeOf(rs: TestRunRecord[], file: string): ScenarioOutcome {
  const o = rs.find((r) => r.event === 'outcome' && r.scenario === file);
  assert.ok(o && o.event === 'outcome', `no outcome record for ${file}`);
  return o.outcome;
}

test('a failed expectation: a message at its expect line with expected and actual; the others pass', async () => {
  const file = scenario('status.fltsim', [
    'driver "stuck.c"', 'define MODE 5', 'io #1 read "\\Device\\HarddiskVolume1\\a.txt" at 0',
    'expect #1 status STATUS_ACCESS_DENIED', 'expect no violations',
  ]);
  const rs = await records([file]);
  assert.deepEqual(rs.map((r) => r.event), ['scenario', 'run', 'outcome', 'done']);
  const runs = runsOf(rs, file);
  const o = outcomeOf(rs, file);
  assert.deepEqual(o, scenarioOutcome(file, runs));
  assert.equal(o.state, 'failed');
  assert.deepEqual(o.expectations.map((x) => [x.line, x.state]), [[4, 'failed'], [5, 'passed']]);
  assert.deepEqual(o.expectations[0]!.messages, [{
    text: '✗ expect #1 status STATUS_ACCESS_DENIED   — got STATUS_SUCCESS',
    place: { file, line: 4 },
    expected: 'STATUS_ACCESS_DENIED',
    actual: 'STATUS_SUCCESS',
    seed: undefined,
  }]);
  // The scenario's own message: the verdict, at the scenario's line, offering to debug this seed.
  assert.deepEqual(o.messages, [{ text: 'FAIL  1 of 2 expectations failed\n✗ expect #1 status STATUS_ACCESS_DENIED   — got STATUS_SUCCESS   (line 4)', seed: runs[0]!.seed }]);
  assert.equal(o.durationMs, runs[0]!.ms);
  assert.ok(o.durationMs > 0);
  // The output is the text `fltsim run` prints.
  assert.match(runs[0]!.text, /^Expectations\n {2}✗ expect #1 status STATUS_ACCESS_DENIED {3}— got STATUS_SUCCESS {3}\(line 4\)$/m);
  assert.match(runs[0]!.text, /^FAIL {2}1 of 2 expectations failed$/m);
  assert.deepEqual(rs.at(-1), { event: 'done', passed: 0, failed: 1, unprepared: 0 });
});

test('a violation nobody expected is a message at the driver line; an expected one is no news', async () => {
  const file = scenario('locked.fltsim', [
    'driver "lockedcomplete.c"',
    'io #1 read "\\Device\\HarddiskVolume1\\one.bin" length 512 at 0',
    'io #2 read "\\Device\\HarddiskVolume1\\two.bin" length 512 at 0',
    'expect no violations',
  ]);
  const wanted = scenario('wanted.fltsim', [
    'driver "lockedcomplete.c"',
    'io #1 read "\\Device\\HarddiskVolume1\\one.bin" length 512 at 0',
    'expect violation cpp-irql',
  ]);
  const rs = await records([file, wanted]);
  const o = outcomeOf(rs, file);
  assert.equal(o.state, 'failed');
  const at = o.messages.filter((m) => m.place?.file === path.join(dir, 'lockedcomplete.c'));
  assert.ok(at.length >= 1, JSON.stringify(o.messages));
  for (const m of at) {
    assert.match(m.text, /^error \[cpp-irql\] .*FltCompletePendedPreOperation/);
    assert.match(readFileSync(path.join(dir, 'lockedcomplete.c'), 'utf8').split('\n')[m.place!.line - 1]!, /FltCompletePendedPreOperation\(/);
  }
  assert.deepEqual(o.expectations.map((x) => [x.line, x.state]), [[4, 'failed']]);
  assert.equal(o.expectations[0]!.messages[0]!.actual, 'violations: cpp-irql');
  assert.equal(o.expectations[0]!.messages[0]!.expected, 'no violations');

  const ok = outcomeOf(rs, wanted);
  assert.equal(ok.state, 'passed');
  assert.deepEqual(ok.messages, []);
  assert.deepEqual(ok.expectations.map((x) => [x.line, x.state]), [[3, 'passed']]);
});

test('a driver that never returns is stopped by the steps limit: the stop is at its line, the expectations are not checked', async () => {
  const file = scenario('loop.fltsim', [
    'driver "stuck.c"', 'define MODE 4', 'io #1 read "\\Device\\HarddiskVolume1\\a.txt" at 0', 'limit steps 5000',
    'expect #1 status STATUS_SUCCESS', 'expect no violations',
  ]);
  const o = outcomeOf(await records([file]), file);
  assert.equal(o.state, 'failed');
  assert.deepEqual(o.expectations.map((x) => [x.line, x.state]), [[5, 'skipped'], [6, 'skipped']]);
  const stop = o.messages.find((m) => m.text.startsWith('✗ the run stopped before its end'));
  assert.ok(stop, JSON.stringify(o.messages));
  assert.match(stop.text, /steps/);
  assert.equal(stop.place?.file, path.join(dir, 'stuck.c'));
  assert.equal(stop.place?.line, lineIn('stuck.c', 'for (;;) { }'));
});

test('a scenario that does not compile errs, with each error where it is', async () => {
  const file = scenario('missing.fltsim', ['driver "nowhere.c"', 'io #1 read "\\Device\\HarddiskVolume1\\a.txt" at 0', 'expect #1 status STATUS_SUCCESS']);
  const rs = await records([file]);
  assert.deepEqual(rs.map((r) => r.event), ['scenario', 'unprepared', 'outcome', 'done']);
  const un = rs[1]!;
  assert.ok(un.event === 'unprepared');
  const o = outcomeOf(rs, file);
  assert.deepEqual(o, unpreparedOutcome(un.diagnostics));
  assert.equal(o.state, 'errored');
  assert.equal(o.messages.length, 1);
  assert.equal(o.messages[0]!.place?.file, file);
  assert.equal(o.messages[0]!.place?.line, 1);
  assert.match(o.messages[0]!.text, /nowhere\.c/);
  assert.match(un.text, /nowhere\.c/);
  assert.deepEqual(rs.at(-1), { event: 'done', passed: 0, failed: 0, unprepared: 1 });
});

test('under many seeds: the scenario fails if one seed does, and every failing seed is named', async () => {
  const file = scenario('race.fltsim', [
    'driver "race.c"',
    'io #1 read "\\Device\\HarddiskVolume1\\a.txt" length 100 at 0',
    'io #2 read "\\Device\\HarddiskVolume1\\b.txt" length 200 at 0',
    'expect #1 status STATUS_SUCCESS',
    'expect output "race: first read has length 100"',
  ]);
  const seeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const rs = await records([file], seeds);
  const runs = runsOf(rs, file);
  assert.deepEqual(runs.map((r) => r.seed), seeds);
  const failing = runs.filter((r) => !r.report.passed).map((r) => r.seed);
  assert.ok(failing.length > 0 && failing.length < seeds.length, `the fixture should fail under some seeds only (failing: ${failing.join(', ')})`);

  const o = outcomeOf(rs, file);
  assert.equal(o.state, 'failed');
  assert.deepEqual(o.failingSeeds, failing);
  assert.deepEqual(o.seeds, seeds);
  assert.deepEqual(o.expectations.map((x) => [x.line, x.state]), [[4, 'passed'], [5, 'failed']]);
  const [m] = o.expectations[1]!.messages;
  assert.equal(m!.seed, failing[0]);
  assert.equal(m!.place?.line, 5);
  assert.equal(m!.expected, 'output: a line containing "race: first read has length 100"');
  assert.equal(m!.actual, '1 output line, none contains "race: first read has length 100"');
  assert.ok(m!.text.startsWith(`seed ${failing[0]}: ✗ expect output`), m!.text);
  if (failing.length > 1) assert.ok(m!.text.endsWith(`(fails under seeds ${seedList(failing)} of 1–10)`), m!.text);
  assert.equal(o.messages[0]!.text, `fails under ${failing.length} of 10 seeds: ${seedList(failing)}`);
  // One verdict message per failing seed, each carrying the seed to debug.
  const perSeed = o.messages.filter((x) => /^seed \d+: FAIL/.test(x.text));
  assert.deepEqual(perSeed.map((x) => x.seed), failing);
  assert.equal(o.durationMs, runs.reduce((s, r) => s + r.ms, 0));
});

test('seed lists read short', () => {
  assert.equal(seedList([5, 1, 2, 3, 9, 10, 12]), '1–3, 5, 9, 10, 12');
  assert.equal(seedList([]), '');
  assert.equal(seedList([7]), '7');
});

