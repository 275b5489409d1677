/**
 * One callback data's life as a story: every event about it, plus the hand-offs made while one of
 * its callbacks ran (a work item it queued and where that started), in order, each with the thread
 * and IRQL it happened at. Rendered as text (the CLI), as a Mermaid sequence diagram whose
 * participants are the threads, and as Markdown holding both (the editor's preview).
 */
import { irqlName } from '../../kernel/irql';
import { eventAt, type RunTimeline, type TimelineEvent, type TimelineFlow } from './model';

export interface ExplainStep {
  seq: number;
  time: number;
  /** Thread it happened on. */
  thread: string;
  irql: string;
  kind: TimelineEvent['kind'];
  detail: string;
  file?: string;
  line?: number;
  /** Set when the step continues work handed over from another thread (the pend it resumes, the queueing it starts). */
  from?: { thread: string; seq: number; kind: TimelineFlow['kind'] };
}

export interface Explanation {
  data: number;
  label: string;
  summary: string;
  outcome: string | null;
  steps: ExplainStep[];
  /** Threads in the order the story reaches them. */
  threads: string[];
}

export type ExplainResult = { ok: true; explanation: Explanation } | { ok: false; message: string };

/** Parses `#2` or `2`. */
export function parseDataRef(text: string): number | undefined {
  const m = /^#?(\d+)$/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

export function explainData(t: RunTimeline, data: number): ExplainResult {
  const life = t.lives.find((l) => l.data === data);
  if (!life) {
    const known = t.lives.map((l) => l.label);
    return { ok: false, message: `no callback data #${data} in this run${known.length > 0 ? ` (it has ${summarizeIds(known)})` : ' (it issued no I/O)'}` };
  }
  const laneName = new Map(t.lanes.map((l) => [l.id, l.name]));
  const seqs = new Set(life.events);
  // Hand-offs made inside its callbacks: work items queued there (they name no callback data) and their starts.
  const ownSpans = t.spans.filter((s) => s.data === data && (s.kind === 'pre-op' || s.kind === 'post-op'));
  for (const f of t.flows) {
    if (f.kind !== 'work-item' || f.data === data) continue;
    const from = eventAt(t, f.from);
    if (from && ownSpans.some((s) => s.lane === from.lane && from.seq >= s.start && (s.end === null || from.seq <= s.end))) {
      seqs.add(f.from);
      seqs.add(f.to);
    }
  }
  const into = new Map<number, TimelineFlow>();
  for (const f of t.flows) if (seqs.has(f.to) && seqs.has(f.from)) into.set(f.to, f);
  const steps: ExplainStep[] = [];
  const threads: string[] = [];
  for (const seq of [...seqs].sort((a, b) => a - b)) {
    const e = eventAt(t, seq);
    if (!e) continue;
    const thread = laneName.get(e.lane) ?? `thread ${e.lane}`;
    if (!threads.includes(thread)) threads.push(thread);
    const step: ExplainStep = { seq, time: e.time, thread, irql: irqlName(e.irql), kind: e.kind, detail: e.detail };
    if (e.file) {
      step.file = e.file;
      step.line = e.line;
    }
    const flow = into.get(seq);
    if (flow) {
      const src = eventAt(t, flow.from)!;
      step.from = { thread: laneName.get(src.lane) ?? `thread ${src.lane}`, seq: src.seq, kind: flow.kind };
    }
    steps.push(step);
  }
  return { ok: true, explanation: { data, label: life.label, summary: life.summary, outcome: life.outcome, steps, threads } };
}

/** What a step that continues another thread's work does with it. */
function handOff(step: ExplainStep): string {
  switch (step.from!.kind) {
    case 'pend':
      return step.kind === 'pend' ? 'takes up the completion made earlier' : 'resumes the pend';
    case 'work-item':
      return 'starts what was queued';
    case 'file-system':
      return 'the file system answers what it received';
  }
}

/** A step's text; a violation says so, since its detail starts with the rule id alone. */
function stepText(s: ExplainStep): string {
  return s.kind === 'violation' ? `violation ${s.detail}` : s.detail;
}

function summarizeIds(labels: string[]): string {
  return labels.length <= 6 ? labels.join(', ') : `${labels.slice(0, 3).join(', ')} … ${labels[labels.length - 1]}`;
}

/** Numbered lines: `  3. 2 ms  Delayed worker 1  PASSIVE_LEVEL  FltCompletePendedPreOperation(#1, …)  csq.c:190`. */
export function explanationText(x: Explanation, relativize: (file: string) => string = (f) => f): string {
  const out = [`${x.label}: ${x.summary}`, x.outcome ? `ended: ${x.outcome}` : 'not done when the run ended', ''];
  const tw = Math.max(6, ...x.steps.map((s) => s.thread.length));
  const iw = Math.max(5, ...x.steps.map((s) => s.irql.length));
  x.steps.forEach((s, i) => {
    const where = s.file ? `  ${relativize(s.file)}:${s.line}` : '';
    const from = s.from ? `  (${handOff(s)} on ${s.from.thread})` : '';
    out.push(`${String(i + 1).padStart(4)}. ${String(s.time).padStart(5)} ms  ${s.thread.padEnd(tw)}  ${s.irql.padEnd(iw)}  ${stepText(s)}${from}${where}`);
  });
  return `${out.join('\n')}\n`;
}

/** Mermaid text: `#`, `;`, `<`, `>` and line breaks would end or change a message, so they become entity codes. */
function mermaidText(s: string): string {
  return s.replace(/[#;<>]/g, (c) => `#${c.charCodeAt(0)};`).replace(/[\r\n]+/g, ' ');
}

/** A sequence diagram: threads are participants, each step a note on its thread, hand-offs arrows between threads. */
export function explanationMermaid(x: Explanation): string {
  const alias = new Map(x.threads.map((t, i) => [t, `T${i + 1}`]));
  const lines = ['sequenceDiagram'];
  for (const t of x.threads) lines.push(`  participant ${alias.get(t)} as ${mermaidText(t)}`);
  for (const s of x.steps) {
    const at = alias.get(s.thread)!;
    const text = mermaidText(`${stepText(s)} [${s.time} ms, ${s.irql}]`);
    if (s.from && s.from.thread !== s.thread) lines.push(`  ${alias.get(s.from.thread)}->>${at}: ${text}`);
    else lines.push(`  Note over ${at}: ${text}`);
  }
  return `${lines.join('\n')}\n`;
}

function cell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'));
}

/** Markdown for a preview: the steps as a table (readable anywhere) and the Mermaid diagram. */
export function explanationMarkdown(x: Explanation, title: string, relativize: (file: string) => string = (f) => f): string {
  const out = [`# ${cell(x.label)} — ${cell(title)}`, '', `**${cell(x.summary)}**`, '', x.outcome ? `Ended: ${cell(x.outcome)}` : 'Not done when the run ended.', ''];
  out.push('| # | ms | thread | IRQL | what happened | where |', '|---|---|---|---|---|---|');
  x.steps.forEach((s, i) => {
    const detail = s.kind === 'violation' ? `**violation** ${cell(s.detail)}` : cell(s.detail);
    const what = s.from ? `${detail} _(${cell(`${handOff(s)} on ${s.from.thread}`)})_` : detail;
    out.push(`| ${i + 1} | ${s.time} | ${cell(s.thread)} | ${s.irql} | ${what} | ${s.file ? cell(`${relativize(s.file)}:${s.line}`) : ''} |`);
  });
  out.push('', '## Sequence diagram', '', '```mermaid', explanationMermaid(x).trimEnd(), '```', '');
  return out.join('\n');
}
