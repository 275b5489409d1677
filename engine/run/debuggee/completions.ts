/**
 * Completions in the Debug Console: after `.` or `->`, the fields of what the expression before it
 * is (evaluated read-only in the frame, so `Ctx->` offers the context's fields and `Data->Iopb->`
 * the parameter block's); elsewhere the frame's locals and the driver's globals. The adapter has no
 * console commands of its own, so there are none to offer.
 */
import { typeName, type CType } from '../../c/types';
import type { EvaluateResult } from '../../interp/evaluate';
import type { CFrame } from '../../interp/frame';
import type { Module } from '../../interp/module';
import { fieldPlaces } from '../../memory/typed';

export interface CompletionItem {
  label: string;
  kind: 'variable' | 'field';
  /** The C type, for the list's detail column. */
  detail: string;
  /** Where the word it replaces starts in the text (0-based), and its length. */
  start: number;
  length: number;
}

export interface CompletionScope {
  frame: CFrame | undefined;
  module: Module | undefined;
  /** Evaluates the text before `.`/`->` read-only in the frame. */
  evaluate(text: string): EvaluateResult;
}

const WORD = /[A-Za-z_]\w*$/;

/** Completions for `text` with the cursor at `cursor` (0-based). */
export function completionsAt(text: string, cursor: number, scope: CompletionScope): CompletionItem[] {
  const before = text.slice(0, Math.max(0, Math.min(cursor, text.length)));
  const word = WORD.exec(before)?.[0] ?? '';
  const start = before.length - word.length;
  const head = before.slice(0, start);
  const member = /(\.|->)\s*$/.exec(head);
  const candidates = member ? fieldsOf(objectBefore(head.slice(0, member.index)), scope) : namesIn(scope);
  const seen = new Set<string>();
  const out: CompletionItem[] = [];
  for (const c of candidates) {
    if (!c.label.startsWith(word) || seen.has(c.label)) continue;
    seen.add(c.label);
    out.push({ ...c, start, length: word.length });
  }
  return out.sort((a, b) => a.label.localeCompare(b.label));
}

type Candidate = Pick<CompletionItem, 'label' | 'kind' | 'detail'>;

/** The expression that ends where `.`/`->` begins: back over names, members, indexes and parentheses. */
function objectBefore(head: string): string {
  let depth = 0;
  let i = head.length;
  while (i > 0) {
    const c = head[i - 1]!;
    if (c === ')' || c === ']') depth++;
    else if (c === '(' || c === '[') {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && !/[\w.]/.test(c) && !(c === '>' && head[i - 2] === '-') && !(c === '-' && head[i] === '>')) break;
    i--;
  }
  return head.slice(i).trim();
}

function fieldsOf(expression: string, scope: CompletionScope): Candidate[] {
  if (expression === '') return [];
  const r = scope.evaluate(expression);
  if (!r.ok) return [];
  let t: CType = r.type;
  if (t.kind === 'ptr') t = t.to;
  if (t.kind !== 'struct' || !t.fields) return [];
  return [...fieldPlaces(t)].map(([name, place]) => ({ label: name, kind: 'field' as const, detail: typeName(place.type) }));
}

function namesIn(scope: CompletionScope): Candidate[] {
  const out: Candidate[] = [];
  for (const l of scope.frame?.fn.locals ?? []) out.push({ label: l.name, kind: 'variable', detail: typeName(l.type) });
  for (const g of scope.module?.program.globals ?? []) out.push({ label: g.name, kind: 'variable', detail: typeName(g.decl.type) });
  return out;
}
