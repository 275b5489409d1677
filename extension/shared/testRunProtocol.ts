/**
 * What `fltsim test` prints: one JSON object per line, so the editor's Test Explorer can show each
 * scenario's result as soon as it is known and stop the process between (or during) runs. The CLI
 * writes these records and extension/client/testing reads them; both import the types from here.
 */
import type { RunDiagnostic, RunReport } from '../../engine';

/** Lines of `fltsim test` output, in order: per scenario a `scenario`, then `unprepared` or one `run` per seed; `done` last. */
export type TestRunRecord =
  /** Work on a scenario starts (the editor's per-scenario watchdog restarts here). */
  | { event: 'scenario'; scenario: string }
  /** The scenario or a driver could not be read or compiled: nothing ran. */
  | { event: 'unprepared'; scenario: string; diagnostics: RunDiagnostic[]; text: string }
  | TestRunResult
  /** Every scenario was handled. */
  | { event: 'done'; passed: number; failed: number; unprepared: number };

export interface TestRunResult {
  event: 'run';
  /** The scenario's absolute path, as the editor named it. */
  scenario: string;
  seed: number;
  /** Compiling the drivers (once per scenario, counted on its first run only) plus running this seed. */
  ms: number;
  /** File names in the report are absolute, so the editor can point at them. */
  report: RunReport;
  /** Per expect line (1-based), what it asks for, in the words the report's `actual` uses. */
  expected: Record<number, string>;
  /** Warnings from preparing the scenario (e.g. a driver file outside the workspace). */
  warnings: RunDiagnostic[];
  /** The run as `fltsim run` prints it: timeline, debug output, violations, expectations, verdict. */
  text: string;
}

export const TEST_RUN_EVENTS = ['scenario', 'unprepared', 'run', 'done'] as const;

/** Parses one output line; undefined for anything that is not one of our records (stray output). */
export function parseTestRunRecord(line: string): TestRunRecord | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const event = (value as { event?: unknown }).event;
  if (!(TEST_RUN_EVENTS as readonly unknown[]).includes(event)) return undefined;
  if (event !== 'done' && typeof (value as { scenario?: unknown }).scenario !== 'string') return undefined;
  if (event === 'run') {
    const r = value as Partial<TestRunResult>;
    if (typeof r.seed !== 'number' || typeof r.ms !== 'number' || typeof r.report !== 'object' || r.report === null || !Array.isArray(r.report.expectations)) return undefined;
  }
  return value as TestRunRecord;
}
