/**
 * `fltsim run <scenario.fltsim> [--json] [--seed N] [--verbose]`: runs a scenario and reports the
 * timeline, the driver's debug output, violations and the verdict of each expectation.
 * Exit codes: 0 every expectation holds, 1 one fails (or driver code stopped the run), 2 bad input.
 */
import * as path from 'node:path';
import { formatIrql, formatRunDiagnostic, prepareScenario, runScenario, type RunReport, type SimEvent } from '../../engine';
import { parseArgs, UsageError } from './args';
import { nodeFiles } from '../shared/nodeFiles';
import { registerCommand } from './registry';

const USAGE = `Usage: fltsim run <scenario.fltsim> [--json] [--seed N] [--verbose]

Runs the scenario's drivers and workload in the simulator and checks its expectations.
  --json      print one JSON object (the same scenario and seed always give the same bytes)
  --seed N    use seed N instead of the scenario's (changes thread interleavings)
  --verbose   show every event in the timeline (thread starts, waits, locks, preemption)

Exit codes: 0 every expectation holds, 1 an expectation fails or driver code stopped the run,
2 the scenario or a driver could not be read or compiled.`;

/** Timeline events left out unless --verbose: scheduling detail rather than the story of the I/O. */
const QUIET_EVENTS = new Set<SimEvent['kind']>(['thread-start', 'thread-exit', 'preempt', 'time', 'wait', 'wake', 'lock', 'unlock', 'irql', 'state', 'output']);

/** Kinds of C error that mean the input is outside what fltsim runs, rather than a bug found. */
const INPUT_ERRORS = /does not model|cannot run|is not declared|not supported|compile/;

async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { json: { takesValue: false }, seed: { takesValue: true }, verbose: { takesValue: false } });
  if (args.positionals.length !== 1) throw new UsageError(args.positionals.length === 0 ? 'a scenario file is required' : 'give exactly one scenario file');
  const seedText = args.options.get('seed');
  let seed: number | undefined;
  if (typeof seedText === 'string') {
    seed = Number(seedText);
    if (!/^\d+$/.test(seedText) || !Number.isSafeInteger(seed)) throw new UsageError(`--seed must be a non-negative integer (got '${seedText}')`);
  }
  const given = args.positionals[0];
  const scenarioPath = path.resolve(given);
  const prepared = await prepareScenario(scenarioPath, nodeFiles);
  if (!prepared.ok) {
    for (const d of prepared.diagnostics) process.stderr.write(`${formatRunDiagnostic({ ...d, file: relative(d.file) })}\n`);
    return 2;
  }
  const { report, timeline } = runScenario(prepared.prepared, { seed, label: given.split(path.sep).join('/'), relativize: relative });
  if (args.options.has('json')) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    for (const w of prepared.prepared.warnings) process.stderr.write(`${formatRunDiagnostic({ ...w, file: relative(w.file) })}\n`);
    process.stdout.write(textReport(report, timeline, args.options.has('verbose')));
  }
  if (report.error && INPUT_ERRORS.test(report.error.message)) return 2;
  return report.passed ? 0 : 1;
}

/** Display paths by file: a timeline names the same few files on thousands of lines. */
const relatives = new Map<string, string>();
let relativesCwd = '';

function relative(file: string): string {
  if (file.startsWith('<')) return file;
  const cwd = process.cwd();
  if (cwd !== relativesCwd) {
    relatives.clear();
    relativesCwd = cwd;
  }
  let shown = relatives.get(file);
  if (shown === undefined) {
    const rel = path.relative(cwd, file);
    shown = (rel.startsWith('..') ? file : rel).split(path.sep).join('/');
    relatives.set(file, shown);
  }
  return shown;
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
  out.push('', r.passed ? `PASS  ${r.expectations.length} expectation${r.expectations.length === 1 ? '' : 's'} hold` : `FAIL  ${failed} of ${r.expectations.length} expectation${r.expectations.length === 1 ? '' : 's'} failed${r.error ? ', and the run stopped early' : ''}`, '');
  return out.join('\n');
}

registerCommand('run', { summary: 'Run a .fltsim scenario and check its expectations', usage: USAGE, run });
