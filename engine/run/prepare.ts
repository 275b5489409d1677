/**
 * Reading a scenario and compiling its drivers: everything that can fail before a run starts, with
 * every problem reported as file:line:column and a hint, never thrown.
 */
import type { TranslationUnit } from '../c/program';
import { compileTranslationUnit } from '../c/program';
import { IGNORED_HEADERS, preludeHeaders } from '../c/prelude';
import { compiledPrelude } from '../c/prelude/compiled';
import { loadCLanguage } from '../c/treeSitter';
import { resolveDriverPath, type Scenario } from '../scenario';
import { validateScenario } from './validate';

/** How the engine reaches files: injected, so the debug adapter and tests can use their own. */
export interface HostFiles {
  readFile(path: string): string | undefined;
  dirname(path: string): string;
  join(dir: string, file: string): string;
}

export interface RunDiagnostic {
  severity: 'error' | 'warning';
  file: string;
  line: number;
  column: number;
  message: string;
  hint?: string;
}

export interface PreparedDriver {
  module: string;
  file: string;
  altitude?: number;
  unit: TranslationUnit;
}

export interface PreparedScenario {
  scenarioPath: string;
  scenario: Scenario;
  drivers: PreparedDriver[];
  /** Warnings that did not stop the run. */
  warnings: RunDiagnostic[];
  /** Every C file the drivers read (main files and their local includes), for breakpoints. */
  sourceFiles: string[];
}

export type PrepareResult = { ok: true; prepared: PreparedScenario } | { ok: false; diagnostics: RunDiagnostic[] };

/** Loads the C parser and the prelude ahead of the first scenario (a fresh process calls it early). */
export async function warmUpEngine(): Promise<void> {
  await loadCLanguage();
  compiledPrelude();
}

export async function prepareScenario(scenarioPath: string, files: HostFiles): Promise<PrepareResult> {
  const text = files.readFile(scenarioPath);
  if (text === undefined) {
    return { ok: false, diagnostics: [{ severity: 'error', file: scenarioPath, line: 1, column: 1, message: `cannot read the scenario file '${scenarioPath}'`, hint: 'check the path; scenario files end in .fltsim' }] };
  }
  return prepareScenarioText(scenarioPath, text, files);
}

export async function prepareScenarioText(scenarioPath: string, text: string, files: HostFiles): Promise<PrepareResult> {
  const checked = validateScenario(text, scenarioPath, (p) => files.readFile(p) !== undefined);
  const diagnostics: RunDiagnostic[] = checked.diagnostics.map((d) => ({ severity: d.severity, file: scenarioPath, line: d.line, column: d.column, message: d.message, hint: d.hint }));
  if (!checked.ok) return { ok: false, diagnostics };
  const scenario = checked.scenario;

  await loadCLanguage();
  const defines = new Map(scenario.defines.map((d) => [d.name, d.value]));
  const systemHeaders = preludeHeaders();
  const prelude = compiledPrelude();
  const drivers: PreparedDriver[] = [];
  const sourceFiles: string[] = [];
  for (const d of scenario.drivers) {
    const file = resolveDriverPath(scenarioPath, d.path);
    const unit = compileTranslationUnit(file, {
      readFile: files.readFile,
      dirname: files.dirname,
      join: files.join,
      defines,
      systemHeaders,
      ignoredHeaders: IGNORED_HEADERS,
      prelude,
    });
    for (const c of unit.diagnostics) {
      diagnostics.push({ severity: c.severity, file: c.loc.file, line: c.loc.line, column: c.loc.col, message: c.message });
    }
    if (!unit.functions.has('DriverEntry')) {
      diagnostics.push({
        severity: 'error', file, line: 1, column: 1,
        message: `${d.module}: no DriverEntry function is defined`,
        hint: 'a driver loaded by a scenario must define NTSTATUS DriverEntry(PDRIVER_OBJECT, PUNICODE_STRING)',
      });
    }
    drivers.push({ module: d.module, file, altitude: d.altitude, unit });
    for (const f of unit.files) if (!sourceFiles.includes(f)) sourceFiles.push(f);
  }
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) return { ok: false, diagnostics };
  return { ok: true, prepared: { scenarioPath, scenario, drivers, warnings: diagnostics, sourceFiles } };
}

/** `file:line:col: error: message — hint`, the form every front end prints. */
export function formatRunDiagnostic(d: RunDiagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}${d.hint ? ` — ${d.hint}` : ''}`;
}
