/**
 * Whether a scenario can run, decided in one place for every front end (`fltsim run`, the debug
 * adapter's launch, the language server): the parser's checks, driver files that exist, and rule
 * ids in `expect violation` / `expect no violation` that some rule has.
 */
import { RULE_IDS } from '../kernel/rules';
import { LINT_RULES } from '../lint';
import { checkScenarioFiles, parseScenario, validateRuleIds, type Scenario, type ScenarioDiagnostic } from '../scenario';

/** Rule ids a scenario may expect: the runtime verifier's and the linter's, sorted. */
export const SCENARIO_RULE_IDS: readonly string[] = [...new Set<string>([...RULE_IDS, ...LINT_RULES.map((r) => r.id)])].sort();

export interface ScenarioCheck {
  scenario: Scenario;
  /** Every problem found, by position in the file. */
  diagnostics: ScenarioDiagnostic[];
  /** No diagnostic is an error: the scenario may run. */
  ok: boolean;
}

/**
 * Checks a scenario's text without running it. Without `scenarioPath` (an editor buffer that is not
 * a file) driver paths cannot be resolved, so driver files are not checked; `fileExists` is how the
 * caller sees files (the disk, an editor's documents, a test's table).
 */
export function validateScenario(text: string, scenarioPath: string | undefined, fileExists: (absolutePath: string) => boolean): ScenarioCheck {
  const parsed = parseScenario(text);
  const diagnostics: ScenarioDiagnostic[] = [...parsed.diagnostics];
  if (scenarioPath !== undefined) diagnostics.push(...checkScenarioFiles(parsed.scenario, scenarioPath, fileExists));
  diagnostics.push(...validateRuleIds(parsed.scenario, SCENARIO_RULE_IDS));
  diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
  return { scenario: parsed.scenario, diagnostics, ok: !diagnostics.some((d) => d.severity === 'error') };
}
