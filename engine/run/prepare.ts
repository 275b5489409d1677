/**
 * Reading a scenario and compiling its drivers: everything that can fail before a run starts, with
 * every problem reported as file:line:column and a hint, never thrown. Each `driver` line becomes a
 * driver project (engine/project), whose units are compiled and linked into one module.
 */
import type { TranslationUnit } from '../c/program';
import { compileTranslationUnit } from '../c/program';
import { IGNORED_HEADERS, preludeHeaders } from '../c/prelude';
import { compiledPrelude } from '../c/prelude/compiled';
import { loadCLanguage, loadCppLanguage } from '../c/treeSitter';
import { link, type LinkedProgram } from '../interp/link';
import { locateFile, rulesOf, withListingCache, type PathRules, type ProjectFiles } from '../files';
import { isCppSource, type DriverProject } from '../project';
import { resolveDriverPath, scenarioFileBytes, type FileStatement, type Scenario } from '../scenario';
import { validateScenario } from './validate';
import { driverFileGivenAsScenario, unreadableScenarioHint } from './scenarioFile';
import { resolveLimits, type LimitName } from '../limits';

/** Where a problem was found: reading the scenario, reading a project, compiling a unit, or linking the driver. */
export type PrepareStage = 'scenario' | 'project' | 'compile' | 'link';

export interface RunDiagnostic {
  severity: 'error' | 'warning' | 'note';
  stage?: PrepareStage;
  file: string;
  line: number;
  column: number;
  message: string;
  hint?: string;
}

export interface PreparedDriver {
  /** The driver's name: `expect calls name!Fn`, `unload name`. */
  module: string;
  /** The file that defines DriverEntry. */
  file: string;
  altitude?: number;
  project: DriverProject;
  units: TranslationUnit[];
  program: LinkedProgram;
}

export interface PreparedScenario {
  scenarioPath: string;
  scenario: Scenario;
  drivers: PreparedDriver[];
  /** Warnings and notes that did not stop the run. */
  warnings: RunDiagnostic[];
  /** Every C file the drivers read (their units and the headers they include), for breakpoints. */
  sourceFiles: string[];
  /** The path rules of the file system the scenario was read from (how breakpoints compare files). */
  paths: PathRules;
  /** The bytes of every simulated file whose line says `from "…"`, by its statement. */
  fileBytes: Map<FileStatement, Uint8Array>;
}

export type PrepareResult = { ok: true; prepared: PreparedScenario } | { ok: false; diagnostics: RunDiagnostic[] };

/** Loads the C parser and the prelude ahead of the first scenario (a fresh process calls it early). */
export async function warmUpEngine(): Promise<void> {
  await loadCLanguage();
  compiledPrelude();
}

export interface PrepareOptions {
  /** Override the scenario's `limit` lines (the CLI's --limit); the macro limits apply while compiling. */
  limits?: Partial<Record<LimitName, number>>;
  /** The workspace folder: drivers that read files outside it get a warning (validateScenario). */
  workspace?: string;
}

export async function prepareScenario(scenarioPath: string, files: ProjectFiles, options: PrepareOptions = {}): Promise<PrepareResult> {
  const notScenario = driverFileGivenAsScenario(scenarioPath);
  if (notScenario !== undefined) return { ok: false, diagnostics: [{ severity: 'error', stage: 'scenario', file: scenarioPath, line: 1, column: 1, message: notScenario }] };
  const text = files.readFile(scenarioPath);
  if (text === undefined) {
    const why = files.whyUnreadable?.(scenarioPath);
    // A Windows path typed on a system whose folders are separated by '/': say which file was meant.
    const slashed = rulesOf(files).sep === '/' && scenarioPath.includes('\\') ? scenarioPath.replace(/\\/g, '/') : undefined;
    const hint = slashed !== undefined && files.readFile(slashed) !== undefined ? `folders are separated by '/' here: did you mean '${slashed}'?` : (unreadableScenarioHint(scenarioPath, rulesOf(files).sep) ?? 'check the path; scenario files end in .fltsim');
    return { ok: false, diagnostics: [{ severity: 'error', stage: 'scenario', file: scenarioPath, line: 1, column: 1, message: `cannot read the scenario file '${scenarioPath}'${why ? `: it ${why}` : ''}`, hint }] };
  }
  return prepareScenarioText(scenarioPath, text, files, options);
}

export async function prepareScenarioText(scenarioPath: string, text: string, files: ProjectFiles, options: PrepareOptions = {}): Promise<PrepareResult> {
  const checked = validateScenario(text, scenarioPath, files, { workspace: options.workspace });
  const diagnostics: RunDiagnostic[] = checked.diagnostics.map((d) => ({ severity: d.severity, stage: 'scenario', file: scenarioPath, line: d.line, column: d.column, message: d.message, hint: d.hint }));
  if (!checked.ok || !checked.projects) return { ok: false, diagnostics };
  const scenario = checked.scenario;
  const projects = checked.projects;
  for (const project of projects) {
    for (const n of project.notes) diagnostics.push({ severity: n.severity === 'error' ? 'error' : 'note', stage: 'project', file: n.file, line: n.line, column: 1, message: `${project.name}: ${n.message}` });
  }
  if (diagnostics.some((d) => d.severity === 'error')) return { ok: false, diagnostics };

  await loadCLanguage();
  if (projects.some((p) => (p.cppUnits ?? []).length > 0)) await loadCppLanguage();
  const scenarioDefines = scenario.defines.map((d) => [d.name, d.value] as const);
  const limits = resolveLimits(scenario.limits, options.limits);
  const systemHeaders = preludeHeaders();
  const prelude = compiledPrelude();
  const paths = rulesOf(files);
  const listed = withListingCache(files);
  const locate = (p: string) => locateFile(listed, p);
  const drivers: PreparedDriver[] = [];
  const sourceFiles: string[] = [];
  scenario.drivers.forEach((d, i) => {
    const project = projects[i];
    // The scenario's `define` lines come last, so they override the project's.
    const defines = new Map([...project.defines, ...scenarioDefines]);
    const units = [...project.units, ...(project.cppUnits ?? [])].map((file) => compileTranslationUnit(file, {
      cpp: isCppSource(file),
      readFile: (p) => files.readFile(p),
      whyUnreadable: (p) => files.whyUnreadable?.(p),
      paths,
      locate,
      includeDirs: project.includeDirs,
      defines,
      systemHeaders,
      ignoredHeaders: IGNORED_HEADERS,
      prelude,
      expansion: { tokens: limits['macro-tokens'], depth: limits['macro-depth'] },
    }));
    // A header every unit includes gives the same diagnostic in each: say it once.
    const said = new Set<string>();
    for (const unit of units) {
      for (const c of unit.diagnostics) {
        const key = `${c.loc.file}:${c.loc.line}:${c.loc.col}:${c.severity}:${c.message}`;
        if (said.has(key)) continue;
        said.add(key);
        diagnostics.push({ severity: c.severity, stage: 'compile', file: c.loc.file, line: c.loc.line, column: c.loc.col, message: c.message });
      }
      for (const f of unit.files) if (!sourceFiles.includes(f)) sourceFiles.push(f);
    }
    const program = link(units);
    for (const p of program.problems) diagnostics.push({ severity: 'error', stage: 'link', file: p.loc.file, line: p.loc.line, column: p.loc.col, message: `${project.name}: ${p.message}`, hint: p.hint });
    const entry = program.exported('DriverEntry');
    // Files that did not compile may well have lost their DriverEntry with the rest: no second error.
    if ((!entry || entry.linkage === 'system') && !units.some((u) => u.diagnostics.some((c) => c.severity === 'error'))) {
      diagnostics.push({
        severity: 'error', stage: 'link', file: project.source.kind === 'vcxproj' ? project.source.file : units[0]?.file ?? scenarioPath, line: 1, column: 1,
        message: `${project.name}: no DriverEntry function is defined${units.length > 1 ? ` in any of its ${units.length} files` : ''}`,
        hint: 'a driver loaded by a scenario must define NTSTATUS DriverEntry(PDRIVER_OBJECT, PUNICODE_STRING) in one of its files',
      });
    }
    drivers.push({ module: project.name, file: entry?.def.loc.file ?? units[0]?.file ?? '', altitude: d.altitude, project, units, program });
  });
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) return { ok: false, diagnostics };
  const fileBytes = new Map<FileStatement, Uint8Array>();
  for (const f of scenario.files) {
    if (f.from === undefined) continue;
    const bytes = scenarioFileBytes(files, resolveDriverPath(scenarioPath, f.from, paths));
    if (bytes !== undefined) fileBytes.set(f, bytes);
  }
  return { ok: true, prepared: { scenarioPath, scenario, drivers, warnings: diagnostics, sourceFiles, paths, fileBytes } };
}

/** `file:line:col: error: message — hint`, the form every front end prints. */
export function formatRunDiagnostic(d: RunDiagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}${d.hint ? ` — ${d.hint}` : ''}`;
}
