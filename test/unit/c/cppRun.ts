// What the C++ run tests share: a driver whose DriverEntry calls the test's `Run()`, and a run of a
// scenario over in-memory files that returns either the front end's diagnostics or the report.
import { formatRunDiagnostic, prepareScenarioText, runScenario, type ProjectFiles } from '../../../engine';

/** A driver whose DriverEntry calls `Run()` (defined in `body`) and returns success. */
export function entryDriver(body: string): string {
  return `#include <fltKernel.h>\n${body}\nextern "C" NTSTATUS DriverEntry(PDRIVER_OBJECT D, PUNICODE_STRING P) {\n  UNREFERENCED_PARAMETER(D); UNREFERENCED_PARAMETER(P);\n  Run();\n  return STATUS_SUCCESS;\n}\n`;
}

/** Prepares and runs `scenario` over `files`; a refusal comes back as its formatted diagnostics. */
export async function runCpp(files: ProjectFiles, scenario = 'driver "d.cpp"\n') {
  const prepared = await prepareScenarioText('/d/s.fltsim', scenario, files);
  if (!prepared.ok) return { ok: false as const, diagnostics: prepared.diagnostics.map(formatRunDiagnostic) };
  const { report } = runScenario(prepared.prepared, { label: 's.fltsim' });
  return { ok: true as const, prepared: prepared.prepared, report, warnings: prepared.prepared.warnings.map(formatRunDiagnostic) };
}
