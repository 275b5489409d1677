/**
 * `fltsim run <scenario.fltsim> [--json] [--seed N] [--limit name=N …] [--verbose] [--replay FILE]
 * [--trace FILE] [--timeline FILE] [--explain #N [--format text|markdown]]`: runs a scenario and
 * reports the timeline, the driver's debug output, violations and the verdict (with --replay,
 * following a schedule `fltsim explore` recorded); writes the run as a Chrome trace or as the
 * timeline view's data; or tells one callback data's story.
 * Exit codes: 0 the run ended as the scenario expects, 1 it did not, 2 bad input.
 */
import { writeFileSync } from 'node:fs';
import { whyNotWritten } from '../shared/writeErrors';
import * as path from 'node:path';
import {
  expectationLine, explainData, explanationMarkdown, explanationMermaid, explanationText, formatIrql, formatRunDiagnostic, isLimitName, LIMIT_INFO, LIMIT_NAMES,
  MAX_SEED, parseDataRef, parseReplayFile, prepareScenario, problemLine, runScenario, ScheduleMismatch, textHash, toChromeTrace, verdictSummary,
  type LimitName, type RunReport, type RunTimeline, type Schedule, type SimEvent,
} from '../../engine';
import { jsonSafe, terminalSafe } from '../shared/safeText';
import { closest, parseArgs, UsageError } from './args';
import { nodeFiles } from '../shared/nodeFiles';
import { relative } from './paths';
import { registerCommand } from './registry';

const USAGE = `Usage: fltsim run <scenario.fltsim> [--json] [--seed N] [--limit NAME=N ...] [--verbose] [--replay FILE]
                  [--trace FILE] [--timeline FILE] [--explain #N [--format text|markdown]]

Runs the scenario's drivers and workload in the simulator and checks its expectations.
  --json           print one JSON object (the same scenario and seed always give the same bytes)
  --seed N         use seed N (0 to ${MAX_SEED}) instead of the scenario's (changes thread interleavings)
  --limit NAME=N   change a limit, over the scenario's 'limit' lines; repeat for several.
                   Limits: ${LIMIT_NAMES.join(', ')} (docs/scenario-format.md)
  --verbose        show every event in the timeline (thread starts, waits, locks, IRQL, preemption)
  --replay FILE    follow the schedule of a replay file written by 'fltsim explore'; the run is
                   then judged as exploration judges it (violations and livelock fail it too)
  --trace FILE     also write the run in Chrome's trace-event format (open it in Perfetto or
                   chrome://tracing): a track per thread, callback and work item spans, transitions,
                   arrows from each pend to its completion
  --timeline FILE  also write the run as the editor's timeline view reads it (JSON)
  --explain #N     print the life of callback data #N instead of the report: what each filter did
                   to it, on which thread, at which IRQL, in order, then a Mermaid sequence diagram
  --format F       with --explain: text (default) or markdown (a table and the diagram)

Exit codes: 0 the run ended as the scenario expects, 1 an expectation fails, a DriverEntry fails,
the run deadlocks, leaves work hanging (a request nothing completed) or stops early without an
expect line asking for it, 2 the scenario or a driver
could not be read or compiled, uses C that fltsim does not run, the replay file does not fit it, or
--explain names no callback data.`;

/** Timeline events left out unless --verbose: scheduling detail rather than the story of the I/O. */
const QUIET_EVENTS = new Set<SimEvent['kind']>(['thread-start', 'thread-exit', 'preempt', 'time', 'wait', 'wake', 'lock', 'unlock', 'irql', 'state', 'output']);

/**
 * Kinds of stop that mean the input is outside what fltsim runs (exit 2), rather than a bug found in
 * the driver (exit 1); `internal` is a bug in fltsim.
 */
const INPUT_STOPS = new Set(['not-modelled', 'unsupported', 'undefined-name', 'compile-error', 'internal']);

/** A non-negative integer written in decimal or hex, or undefined. */
export function integerArg(text: string): number | undefined {
  if (/^[0-9]+$/.test(text)) return Number(text);
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) return Number.parseInt(text.slice(2), 16);
  return undefined;
}

export function parseLimits(values: readonly string[]): Partial<Record<LimitName, number>> {
  const out: Partial<Record<LimitName, number>> = {};
  for (const item of values) {
    const eq = item.indexOf('=');
    const name = eq < 0 ? item : item.slice(0, eq);
    if (!isLimitName(name)) {
      const near = closest(name, LIMIT_NAMES);
      throw new UsageError(`unknown limit '${name}'${near ? ` — did you mean '${near}'?` : ''} (limits: ${LIMIT_NAMES.join(', ')})`);
    }
    const info = LIMIT_INFO[name];
    const n = eq < 0 ? undefined : integerArg(item.slice(eq + 1));
    if (n === undefined || n < info.min || n > info.max) throw new UsageError(`--limit ${name} needs a whole number from ${info.min} to ${info.max}, written ${name}=N (got '${item}')`);
    out[name] = n;
  }
  return out;
}

async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    json: { takesValue: false }, seed: { takesValue: true }, limit: { takesValue: true, repeatable: true }, verbose: { takesValue: false }, replay: { takesValue: true },
    trace: { takesValue: true }, timeline: { takesValue: true }, explain: { takesValue: true }, format: { takesValue: true, choices: ['text', 'markdown'] },
  });
  if (args.positionals.length !== 1) throw new UsageError(args.positionals.length === 0 ? 'a scenario file is required' : 'give exactly one scenario file');
  const explainText = args.options.get('explain');
  const explain = typeof explainText === 'string' ? parseDataRef(explainText) : undefined;
  if (typeof explainText === 'string' && explain === undefined) throw new UsageError(`--explain takes a callback data id such as #2 (got '${explainText}')`);
  if (args.options.has('format') && explain === undefined) throw new UsageError('--format goes with --explain');
  if (explain !== undefined && args.options.has('json')) throw new UsageError('--explain and --json cannot be combined: --explain prints the story instead of the report');
  const seedText = args.options.get('seed');
  let seed: number | undefined;
  if (typeof seedText === 'string') {
    seed = integerArg(seedText);
    // Seeds are 32 bits: a larger one would quietly replay the run of its low 32 bits.
    if (seed === undefined || seed > MAX_SEED) throw new UsageError(`--seed must be a whole number from 0 to ${MAX_SEED} (got '${seedText}')`);
  }
  const limits = parseLimits(args.lists.get('limit') ?? []);
  const given = args.positionals[0];
  const scenarioPath = path.resolve(given);
  const replayText = args.options.get('replay');
  let schedule: Schedule | undefined;
  if (typeof replayText === 'string') {
    if (seed !== undefined) throw new UsageError('--seed and --replay do not go together: the replay file holds its seed');
    const text = nodeFiles.readFile(path.resolve(replayText));
    if (text === undefined) {
      const why = nodeFiles.whyUnreadable?.(path.resolve(replayText));
      process.stderr.write(`fltsim run: cannot read the replay file '${replayText}'${why ? `: it ${why}` : ''} — give the file 'fltsim explore --replay-out' wrote\n`);
      return 2;
    }
    const parsed = parseReplayFile(text);
    if (!parsed.ok) {
      process.stderr.write(`fltsim run: ${replayText}: ${parsed.message}\n`);
      return 2;
    }
    schedule = parsed.replay.schedule;
    const scenarioText = nodeFiles.readFile(scenarioPath);
    if (parsed.replay.scenarioHash && scenarioText !== undefined && textHash(scenarioText) !== parsed.replay.scenarioHash) {
      process.stderr.write(`fltsim run: warning: ${given} changed since ${replayText} was recorded (for ${parsed.replay.scenario}); the schedule may not fit it\n`);
    }
  }
  const prepared = await prepareScenario(scenarioPath, nodeFiles, { limits });
  if (!prepared.ok) {
    for (const d of prepared.diagnostics) process.stderr.write(terminalSafe(`${formatRunDiagnostic({ ...d, file: relative(d.file) })}\n`));
    return 2;
  }
  let ran: ReturnType<typeof runScenario>;
  try {
    ran = runScenario(prepared.prepared, { seed, limits, label: given.split(path.sep).join('/'), relativize: relative, schedule });
  } catch (e) {
    if (!(e instanceof ScheduleMismatch)) throw e;
    process.stderr.write(`fltsim run: ${replayText as string}: ${e.message}\n`);
    return 2;
  }
  const { report, timeline } = ran;
  const wantsModel = explain !== undefined || args.options.has('trace') || args.options.has('timeline');
  const model = wantsModel ? ran.timelineModel() : undefined;
  for (const [option, contents] of [['trace', () => toChromeTrace(relativeFiles(model!))], ['timeline', () => model!]] as const) {
    const file = args.options.get(option);
    if (typeof file !== 'string') continue;
    try {
      writeFileSync(path.resolve(file), `${JSON.stringify(contents())}\n`);
    } catch (e) {
      process.stderr.write(`fltsim run: cannot write --${option} ${file}: ${whyNotWritten(e)}; give another file\n`);
      return 2;
    }
  }
  if (explain !== undefined) {
    const x = explainData(model!, explain);
    if (!x.ok) {
      process.stderr.write(`fltsim run: --explain #${explain}: ${x.message}\n`);
      return 2;
    }
    if (args.options.get('format') === 'markdown') process.stdout.write(explanationMarkdown(x.explanation, report.title ?? report.scenario, relative));
    else process.stdout.write(`${explanationText(x.explanation, relative)}\n${explanationMermaid(x.explanation)}`);
    return report.passed ? 0 : 1;
  }
  if (args.options.has('json')) {
    process.stdout.write(jsonSafe(`${JSON.stringify(report, null, 2)}\n`));
  } else {
    for (const w of prepared.prepared.warnings) process.stderr.write(terminalSafe(`${formatRunDiagnostic({ ...w, file: relative(w.file) })}\n`));
    process.stdout.write(terminalSafe(textReport(report, timeline, args.options.has('verbose'))));
  }
  if (report.passed) return 0;
  if (report.error && report.outcome.problems.length > 0 && INPUT_STOPS.has(report.error.kind)) return 2;
  return 1;
}

/** The timeline with its file names relative to the working folder, as the text report shows them. */
function relativeFiles(t: RunTimeline): RunTimeline {
  return { ...t, events: t.events.map((e) => (e.file ? { ...e, file: relative(e.file) } : e)) };
}

/** The run as `fltsim run` prints it; `fltsim test` sends the same text to the editor's test output. */
export function textReport(r: RunReport, events: readonly SimEvent[], verbose: boolean): string {
  const out: string[] = [];
  out.push(`${r.title ?? r.scenario}  (seed ${r.seed})`, '');
  out.push('Timeline');
  for (const e of events) {
    if (!verbose && QUIET_EVENTS.has(e.kind)) continue;
    const where = e.location ? `  ${relative(e.location.file)}:${e.location.line}` : '';
    out.push(`  ${String(e.time).padStart(6)} ms  ${e.threadName.padEnd(24)} ${formatIrql(e.irql).padEnd(18)} ${e.detail}${where}`);
  }
  if (r.output.length > 0) {
    out.push('', 'Debug output');
    for (const line of r.output) out.push(`  ${line}`);
  }
  out.push('', r.violations.length === 0 ? 'Violations: none' : `Violations (${r.violations.length})`);
  for (const v of r.violations) {
    const where = v.file ? `${v.file}:${v.line}: ` : '';
    out.push(`  ${where}${v.severity} [${v.rule}] ${v.message}  (${v.thread}, ${v.irql}, ${v.time} ms)`);
  }
  if (r.error) {
    const where = r.error.file ? `${r.error.file}:${r.error.line}:${r.error.column}: ` : '';
    const internal = r.error.kind === 'internal' ? 'an internal error in fltsim (please report it with the scenario): ' : '';
    out.push('', `Run stopped: ${where}${internal}${r.error.message}  (${r.error.thread})`);
  }
  if (r.outcome.problems.length > 0) {
    out.push('', 'Outcome');
    for (const p of r.outcome.problems) out.push(`  ${problemLine(p)}`);
  }
  out.push('', 'Expectations');
  if (r.expectations.length === 0) out.push('  (none)');
  for (const x of r.expectations) out.push(`  ${expectationLine(x)}   (line ${x.line})`);
  const s = r.schedule;
  if (s !== undefined) {
    out.push('', `Schedule: ${s.choices} recorded choice${s.choices === 1 ? '' : 's'}; ${s.firstChange > 0 ? `first change from the default schedule at decision ${s.firstChange}` : 'the same as the default schedule'}`);
    out.push('Interleaving (» marks a change from the default schedule)');
    for (const line of s.interleaving) out.push(`  ${line}`);
    out.push('', s.failures.length === 0 ? 'PASS  the schedule passes as exploration judges it' : `FAIL  the schedule fails:`);
    for (const f of s.failures) out.push(`  ✗ ${f}`);
    out.push('');
    return out.join('\n');
  }
  out.push('', verdictSummary({ passed: r.passed, expectations: r.expectations, problems: r.outcome.problems, unasked: r.outcome.unasked }), '');
  return out.join('\n');
}

registerCommand('run', { summary: 'Run a .fltsim scenario and check its expectations', usage: USAGE, run });
