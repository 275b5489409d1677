/**
 * Diagnostics for `.fltsim` scenario documents: the engine's `validateScenario`, the same check
 * `fltsim run` and the debugger make before a run, shown as LSP diagnostics.
 */
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver/node';
import { validateScenario } from '../../engine';
import { scenarioToDiagnostic } from './diagnostics';

export function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
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
export function scenarioDiagnostics(text: string, scenarioPath: string | undefined, fileExists: (p: string) => boolean = isFile): Diagnostic[] {
  return validateScenario(text, scenarioPath, fileExists).diagnostics.map(scenarioToDiagnostic);
}
