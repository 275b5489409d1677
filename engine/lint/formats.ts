/**
 * Output formats for lint results: compiler-style text, a stable JSON report, and SARIF 2.1.0.
 * Lines and columns are 1-based in all three (the in-memory findings are 0-based). File paths are
 * given by the caller, already relative and with forward slashes.
 */
import type { Finding, LintResult, Range, RuleMeta } from './types';

export interface FileReport {
  /** Relative path with forward slashes. */
  path: string;
  result: LintResult;
}

export interface ToolInfo {
  name: string;
  version: string;
  /** Absolute URI of the tool's documentation. */
  informationUri: string;
  /**
   * Absolute URI prefix the rule pages hang off (ends with `/`): helpUri = base + `<id>.md`.
   * Without it, helpUri is the rule's first Microsoft source page.
   */
  ruleDocBase?: string;
  /** Absolute URI of the directory the relative paths start from (ends with `/`). */
  srcRoot?: string;
}

/**
 * Something the linter wants the user to know that is not a finding: a project file it could not
 * fully read, a listed file that is missing, a user-mode project it skipped. `path` as in FileReport.
 */
export interface LintNote {
  path: string;
  /** 1-based. */
  line: number;
  message: string;
}

/**
 * `file:line:col: error [rule-id] message`, with related locations as indented notes (in another
 * file of the project when the related location says so), after the notes about the projects. What
 * a file could not be parsed reads `file:line:col: note: …` before its findings.
 */
export function formatText(reports: readonly FileReport[], notes: readonly LintNote[] = []): string {
  const lines: string[] = notes.map((n) => `${n.path}:${n.line}:1: note: ${n.message}`);
  for (const r of reports) {
    for (const n of r.result.notes) lines.push(`${r.path}:${n.range.start.line + 1}:${n.range.start.column + 1}: note: ${n.message}`);
    for (const f of r.result.findings) {
      lines.push(`${r.path}:${f.range.start.line + 1}:${f.range.start.column + 1}: ${f.severity} [${f.ruleId}] ${f.message}`);
      for (const rel of f.related) lines.push(`    ${rel.file ?? r.path}:${rel.range.start.line + 1}:${rel.range.start.column + 1}: note: ${rel.message}`);
    }
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

export interface Summary {
  files: number;
  errors: number;
  warnings: number;
}

export function summarize(reports: readonly FileReport[]): Summary {
  let errors = 0;
  let warnings = 0;
  for (const r of reports) for (const f of r.result.findings) { if (f.severity === 'error') errors++; else warnings++; }
  return { files: reports.length, errors, warnings };
}

function oneBased(r: Range) {
  return { start: { line: r.start.line + 1, column: r.start.column + 1 }, end: { line: r.end.line + 1, column: r.end.column + 1 } };
}

/**
 * The JSON report's version: bumped whenever its shape changes (2: `notes`, and `path` on related
 * locations in other files; 3: each file's `notes`, what in it could not be parsed).
 */
export const JSON_REPORT_VERSION = 3;

export function formatJson(reports: readonly FileReport[], tool: Pick<ToolInfo, 'name' | 'version'>, notes: readonly LintNote[] = []): string {
  const body = {
    version: JSON_REPORT_VERSION,
    tool: { name: tool.name, version: tool.version },
    summary: summarize(reports),
    notes: notes.map((n) => ({ path: n.path, line: n.line, message: n.message })),
    files: reports.map((r) => ({
      path: r.path,
      findings: r.result.findings.map((f: Finding) => ({
        ruleId: f.ruleId,
        severity: f.severity,
        message: f.message,
        range: oneBased(f.range),
        related: f.related.map((x) => ({ message: x.message, range: oneBased(x.range), ...(x.file !== undefined ? { path: x.file } : {}) })),
        fixes: f.fixes.map((x) => ({ title: x.title, edits: x.edits.map((e) => ({ range: oneBased(e.range), newText: e.newText })) })),
      })),
      notes: r.result.notes.map((n) => ({ message: n.message, construct: n.construct, range: oneBased(n.range), ...(n.function !== undefined ? { function: n.function } : {}) })),
      stats: r.result.stats,
    })),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

function region(r: Range) {
  return { startLine: r.start.line + 1, startColumn: r.start.column + 1, endLine: r.end.line + 1, endColumn: r.end.column + 1 };
}

/**
 * A path as SARIF's `uri` wants it: a URI reference, so every segment is percent-encoded (`a b#1.c`
 * becomes `a%20b%231.c`, and a `:` in a relative path cannot pass for a scheme); an absolute path (one
 * outside the source root) becomes a `file:` URI.
 */
export function uriReference(path: string): string {
  const slashed = path.replace(/\\/g, '/');
  const encode = (p: string) => p.split('/').map((seg) => encodeURIComponent(seg)).join('/');
  const drive = /^([A-Za-z]):\//.exec(slashed);
  if (drive) return `file:///${drive[1]}:/${encode(slashed.slice(3))}`;
  if (slashed.startsWith('/')) return `file://${encode(slashed)}`;
  return encode(slashed);
}

export function formatSarif(reports: readonly FileReport[], rules: readonly RuleMeta[], tool: ToolInfo, notes: readonly LintNote[] = []): string {
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const artifact = (path: string) => {
    const uri = uriReference(path);
    return tool.srcRoot && !uri.startsWith('file:') ? { uri, uriBaseId: 'SRCROOT' } : { uri };
  };
  const results = reports.flatMap((r) => r.result.findings.map((f) => ({
    ruleId: f.ruleId,
    ruleIndex: index.get(f.ruleId) ?? -1,
    level: f.severity,
    message: { text: f.message },
    locations: [{ physicalLocation: { artifactLocation: artifact(r.path), region: region(f.range) } }],
    ...(f.related.length > 0 ? {
      relatedLocations: f.related.map((x, i) => ({ id: i + 1, message: { text: x.message }, physicalLocation: { artifactLocation: artifact(x.file ?? r.path), region: region(x.range) } })),
    } : {}),
    ...(f.fixes.length > 0 ? {
      fixes: f.fixes.map((x) => ({
        description: { text: x.title },
        artifactChanges: [{ artifactLocation: artifact(r.path), replacements: x.edits.map((e) => ({ deletedRegion: region(e.range), insertedContent: { text: e.newText } })) }],
      })),
    } : {}),
  })));
  const parseNotes = reports.flatMap((r) => r.result.notes.map((n) => ({
    level: 'note',
    message: { text: n.message },
    locations: [{ physicalLocation: { artifactLocation: artifact(r.path), region: region(n.range) } }],
  })));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: tool.name,
          version: tool.version,
          informationUri: tool.informationUri,
          rules: rules.map((r) => ({
            id: r.id,
            name: r.id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
            shortDescription: { text: r.title },
            fullDescription: { text: r.why },
            helpUri: tool.ruleDocBase ? `${tool.ruleDocBase}${r.id}.md` : r.sources[0],
            help: { text: `${r.why} Sources: ${r.sources.join(' ')}` },
            defaultConfiguration: { level: r.severity },
          })),
        },
      },
      ...(tool.srcRoot ? { originalUriBaseIds: { SRCROOT: { uri: tool.srcRoot } } } : {}),
      ...(notes.length > 0 || parseNotes.length > 0 ? {
        invocations: [{
          executionSuccessful: true,
          toolExecutionNotifications: [
            ...notes.map((n) => ({
              level: 'note',
              message: { text: n.message },
              locations: [{ physicalLocation: { artifactLocation: artifact(n.path), region: { startLine: n.line } } }],
            })),
            ...parseNotes,
          ],
        }],
      } : {}),
      results,
    }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
