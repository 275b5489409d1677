/**
 * `fltsim test <scenario.fltsim>... [--seeds LIST] [--limit NAME=N ...]`: runs scenarios, each under
 * one or more seeds, and prints one JSON record per line (extension/shared/testRunProtocol.ts) as
 * each result is known. The editor's Test Explorer runs this in its own process, so a run can be
 * cancelled by ending the process and a driver that loops never blocks the editor. Each scenario's
 * drivers are compiled once, however many seeds it runs under.
 * Exit codes: 0 every run ended as its scenario expects, 1 one did not, 2 one could not be prepared.
 */
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { expectedText, formatRunDiagnostic, MAX_SEED, prepareScenario, runScenario, warmUpEngine, type LimitName, type RunReport } from '../../engine';
import type { TestRunRecord, TestRunResult } from '../shared/testRunProtocol';
import { jsonSafe } from '../shared/safeText';
import { nodeFiles } from '../shared/nodeFiles';
import { parseArgs, UsageError } from './args';
import { registerCommand } from './registry';
import { relative } from './paths';
import { integerArg, parseLimits, textReport } from './run';
import { scenarioOutcome, unpreparedOutcome } from './testOutcome';

/** More runs than this in one call is almost surely a typo in a range (`1-100000000`). */
export const MAX_SEED_RUNS = 100_000;

const USAGE = `Usage: fltsim test <scenario.fltsim>... [--seeds LIST] [--limit NAME=N ...]

Runs each scenario, under each seed of LIST when given (else under the scenario's own seed), and
prints one JSON object per line as results arrive: {"event":"scenario"}, then {"event":"run"} per
seed (with the report of 'fltsim run --json' and its text) or {"event":"unprepared"} when the
scenario or a driver could not be compiled, then {"event":"outcome"} (the verdict placed at the
lines it is about), and {"event":"done"} last. Meant for tools (the VS Code
Test Explorer reads it); people usually want 'fltsim run'.
  --seeds LIST    seeds to run each scenario under: numbers and ranges, e.g. 1-20 or 1,5,9-12
  --limit NAME=N  change a limit, as for 'fltsim run'

Exit codes: 0 every run ended as its scenario expects, 1 one did not, 2 a scenario or a driver could
not be read or compiled.`;

/** `1-20`, `3`, `1,5,9-12` → the seeds in order, without repeats. */
export function parseSeedList(text: string): number[] {
  const seeds: number[] = [];
  const seen = new Set<number>();
  for (const part of text.split(',').map((p) => p.trim())) {
    const m = /^([^-]+)(?:-(.+))?$/.exec(part);
    const from = m ? integerArg(m[1]!.trim()) : undefined;
    const to = m ? (m[2] === undefined ? from : integerArg(m[2].trim())) : undefined;
    if (from === undefined || to === undefined || from > MAX_SEED || to > MAX_SEED) {
      throw new UsageError(`--seeds takes seeds from 0 to ${MAX_SEED} and ranges like 1-20, separated by commas (got '${part}')`);
    }
    if (to < from) throw new UsageError(`--seeds range '${part}' runs backwards; write it as ${to}-${from}`);
    if (to - from + 1 + seeds.length > MAX_SEED_RUNS) throw new UsageError(`--seeds names more than ${MAX_SEED_RUNS} seeds`);
    for (let s = from; s <= to; s++) {
      if (!seen.has(s)) seeds.push(s);
      seen.add(s);
    }
  }
  return seeds;
}

function emit(record: TestRunRecord): void {
  process.stdout.write(`${jsonSafe(JSON.stringify(record))}\n`);
}

/** The report with file names relative to the working folder, as `fltsim run` prints it. */
function relativeReport(r: RunReport): RunReport {
  return {
    ...r,
    violations: r.violations.map((v) => ({ ...v, file: v.file === null ? null : relative(v.file) })),
    error: r.error ? { ...r.error, file: r.error.file === undefined ? undefined : relative(r.error.file) } : null,
  };
}

/**
 * The records of `fltsim test`, as they become known: the command prints them, and tests read them
 * directly. `seeds` undefined runs each scenario once under its own seed.
 */
export async function* testRecords(scenarios: readonly string[], seeds: readonly number[] | undefined, limits: Partial<Record<LimitName, number>> = {}): AsyncGenerator<TestRunRecord> {
  await warmUpEngine();
  let passed = 0;
  let failed = 0;
  let unprepared = 0;
  for (const given of scenarios) {
    const scenario = path.resolve(given);
    yield { event: 'scenario', scenario };
    let t0 = performance.now();
    const prepared = await prepareScenario(scenario, nodeFiles, { limits });
    if (!prepared.ok) {
      unprepared++;
      const text = prepared.diagnostics.map((d) => formatRunDiagnostic({ ...d, file: relative(d.file) })).join('\n');
      yield { event: 'unprepared', scenario, diagnostics: prepared.diagnostics, text };
      yield { event: 'outcome', scenario, outcome: unpreparedOutcome(prepared.diagnostics) };
      continue;
    }
    const expected: Record<number, string> = {};
    for (const e of prepared.prepared.scenario.expectations) expected[e.line] = expectedText(e);
    const runs: TestRunResult[] = [];
    for (const seed of seeds ?? [undefined]) {
      const { report, timeline } = runScenario(prepared.prepared, { seed, limits, label: given.split(path.sep).join('/') });
      const ms = performance.now() - t0;
      if (report.passed) passed++;
      else failed++;
      const run: TestRunResult = { event: 'run', scenario, seed: report.seed, ms, report, expected, warnings: prepared.prepared.warnings, text: textReport(relativeReport(report), timeline, false) };
      runs.push(run);
      yield run;
      t0 = performance.now();
    }
    yield { event: 'outcome', scenario, outcome: scenarioOutcome(scenario, runs) };
  }
  yield { event: 'done', passed, failed, unprepared };
}

async function test(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { seeds: { takesValue: true }, limit: { takesValue: true, repeatable: true } });
  if (args.positionals.length === 0) throw new UsageError('give one or more scenario files');
  const seedsText = args.options.get('seeds');
  const seeds = typeof seedsText === 'string' ? parseSeedList(seedsText) : undefined;
  const limits = parseLimits(args.lists.get('limit') ?? []);
  let code = 0;
  for await (const record of testRecords(args.positionals, seeds, limits)) {
    emit(record);
    if (record.event === 'done') code = record.unprepared > 0 ? 2 : record.failed > 0 ? 1 : 0;
  }
  return code;
}

registerCommand('test', { summary: 'Run scenarios under one or more seeds, one JSON line per result (for tools)', usage: USAGE, run: test });
