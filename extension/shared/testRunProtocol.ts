/**
 * What the Test Explorer (extension/client/testing, in the extension host, without the engine)
 * exchanges with the processes that hold the engine:
 *  - `fltsim test` prints one JSON record per line: per scenario a `scenario` record, one `run` per
 *    seed, then its `outcome` (what to show: states and placed messages, extension/cli/testOutcome.ts);
 *    `done` last. The editor shows each scenario as soon as its outcome arrives.
 *  - the language server answers `fltsim/scenarioTests` with a scenario file's test items
 *    (extension/server/scenarioTests.ts).
 */
import type { RunDiagnostic, RunReport } from '../../engine';

// --- discovery (language server) ------------------------------------------------------------

export const SCENARIO_TESTS_REQUEST = 'fltsim/scenarioTests';

export interface ScenarioTestsParams {
  /** The scenario's text (the open document's, unsaved edits included, or the file's). */
  text: string;
  /** The file's name, the label when the scenario has no title. */
  name: string;
}

/** A 1-based line and the columns of the text on it (end exclusive), as the scenario parser counts. */
export interface TestSpan {
  line: number;
  column: number;
  endColumn: number;
}

export interface ExpectationTest extends TestSpan {
  /**
   * Stable while lines move: the expectation's text, with `#2`, `#3`… for a repeat, so results and
   * the editor's history stay with the line they belong to after an edit above it.
   */
  id: string;
  /** The expect line as written, without its comment. */
  label: string;
}

export interface ScenarioTests {
  /** The `scenario "…"` title, else the file's name. */
  label: string;
  /** Where the scenario item sits: its title line, else its first statement, else line 1. */
  span: TestSpan;
  expectations: ExpectationTest[];
  /** How many lines the parser could not read; the run reports them, discovery lists what it can. */
  errors: number;
}

// --- results (fltsim test) ------------------------------------------------------------------

/** A place in a file, 1-based. Messages without one belong at the scenario item itself. */
export interface Place {
  file: string;
  line: number;
  column?: number;
}

export interface OutcomeMessage {
  text: string;
  place?: Place;
  /** For a failed expectation: what it asks for and what the run showed, in the same words. */
  expected?: string;
  actual?: string;
  /** The seed of the run the message is about: the editor offers to debug that run. */
  seed?: number;
  /** A failing schedule's replay file (absolute): the editor offers to debug that schedule. */
  replay?: string;
  /** Steps that led here, in order (a failing schedule's interleaving), each at its line when known. */
  frames?: { label: string; place?: Place }[];
}

export type ExpectState = 'passed' | 'failed' | 'skipped';

export interface ExpectOutcome {
  line: number;
  state: ExpectState;
  messages: OutcomeMessage[];
}

export interface ScenarioOutcome {
  state: 'passed' | 'failed' | 'errored';
  durationMs: number;
  /** About the run as a whole: how it ended, violations, stops, compile errors. */
  messages: OutcomeMessage[];
  expectations: ExpectOutcome[];
  /** Every seed run, and those whose run failed. */
  seeds: number[];
  failingSeeds: number[];
}

export type TestRunRecord =
  /** Work on a scenario starts (the editor's watchdog restarts at every record). */
  | { event: 'scenario'; scenario: string }
  /** The scenario or a driver could not be read or compiled: nothing ran. `outcome` follows. */
  | { event: 'unprepared'; scenario: string; diagnostics: RunDiagnostic[]; text: string }
  | TestRunResult
  /** What to show for the scenario, after its last run. */
  | { event: 'outcome'; scenario: string; outcome: ScenarioOutcome }
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

export const TEST_RUN_EVENTS = ['scenario', 'unprepared', 'run', 'outcome', 'done'] as const;

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
    if (typeof r.seed !== 'number' || typeof r.ms !== 'number' || typeof r.text !== 'string' || typeof r.report !== 'object' || r.report === null) return undefined;
  }
  if (event === 'outcome') {
    const o = (value as { outcome?: Partial<ScenarioOutcome> }).outcome;
    if (typeof o !== 'object' || o === null || !Array.isArray(o.messages) || !Array.isArray(o.expectations) || typeof o.state !== 'string') return undefined;
  }
  return value as TestRunRecord;
}

/** `1, 2, 5–9`: seeds as a short list. */
export function seedList(seeds: readonly number[]): string {
  const sorted = [...new Set(seeds)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(j > i + 1 ? `${sorted[i]}–${sorted[j]}` : j === i + 1 ? `${sorted[i]}, ${sorted[j]}` : `${sorted[i]}`);
    i = j;
  }
  return parts.join(', ');
}
