/**
 * The fuzz properties over the engine in this process: running a scenario (prepare, then run) and
 * linting C. For every input:
 *   - nothing throws: every failure is a diagnostic with a position or a run stop with a message;
 *   - no internal error reaches the user (internalErrors.ts), no run stops with kind `internal`,
 *     and the linter reports no internal rule failure;
 *   - the input finishes within its bound;
 *   - the same input gives the same result (the run's whole JSON report; the linter's findings, and
 *     an incremental re-lint equals a fresh one).
 */
import { initLinter, LintDocument, lintText, prepareScenarioText, runScenario, warmUpEngine, type LintResult } from '../../engine';
import { memoryFiles } from '../unit/files/memoryFiles';
import { assertNoInternalError } from './internalErrors';

/** What one run input may take, prepare and run together (a generous bound on a loaded machine). */
export const RUN_BOUND_MS = 20_000;
export const LINT_BOUND_MS = 20_000;
/** Small limits keep a runaway input quick; the limits themselves are part of what is tested. */
const LIMITS = { steps: 100_000, depth: 128, 'macro-tokens': 50_000 };

export async function readyEngine(): Promise<void> {
  await warmUpEngine();
  await initLinter();
}

/** One scenario run as `fltsim run --json` would do it, as a comparable string. */
async function runOnce(scenarioText: string, drivers: Record<string, string>): Promise<string> {
  const files: Record<string, string> = { '/fz/s.fltsim': scenarioText };
  for (const [name, text] of Object.entries(drivers)) files[`/fz/${name}`] = text;
  const input = `${scenarioText}\n${Object.values(drivers).join('\n')}`;
  const prepared = await prepareScenarioText('/fz/s.fltsim', scenarioText, memoryFiles(files), { limits: LIMITS });
  if (!prepared.ok) {
    if (prepared.diagnostics.length === 0) throw new Error('a scenario that cannot run got no diagnostic');
    for (const d of prepared.diagnostics) {
      if (!(Number.isInteger(d.line) && d.line >= 1 && Number.isInteger(d.column) && d.column >= 1)) throw new Error(`diagnostic without a position: ${JSON.stringify(d)}`);
      if (d.message.length === 0) throw new Error(`diagnostic without a message at ${d.file}:${d.line}`);
      assertNoInternalError(`${d.message} ${d.hint ?? ''}`, `a diagnostic (${d.stage ?? 'scenario'})`, input);
    }
    return JSON.stringify(prepared.diagnostics);
  }
  const { report } = runScenario(prepared.prepared, { limits: LIMITS });
  if (report.error) {
    if (report.error.kind === 'internal') throw new Error(`the run stopped with an internal error: ${report.error.message}`);
    // The model went round in circles without running driver code: a defect of fltsim's (kernel/stall.ts).
    if (report.error.kind === 'no-progress') throw new Error(`the run made no progress: ${report.error.message}`);
    if (report.error.message.length === 0) throw new Error('a run stop without a message');
    assertNoInternalError(report.error.message, 'the run error', input);
  }
  for (const p of report.outcome.problems) assertNoInternalError(p, 'the verdict', input);
  for (const x of report.expectations) assertNoInternalError(x.actual, 'an expectation', input);
  for (const v of report.violations) assertNoInternalError(v.message, 'a violation', input);
  return JSON.stringify(report);
}

/** The run property: no throw, no internal error, within the bound, the same twice. */
export async function checkRun(scenarioText: string, drivers: Record<string, string>): Promise<void> {
  const started = performance.now();
  const first = await runOnce(scenarioText, drivers);
  const ms = performance.now() - started;
  if (ms > RUN_BOUND_MS) throw new Error(`the run took ${Math.round(ms)} ms (bound ${RUN_BOUND_MS} ms)`);
  const second = await runOnce(scenarioText, drivers);
  if (first !== second) throw new Error(`the same input gave two results:\n${first.slice(0, 300)}\n---\n${second.slice(0, 300)}`);
}

function comparable(r: LintResult): string {
  return JSON.stringify({ findings: r.findings, notes: r.notes });
}

/** The lint property: no throw, no internal failure, within the bound, the same twice, incremental = fresh. */
export function checkLint(text: string, before?: string): void {
  const started = performance.now();
  const fresh = lintText(text);
  const ms = performance.now() - started;
  if (ms > LINT_BOUND_MS) throw new Error(`linting took ${Math.round(ms)} ms (bound ${LINT_BOUND_MS} ms)`);
  if (fresh.stats.internalErrors > 0) throw new Error(`${fresh.stats.internalErrors} rule check(s) failed inside the linter`);
  for (const f of fresh.findings) assertNoInternalError(f.message, `a finding (${f.ruleId})`, text);
  for (const n of fresh.notes) assertNoInternalError(n.message, 'a lint note', text);
  if (comparable(lintText(text)) !== comparable(fresh)) throw new Error('the same text linted twice gave two results');
  if (before !== undefined) {
    // As in an editor: the previous text, then this one, re-linted incrementally.
    const doc = new LintDocument();
    try {
      doc.update(before);
      const incremental = doc.update(text);
      if (comparable(incremental) !== comparable(fresh)) throw new Error(`an incremental re-lint differs from a fresh lint:\n${comparable(incremental).slice(0, 300)}\n---\n${comparable(fresh).slice(0, 300)}`);
    } finally {
      doc.dispose();
    }
  }
}
