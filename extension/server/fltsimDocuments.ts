/**
 * Checks for `.fltsim` scenario documents: the parser's own errors, driver files that are not on
 * disk (resolved against the scenario's folder), and `expect violation` ids that no rule has. A
 * scenario may name a lint rule or a runtime rule, so both id lists count as known.
 */
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver/node';
import { checkDriverProjects, LINT_RULES, parseScenario, RUNTIME_RULES, validateRuleIds, type ProjectFiles, type ScenarioDiagnostic } from '../../engine';
import { nodeFiles } from '../cli/nodeFiles';
import { scenarioToDiagnostic } from './diagnostics';

/** Rule ids an `expect violation` may name. */
export const KNOWN_RULE_IDS: readonly string[] = [...new Set([...LINT_RULES.map((r) => r.id), ...Object.keys(RUNTIME_RULES)])].sort();

/** The file system path of a `file:` URI; undefined for other schemes (untitled, virtual). */
export function filePathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/**
 * All problems of one scenario text, sorted by position. Without `scenarioPath` (a document that
 * is not a file) driver files cannot be resolved, so they are not checked. When every driver is
 * found, the projects are read so that `unload` and `expect calls` are checked against the names
 * they give their drivers (a .vcxproj's ProjectName, the file with DriverEntry).
 */
export function scenarioDiagnostics(text: string, scenarioPath: string | undefined, files: ProjectFiles = nodeFiles): Diagnostic[] {
  const parsed = parseScenario(text);
  const all: ScenarioDiagnostic[] = [...parsed.diagnostics];
  // Names are checked against the projects only when the lines that name them parsed.
  if (scenarioPath) {
    const checked = checkDriverProjects(parsed.scenario, scenarioPath, files);
    all.push(...(parsed.diagnostics.some((d) => d.severity === 'error') ? checked.diagnostics.filter((d) => d.code === 'missing-file') : checked.diagnostics));
  }
  all.push(...validateRuleIds(parsed.scenario, KNOWN_RULE_IDS));
  all.sort((a, b) => a.line - b.line || a.column - b.column);
  return all.map(scenarioToDiagnostic);
}
