/**
 * Checks for `.fltsim` scenario documents: the parser's own errors, driver files that are not on
 * disk (resolved against the scenario's folder), and `expect violation` ids that no rule has. A
 * scenario may name a lint rule or a runtime rule, so both id lists count as known.
 */
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver/node';
import { checkScenarioFiles, LINT_RULES, parseScenario, RUNTIME_RULES, validateRuleIds, type ScenarioDiagnostic } from '../../engine';
import { scenarioToDiagnostic } from './diagnostics';

/** Rule ids an `expect violation` may name. */
export const KNOWN_RULE_IDS: readonly string[] = [...new Set([...LINT_RULES.map((r) => r.id), ...Object.keys(RUNTIME_RULES)])].sort();

export function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** A driver path exists as the file or folder a scenario's `driver` line needs. */
export function pathExists(p: string, kind: 'file' | 'folder'): boolean {
  try {
    const st = statSync(p);
    return kind === 'file' ? st.isFile() : st.isDirectory();
  } catch {
    return false;
  }
}

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
 * is not a file) driver files cannot be resolved, so they are not checked.
 */
export function scenarioDiagnostics(text: string, scenarioPath: string | undefined, fileExists: (p: string, kind: 'file' | 'folder') => boolean = pathExists): Diagnostic[] {
  const parsed = parseScenario(text);
  const all: ScenarioDiagnostic[] = [...parsed.diagnostics];
  if (scenarioPath) all.push(...checkScenarioFiles(parsed.scenario, scenarioPath, fileExists));
  all.push(...validateRuleIds(parsed.scenario, KNOWN_RULE_IDS));
  all.sort((a, b) => a.line - b.line || a.column - b.column);
  return all.map(scenarioToDiagnostic);
}
