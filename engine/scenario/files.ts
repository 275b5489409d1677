/**
 * Where a scenario's driver files are, and whether they exist. Kept apart from the parser so the
 * parser stays a function of the text alone; callers pass their own `fileExists` (the file system,
 * an editor's open documents, a test's table).
 */
import { caseMismatch, HOST_PATHS, isWindowsRooted, locateFile, locateFolder, rulesOf, type PathRules, type ProjectFiles } from '../files';
import { loadProject, type ProjectSpec } from '../project/load';
import type { DriverProject } from '../project/model';
import type { DriverStatement, Scenario, ScenarioDiagnostic } from './ast';
import { checkDriverNames } from './checks';

/**
 * The absolute path of a driver file named in a scenario: relative to the scenario's folder, either
 * slash separating folders (a scenario written on Windows works elsewhere); absolute paths are kept.
 */
export function resolveDriverPath(scenarioPath: string, driverPath: string, rules: PathRules = HOST_PATHS): string {
  return rules.resolve(rules.dirname(scenarioPath), driverPath);
}

/**
 * One error per driver path that `files` does not hold, and one warning per path found only by
 * ignoring case on a file system that tells case apart (Windows would find it; fltsim uses it).
 */
export function checkScenarioFiles(scenario: Scenario, scenarioPath: string, files: ProjectFiles): ScenarioDiagnostic[] {
  const rules = rulesOf(files);
  const out: ScenarioDiagnostic[] = [];
  for (const d of scenario.drivers) {
    for (const p of d.paths) {
      const resolved = resolveDriverPath(scenarioPath, p.path, rules);
      let found;
      try {
        found = d.source === 'folder' ? locateFolder(files, resolved) : locateFile(files, resolved);
      } catch {
        found = undefined;
      }
      if (found?.caseDiffers) {
        out.push({ ...p.span, severity: 'warning', code: 'file-case', message: caseMismatch(`driver path "${p.path}"`, found.path), hint: 'Write the name as the file system spells it.' });
      }
      if (found) continue;
      const asFile = d.source === 'folder' ? locatedFile(files, resolved) : undefined;
      if (asFile !== undefined) {
        out.push({ ...p.span, severity: 'error', code: 'bad-driver', message: `driver path "${p.path}" is a file, not a folder (${asFile}), and not a kind of file a driver is built from`, hint: notBuiltFromHint(p.path) });
        continue;
      }
      const what = d.source === 'vcxproj' ? 'project file' : d.source === 'folder' ? 'driver folder' : 'driver file';
      out.push({
        ...p.span,
        severity: 'error',
        code: 'missing-file',
        message: `${what} "${p.path}" not found (looked for ${resolved})`,
        hint: missingDriverHint(p.path, rules),
      });
    }
  }
  for (const f of scenario.files) {
    if (f.from === undefined || f.fromSpan === undefined) continue;
    const resolved = resolveDriverPath(scenarioPath, f.from, rules);
    if (scenarioFileBytes(files, resolved) !== undefined) continue;
    out.push({ ...f.fromSpan, severity: 'error', code: 'missing-file', message: `local file "${f.from}" not found (looked for ${resolved})`, hint: 'The bytes of a simulated file come from a file relative to the folder of the scenario file; check the name.' });
  }
  return out;
}

function locatedFile(files: ProjectFiles, p: string): string | undefined {
  try {
    return locateFile(files, p)?.path;
  } catch {
    return undefined;
  }
}

/** What to name instead of a file no driver is built from: the built binary, its INF, a scenario, an old-WDK build file. */
function notBuiltFromHint(written: string): string {
  const then = 'name its .c/.cpp files, its .vcxproj or its folder';
  if (/\.sys$/i.test(written)) return `This is the built driver; fltsim runs the driver from its source: ${then}.`;
  if (/\.inf$/i.test(written)) return `An INF installs a driver; ${then} (the registry values it sets go in registry lines).`;
  if (/\.fltsim$/i.test(written)) return 'A scenario names drivers rather than being one: name the driver\'s .c/.cpp files, its .vcxproj or its folder.';
  if (/(?:^|[\\/])(?:sources|dirs)$/i.test(written)) return 'This is an old-WDK build file: name the folder that holds it.';
  return 'A driver line names C or C++ files (.c, .cpp), a .vcxproj or a folder.';
}

function missingDriverHint(written: string, rules: PathRules): string {
  if (rules.flavor === 'posix' && isWindowsRooted(written)) return 'This is a Windows drive or share path, which this machine cannot open; write the path relative to the folder of the scenario file.';
  // `"\\server\share\x.c"` reads as `\server\share\x.c` (`\\` is one backslash in a scenario string),
  // and `\proj\x.c` is rooted at the current drive on Windows: neither is beside the scenario.
  if (rules.flavor === 'posix' && written.startsWith('\\')) return 'A path starting with a backslash is rooted at a Windows drive, and \\\\ in a scenario string is one backslash; write the path relative to the folder of the scenario file.';
  return 'Driver paths are relative to the folder of the scenario file; check the name and the folder.';
}

/** The bytes of a local file a scenario names (`file … from`), or undefined when it is missing. */
export function scenarioFileBytes(files: ProjectFiles, resolved: string): Uint8Array | undefined {
  if (files.readBytes) return files.readBytes(resolved);
  const text = files.readFile(resolved);
  return text === undefined ? undefined : new TextEncoder().encode(text);
}

/** The project a `driver` line describes, its paths resolved against the scenario's folder. */
export function driverProjectSpec(scenarioPath: string, d: DriverStatement, rules: PathRules = HOST_PATHS): ProjectSpec {
  const abs = d.paths.map((p) => resolveDriverPath(scenarioPath, p.path, rules));
  if (d.source === 'vcxproj') return { kind: 'vcxproj', path: abs[0] };
  if (d.source === 'folder') return { kind: 'folder', path: abs[0] };
  return { kind: 'files', paths: abs };
}

/**
 * Reads the project of every driver line (their paths must exist) and checks that `unload` and
 * `expect calls` use the names the projects give their drivers.
 */
export function readDriverProjects(scenario: Scenario, scenarioPath: string, files: ProjectFiles): { projects: DriverProject[]; diagnostics: ScenarioDiagnostic[] } {
  const projects = scenario.drivers.map((d) => loadProject(files, driverProjectSpec(scenarioPath, d, rulesOf(files))));
  return { projects, diagnostics: checkDriverNames(scenario, projects.map((p) => p.name)) };
}

/** `dir/a.fltsim:3:9: error: unknown operation 'raed' — did you mean 'read'? (Operations: …)` */
export function formatDiagnostic(d: ScenarioDiagnostic, fileName: string): string {
  return `${fileName}:${d.line}:${d.column}: ${d.severity}: ${d.message}\n  hint: ${d.hint}`;
}
