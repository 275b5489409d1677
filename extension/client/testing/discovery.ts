/**
 * What the Test Explorer lists for one scenario file: the scenario, and one child per `expect` line.
 * Plain data over the engine's parser, so it is tested without VS Code; controller.ts turns it into
 * TestItems.
 */
import { parseScenario } from '../../../engine';

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
  /** Lines the parser could not read; the run will report them, discovery just lists what it can. */
  errors: number;
}

export function discoverScenario(text: string, fileName: string): ScenarioTests {
  const { scenario, diagnostics } = parseScenario(text);
  const titleLine = scenario.statements.find((s) => s.kind === 'scenario');
  const first = titleLine ?? scenario.statements[0];
  const span: TestSpan = first ? { line: first.line, column: first.column, endColumn: first.endColumn } : { line: 1, column: 1, endColumn: 1 };
  const seen = new Map<string, number>();
  const expectations = scenario.expectations.map((e): ExpectationTest => {
    const n = (seen.get(e.text) ?? 0) + 1;
    seen.set(e.text, n);
    return { id: n === 1 ? e.text : `${e.text} #${n}`, label: e.text, line: e.line, column: e.column, endColumn: e.endColumn };
  });
  return { label: scenario.title ?? fileName, span, expectations, errors: diagnostics.filter((d) => d.severity === 'error').length };
}
