/**
 * `fltsim run <scenario.fltsim> [--json] [--seed N] [--verbose] [--replay FILE]`: runs a scenario
 * and reports the timeline, the driver's debug output, violations and the verdict of each
 * expectation; with --replay, following a schedule `fltsim explore` recorded.
 * Exit codes: 0 every expectation holds, 1 one fails (or driver code stopped the run), 2 bad input.
 */
import * as path from 'node:path';
import {
  formatIrql, formatRunDiagnostic, INPUT_ERRORS, parseReplayFile, prepareScenario, runScenario, ScheduleMismatch, textHash, type RunReport, type Schedule, type SimEvent,
} from '../../engine';
import { parseArgs, UsageError } from './args';
import { nodeFiles } from '../shared/nodeFiles';
import { relative } from './paths';
import { registerCommand } from './registry';

const USAGE = `Usage: fltsim run <scenario.fltsim> [--json] [--seed N] [--verbose] [--replay FILE]

Runs the scenario's drivers and workload in the simulator and checks its expectations.
  --json          print one JSON object (the same scenario and seed always give the same bytes)
  --seed N        use seed N instead of the scenario's (changes thread interleavings)
  --verbose       show every event in the timeline (thread starts, waits, locks, preemption)
  --replay FILE   follow the schedule of a replay file written by 'fltsim explore'; the run is
                  then judged as exploration judges it (violations and livelock fail it too)

Exit codes: 0 every expectation holds, 1 an expectation fails or driver code stopped the run,
2 the scenario or a driver could not be read or compiled, or the replay file does not fit it.`;

/** Timeline events left out unless --verbose: scheduling detail rather than the story of the I/O. */
const QUIET_EVENTS = new Set<SimEvent['kind']>(['thread-start', 'thread-exit', 'preempt', 'time', 'wait', 'wake', 'lock', 'unlock', 'irql', 'state', 'output']);

async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { json: { takesValue: false }, seed: { takesValue: true }, verbose: { takesValue: false }, replay: { takesValue: true } });
  if (args.positionals.length !== 1) throw new UsageError(args.positionals.length === 0 ? 'a scenario file is required' : 'give exactly one scenario file');
  const seedText = args.options.get('seed');
  let seed: number | undefined;
  if (typeof seedText === 'string') {
    seed = Number(seedText);
    if (!/^\d+$/.test(seedText) || !Number.isSafeInteger(seed)) throw new UsageError(`--seed must be a non-negative integer (got '${seedText}')`);
  }
  const given = args.positionals[0];
  const scenarioPath = path.resolve(given);
  const replayText = args.options.get('replay');
  let schedule: Schedule | undefined;
  if (typeof replayText === 'string') {
    if (seed !== undefined) throw new UsageError('--seed and --replay do not go together: the replay file holds its seed');
    const text = nodeFiles.readFile(path.resolve(replayText));
    if (text === undefined) {
      process.stderr.write(`fltsim run: cannot read the replay file '${replayText}'\n`);
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
  const prepared = await prepareScenario(scenarioPath, nodeFiles);
  if (!prepared.ok) {
    for (const d of prepared.diagnostics) process.stderr.write(`${formatRunDiagnostic({ ...d, file: relative(d.file) })}\n`);
    return 2;
  }
  let ran: ReturnType<typeof runScenario>;
  try {
    ran = runScenario(prepared.prepared, { seed, label: given.split(path.sep).join('/'), relativize: relative, schedule });
  } catch (e) {
    if (!(e instanceof ScheduleMismatch)) throw e;
    process.stderr.write(`fltsim run: ${replayText as string}: ${e.message}\n`);
    return 2;
  }
  const { report, timeline } = ran;
  if (args.options.has('json')) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    for (const w of prepared.prepared.warnings) process.stderr.write(`${formatRunDiagnostic({ ...w, file: relative(w.file) })}\n`);
    process.stdout.write(textReport(report, timeline, args.options.has('verbose')));
  }
  if (report.error && INPUT_ERRORS.test(report.error.message)) return 2;
  return report.passed ? 0 : 1;
}

function textReport(r: RunReport, events: readonly SimEvent[], verbose: boolean): string {
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
    out.push('', `Run stopped: ${where}${r.error.message}  (${r.error.thread})`);
  }
  out.push('', 'Expectations');
  if (r.expectations.length === 0) out.push('  (none)');
  for (const x of r.expectations) {
    out.push(`  ${x.passed ? '✓' : '✗'} ${x.text}${x.passed ? '' : `   — got ${x.actual}`}   (line ${x.line})`);
  }
  const failed = r.expectations.filter((x) => !x.passed).length;
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
  out.push('', r.passed ? `PASS  ${r.expectations.length} expectation${r.expectations.length === 1 ? '' : 's'} hold` : `FAIL  ${failed} of ${r.expectations.length} expectation${r.expectations.length === 1 ? '' : 's'} failed${r.error ? ', and the run stopped early' : ''}`, '');
  return out.join('\n');
}

registerCommand('run', { summary: 'Run a .fltsim scenario and check its expectations', usage: USAGE, run });
