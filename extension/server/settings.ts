/**
 * The `fltsim.lint.*` settings (package.json `contributes.configuration`) as the server uses them:
 * read from whatever the client sends, checked, and turned into linter options and LSP severities.
 * Nothing here talks to the connection; `configuration.ts` fetches the raw values.
 */
import { DiagnosticSeverity } from 'vscode-languageserver/node';
import { LINT_RULES, type Finding, type LintOptions, type SeveritySetting } from '../../engine';

/** The values `fltsim.lint.severity` accepts for one rule. */
export type SeverityOverride = 'off' | 'info' | 'warning' | 'error';

/** In the order package.json lists them (a test keeps the two in step). */
export const SEVERITY_OVERRIDES: readonly SeverityOverride[] = ['off', 'info', 'warning', 'error'];

export interface LintSettings {
  /** `fltsim.lint.enable`: false clears the findings of C and C++ documents. */
  enable: boolean;
  /** `fltsim.lint.severity`: rule id → override, only for known rule ids and valid values. */
  severity: Readonly<Record<string, SeverityOverride>>;
}

export const DEFAULT_SETTINGS: LintSettings = Object.freeze({ enable: true, severity: Object.freeze({}) });

export interface ReadSettings {
  settings: LintSettings;
  /** What was ignored and why, for the server log. */
  problems: string[];
}

const LINT_IDS = new Set(LINT_RULES.map((r) => r.id));

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Reads the `fltsim` section as a client returns it. VS Code nests dotted keys
 * (`{ lint: { enable } }`); some clients keep them flat (`{ 'lint.enable': … }`); both work.
 * Anything missing or malformed falls back to the default and is named in `problems`.
 */
export function readLintSettings(section: unknown): ReadSettings {
  const problems: string[] = [];
  if (section === undefined || section === null) return { settings: DEFAULT_SETTINGS, problems };
  if (!isRecord(section)) {
    problems.push(`the "fltsim" settings section is a ${typeof section}, not an object; using the defaults`);
    return { settings: DEFAULT_SETTINGS, problems };
  }
  const lint = isRecord(section.lint) ? section.lint : {};
  const enableRaw = 'enable' in lint ? lint.enable : section['lint.enable'];
  const severityRaw = 'severity' in lint ? lint.severity : section['lint.severity'];

  let enable = DEFAULT_SETTINGS.enable;
  if (typeof enableRaw === 'boolean') enable = enableRaw;
  else if (enableRaw !== undefined && enableRaw !== null) problems.push(`fltsim.lint.enable must be true or false (got ${JSON.stringify(enableRaw)}); linting stays on`);

  const severity: Record<string, SeverityOverride> = {};
  if (isRecord(severityRaw)) {
    for (const [id, value] of Object.entries(severityRaw)) {
      if (!LINT_IDS.has(id)) {
        problems.push(`fltsim.lint.severity: '${id}' is not a lint rule id; the entry is ignored (run "fltsim: Show Rule Documentation…" for the list)`);
      } else if (typeof value !== 'string' || !(SEVERITY_OVERRIDES as readonly string[]).includes(value)) {
        problems.push(`fltsim.lint.severity: the value for '${id}' must be off, info, warning or error (got ${JSON.stringify(value)}); the rule keeps its own severity`);
      } else {
        severity[id] = value as SeverityOverride;
      }
    }
  } else if (severityRaw !== undefined && severityRaw !== null) {
    problems.push(`fltsim.lint.severity must be an object mapping rule ids to off, info, warning or error (got ${JSON.stringify(severityRaw)}); ignored`);
  }
  return { settings: { enable, severity }, problems };
}

/**
 * Linter options for these settings. The linter knows only off, warning and error; a rule moved to
 * `info` still has to run, so it runs as a warning and `diagnosticSeverity` lowers it afterwards.
 */
export function toLintOptions(settings: LintSettings): LintOptions {
  const severities: Record<string, SeveritySetting> = {};
  for (const [id, value] of Object.entries(settings.severity)) severities[id] = value === 'info' ? 'warning' : value;
  return { severities };
}

/** The LSP severity of a finding once the user's override is applied. */
export function diagnosticSeverity(finding: Pick<Finding, 'ruleId' | 'severity'>, settings: LintSettings): DiagnosticSeverity {
  const override = settings.severity[finding.ruleId];
  const level = override && override !== 'off' ? override : finding.severity;
  switch (level) {
    case 'info': return DiagnosticSeverity.Information;
    case 'warning': return DiagnosticSeverity.Warning;
    default: return DiagnosticSeverity.Error;
  }
}
