/**
 * Code actions for fltsim diagnostics: the finding's own quick fixes, a comment that silences the
 * rule on that line, and a link to the rule's page (a client command, `fltsim.showRuleDocs`).
 *
 * A fix is offered only while the findings belong to the document version the editor shows; after
 * an edit the fix's positions would be stale (the re-lint that is already scheduled brings fresh
 * ones). Edits are versioned when the client supports `documentChanges`, so a fix that races with
 * typing is refused by the editor instead of landing in the wrong place.
 *
 * `isPreferred` marks a finding's only fix when it rewrites nothing but the flagged text (the queue
 * name, the context argument). Fixes that insert code elsewhere (a NULL-check skeleton) are offered
 * but not preferred, so "apply preferred fixes" never adds code the user has not read.
 */
import {
  CodeActionKind,
  OptionalVersionedTextDocumentIdentifier,
  TextDocumentEdit,
  type CodeAction,
  type Diagnostic,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { LINT_RULES, type Finding } from '../../engine';
import { lspRange, SOURCE } from './diagnostics';

/** The client command that opens a rule's page (contributed by extension/client). */
export const SHOW_RULE_DOCS_COMMAND = 'fltsim.showRuleDocs';

const LINT_IDS = new Set(LINT_RULES.map((r) => r.id));

export interface CodeActionInput {
  uri: string;
  /** The version of the document the editor has now. */
  version: number;
  /** The diagnostics the client sent with the request. */
  diagnostics: readonly Diagnostic[];
  /** The last published findings and the version they were computed for. */
  published: { version: number; findings: readonly Finding[] } | undefined;
  /** The text of one line of the current document ('' past the end). */
  lineText: (line: number) => string;
  eol: '\n' | '\r\n';
  /** The client applies `documentChanges` (versioned edits). */
  documentChanges: boolean;
  /** `context.only` from the request. */
  only?: readonly string[];
}

export function codeActionsFor(input: CodeActionInput): CodeAction[] {
  if (input.only && !input.only.some(coversQuickFix)) return [];
  const fixes: CodeAction[] = [];
  const disables: CodeAction[] = [];
  const docs: CodeAction[] = [];
  const disabled = new Set<string>();
  const documented = new Set<string>();
  const current = input.published && input.published.version === input.version ? input.published.findings : undefined;

  for (const diag of input.diagnostics) {
    const id = typeof diag?.code === 'string' ? diag.code : undefined;
    if (diag.source !== SOURCE || !id || !LINT_IDS.has(id) || !validRange(diag.range)) continue;
    const finding = current?.find((f) => f.ruleId === id && f.message === diag.message && sameRange(lspRange(f.range), diag.range));
    if (finding) {
      const only = finding.fixes.length === 1;
      for (const fix of finding.fixes) {
        const edits: TextEdit[] = fix.edits.map((e) => ({ range: lspRange(e.range), newText: e.newText }));
        fixes.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diag],
          isPreferred: only && edits.every((e) => within(e.range, diag.range)),
          edit: workspaceEdit(input, edits),
        });
      }
    }
    const line = diag.range.start.line;
    if (!disabled.has(`${id}@${line}`)) {
      disabled.add(`${id}@${line}`);
      const edit = disableEdit(input, line, id);
      if (edit) {
        disables.push({ title: `Disable ${id} for this line`, kind: CodeActionKind.QuickFix, diagnostics: [diag], edit: workspaceEdit(input, [edit]) });
      }
    }
    if (!documented.has(id)) {
      documented.add(id);
      const title = `Show documentation for ${id}`;
      docs.push({ title, kind: CodeActionKind.QuickFix, diagnostics: [diag], command: { title, command: SHOW_RULE_DOCS_COMMAND, arguments: [id] } });
    }
  }
  return [...fixes, ...disables, ...docs];
}

const DISABLE_COMMENT = /^([ \t]*)\/\/[ \t]*fltsim-disable-next-line\b(.*)$/;

/**
 * The edit that silences `id` on `line`: a `// fltsim-disable-next-line <id>` comment above it with
 * the line's indentation, or the id added to such a comment already there. Undefined inside a
 * multi-line macro, where a new line comment would end the macro.
 */
export function disableEdit(input: Pick<CodeActionInput, 'lineText' | 'eol'>, line: number, id: string): TextEdit | undefined {
  const text = input.lineText(line);
  const above = line > 0 ? input.lineText(line - 1) : '';
  if (/\\[ \t]*$/.test(above)) return undefined;
  const existing = DISABLE_COMMENT.exec(above);
  if (existing) {
    const rest = existing[2];
    const reason = rest.indexOf('--');
    const idsPart = reason >= 0 ? rest.slice(0, reason) : rest;
    const ids = idsPart.split(/[\s,]+/).filter(Boolean);
    // A bare comment (no ids) already silences everything; then add a fresh comment instead.
    if (ids.length > 0) {
      const idsEnd = above.length - rest.length + idsPart.trimEnd().length;
      return { range: { start: { line: line - 1, character: idsEnd }, end: { line: line - 1, character: idsEnd } }, newText: `, ${id}` };
    }
  }
  const indent = /^[ \t]*/.exec(text)![0];
  return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}// fltsim-disable-next-line ${id}${input.eol}` };
}

function workspaceEdit(input: Pick<CodeActionInput, 'uri' | 'version' | 'documentChanges'>, edits: TextEdit[]): WorkspaceEdit {
  if (input.documentChanges) {
    return { documentChanges: [TextDocumentEdit.create(OptionalVersionedTextDocumentIdentifier.create(input.uri, input.version), edits)] };
  }
  return { changes: { [input.uri]: edits } };
}

/** Whether a requested kind (`context.only`) includes quick fixes: '', 'quickfix' or a parent of it. */
function coversQuickFix(kind: string): boolean {
  return kind === CodeActionKind.Empty || kind === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${kind}.`);
}

type LspRange = Diagnostic['range'];

/** A client may send anything; a diagnostic without a usable range gets no actions. */
function validRange(r: LspRange | undefined): r is LspRange {
  return !!r && Number.isInteger(r.start?.line) && Number.isInteger(r.start?.character) && Number.isInteger(r.end?.line) && Number.isInteger(r.end?.character) && r.start.line >= 0;
}

function sameRange(a: LspRange, b: LspRange): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

function before(a: LspRange['start'], b: LspRange['start']): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

/** The edit only rewrites text inside the flagged range: the fix replaces the mistake itself. */
function within(inner: LspRange, outer: LspRange): boolean {
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}
