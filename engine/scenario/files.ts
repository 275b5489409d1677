/**
 * Where a scenario's driver files are, and whether they exist. Kept apart from the parser so the
 * parser stays a function of the text alone; callers pass their own `fileExists` (the file system,
 * an editor's open documents, a test's table).
 */
import * as path from 'node:path';
import { findFile, findFolder, resolveFrom, type ProjectFiles } from '../project/paths';
import { loadProject, type ProjectSpec } from '../project/load';
import type { DriverProject } from '../project/model';
import type { DriverStatement, Scenario, ScenarioDiagnostic } from './ast';
import { checkDriverNames } from './checks';

/**
 * The absolute path of a driver file named in a scenario. Either slash separates folders, so a
 * scenario written on Windows works elsewhere; absolute paths are kept.
 */
export function resolveDriverPath(scenarioPath: string, driverPath: string): string {
  return resolveFrom(path.dirname(scenarioPath), driverPath);
}

/** Whether a path exists as a file or as a folder; callers pass their own file system view. */
export type PathExists = (absolutePath: string, kind: 'file' | 'folder') => boolean;

/** One diagnostic per driver path that `exists` does not find. */
export function checkScenarioFiles(scenario: Scenario, scenarioPath: string, exists: PathExists): ScenarioDiagnostic[] {
  const out: ScenarioDiagnostic[] = [];
  for (const d of scenario.drivers) {
    for (const p of d.paths) {
      const resolved = resolveDriverPath(scenarioPath, p.path);
      const kind = d.source === 'folder' ? 'folder' : 'file';
      let found: boolean;
      try {
        found = exists(resolved, kind);
      } catch {
        found = false;
      }
      if (found) continue;
      const what = d.source === 'vcxproj' ? 'project file' : d.source === 'folder' ? 'driver folder' : 'driver file';
      out.push({
        ...p.span,
        severity: 'error',
        code: 'missing-file',
        message: `${what} "${p.path}" not found (looked for ${resolved})`,
        hint: 'Driver paths are relative to the folder of the scenario file; check the name and the folder.',
      });
    }
  }
  return out;
}

/** The project a `driver` line describes, its paths resolved against the scenario's folder. */
export function driverProjectSpec(scenarioPath: string, d: DriverStatement): ProjectSpec {
  const abs = d.paths.map((p) => resolveDriverPath(scenarioPath, p.path));
  if (d.source === 'vcxproj') return { kind: 'vcxproj', path: abs[0] };
  if (d.source === 'folder') return { kind: 'folder', path: abs[0] };
  return { kind: 'files', paths: abs };
}

/** How a scenario's driver paths are looked up in a project file system: found as Windows would. */
export function driverPathExists(files: ProjectFiles): PathExists {
  return (p, kind) => (kind === 'file' ? findFile(files, p) : findFolder(files, p)) !== undefined;
}

/**
 * Reads the project of every driver line (their paths must exist) and checks that `unload` and
 * `expect calls` use the names the projects give their drivers.
 */
export function readDriverProjects(scenario: Scenario, scenarioPath: string, files: ProjectFiles): { projects: DriverProject[]; diagnostics: ScenarioDiagnostic[] } {
  const projects = scenario.drivers.map((d) => loadProject(files, driverProjectSpec(scenarioPath, d)));
  return { projects, diagnostics: checkDriverNames(scenario, projects.map((p) => p.name)) };
}

/** `dir/a.fltsim:3:9: error: unknown operation 'raed' — did you mean 'read'? (Operations: …)` */
export function formatDiagnostic(d: ScenarioDiagnostic, fileName: string): string {
  return `${fileName}:${d.line}:${d.column}: ${d.severity}: ${d.message}\n  hint: ${d.hint}`;
}
