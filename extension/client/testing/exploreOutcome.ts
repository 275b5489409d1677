/**
 * What the Test Explorer's Explore profile shows for one `fltsim explore --json` report, in the
 * shape the Run profile's outcomes have (extension/shared/testRunProtocol.ts), so the controller
 * places both the same way. A scenario passes when every explored schedule passes. A failing
 * schedule gives: one message about the schedule (the reasons, the schedule counts, whether the
 * search was exhaustive, the interleaving as lines and as frames at their driver lines), each
 * unmet `expect` line failed at that line, and each violation or stop at its driver line, those
 * led by their own reason and followed by the same account, since a peek shows one message; every
 * message carries the replay file, for the "Debug the Failing Schedule" button.
 * Free of `vscode`: tested without an editor.
 */
import * as path from 'node:path';
import type { ExpectOutcome, OutcomeMessage, Place, ScenarioOutcome } from '../../shared/testRunProtocol';
import type { ExploreReportView, ReportPlace } from '../exploreReport';

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

const STOPS: Record<string, string> = {
  exhausted: 'every schedule within the bound was covered',
  failure: 'it stopped at the first failing schedule',
  'max-schedules': 'it stopped at the schedule limit (fltsim.explore.maxSchedules)',
  'time-limit': 'it stopped at the time limit (fltsim.explore.timeLimitSeconds)',
  cancelled: 'it was cancelled',
};

/** "1,234 schedules run (…), exhaustive within up to 2 preemptions" — the search in one line. */
export function searchSummary(r: ExploreReportView): string {
  const s = r.schedules;
  const bound = r.preemptions === null ? 'no preemption bound' : `up to ${plural(r.preemptions, 'preemption')}`;
  const cut = s.pruned > 0 ? `, ${s.pruned.toLocaleString('en-US')} more cut short by the reduction` : '';
  const estimate = s.estimated !== null && Number.isFinite(s.estimated) ? `; about ${s.estimated.toLocaleString('en-US')} schedules exist without reduction` : '';
  const how = s.exhaustive ? 'exhaustive' : `not exhaustive: ${STOPS[r.stoppedBy] ?? r.stoppedBy}`;
  return `${plural(s.run, 'schedule')} run (${r.strategy}, ${bound}${cut})${estimate}; ${how}`;
}

/** The report's places are relative to the folder the CLI ran in. */
function placeOf(p: ReportPlace | undefined, cwd: string): Place | undefined {
  return p ? { file: path.resolve(cwd, p.file), line: p.line } : undefined;
}

/** `cwd`: the folder the CLI ran in; `replay`: the replay file it was told to write (absolute). */
export function exploreOutcome(r: ExploreReportView, o: { cwd: string; replay: string; durationMs: number }): ScenarioOutcome {
  const base = { durationMs: o.durationMs, seeds: [], failingSeeds: [] };
  const f = r.failure;
  if (f === null) return { ...base, state: 'passed', messages: [], expectations: [] };
  type Cause = NonNullable<typeof f.causes>[number];
  type Step = NonNullable<typeof f.steps>[number];
  const causes: Cause[] = f.causes ?? f.reasons.map((text) => ({ key: '', text }));
  const steps: Step[] = f.steps ?? f.interleaving.map((text) => ({ text, changed: false }));
  const frames = steps.map((s) => {
    const place = placeOf(s.place, o.cwd);
    return { label: s.text, ...(place ? { place } : {}) };
  });
  const replay = f.replay !== null ? o.replay : undefined;
  const onSchedule = (m: OutcomeMessage): OutcomeMessage => (replay !== undefined ? { ...m, replay } : m);
  if (f.inputError) {
    // Not a race: something fltsim does not run. Errored, at the lines concerned.
    const messages = causes.map((c) => {
      const place = placeOf(c.place, o.cwd);
      return { text: `fltsim cannot explore this scenario: ${c.text}`, ...(place ? { place } : {}) };
    });
    return { ...base, state: 'errored', messages, expectations: [] };
  }
  const how = f.firstChange > 0
    ? `shrunk to ${plural(f.preemptions, 'preemption')}, first change from the default schedule at decision ${f.firstChange}`
    : 'it is the default schedule: a plain Run fails too';
  const firstChanged = f.steps?.find((s) => s.changed && s.place)?.place;
  const at = placeOf(firstChanged, o.cwd) ?? placeOf(causes.find((c) => c.place)?.place, o.cwd);
  const text = [
    `Schedule ${f.index} fails (${how}).`,
    ...causes.map((c) => `  ✗ ${c.text}`),
    `Search: ${searchSummary(r)}.`,
    '',
    'Interleaving (» marks a change from the default schedule):',
    ...f.interleaving.map((l) => `  ${l}`),
    ...(replay !== undefined ? ['', `Replay file: ${replay} ("Debug the Failing Schedule" opens it in the debugger, paused where the schedule first leaves the default one).`] : []),
  ].join('\n');
  const messages: OutcomeMessage[] = [onSchedule({ text, ...(at ? { place: at } : {}), frames })];
  const expectations: ExpectOutcome[] = [];
  for (const c of causes) {
    const line = /^expect:(\d+)$/.exec(c.key);
    if (line) {
      expectations.push({ line: Number(line[1]), state: 'failed', messages: [onSchedule({ text: `Under failing schedule ${f.index}: ${c.text}\n\n${text}`, frames })] });
      continue;
    }
    const place = placeOf(c.place, o.cwd);
    if (place) messages.push(onSchedule({ text: `Under failing schedule ${f.index}: ${c.text}\n\n${text}`, place, frames }));
  }
  return { ...base, state: 'failed', messages, expectations };
}
