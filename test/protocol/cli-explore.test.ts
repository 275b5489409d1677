// `fltsim explore`, `fltsim explore --merge` and `fltsim run --replay` as a user runs them: the
// bundled CLI as a process, on the test fixtures copied to a scratch folder (replay files are written
// beside the scenario).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const CLI = path.resolve('dist/cli.js');
const cli = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd });

function scratch(fixture: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'fltsim-explore-'));
  cpSync(path.resolve('test/fixtures/explore', fixture), dir, { recursive: true });
  return dir;
}

test('a race is found: exit 1, a shrunk interleaving, a replay file that `run --replay` reproduces', () => {
  const dir = scratch('cancel-race');
  const r = cli(dir, 'explore', 'race.fltsim');
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /FAIL {2}schedule \d+ fails; shrunk to 1 preemption, first change from the default schedule at decision \d+/);
  assert.match(r.stdout, /✗ violation complete-twice at pendlist\.c:53 \(Cancel I\/O #1, 1 ms\)/);
  assert.match(r.stdout, /» time passes to 1 ms while Delayed worker 1 \[thread 2\] is held back; Cancel I\/O #1 \[thread 6\] starts/);
  assert.match(r.stdout, /Replay file: race\.replay\.json/);
  const replay = JSON.parse(readFileSync(path.join(dir, 'race.replay.json'), 'utf8'));
  assert.equal(replay.format, 'fltsim-replay');
  assert.equal(replay.preemptions, 1);
  assert.ok(Array.isArray(replay.schedule.choices) && replay.schedule.choices.length >= replay.firstChange);
  const again = cli(dir, 'run', '--replay', 'race.replay.json', 'race.fltsim');
  assert.equal(again.status, 1, again.stdout + again.stderr);
  assert.match(again.stdout, new RegExp(`first change from the default schedule at decision ${replay.firstChange}`));
  assert.match(again.stdout, /FAIL {2}the schedule fails:\n {2}✗ line 8: expect no violations — got violations: complete-twice/);
  const json = JSON.parse(cli(dir, 'run', '--replay', 'race.replay.json', 'race.fltsim', '--json').stdout);
  assert.equal(json.passed, false);
  assert.deepEqual(json.schedule.failures, replay.failure);
  // The same scenario without the replay passes: the failure needs the schedule.
  assert.equal(cli(dir, 'run', 'race.fltsim').status, 0);
});

test('a deadlock found only by holding a thread back between two acquisitions; a default schedule that fails already is said so', () => {
  const dir = scratch('lock-order');
  const r = cli(dir, 'explore', 'race.fltsim');
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /✗ violation deadlock \(at the end of the run, 1 ms\): I\/O #\d \((read|write)\) is blocked forever waiting for fast mutex/);
  assert.equal(cli(dir, 'run', '--replay', 'race.replay.json', 'race.fltsim').status, 1);
  const always = cli(dir, 'explore', 'default-fails.fltsim');
  assert.equal(always.status, 1);
  assert.match(always.stdout, /FAIL {2}schedule 1 fails; it is the default schedule: fltsim run fails too/);
});

test('the fixed driver explores clean: exit 0, exhaustive, no replay file; the JSON report has its documented shape', () => {
  const dir = scratch('cancel-race');
  const r = cli(dir, 'explore', 'fixed.fltsim', '--json');
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(report).sort(), ['digest', 'failure', 'passed', 'preemptions', 'reduction', 'scenario', 'schedules', 'seed', 'shard', 'stoppedBy', 'strategy', 'title']);
  assert.deepEqual(Object.keys(report.schedules).sort(), ['abandoned', 'distinct', 'estimated', 'exhaustive', 'failing', 'pruned', 'run']);
  assert.equal(report.passed, true);
  assert.equal(report.schedules.exhaustive, true);
  assert.equal(report.strategy, 'dfs');
  assert.equal(report.preemptions, 2);
  assert.equal(report.reduction, 'partial-order');
  assert.equal(report.failure, null);
  assert.ok(!existsSync(path.join(dir, 'fixed.replay.json')));
  const text = cli(dir, 'explore', 'fixed.fltsim');
  assert.match(text.stdout, /exhaustive: every schedule within the bound is covered/);
  assert.match(text.stdout, /PASS {2}every explored schedule passes/);
});

test('shards run disjoint parts; --merge adds them up to the unsharded run\'s counts and digest', () => {
  const dir = scratch('cancel-race');
  const whole = JSON.parse(cli(dir, 'explore', 'fixed.fltsim', '--json', '--preemptions', '1').stdout);
  const files: string[] = [];
  for (const i of [1, 2, 3]) {
    const r = cli(dir, 'explore', 'fixed.fltsim', '--json', '--preemptions', '1', '--shard', `${i}/3`);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).shard, { index: i, count: 3 });
    files.push(path.join(dir, `shard${i}.json`));
    writeFileSync(files[files.length - 1]!, r.stdout);
  }
  const merged = cli(dir, 'explore', '--merge', ...files, '--json');
  assert.equal(merged.status, 0, merged.stderr);
  const m = JSON.parse(merged.stdout);
  assert.equal(m.schedules.run, whole.schedules.run);
  assert.equal(m.digest, whole.digest);
  assert.equal(m.schedules.exhaustive, true);
  const partial = cli(dir, 'explore', '--merge', files[0]!);
  assert.equal(partial.status, 0);
  assert.match(partial.stdout, /missing shard reports: 2\/3, 3\/3/);
  assert.match(partial.stdout, /not exhaustive/);
  const bad = cli(dir, 'explore', '--merge', files[0]!, files[0]!);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /shard 1\/3 is given twice/);
  // Reports cut short, edited or from another exploration: exit 2 naming the file and the field.
  const text = readFileSync(files[1]!, 'utf8');
  const broken: [string, string, RegExp][] = [
    ['cut.json', text.slice(0, Math.floor(text.length / 2)), /cut\.json: it is not JSON \(it looks cut short\)/],
    ['fields.json', JSON.stringify({ schedules: {}, digest: 'x' }), /fields\.json: "scenario" must be a string/],
    ['counts.json', JSON.stringify({ ...JSON.parse(text), schedules: { ...JSON.parse(text).schedules, run: 'many' } }), /counts\.json: "schedules\.run" must be an integer from 0 to 68719476736/],
    // Found by fuzzing: a shard count of 2^53 - 1 made the merge list that many missing shards (V8 aborted).
    ['shards.json', JSON.stringify({ ...JSON.parse(text), shard: { index: 1, count: Number.MAX_SAFE_INTEGER } }), /shards\.json: "shard" must be null or \{"index": I, "count": N\} with 1 <= I <= N <= 10000/],
  ];
  for (const [name, body, why] of broken) {
    writeFileSync(path.join(dir, name), body);
    const r = cli(dir, 'explore', '--merge', files[0]!, name);
    assert.equal(r.status, 2, `${name}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, why);
    assert.doesNotMatch(r.stderr, /internal error/);
  }
  const other = JSON.parse(cli(dir, 'explore', 'race.fltsim', '--json', '--preemptions', '1', '--shard', '2/3').stdout);
  writeFileSync(path.join(dir, 'other.json'), JSON.stringify(other));
  const foreign = cli(dir, 'explore', '--merge', files[0]!, 'other.json');
  assert.equal(foreign.status, 2);
  assert.match(foreign.stderr, /not shards of one exploration/);
  const flags = cli(dir, 'explore', '--merge', files[0]!, '--seed', '3');
  assert.equal(flags.status, 2);
  assert.match(flags.stderr, /--merge combines finished reports and takes only --json; --seed belongs/);
});

test('bad input exits 2 with a reason: usage, scenario, replay file', () => {
  const dir = scratch('cancel-race');
  const cases: [string[], RegExp][] = [
    [['explore'], /a scenario file is required/],
    [['explore', 'race.fltsim', '--shard', '4/3'], /--shard must be I\/N with 1 <= I <= N/],
    [['explore', 'race.fltsim', '--shard', '1/20000'], /--shard splits into at most 10000 parts/],
    [['explore', 'race.fltsim', '--strategy', 'bfs'], /--strategy' must be one of dfs, random, pct/],
    [['explore', 'race.fltsim', '--max-schedules', '0'], /--max-schedules must be an integer of at least 1/],
    [['explore', 'race.fltsim', '--strategy', 'random', '--no-reduction'], /--no-reduction only applies to --strategy dfs/],
    [['explore', 'race.fltsim', '--seed', '4294967296'], /--seed must be a whole number from 0 to 4294967295 \(got '4294967296'\)/],
    [['explore', 'race.fltsim', '--replay-out', 'nowhere/x.json'], /--replay-out: the folder 'nowhere' does not exist/],
    [['explore', 'race.fltsim', '--replay-out', '.'], /--replay-out names a folder; give a file name/],
    [['explore', 'missing.fltsim'], /cannot read the scenario file/],
    [['explore', '--merge', 'race.fltsim'], /race\.fltsim: .*JSON/],
    [['run', '--replay', 'missing.json', 'race.fltsim'], /cannot read the replay file 'missing\.json'/],
    [['run', '--replay', 'race.fltsim', 'race.fltsim'], /not JSON/],
    [['run', '--replay', 'race.fltsim', '--seed', '3', 'race.fltsim'], /--seed and --replay do not go together/],
  ];
  for (const [args, why] of cases) {
    const r = cli(dir, ...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, why, args.join(' '));
  }
  writeFileSync(path.join(dir, 'off.replay.json'), JSON.stringify({ format: 'fltsim-replay', version: 1, scenario: 'race.fltsim', scenarioHash: '', schedule: { seed: 1, choices: [42] }, firstChange: 1, preemptions: 1, failure: [], interleaving: [] }));
  const off = cli(dir, 'run', '--replay', 'off.replay.json', 'race.fltsim');
  assert.equal(off.status, 2);
  assert.match(off.stderr, /at decision 1 it runs thread 42, but only thread \d+((, thread \d+)* or (thread \d+|time passing))? can run there/);
});

test('--time-limit and --max-schedules stop a search that is not done, and say so', () => {
  const dir = scratch('flag-race');
  const timed = JSON.parse(cli(dir, 'explore', 'fixed.fltsim', '--json', '--no-reduction', '--time-limit', '0.5').stdout);
  assert.equal(timed.stoppedBy, 'time-limit');
  assert.equal(timed.schedules.exhaustive, false);
  assert.equal(timed.passed, true);
  const capped = cli(dir, 'explore', 'fixed.fltsim', '--max-schedules', '3');
  assert.equal(capped.status, 0);
  assert.match(capped.stdout, /3 schedules run/);
  assert.match(capped.stdout, /not exhaustive: stopped at --max-schedules/);
});

test('--progress writes progress lines while exploring, and SIGTERM stops it with a partial report', async () => {
  const dir = scratch('flag-race');
  const child = spawn(process.execPath, [CLI, 'explore', 'fixed.fltsim', '--json', '--progress', '--no-reduction', '--preemptions', '2'], { cwd: dir });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  const sawProgress = new Promise<void>((resolve) => {
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
      if (/\{"progress":\{"schedules":[1-9]\d*,"failing":0\}\}/.test(stderr)) resolve();
    });
  });
  await sawProgress;
  child.kill('SIGTERM');
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 0, stderr);
  const report = JSON.parse(stdout);
  assert.equal(report.stoppedBy, 'cancelled');
  assert.equal(report.schedules.exhaustive, false);
  assert.ok(report.schedules.run > 0);
});

test('--jobs N explores the subtrees on N threads and reports exactly what one thread reports: counts, digest, stop, failure, replay file', () => {
  const dir = scratch('cancel-race');
  const serial = cli(dir, 'explore', 'fixed.fltsim', '--json');
  const parallel = cli(dir, 'explore', 'fixed.fltsim', '--json', '--jobs', '3');
  assert.equal(parallel.status, 0, parallel.stderr);
  assert.equal(parallel.stdout, serial.stdout);
  const auto = cli(dir, 'explore', 'fixed.fltsim', '--json', '--jobs', 'auto');
  assert.equal(auto.status, 0, auto.stderr);
  assert.equal(auto.stdout, serial.stdout);
  assert.deepEqual([JSON.parse(parallel.stdout).stoppedBy, JSON.parse(parallel.stdout).schedules.exhaustive], ['exhausted', true]);

  // The race: the failure one thread meets first, whichever thread found one first.
  const one = cli(dir, 'explore', 'race.fltsim', '--json', '--replay-out', 'one.replay.json');
  const three = cli(dir, 'explore', 'race.fltsim', '--json', '--jobs', '3', '--replay-out', 'three.replay.json');
  assert.equal(three.status, 1, three.stderr);
  assert.equal(one.status, 1, one.stderr);
  const a = JSON.parse(one.stdout);
  const b = JSON.parse(three.stdout);
  assert.equal(b.failure.replay, 'three.replay.json');
  assert.deepEqual({ ...b, failure: { ...b.failure, replay: null } }, { ...a, failure: { ...a.failure, replay: null } });
  assert.equal(readFileSync(path.join(dir, 'three.replay.json'), 'utf8'), readFileSync(path.join(dir, 'one.replay.json'), 'utf8'));
  assert.equal(cli(dir, 'run', '--replay', 'three.replay.json', 'race.fltsim').status, 1, 'the replay written reproduces the failure');

  // Stopped by the budget inside a subtree, without reduction: the same schedules, by digest.
  const capped = ['explore', 'fixed.fltsim', '--json', '--no-reduction', '--max-schedules', '37'];
  assert.equal(cli(dir, ...capped, '--jobs', '2').stdout, cli(dir, ...capped).stdout);
});

test('--jobs needs the depth-first search and does not go with --shard', () => {
  const dir = scratch('cancel-race');
  const random = cli(dir, 'explore', 'fixed.fltsim', '--jobs', '2', '--strategy', 'random');
  assert.equal(random.status, 2);
  assert.match(random.stderr, /--jobs splits the depth-first search/);
  const sharded = cli(dir, 'explore', 'fixed.fltsim', '--jobs', '2', '--shard', '1/2');
  assert.equal(sharded.status, 2);
  assert.match(sharded.stderr, /--jobs and --shard do not go together/);
  assert.equal(cli(dir, 'explore', 'fixed.fltsim', '--jobs', '0').status, 2);
  const autoRandom = cli(dir, 'explore', 'fixed.fltsim', '--jobs', 'auto', '--strategy', 'random');
  assert.equal(autoRandom.status, 2);
  assert.match(autoRandom.stderr, /--jobs auto splits the depth-first search/);
  const word = cli(dir, 'explore', 'fixed.fltsim', '--jobs', 'many');
  assert.equal(word.status, 2);
  assert.match(word.stderr, /--jobs must be an integer of at least 1 \(got 'many'\)/);
  // Thousands of worker threads used to exhaust the heap (a crash, exit 133): now a usage error.
  const huge = cli(dir, 'explore', 'fixed.fltsim', '--jobs', '99999');
  assert.equal(huge.status, 2);
  assert.match(huge.stderr, /--jobs 99999 is more than this machine can use \(at most \d+/);
});
