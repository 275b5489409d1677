/**
 * Reading what `fltsim explore --json --progress` prints, for "Explore Schedules": progress lines
 * from stderr, the report from stdout, and the words the notification and the output channel show.
 * Kept free of `vscode` (and of the engine: the client runs the CLI as a process) so it is testable.
 * The report's shape is engine/run/explore.ts's ExploreReport; only the fields used are listed.
 */
export interface ExploreProgress {
  schedules: number;
  failing: number;
}

/** A line of a file, named as the CLI names it (relative to its working folder, or absolute). */
export interface ReportPlace {
  file: string;
  line: number;
}

export interface ExploreReportView {
  scenario: string;
  title: string | null;
  strategy: string;
  preemptions: number | null;
  schedules: { run: number; failing: number; pruned: number; estimated: number | null; exhaustive: boolean };
  stoppedBy: string;
  passed: boolean;
  failure: {
    index: number;
    preemptions: number;
    firstChange: number;
    reasons: string[];
    interleaving: string[];
    replay: string | null;
    /** Why it fails, each with its key (`expect:12`, `violation:…`, `fault`, `livelock`) and driver line. */
    causes?: { key: string; text: string; place?: ReportPlace }[];
    /** The interleaving, each line with the driver line of its step. */
    steps?: { text: string; changed: boolean; place?: ReportPlace }[];
    inputError?: boolean;
  } | null;
}

/** A `{"progress":{…}}` line, or undefined for any other line (warnings, say). */
export function parseProgressLine(line: string): ExploreProgress | undefined {
  if (!line.startsWith('{"progress"')) return undefined;
  try {
    const p = (JSON.parse(line) as { progress?: Partial<ExploreProgress> }).progress;
    if (p && Number.isInteger(p.schedules) && Number.isInteger(p.failing)) return { schedules: p.schedules!, failing: p.failing! };
  } catch {
    /* not a progress line after all */
  }
  return undefined;
}

/** The report on stdout, or undefined when stdout holds none (bad input: stderr says why). */
export function parseExploreReport(stdout: string): ExploreReportView | undefined {
  try {
    const r = JSON.parse(stdout) as ExploreReportView;
    return typeof r === 'object' && r !== null && typeof r.schedules === 'object' && typeof r.passed === 'boolean' ? r : undefined;
  } catch {
    return undefined;
  }
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Every reason up to three: an unmet expectation usually comes first, and the violation that
 * explains it (the thing to fix) right after, so showing only the first hides the cause.
 */
function failureReasons(reasons: readonly string[]): string {
  if (reasons.length === 0) return 'see the details';
  const shown = reasons.slice(0, 3).join('; ');
  return reasons.length > 3 ? `${shown} (and ${reasons.length - 3} more)` : shown;
}

/** The notification's one line for a finished exploration. */
export function exploreSummary(r: ExploreReportView, name: string): string {
  const s = r.schedules;
  if (r.failure !== null) {
    return `fltsim: a schedule of ${name} fails (${plural(r.failure.preemptions, 'preemption')} from the default one): ${failureReasons(r.failure.reasons)}`;
  }
  const bound = r.preemptions === null ? '' : ` within ${plural(r.preemptions, 'preemption')}`;
  if (s.exhaustive) return `fltsim: every schedule of ${name}${bound} passes (${plural(s.run, 'schedule')} run, the rest pruned as equivalent).`;
  const why = r.stoppedBy === 'cancelled' ? 'cancelled' : r.stoppedBy === 'time-limit' ? 'time limit reached' : r.stoppedBy === 'max-schedules' ? 'schedule limit reached' : 'not exhaustive';
  return `fltsim: ${plural(s.run, 'schedule')} of ${name} pass (${why}; not every schedule was explored).`;
}

/** The lines the "fltsim Explore" output channel shows for a report. */
export function exploreDetails(r: ExploreReportView): string[] {
  const s = r.schedules;
  const out = [
    `Explored ${r.title ?? r.scenario}: ${r.strategy}${r.preemptions === null ? '' : `, up to ${plural(r.preemptions, 'preemption')}`}`,
    `  ${plural(s.run, 'schedule')} run${s.pruned > 0 ? `, ${s.pruned} cut short by the reduction` : ''}; ${s.failing} failing${s.estimated !== null ? `; about ${s.estimated.toLocaleString('en-US')} without reduction` : ''}`,
    `  ${s.exhaustive ? 'exhaustive within the bound' : `not exhaustive (${r.stoppedBy})`}`,
  ];
  const f = r.failure;
  if (f === null) return out;
  const how = f.firstChange > 0 ? `shrunk to ${plural(f.preemptions, 'preemption')}; first change at decision ${f.firstChange}` : 'the default schedule: fltsim run fails too';
  out.push('', `Schedule ${f.index} fails (${how}):`);
  for (const reason of f.reasons) out.push(`  ✗ ${reason}`);
  out.push('', 'Interleaving (» marks a change from the default schedule):');
  for (const line of f.interleaving) out.push(`  ${line}`);
  if (f.replay) out.push('', `Replay file: ${f.replay}`);
  return out;
}
