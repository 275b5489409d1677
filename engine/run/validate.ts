/**
 * Whether a scenario can run, decided in one place for every front end (`fltsim run`, the debug
 * adapter's launch, the language server): the parser's checks, driver files, projects and folders
 * that exist, rule ids in `expect violation` / `expect no violation` that some rule has, and, once
 * all that holds, the driver names the projects give (engine/project) in `unload` and `expect calls`.
 */
import { RULE_IDS } from '../kernel/rules';
import { LINT_RULES } from '../lint';
import { isWithin, rulesOf, type ProjectFiles } from '../files';
import type { DriverProject } from '../project';
import { checkScenarioFiles, parseScenario, readDriverProjects, validateRuleIds, type Scenario, type ScenarioDiagnostic } from '../scenario';

/** Rule ids a scenario may expect: the runtime verifier's and the linter's, sorted. */
export const SCENARIO_RULE_IDS: readonly string[] = [...new Set<string>([...RULE_IDS, ...LINT_RULES.map((r) => r.id)])].sort();

export interface ScenarioCheck {
  scenario: Scenario;
  /** Every problem found, by position in the file. */
  diagnostics: ScenarioDiagnostic[];
  /** No diagnostic is an error: the scenario may run. */
  ok: boolean;
  /** The driver projects, one per `driver` line, when they were read (everything else was right). */
  projects?: DriverProject[];
}

export interface ValidateOptions {
  /**
   * The workspace folder the scenario belongs to. A driver that reads files outside it (a path with
   * `..` or an absolute one, a project listing such files) gets a warning: opening a scenario should
   * not quietly read someone's files elsewhere on the machine.
   */
  workspace?: string;
}

/**
 * Checks a scenario's text without running it. Without `scenarioPath` (an editor buffer that is not
 * a file) driver paths cannot be resolved, so driver files are not checked; `files` is how the
 * caller sees files (the disk, an editor's documents, a test's table).
 */
export function validateScenario(text: string, scenarioPath: string | undefined, files: ProjectFiles, options: ValidateOptions = {}): ScenarioCheck {
  const parsed = parseScenario(text);
  const diagnostics: ScenarioDiagnostic[] = [...parsed.diagnostics];
  if (scenarioPath !== undefined) diagnostics.push(...checkScenarioFiles(parsed.scenario, scenarioPath, files));
  diagnostics.push(...validateRuleIds(parsed.scenario, SCENARIO_RULE_IDS));
  let projects: DriverProject[] | undefined;
  if (scenarioPath !== undefined && !diagnostics.some((d) => d.severity === 'error')) {
    const read = readDriverProjects(parsed.scenario, scenarioPath, files);
    projects = read.projects;
    diagnostics.push(...read.diagnostics);
    if (options.workspace !== undefined) diagnostics.push(...outsideWorkspace(parsed.scenario, projects, options.workspace, files));
  }
  diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
  const ok = !diagnostics.some((d) => d.severity === 'error');
  return { scenario: parsed.scenario, diagnostics, ok, ...(projects ? { projects } : {}) };
}

/** A warning for each driver line whose files lie outside `workspace`, naming the first such file. */
function outsideWorkspace(scenario: Scenario, projects: readonly DriverProject[], workspace: string, files: ProjectFiles): ScenarioDiagnostic[] {
  const rules = rulesOf(files);
  const inside = (p: string) => isWithin(rules, workspace, p);
  const out: ScenarioDiagnostic[] = [];
  scenario.drivers.forEach((d, i) => {
    const project = projects[i];
    if (!project) return;
    const read = [...(project.source.kind === 'vcxproj' ? [project.source.file] : []), ...project.units];
    const outside = read.find((p) => !inside(p));
    if (outside === undefined) return;
    out.push({
      ...d.pathSpan,
      severity: 'warning',
      code: 'outside-workspace',
      message: `driver "${d.path}" reads ${outside}, outside the workspace folder ${workspace}`,
      hint: 'Keep the driver sources inside the workspace, or open the folder that holds them.',
    });
  });
  return out;
}
