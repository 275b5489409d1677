/**
 * Hover text: for a routine the catalog knows (what it does, how high the caller's IRQL may be,
 * what the caller must respect, which lint rules are about it), and for a rule id named in a
 * `fltsim-disable` comment or a scenario's `expect violation`. All text comes from the catalog and
 * the rule metadata; this module only arranges it.
 */
import { MarkupKind, type Hover, type Range } from 'vscode-languageserver/node';
import { apiInfo, findSuppressions, Irql, irqlName, lintRule, LINT_RULES, parseScenario, RUNTIME_RULES, type ApiInfo, type IrqlBound } from '../../engine';
import type { DocLinks } from './docLinks';

export type HoverLanguage = 'c' | 'fltsim';

export interface Word {
  text: string;
  start: number;
  end: number;
}

/** The C identifier under `character` (or just before it, at the end of a word). */
export function identifierAt(line: string, character: number): Word | undefined {
  const isWord = (i: number) => i >= 0 && i < line.length && /[A-Za-z0-9_]/.test(line[i]);
  let at = character;
  if (!isWord(at) && isWord(at - 1)) at--;
  if (!isWord(at)) return undefined;
  let start = at;
  let end = at + 1;
  while (isWord(start - 1)) start--;
  while (isWord(end)) end++;
  const text = line.slice(start, end);
  return /^[A-Za-z_]/.test(text) ? { text, start, end } : undefined;
}

/** The caller's IRQL bound in words, with the conditional bounds spelled out. */
export function irqlBoundText(bound: IrqlBound): string {
  switch (bound) {
    case 'any':
      return 'no documented bound: it may be called at any IRQL.';
    case 'cbdq':
      return 'depends on the queue\'s lock. At most `DISPATCH_LEVEL` when the queue\'s Acquire callback takes a spin lock; at most `APC_LEVEL` when it takes a mutex or a resource.';
    case 'cpp':
      return 'depends on CallbackStatus. At most `DISPATCH_LEVEL` with `FLT_PREOP_COMPLETE`; at most `APC_LEVEL` with `FLT_PREOP_SUCCESS_NO_CALLBACK` or `FLT_PREOP_SUCCESS_WITH_CALLBACK`.';
    default:
      return bound === Irql.PASSIVE_LEVEL ? '`PASSIVE_LEVEL` only.' : `at most \`${irqlName(bound)}\`.`;
  }
}

/** Lint rules whose title or explanation names the routine. */
function rulesAbout(name: string): string[] {
  const word = new RegExp(`\\b${name}\\b`);
  return LINT_RULES.filter((r) => word.test(r.title) || word.test(r.why)).map((r) => r.id);
}

export function apiHoverMarkdown(info: ApiInfo, links: DocLinks): string {
  const parts = [`**${info.name}**`, info.summary, `**IRQL:** ${irqlBoundText(info.maxIrql)}`];
  const rules = [...info.rules];
  if (info.mustInspect) rules.push('Look at the result: the header marks it as one the caller must inspect.');
  if (info.mayBlock) rules.push('It may wait, so never call it while holding a spin lock.');
  if (rules.length > 0) parts.push(`**Caller rules**\n${rules.map((r) => `- ${r}`).join('\n')}`);
  const ids = rulesAbout(info.name);
  if (ids.length > 0) parts.push(`**Lint rules:** ${ids.map((id) => `[${id}](${links.rule(id)})`).join(' · ')}`);
  return parts.join('\n\n');
}

/** Markdown for a lint or runtime rule id; undefined when no rule has that id. */
export function ruleHoverMarkdown(id: string, links: DocLinks): string | undefined {
  const lint = lintRule(id);
  const runtime = (RUNTIME_RULES as Record<string, { severity: string; meaning: string } | undefined>)[id];
  if (lint) {
    const parts = [`**${id}** · lint rule · ${lint.severity}`, `${lint.title}.`, lint.why];
    if (runtime) parts.push(`The simulator also records it at run time: ${runtime.meaning}`);
    parts.push(`[Rule documentation](${links.rule(id)})`);
    return parts.join('\n\n');
  }
  if (runtime) {
    return [`**${id}** · runtime rule · ${runtime.severity}`, runtime.meaning, 'Only a run of a scenario can break it; the linter does not check it.', `[Runtime rules](${links.runtimeRules})`].join('\n\n');
  }
  return undefined;
}

function markdown(value: string, range: Range): Hover {
  return { contents: { kind: MarkupKind.Markdown, value }, range };
}

function wordRange(line: number, start: number, end: number): Range {
  return { start: { line, character: start }, end: { line, character: end } };
}

/** A rule id named in a `fltsim-disable-*` comment on this line, under the cursor. */
function suppressedIdAt(lineText: string, character: number): Word | undefined {
  for (const m of findSuppressions(lineText).mentioned) {
    if (m.column >= 0 && character >= m.column && character <= m.column + m.id.length) return { text: m.id, start: m.column, end: m.column + m.id.length };
  }
  return undefined;
}

/** A rule id in `expect violation <id>` / `expect no violation <id>` on this line, under the cursor. */
function expectedIdAt(lineText: string, character: number): Word | undefined {
  // Statements are one line each, so parsing the line alone finds its expectation.
  for (const e of parseScenario(lineText).scenario.expectations) {
    if (e.what !== 'violation' && e.what !== 'no-violation') continue;
    const start = e.ruleSpan.column - 1;
    const end = e.ruleSpan.endColumn - 1;
    if (character >= start && character <= end) return { text: e.rule, start, end };
  }
  return undefined;
}

/** The hover for `character` on `line` (whose text is `lineText`), or null. */
export function hoverAt(language: HoverLanguage, lineText: string, line: number, character: number, links: DocLinks): Hover | null {
  const ruleWord = language === 'c' ? suppressedIdAt(lineText, character) : expectedIdAt(lineText, character);
  if (ruleWord) {
    const text = ruleHoverMarkdown(ruleWord.text, links);
    return text ? markdown(text, wordRange(line, ruleWord.start, ruleWord.end)) : null;
  }
  const word = identifierAt(lineText, character);
  const info = word && apiInfo(word.text);
  return word && info ? markdown(apiHoverMarkdown(info, links), wordRange(line, word.start, word.end)) : null;
}
