/**
 * Diagnostics for `.fltsim` scenario documents: the engine's `validateScenario`, the same check
 * `fltsim run` and the debugger make before a run, shown as LSP diagnostics.
 */
import type { Diagnostic } from 'vscode-languageserver/node';
import { HOST_PATHS, validateScenario, type PathRules, type ProjectFiles } from '../../engine';
import { nodeFiles } from '../shared/nodeFiles';
import { scenarioToDiagnostic } from './diagnostics';

/** The file system path of a `file:` URI by `rules`; undefined for other schemes (untitled, virtual). */
export function filePathOf(uri: string, rules: PathRules = HOST_PATHS): string | undefined {
  return rules.fromUri(uri);
}

/**
 * All problems of one scenario text, sorted by position. Without `scenarioPath` (a document that
 * is not a file) driver files cannot be resolved, so they are not checked. When every driver is
 * found, the projects are read so that `unload` and `expect calls` are checked against the names
 * they give their drivers (a .vcxproj's ProjectName, the file with DriverEntry).
 */
export function scenarioDiagnostics(text: string, scenarioPath: string | undefined, files: ProjectFiles = nodeFiles, workspace?: string): Diagnostic[] {
  return validateScenario(text, scenarioPath, files, { workspace }).diagnostics.map(scenarioToDiagnostic);
}
