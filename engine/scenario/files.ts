/**
 * Where a scenario's driver files are, and whether they exist. Kept apart from the parser so the
 * parser stays a function of the text alone; callers pass their own `fileExists` (the file system,
 * an editor's open documents, a test's table).
 */
import * as path from 'node:path';
import type { Scenario, ScenarioDiagnostic } from './ast';

/**
 * The absolute path of a driver file named in a scenario. Either slash separates folders, so a
 * scenario written on Windows works elsewhere; absolute paths are kept.
 */
export function resolveDriverPath(scenarioPath: string, driverPath: string): string {
  const portable = driverPath.split(/[\\/]/).join(path.sep);
  if (path.isAbsolute(portable) || path.win32.isAbsolute(driverPath)) return path.normalize(portable);
  return path.resolve(path.dirname(scenarioPath), portable);
}

/** One diagnostic per driver file that `fileExists` does not find. */
export function checkScenarioFiles(scenario: Scenario, scenarioPath: string, fileExists: (absolutePath: string) => boolean): ScenarioDiagnostic[] {
  const out: ScenarioDiagnostic[] = [];
  for (const d of scenario.drivers) {
    const resolved = resolveDriverPath(scenarioPath, d.path);
    let exists: boolean;
    try {
      exists = fileExists(resolved);
    } catch {
      exists = false;
    }
    if (!exists) {
      out.push({
        ...d.pathSpan,
        severity: 'error',
        code: 'missing-file',
        message: `driver file "${d.path}" not found (looked for ${resolved})`,
        hint: 'Driver paths are relative to the folder of the scenario file; check the name and the folder.',
      });
    }
  }
  return out;
}

/** `dir/a.fltsim:3:9: error: unknown operation 'raed' — did you mean 'read'? (Operations: …)` */
export function formatDiagnostic(d: ScenarioDiagnostic, fileName: string): string {
  return `${fileName}:${d.line}:${d.column}: ${d.severity}: ${d.message}\n  hint: ${d.hint}`;
}
