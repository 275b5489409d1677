/**
 * From a scenario's runs to what the Test Explorer shows: a state per scenario and per expect line,
 * and messages placed where the user should look (a failed expectation at its expect line with
 * expected and actual values, a violation or a stop at the driver line where it happened).
 * `fltsim test` sends the result as its `outcome` record; the editor only places it.
 */
import { expectationLine, problemLine, verdictSummary, type ExpectationResult, type RunDiagnostic } from '../../engine';
import { seedList, type ExpectOutcome, type OutcomeMessage, type ScenarioOutcome, type TestRunResult } from '../shared/testRunProtocol';

/** A scenario or driver that did not compile: the test errored, with each error where it is. */
export function unpreparedOutcome(diagnostics: readonly RunDiagnostic[]): ScenarioOutcome {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const shown = errors.length > 0 ? errors : diagnostics;
  const messages = shown.map((d): OutcomeMessage => ({
    text: `${d.message}${d.hint ? ` (${d.hint})` : ''}`,
    place: { file: d.file, line: d.line, column: d.column },
  }));
  if (messages.length === 0) messages.push({ text: 'the scenario could not be prepared, and fltsim gave no reason (please report this)' });
  return { state: 'errored', durationMs: 0, messages, expectations: [], seeds: [], failingSeeds: [] };
}

/** Rules the run was asked to show (`expect violation R` that held): their violations are no news. */
function wantedRules(report: TestRunResult['report']): Set<string> {
  const rules = new Set<string>();
  for (const x of report.expectations) {
    const m = /^expect violation (\S+)/.exec(x.text);
    if (m && x.verdict === 'pass') rules.add(m[1]!);
  }
  return rules;
}

/** Messages about one failed run as a whole: how it ended, where it stopped, what it violated. */
function runMessages(run: TestRunResult, seed: number | undefined): OutcomeMessage[] {
  const r = run.report;
  const out: OutcomeMessage[] = [];
  const fault = r.error;
  const faultPlace = fault?.file !== undefined && fault.line !== undefined ? { file: fault.file, line: fault.line, column: fault.column } : undefined;
  for (const p of r.outcome.problems) {
    const atStop = faultPlace && p.startsWith('the run stopped');
    out.push({ text: problemLine(p), ...(atStop ? { place: faultPlace } : {}), seed });
  }
  if (fault && !r.outcome.problems.some((p) => p.startsWith('the run stopped'))) {
    // An `expect stop` asked for a stop, but not this one (or the run failed for another reason too).
    out.push({ text: `the run stopped (${fault.kind}): ${fault.message}  (${fault.thread})`, ...(faultPlace ? { place: faultPlace } : {}), seed });
  }
  const wanted = wantedRules(r);
  for (const v of r.violations) {
    if (wanted.has(v.rule)) continue;
    const text = `${v.severity} [${v.rule}] ${v.message}  (${v.thread}, ${v.irql}, ${v.time} ms)`;
    out.push({ text, ...(v.file !== null && v.line !== null ? { place: { file: v.file, line: v.line } } : {}), seed });
  }
  return out;
}

function expectationMessage(x: ExpectationResult, run: TestRunResult, seed: number | undefined, scenario: string): OutcomeMessage {
  const expected = run.expected[x.line];
  return {
    text: expectationLine(x),
    place: { file: scenario, line: x.line },
    ...(x.verdict === 'fail' && expected !== undefined ? { expected, actual: x.actual } : {}),
    seed,
  };
}

/**
 * The outcome of a scenario from its runs: one run (Run), or one per seed (the seeds profile),
 * where the scenario fails if any seed fails and each failing seed is named in its messages.
 */
export function scenarioOutcome(scenario: string, runs: readonly TestRunResult[]): ScenarioOutcome {
  const many = runs.length > 1;
  const seeds = runs.map((r) => r.seed);
  const failing = runs.filter((r) => !r.report.passed);
  const durationMs = runs.reduce((sum, r) => sum + r.ms, 0);

  const byLine = new Map<number, { results: { x: ExpectationResult; run: TestRunResult }[] }>();
  for (const run of runs) {
    for (const x of run.report.expectations) {
      let entry = byLine.get(x.line);
      if (!entry) byLine.set(x.line, (entry = { results: [] }));
      entry.results.push({ x, run });
    }
  }
  const expectations: ExpectOutcome[] = [...byLine].sort(([a], [b]) => a - b).map(([line, { results }]) => {
    const failed = results.filter((r) => r.x.verdict === 'fail');
    if (failed.length > 0) {
      const first = failed[0]!;
      const message = expectationMessage(first.x, first.run, many ? first.run.seed : undefined, scenario);
      if (many) message.text = `seed ${first.run.seed}: ${message.text}${failed.length > 1 ? `  (fails under seeds ${seedList(failed.map((f) => f.run.seed))} of ${seedList(seeds)})` : ''}`;
      return { line, state: 'failed', messages: [message] };
    }
    if (results.some((r) => r.x.verdict === 'unchecked')) return { line, state: 'skipped', messages: [] };
    return { line, state: 'passed', messages: [] };
  });

  const messages: OutcomeMessage[] = [];
  for (const run of failing) {
    const seed = many ? run.seed : undefined;
    const r = run.report;
    const summary = verdictSummary({ passed: r.passed, expectations: r.expectations, problems: r.outcome.problems, unasked: r.outcome.unasked });
    // At the scenario's own line, with the lines that failed (each also has its own message there).
    const failedLines = r.expectations.filter((x) => x.verdict === 'fail').map((x) => `\n${expectationLine(x)}   (line ${x.line})`).join('');
    messages.push({ text: `${many ? `seed ${run.seed}: ` : ''}${summary}${failedLines}`, seed: run.seed });
    // Under many seeds, a violation repeated by every failing seed is shown once, for the first.
    for (const m of runMessages(run, seed)) {
      if (many && messages.some((o) => o.place?.file === m.place?.file && o.place?.line === m.place?.line && o.text.endsWith(m.text))) continue;
      messages.push(many ? { ...m, text: `seed ${run.seed}: ${m.text}` } : m);
    }
  }
  if (many && failing.length > 0) {
    messages.unshift({ text: `fails under ${failing.length} of ${runs.length} seeds: ${seedList(failing.map((r) => r.seed))}` });
  }
  return { state: failing.length > 0 ? 'failed' : 'passed', durationMs, messages, expectations, seeds, failingSeeds: failing.map((r) => r.seed) };
}

