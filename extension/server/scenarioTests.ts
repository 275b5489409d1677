/**
 * What the Test Explorer lists for one scenario file: the scenario, and one child per `expect` line.
 * The server answers the client's `fltsim/scenarioTests` request with it (the extension host has no
 * parser); extension/client/testing/controller.ts turns it into TestItems.
 */
import { parseScenario } from '../../engine';
import type { ExpectationTest, ScenarioTests, TestSpan } from '../shared/testRunProtocol';

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
  return { label: scenario.title ?? fileName, span, expectations, errors: new Set(diagnostics.filter((d) => d.severity === 'error').map((d) => d.line)).size };
}
