/**
 * Linter findings and scenario problems as LSP diagnostics. The linter counts lines and UTF-16
 * columns from 0, as LSP does; the scenario parser counts both from 1 with an exclusive end column.
 */
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver/node';
import type { Finding, LintRange, ParseNote, ScenarioDiagnostic } from '../../engine';
import type { DocLinks } from './docLinks';
import { diagnosticSeverity, type LintSettings } from './settings';

/** Every diagnostic the server publishes carries this source. */
export const SOURCE = 'fltsim';

export function lspRange(r: LintRange): Range {
  return { start: { line: r.start.line, character: r.start.column }, end: { line: r.end.line, character: r.end.column } };
}

/** `uriOf`: the URI of another file of the project, as the editor knows it (DocumentChecks' host). */
export function findingToDiagnostic(f: Finding, uri: string, settings: LintSettings, links: DocLinks, uriOf: (path: string) => string): Diagnostic {
  const d: Diagnostic = {
    range: lspRange(f.range),
    severity: diagnosticSeverity(f, settings),
    code: f.ruleId,
    codeDescription: { href: links.rule(f.ruleId) },
    source: SOURCE,
    message: f.message,
  };
  if (f.related.length > 0) {
    // A related location in another file of the driver project points at that file.
    d.relatedInformation = f.related.map((r) => ({ location: { uri: r.file !== undefined ? uriOf(r.file) : uri, range: lspRange(r.range) }, message: r.message }));
  }
  return d;
}

/** Code the linter could not parse: information, so the user knows it was not checked. */
export function parseNoteToDiagnostic(n: ParseNote): Diagnostic {
  return { range: lspRange(n.range), severity: DiagnosticSeverity.Information, code: 'parse', source: SOURCE, message: n.message };
}

/**
 * A scenario problem. The hint (what to write instead) goes on a second line: the editor shows it
 * in the hover and the Problems view keeps the first line short.
 */
export function scenarioToDiagnostic(d: ScenarioDiagnostic): Diagnostic {
  const line = Math.max(0, d.line - 1);
  const start = Math.max(0, d.column - 1);
  const end = Math.max(start, d.endColumn - 1);
  return {
    range: { start: { line, character: start }, end: { line, character: end } },
    severity: d.severity === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error,
    code: d.code,
    source: SOURCE,
    message: d.hint ? `${d.message}\n${d.hint}` : d.message,
  };
}
