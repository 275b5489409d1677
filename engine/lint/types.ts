/**
 * The shapes the linter hands to its callers (the CLI, the language server, tests). Positions are
 * 0-based lines and 0-based UTF-16 columns, the convention of LSP and of tree-sitter's JS binding;
 * the text and SARIF formatters add 1 where their formats count from 1.
 */

export type Severity = 'error' | 'warning';
export type SeveritySetting = Severity | 'off';

export interface Position {
  line: number;
  column: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface RelatedLocation {
  range: Range;
  message: string;
  /** Absolute path when the location is in another file of the driver project; absent: the same file. */
  file?: string;
}

export interface TextEdit {
  range: Range;
  newText: string;
}

export interface QuickFix {
  title: string;
  edits: TextEdit[];
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  range: Range;
  /** One line, plain words, says what to do. */
  message: string;
  /** The other end of the mistake: where the item was allocated, where the lock was taken. */
  related: RelatedLocation[];
  /** Edits that are safe to apply as they are. */
  fixes: QuickFix[];
}

export interface RuleMeta {
  id: string;
  severity: Severity;
  /** A short name for the mistake. */
  title: string;
  /** Why it is wrong, in a few sentences. */
  why: string;
  /** Relative path of the rule's page in this repository. */
  docUrl: string;
  /** The Microsoft pages the rule comes from. */
  sources: string[];
}

export interface LintOptions {
  /** Per-rule severity overrides; `off` disables a rule. Unknown ids are reported by `validateOptions`. */
  severities?: Readonly<Record<string, SeveritySetting>>;
}

/**
 * Code the linter could not read (a syntax tree-sitter did not understand), with what it was: the
 * user learns which code was not checked. Reported at note level beside the findings.
 */
export interface ParseNote {
  range: Range;
  /** The construct as written (its first line, shortened). */
  construct: string;
  /** The function it is in, when it is in one. */
  function?: string;
  message: string;
}

export interface LintResult {
  findings: Finding[];
  /** What could not be read: code tree-sitter did not parse, code nested too deeply; in text order. */
  notes: ParseNote[];
  /** Statistics that explain what the linter could and could not read. */
  stats: {
    functions: number;
    /** Functions the rules looked at closely. */
    analyzed: number;
    /** Functions with syntax tree-sitter could not read; path-sensitive rules skip them. */
    unparsed: number;
    /** Rule checks that failed inside fltsim (their findings for that function are dropped): a bug to report. */
    internalErrors: number;
  };
}
