/**
 * Checks for `.fltsim` scenario documents: the parser's own errors, driver files that are not on
 * disk (resolved against the scenario's folder), and `expect violation` ids that no rule has. A
 * scenario may name a lint rule or a runtime rule, so both id lists count as known.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver/node';
import {
  checkDriverNames, checkScenarioFiles, driverProjectSpec, LINT_RULES, loadProject, parseScenario, RUNTIME_RULES, validateRuleIds, type ProjectFiles, type ScenarioDiagnostic,
} from '../../engine';
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

/** The driver projects a scenario names, read from disk. */
const diskFiles: ProjectFiles = {
  readFile: (p) => {
    try {
      return readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  },
  listDir: (p) => {
    try {
      return readdirSync(p, { withFileTypes: true }).map((e) => ({ name: e.name, folder: e.isDirectory() }));
    } catch {
      return undefined;
    }
  },
};

/**
 * All problems of one scenario text, sorted by position. Without `scenarioPath` (a document that
 * is not a file) driver files cannot be resolved, so they are not checked. When every driver is
 * found, the projects are read so that `unload` and `expect calls` are checked against the names
 * they give their drivers (a .vcxproj's ProjectName, the file with DriverEntry).
 */
export function scenarioDiagnostics(text: string, scenarioPath: string | undefined, fileExists: (p: string, kind: 'file' | 'folder') => boolean = pathExists, files: ProjectFiles = diskFiles): Diagnostic[] {
  const parsed = parseScenario(text);
  const all: ScenarioDiagnostic[] = [...parsed.diagnostics];
  if (scenarioPath) {
    const missing = checkScenarioFiles(parsed.scenario, scenarioPath, fileExists);
    all.push(...missing);
    if (missing.length === 0 && !parsed.diagnostics.some((d) => d.severity === 'error')) {
      const names = parsed.scenario.drivers.map((d) => loadProject(files, driverProjectSpec(scenarioPath, d)).name);
      all.push(...checkDriverNames(parsed.scenario, names));
    }
  }
  all.push(...validateRuleIds(parsed.scenario, KNOWN_RULE_IDS));
  all.sort((a, b) => a.line - b.line || a.column - b.column);
  return all.map(scenarioToDiagnostic);
}
