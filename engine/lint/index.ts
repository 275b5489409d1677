/**
 * The linter's public surface: lint a text once (`lintText`), or keep a `LintDocument` per open
 * file and call `update(text)` on every change (incremental reparse, per-function caching). Rule
 * metadata (`LINT_RULES`) feeds the CLI's SARIF output and the language server's code descriptions.
 */
import { ALL_RULES } from './rules';
import { ruleMeta } from './rule';
import type { RuleMeta } from './types';

export { initLinter, lintText, LintDocument, validateOptions, lintLanguageOf, type LintLanguage } from './linter';
export { ProjectLint, type ProjectFilesReader } from './project';
export { findSuppressions, disableNextLineEdit } from './suppress';
export { formatText, formatJson, formatSarif, summarize, JSON_REPORT_VERSION, type FileReport, type LintNote, type ToolInfo, type Summary } from './formats';
export type { Finding, LintOptions, LintResult, ParseNote, Position, QuickFix, Range, RelatedLocation, RuleMeta, Severity, SeveritySetting, TextEdit } from './types';

/** Every rule's metadata, in documentation order. */
export const LINT_RULES: readonly RuleMeta[] = ALL_RULES.map(ruleMeta);

export function lintRule(id: string): RuleMeta | undefined {
  return LINT_RULES.find((r) => r.id === id);
}
