// `fltsim test` as the Test Explorer runs it: the bundled CLI in its own process, read line by line
// by runScenarioQueue. Cancelling ends the process inside a driver's endless loop; a scenario that
// sends nothing for the idle timeout is reported as hung and the ones after it still run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { testInvocation } from '../../extension/client/cliInvocation';
import { runScenarioQueue, type ScenarioResult } from '../../extension/client/testing/testProcess';
import { parseTestRunRecord } from '../../extension/shared/testRunProtocol';

const root = path.resolve('.');
const dir = mkdtempSync(path.join(tmpdir(), 'fltsim-cli-test-'));
copyFileSync('test/fixtures/verdicts/stuck.c', path.join(dir, 'stuck.c'));

function scenario(name: string, mode: number, lines: string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, ['driver "stuck.c"', `define MODE ${mode}`, 'io #1 read "\\Device\\HarddiskVolume1\\a.txt" at 0', ...lines, ''].join('\n'));
  return file;
}

const pass = scenario('pass.fltsim', 5, ['expect #1 status STATUS_SUCCESS', 'expect no violations']);
const fail = scenario('fail.fltsim', 5, ['expect #1 status STATUS_ACCESS_DENIED']);
// PreRead loops forever and the steps limit is out of reach: only ending the process stops it.
const endless = scenario('endless.fltsim', 4, ['limit steps 1000000000000', 'expect #1 status STATUS_SUCCESS']);

const launch = (seeds?: string) => (list: readonly string[]) => testInvocation(process.execPath, root, list, dir, seeds);

/** Processes still running `fltsim test` on this test's folder. */
function livePids(): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (cmd.includes('test') && cmd.some((a) => a.startsWith(dir))) out.push(Number(entry));
    } catch {
      // ended while we looked
    }
  }
  return out;
}

test('fltsim test prints one record per line; its exit code says whether every run passed', () => {
  const r = spawnSync(process.execPath, ['dist/cli.js', 'test', pass, fail, '--seeds', '1,3-4'], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 1, r.stderr);
  const records = r.stdout.trim().split('\n').map((l) => parseTestRunRecord(l));
  assert.ok(records.every((x) => x !== undefined));
  assert.deepEqual(records.map((x) => (x!.event === 'run' ? `${path.basename(x!.scenario)}@${x!.seed}:${x!.report.passed}` : x!.event === 'outcome' ? `outcome:${x!.outcome.state}` : x!.event)),
    ['scenario', 'pass.fltsim@1:true', 'pass.fltsim@3:true', 'pass.fltsim@4:true', 'outcome:passed',
      'scenario', 'fail.fltsim@1:false', 'fail.fltsim@3:false', 'fail.fltsim@4:false', 'outcome:failed', 'done']);
  const ok = spawnSync(process.execPath, ['dist/cli.js', 'test', pass], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(ok.status, 0, ok.stderr);
});

test('fltsim test refuses seed lists it cannot read, with exit 2 and the reason', () => {
  for (const [seeds, why] of [['5-1', /runs backwards; write it as 1-5/], ['x', /--seeds takes seeds from 0 to 4294967295/], ['1-4294967296', /got '1-4294967296'/]] as const) {
    const r = spawnSync(process.execPath, ['dist/cli.js', 'test', pass, '--seeds', seeds], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 2, seeds);
    assert.match(r.stderr, why);
    assert.equal(r.stdout, '');
  }
  const none = spawnSync(process.execPath, ['dist/cli.js', 'test'], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(none.status, 2);
  assert.match(none.stderr, /give one or more scenario files/);
});

test('the queue reports each scenario as it finishes, in order', async () => {
  const started: string[] = [];
  const results: [string, ScenarioResult][] = [];
  const end = await runScenarioQueue({
    scenarios: [pass, fail], launch: launch('1-2'), idleTimeoutMs: 60_000,
    onStart: (s) => started.push(s),
    onResult: (s, r) => results.push([s, r]),
  });
  assert.deepEqual(end, { kind: 'finished' });
  assert.deepEqual(started, [pass, fail]);
  assert.deepEqual(results.map(([s, r]) => [path.basename(s), r.kind, r.kind === 'outcome' ? r.outcome.state : '', r.runs.map((x) => x.report.passed)]),
    [['pass.fltsim', 'outcome', 'passed', [true, true]], ['fail.fltsim', 'outcome', 'failed', [false, false]]]);
});

test('cancelling ends the process inside an endless loop; what did not run is named', async () => {
  const abort = new AbortController();
  const results: string[] = [];
  const end = await runScenarioQueue({
    scenarios: [pass, endless, fail], launch: launch(), idleTimeoutMs: 600_000, signal: abort.signal,
    // Once the endless scenario starts, its run never ends on its own.
    onStart: (s) => {
      if (s === endless) setTimeout(() => abort.abort(), 300);
    },
    onResult: (s) => results.push(path.basename(s)),
  });
  assert.deepEqual(results, ['pass.fltsim']);
  assert.deepEqual(end, { kind: 'cancelled', unreported: [endless, fail] });
  assert.deepEqual(livePids(), [], 'the fltsim test process is gone after cancelling');
});

test('a scenario that sends nothing for the idle timeout is reported as hung; the rest run in a fresh process', async () => {
  const results: [string, ScenarioResult][] = [];
  const end = await runScenarioQueue({
    // Long enough for a fresh process to load the engine on a busy machine, short enough for a test.
    scenarios: [endless, pass], launch: launch(), idleTimeoutMs: 10_000,
    onResult: (s, r) => results.push([s, r]),
  });
  assert.deepEqual(end, { kind: 'finished' });
  assert.deepEqual(results.map(([s, r]) => [path.basename(s), r.kind]), [['endless.fltsim', 'timeout'], ['pass.fltsim', 'outcome']]);
  const [, hung] = results[0]!;
  assert.ok(hung.kind === 'timeout' && hung.seconds === 10 && hung.runs.length === 0);
  const [, after] = results[1]!;
  assert.ok(after.kind === 'outcome' && after.outcome.state === 'passed' && after.runs.length === 1 && after.runs[0]!.report.passed);
  assert.deepEqual(livePids(), []);
});

test('a process that cannot start or dies is reported for the scenario it was on, never as a pass', async () => {
  const results: [string, ScenarioResult][] = [];
  await runScenarioQueue({
    scenarios: [pass], launch: () => ({ command: path.join(dir, 'no-such-runtime'), args: [], cwd: dir, env: {} }), idleTimeoutMs: 10_000,
    onResult: (s, r) => results.push([s, r]),
  });
  assert.equal(results.length, 1);
  const [, r] = results[0]!;
  assert.equal(r.kind, 'crashed');
  assert.match(r.kind === 'crashed' ? r.detail : '', /could not start .*no-such-runtime/);

  const died: ScenarioResult[] = [];
  await runScenarioQueue({
    scenarios: [pass], launch: () => ({ command: process.execPath, args: ['-e', 'console.log(JSON.stringify({event:"scenario",scenario:process.argv[1]})); process.exit(3)', pass], cwd: dir, env: {} }),
    idleTimeoutMs: 10_000, onResult: (_s, r) => died.push(r),
  });
  assert.equal(died.length, 1);
  assert.equal(died[0]!.kind, 'crashed');
  assert.match(died[0]!.kind === 'crashed' ? died[0]!.detail : '', /exit code 3/);
});
