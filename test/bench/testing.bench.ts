/**
 * The Test Explorer's runner (`fltsim test` in its own process, read by runScenarioQueue), timed
 * from the client as the extension runs it:
 *   - every bundled sample in one process, against one `fltsim run` process per sample;
 *   - one sample under 20 seeds (drivers compiled once), against 20 `fltsim run --seed` processes;
 *   - cancel latency: a driver in `for (;;)` runs, the run is cancelled, until the process is gone;
 *   - the Explore profile (`fltsim explore` per scenario, read by runExplore): the worker flag race
 *     until its failing schedule is shrunk and written, the fixed twin until the search is
 *     exhaustive, and how long a cancelled exploration takes to hand back its partial report.
 * Wall-clock, so the numbers move with the machine.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { exploreInvocation, testInvocation } from '../../extension/client/cliInvocation';
import { runExplore } from '../../extension/client/exploreProcess';
import { runScenarioQueue } from '../../extension/client/testing/testProcess';

const root = path.resolve('.');
const CLI = path.join(root, 'dist', 'cli.js');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const samples = readdirSync('samples', { withFileTypes: true }).filter((d) => d.isDirectory())
  .flatMap((d) => readdirSync(path.join('samples', d.name)).filter((f) => f.endsWith('.fltsim')).map((f) => path.resolve('samples', d.name, f)));

async function queue(scenarios: string[], seeds?: string): Promise<{ ms: number; passed: number }> {
  let passed = 0;
  const t0 = performance.now();
  await runScenarioQueue({
    scenarios, launch: (list) => testInvocation(process.execPath, root, list, root, seeds), idleTimeoutMs: 600_000,
    onResult: (_s, r) => {
      if (r.kind === 'outcome' && r.outcome.state === 'passed') passed++;
    },
  });
  return { ms: performance.now() - t0, passed };
}

function processes(args: string[][]): number {
  const t0 = performance.now();
  for (const a of args) {
    const r = spawnSync(process.execPath, [CLI, 'run', ...a], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`fltsim run ${a.join(' ')} exited ${r.status}: ${r.stdout.slice(-300)}${r.stderr}`);
  }
  return performance.now() - t0;
}

async function cancelLatency(): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), 'fltsim-bench-testing-'));
  copyFileSync('test/fixtures/verdicts/stuck.c', path.join(dir, 'stuck.c'));
  const file = path.join(dir, 'endless.fltsim');
  writeFileSync(file, 'driver "stuck.c"\ndefine MODE 4\nio #1 read "\\Device\\HarddiskVolume1\\a.txt" at 0\nlimit steps 1000000000000\n');
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const abort = new AbortController();
    let t0 = 0;
    await runScenarioQueue({
      scenarios: [file], launch: (list) => testInvocation(process.execPath, root, list, dir), idleTimeoutMs: 600_000, signal: abort.signal,
      onStart: () => {
        // Let the loop run for a while first, so the process is deep inside driver code.
        setTimeout(() => {
          t0 = performance.now();
          abort.abort();
        }, 500);
      },
      onResult: () => undefined,
    });
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** One Explore-profile run of a scenario: wall time and what the report says. */
async function exploreOnce(scenario: string, signal?: AbortSignal, onProgress?: () => void): Promise<{ ms: number; schedules: number; exhaustive: boolean; passed: boolean; stoppedBy: string }> {
  const t0 = performance.now();
  const end = await runExplore(exploreInvocation(process.execPath, root, scenario), { signal, onProgress });
  if (end.kind !== 'report') throw new Error(`fltsim explore ${scenario}: ${end.kind === 'failed' ? end.detail : 'timed out'}`);
  const r = end.report;
  return { ms: performance.now() - t0, schedules: r.schedules.run, exhaustive: r.schedules.exhaustive, passed: r.passed, stoppedBy: r.stoppedBy };
}

async function exploreProfile(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'fltsim-bench-explore-'));
  for (const f of ['flagworker.c', 'race.fltsim', 'fixed.fltsim']) copyFileSync(path.join('samples', 'worker-flag-race', f), path.join(dir, f));
  const race = await exploreOnce(path.join(dir, 'race.fltsim'));
  if (race.passed) throw new Error('the Explore profile found nothing in the worker flag race');
  const fixed = await exploreOnce(path.join(dir, 'fixed.fltsim'));
  if (!fixed.passed || !fixed.exhaustive) throw new Error(`the fixed worker flag race did not explore clean and exhaustively (${fixed.stoppedBy})`);
  console.log(`testing: Explore profile on worker-flag-race: failing schedule found, shrunk and written in ${race.ms.toFixed(0)} ms (${race.schedules} schedules); fixed twin exhaustive in ${fixed.ms.toFixed(0)} ms (${fixed.schedules} schedules, ${(fixed.schedules / (fixed.ms / 1000)).toFixed(0)}/s with process start)`);
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const abort = new AbortController();
    let t0 = 0;
    const r = await exploreOnce(path.join(dir, 'fixed.fltsim'), abort.signal, () => {
      if (t0 === 0) {
        t0 = performance.now();
        abort.abort();
      }
    });
    if (r.stoppedBy !== 'cancelled') throw new Error(`a cancelled exploration ended as ${r.stoppedBy}`);
    times.push(performance.now() - t0);
  }
  console.log(`testing: cancel an exploration until its partial report is read (median of 3): ${median(times).toFixed(1)} ms`);
}

async function main(): Promise<void> {
  const all = await queue(samples);
  if (all.passed !== samples.length) throw new Error(`only ${all.passed} of ${samples.length} samples passed`);
  const each = processes(samples.map((s) => [s]));
  console.log(`testing: ${samples.length} samples in one fltsim test process: ${all.ms.toFixed(0)} ms; one fltsim run process each: ${each.toFixed(0)} ms (${(each / all.ms).toFixed(1)}x)`);

  const one = path.resolve('samples/cbdq-cancel/cancel.fltsim');
  const seeded = await queue([one], '1-20');
  const seededEach = processes(Array.from({ length: 20 }, (_, i) => [one, '--seed', String(i + 1)]));
  console.log(`testing: cancel.fltsim under 20 seeds in one process: ${seeded.ms.toFixed(0)} ms; 20 fltsim run processes: ${seededEach.toFixed(0)} ms (${(seededEach / seeded.ms).toFixed(1)}x)`);

  console.log(`testing: cancel a run inside an endless driver loop until the process is gone (median of 5): ${(await cancelLatency()).toFixed(1)} ms`);

  await exploreProfile();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
