/**
 * `fltsim explore <scenario.fltsim> [options]`: runs a scenario under many thread interleavings and
 * reports the first one that fails, shrunk, with a replay file. `fltsim explore --merge a.json …`
 * combines the JSON reports of the shards of one exploration into one verdict.
 * Exit codes: 0 every explored schedule passes, 1 a failing schedule was found, 2 bad input.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  formatRunDiagnostic, MAX_SEED, MAX_SHARDS, mergeExploreReports, parseExploreReport, prepareScenario, ScenarioExplorer, STRATEGIES, type ExploreReport, type ReplayFile, type Strategy,
} from '../../engine';
import { nodeFiles } from '../shared/nodeFiles';
import { whyNotWritten } from '../shared/writeErrors';
import { parseArgs, UsageError } from './args';
import { relative } from './paths';
import { exploreInThreads, threadFlags } from './exploreJobs';
import { registerCommand } from './registry';

const USAGE = `Usage: fltsim explore <scenario.fltsim> [--strategy dfs|random|pct] [--max-schedules N]
                      [--time-limit S] [--preemptions K] [--shard I/N] [--jobs N|auto] [--seed N]
                      [--no-reduction] [--keep-going] [--replay-out FILE] [--json] [--progress]
       fltsim explore --merge <report.json>... [--json]

Runs the scenario under many thread interleavings: a thread may be held back at any kernel call,
lock operation, interlocked operation or statement that touched shared memory, while other threads
run or the workload's next timed event lands. Each schedule is checked against the scenario's
expectations, the verifier's error-level violations (deadlocks included) and livelock.
  --strategy S        dfs (default): every schedule within the preemption bound, pruned by
                      partial-order reduction; random: random walks; pct: probabilistic
                      concurrency testing
  --max-schedules N   stop after N schedules (default 10000)
  --time-limit S      stop after S seconds
  --preemptions K     at most K preemptions per schedule (dfs and pct: default 2; random: none)
  --shard I/N         explore part I of N disjoint parts (for N CI jobs); merge their --json reports
  --jobs N|auto       explore on N threads (dfs): an idle thread takes part of a busy one's
                      search, and the report is the same as on one thread; auto (the default):
                      one thread, and a second once the search has run 1 s far from its budget
  --seed N            the scenario's seed (the default schedule is 'fltsim run --seed N')
  --no-reduction      dfs without partial-order reduction (to compare)
  --keep-going        count every failing schedule instead of stopping at the first
  --replay-out FILE   where to write the failing schedule (default: next to the scenario,
                      <name>.replay.json)
  --json              print one JSON report
  --progress          write {"progress":{...}} lines to stderr while exploring

A failing schedule is shrunk to the fewest changes from the default schedule and written as a
replay file: 'fltsim run --replay FILE <scenario.fltsim>' reproduces it, and a "fltsim" launch
configuration with "replay": FILE opens it in the debugger.

Exit codes: 0 every explored schedule passes, 1 a failing schedule was found, 2 bad input.`;

const OPTIONS = {
  strategy: { takesValue: true, choices: STRATEGIES },
  'max-schedules': { takesValue: true },
  'time-limit': { takesValue: true },
  preemptions: { takesValue: true },
  shard: { takesValue: true },
  jobs: { takesValue: true },
  seed: { takesValue: true },
  'no-reduction': { takesValue: false },
  'keep-going': { takesValue: false },
  'replay-out': { takesValue: true },
  json: { takesValue: false },
  progress: { takesValue: false },
  merge: { takesValue: false },
} as const;

/**
 * With --jobs auto, a depth-first search brings in helper threads once it has run this long, and at
 * most this many threads in all: a worker's start-up (~0.5 s idle, 1.5–5 s on a loaded machine)
 * costs more than a search that ends sooner would gain (docs/explore.md, "Limits").
 */
const AUTO_HELPERS_MS = 1000;
const AUTO_JOBS = 2;

/** How long the exploration runs before it lets the event loop in (signals, progress). */
const SLICE_MS = 50;

/** --replay-out names a file in a folder that exists, and not a folder itself. */
function checkReplayFolder(out: string): void {
  const file = path.resolve(out);
  const folder = path.dirname(file);
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) throw new UsageError(`--replay-out: the folder '${relative(folder)}' does not exist (got '${out}')`);
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new UsageError(`--replay-out names a folder; give a file name (got '${out}')`);
}

async function explore(argv: string[]): Promise<number> {
  const args = parseArgs(argv, OPTIONS);
  if (args.options.has('merge')) {
    const other = [...args.options.keys()].filter((o) => o !== 'merge' && o !== 'json');
    if (other.length > 0) throw new UsageError(`--merge combines finished reports and takes only --json; ${other.map((o) => `--${o}`).join(', ')} belong${other.length === 1 ? 's' : ''} to the exploration that wrote them`);
    return merge(args.positionals, args.options.has('json'));
  }
  if (args.positionals.length !== 1) throw new UsageError(args.positionals.length === 0 ? 'a scenario file is required' : 'give exactly one scenario file');
  const strategy = (args.options.get('strategy') ?? 'dfs') as Strategy;
  const maxSchedules = count(args.options.get('max-schedules'), '--max-schedules', 1);
  const timeLimit = number(args.options.get('time-limit'), '--time-limit');
  const preemptions = count(args.options.get('preemptions'), '--preemptions', 0);
  const seed = count(args.options.get('seed'), '--seed', 0);
  // As `fltsim run --seed`: a larger seed would alias a smaller one, and the replay file could not be run.
  if (seed !== undefined && seed > MAX_SEED) throw new UsageError(`--seed must be a whole number from 0 to ${MAX_SEED} (got '${args.options.get('seed')}')`);
  const shard = parseShard(args.options.get('shard'));
  // --jobs auto, the default for a depth-first search on one machine: one thread, with a helper
  // brought in only once the search has run AUTO_HELPERS_MS and is far from its budget. Measured on
  // an idle 2-processor machine: the whole bench search 1.5x as fast, a 3,000-schedule budget as fast
  // as one thread (docs/explore.md, "Limits"). Other strategies and shards stay on one thread.
  const jobsGiven = args.options.get('jobs');
  const auto = jobsGiven === 'auto' || (jobsGiven === undefined && strategy === 'dfs' && !shard);
  if (jobsGiven === 'auto' && strategy !== 'dfs') throw new UsageError('--jobs auto splits the depth-first search: it needs --strategy dfs');
  if (jobsGiven === 'auto' && shard) throw new UsageError('--jobs and --shard do not go together: give a CI job --shard, or one machine --jobs');
  const jobs = auto ? Math.min(os.availableParallelism(), AUTO_JOBS) : count(args.options.get('jobs'), '--jobs', 1) ?? 1;
  // Each job is a worker thread with its own copy of the engine: far more than the processors only
  // costs memory (thousands exhaust the heap), so the count is bounded by what the machine can use.
  const maxJobs = Math.max(4, os.availableParallelism() * 2);
  if (jobs > maxJobs) throw new UsageError(`--jobs ${jobs} is more than this machine can use (at most ${maxJobs}, twice its ${os.availableParallelism()} processors); to split wider, give CI jobs --shard I/N`);
  if (jobs > 1 && strategy !== 'dfs') throw new UsageError('--jobs splits the depth-first search: it needs --strategy dfs');
  if (jobs > 1 && shard) throw new UsageError('--jobs and --shard do not go together: give a CI job --shard, or one machine --jobs');
  if (args.options.has('no-reduction') && strategy !== 'dfs') throw new UsageError('--no-reduction only applies to --strategy dfs');
  const replayOut = args.options.get('replay-out');
  // Checked before exploring: finding a failure in minutes of search and then losing it to a typo is worse.
  if (typeof replayOut === 'string') checkReplayFolder(replayOut);

  const given = args.positionals[0]!;
  const scenarioPath = path.resolve(given);
  const json = args.options.has('json');
  const progress = args.options.has('progress');
  const common = {
    strategy,
    maxSchedules,
    preemptions,
    seed,
    reduction: !args.options.has('no-reduction'),
    keepGoing: args.options.has('keep-going'),
    label: given.split(path.sep).join('/'),
    scenarioText: nodeFiles.readFile(scenarioPath),
  };
  let deadline = Infinity;
  const preparing = prepareScenario(scenarioPath, nodeFiles).then((prepared) => {
    if (!prepared.ok) {
      for (const d of prepared.diagnostics) process.stderr.write(`${formatRunDiagnostic({ ...d, file: relative(d.file) })}\n`);
      return undefined;
    }
    if (!json) for (const w of prepared.prepared.warnings) process.stderr.write(`${formatRunDiagnostic({ ...w, file: relative(w.file) })}\n`);
    // The time limit counts exploring, not preparing.
    deadline = timeLimit === undefined ? Infinity : Date.now() + timeLimit * 1000;
    return { prepared: prepared.prepared, deadline: Number.isFinite(deadline) ? deadline : null };
  });
  // Told --jobs N: the workers start first and prepare while this thread does.
  const explored = jobs > 1 ? await inWorkers(auto ? AUTO_HELPERS_MS : 0) : await inThisThread();
  if (explored === undefined) return 2;
  const { report, replay } = explored;
  if (replay !== null && report.failure !== null) {
    const file = typeof replayOut === 'string' ? path.resolve(replayOut) : defaultReplayPath(scenarioPath, report);
    try {
      fs.writeFileSync(file, `${JSON.stringify(replay, null, 2)}\n`);
      report.failure.replay = relative(file);
    } catch (e) {
      // The report still says what failed; only the file to replay it from is missing.
      process.stderr.write(`fltsim explore: could not write the replay file '${relative(file)}': ${whyNotWritten(e)}; give another place with --replay-out FILE\n`);
    }
  }
  process.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : textReport(report, replay));
  if (report.failure?.inputError) return 2;
  return report.passed ? 0 : 1;

  async function inWorkers(helpersAfterMs: number): Promise<{ report: ExploreReport; replay: ReplayFile | null } | undefined> {
    const stop = threadFlags(jobs);
    const halt = (): void => {
      Atomics.store(new Int32Array(stop), 0, 1);
    };
    process.on('SIGINT', halt);
    process.on('SIGTERM', halt);
    let lastProgress = 0;
    try {
      return await exploreInThreads(
        preparing,
        { scenarioPath, options: common, relativize: relative },
        jobs,
        stop,
        progress
          ? (p) => {
            if (Date.now() - lastProgress < 250) return;
            lastProgress = Date.now();
            fs.writeSync(2, `${JSON.stringify({ progress: p })}\n`);
          }
          : undefined,
        helpersAfterMs,
      );
    } finally {
      process.off('SIGINT', halt);
      process.off('SIGTERM', halt);
    }
  }

  async function inThisThread(): Promise<{ report: ExploreReport; replay: ReplayFile | null } | undefined> {
    const ready = (await preparing)?.prepared;
    if (ready === undefined) return undefined;
    let cancelled = false;
    const onSignal = (): void => {
      cancelled = true;
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const explorer = new ScenarioExplorer(ready, {
      ...common,
      shard,
      relativize: relative,
      shouldStop: () => (cancelled ? 'cancelled' : Date.now() >= deadline ? 'time-limit' : undefined),
    });
    try {
      let lastProgress = 0;
      for (;;) {
        const sliceEnd = Date.now() + SLICE_MS;
        let more = true;
        while (more && Date.now() < sliceEnd) more = explorer.step();
        if (progress && (Date.now() - lastProgress > 250 || !more)) {
          lastProgress = Date.now();
          // Written synchronously so a reader sees it while the exploration goes on.
          fs.writeSync(2, `${JSON.stringify({ progress: explorer.progress })}\n`);
        }
        if (!more) break;
        // Let signals and output through.
        await new Promise((r) => setImmediate(r));
      }
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    return explorer.finish();
  }
}

async function merge(files: string[], json: boolean): Promise<number> {
  if (files.length === 0) throw new UsageError('--merge needs the JSON reports of the shards');
  const reports: ExploreReport[] = [];
  for (const f of files) {
    let text: string;
    try {
      text = fs.readFileSync(f, 'utf8');
    } catch (e) {
      process.stderr.write(`fltsim explore: cannot read ${f}: ${(e as Error).message}\n`);
      return 2;
    }
    const parsed = parseExploreReport(text);
    if (!parsed.ok) {
      process.stderr.write(`fltsim explore: ${f}: ${parsed.message}\n`);
      return 2;
    }
    reports.push(parsed.report);
  }
  const merged = mergeExploreReports(reports);
  if (!merged.ok) {
    process.stderr.write(`fltsim explore --merge: ${merged.message}\n`);
    return 2;
  }
  const r = merged.report;
  process.stdout.write(json ? `${JSON.stringify(r, null, 2)}\n` : textReport(r, null));
  return r.passed ? 0 : 1;
}

function defaultReplayPath(scenarioPath: string, report: ExploreReport): string {
  const base = scenarioPath.replace(/\.fltsim$/i, '');
  return report.shard ? `${base}.shard${report.shard.index}of${report.shard.count}.replay.json` : `${base}.replay.json`;
}

function count(text: string | true | undefined, name: string, min: number): number | undefined {
  if (typeof text !== 'string') return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min) throw new UsageError(`${name} must be an integer of at least ${min} (got '${text}')`);
  return n;
}

function number(text: string | true | undefined, name: string): number | undefined {
  if (typeof text !== 'string') return undefined;
  const n = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(n > 0)) throw new UsageError(`${name} must be a positive number of seconds (got '${text}')`);
  return n;
}

function parseShard(text: string | true | undefined): { index: number; count: number } | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const total = m ? Number(m[2]) : NaN;
  if (!m || total < 1 || index < 1 || index > total) throw new UsageError(`--shard must be I/N with 1 <= I <= N, like 2/4 (got '${text}')`);
  if (total > MAX_SHARDS) throw new UsageError(`--shard splits into at most ${MAX_SHARDS} parts (got ${total})`);
  return { index, count: total };
}

const STRATEGY_WORDS: Record<Strategy, string> = { dfs: 'depth-first', random: 'random walks', pct: 'PCT' };

function textReport(r: ExploreReport, replay: ReplayFile | null): string {
  const out: string[] = [];
  const bound = r.preemptions === null ? 'no preemption bound' : `up to ${r.preemptions} preemption${r.preemptions === 1 ? '' : 's'}`;
  const reduction = r.strategy === 'dfs' ? (r.reduction === 'partial-order' ? ', partial-order reduction' : ', no reduction') : '';
  const shard = r.shard ? `, shard ${r.shard.index}/${r.shard.count}` : r.merged ? `, ${r.merged.shards} shards merged` : '';
  out.push(`Exploring ${r.title ?? r.scenario}  (seed ${r.seed}; ${STRATEGY_WORDS[r.strategy]}, ${bound}${reduction}${shard})`, '');
  const s = r.schedules;
  const cut = [s.pruned > 0 ? `${s.pruned} cut short by the reduction` : '', s.abandoned > 0 ? `${s.abandoned} left to other shards` : ''].filter(Boolean).join(', ');
  out.push(`  ${s.run.toLocaleString('en-US')} schedule${s.run === 1 ? '' : 's'} run${s.distinct !== s.run ? ` (${s.distinct.toLocaleString('en-US')} distinct)` : ''}${cut ? `; ${cut}` : ''}; ${s.failing} failing`);
  if (s.estimated !== null) out.push(`  about ${s.estimated.toLocaleString('en-US')} schedule${s.estimated === 1 ? '' : 's'} within the bound without reduction (estimated from random runs)`);
  if (r.merged?.missing.length) out.push(`  missing shard report${r.merged.missing.length === 1 ? '' : 's'}: ${r.merged.missing.map((i) => `${i}/${r.merged!.shards}`).join(', ')}`);
  out.push(`  ${s.exhaustive ? 'exhaustive: every schedule within the bound is covered' : `not exhaustive: ${stopWords(r)}`}`, '');
  const f = r.failure;
  if (f === null) {
    out.push(`PASS  every explored schedule passes`, '');
    return out.join('\n');
  }
  const shrunk = f.firstChange > 0
    ? `shrunk to ${f.preemptions} preemption${f.preemptions === 1 ? '' : 's'}, first change from the default schedule at decision ${f.firstChange}`
    : 'it is the default schedule: fltsim run fails too';
  out.push(`FAIL  schedule ${f.index}${r.merged ? ' (in one of the shards)' : ''} fails; ${shrunk}`);
  for (const reason of f.reasons) out.push(`  ✗ ${reason}`);
  out.push('', 'Interleaving (» marks a change from the default schedule)');
  for (const line of f.interleaving) out.push(`  ${line}`);
  if (f.replay !== null) {
    out.push('', `Replay file: ${f.replay}`);
    out.push(`  fltsim run --replay ${f.replay} ${replay?.scenario ?? r.scenario}`);
    out.push(`  or debug it: a "fltsim" launch configuration with "replay": "${f.replay}"`);
  }
  out.push('');
  return out.join('\n');
}

function stopWords(r: ExploreReport): string {
  switch (r.stoppedBy) {
    case 'failure': return 'stopped at the first failing schedule (--keep-going goes on)';
    case 'max-schedules': return 'stopped at --max-schedules';
    case 'time-limit': return 'stopped at --time-limit';
    case 'cancelled': return 'cancelled';
    case 'merged': return 'a shard was not exhaustive or is missing';
    default: return 'the bound leaves schedules out';
  }
}

registerCommand('explore', { summary: 'Run a .fltsim scenario under many thread interleavings and report one that fails', usage: USAGE, run: explore });
