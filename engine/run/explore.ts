/**
 * Schedule exploration of a prepared scenario (`fltsim explore`, the editor's Explore Schedules):
 * the scenario runs under many schedules (engine/explore), each judged as a finished run is —
 * every expectation, plus the verifier's error-level violations the scenario does not expect
 * (deadlocks among them), a run stopped by driver code, and a run that never ends (livelock) —
 * and the first failing schedule is shrunk and described as a replay file.
 *
 * Also here: replaying one schedule (`fltsim run --replay`), and merging the JSON reports of the
 * shards of one exploration.
 */
import { TIME_PASSES, type ActorId, type SchedulePolicy } from '../kernel/schedule';
import { Explorer, type Exploration, type ExploreOptions, type ExploreTarget, type RunVerdict, type ExploreStop, type Strategy } from '../explore/explorer';
import { minimise } from '../explore/minimize';
import { REPLAY_FORMAT, REPLAY_VERSION, textHash, type ReplayFile } from '../explore/replayFile';
import { addDigests, preemptionCost, type Schedule } from '../explore/schedule';
import type { Trace } from '../explore/trace';
import type { Shard } from '../explore/dfs';
import { hangingProblem } from '../scenario';
import type { PreparedScenario } from './prepare';
import { DEFAULT_SEED, World } from './world';

/** A line of a file (the name as the caller's `relativize` wrote it). */
export interface SourcePlace {
  file: string;
  line: number;
}

export interface ScheduleFailure {
  /** Stable across runs: `expect:12`, `violation:deadlock`, `fault`, `livelock`. */
  key: string;
  text: string;
  /** The driver line a violation or a fault happened at; an `expect:N` key names the scenario's line N. */
  place?: SourcePlace;
}

/** One line of the interleaving report, and the driver line it is about when there is one. */
export interface InterleavingStep {
  text: string;
  /** The step is a change from the default schedule (marked `»` in `text`). */
  changed: boolean;
  place?: SourcePlace;
}

export interface ScenarioVerdict extends RunVerdict {
  failures: ScheduleFailure[];
  /** Scheduler steps the run took. */
  steps: number;
  /** The run stopped on something outside what fltsim runs (an unmodelled routine, unsupported C). */
  inputError: boolean;
}

/** Kinds of C error that mean the input is outside what fltsim runs, rather than a bug found. */
export const INPUT_ERRORS = /does not model|cannot run|is not declared|not supported|compile/;

/** Judges a finished run as exploration does. `ended` is how World.run ended. */
export function judgeRun(world: World, ended: 'done' | 'budget' | 'fault', relativize: (file: string) => string = (f) => f): ScenarioVerdict {
  const failures: ScheduleFailure[] = [];
  const sim = world.sim;
  let inputError = false;
  const fault = world.fault;
  if (fault) {
    inputError = INPUT_ERRORS.test(fault.message);
    const place = fault.file ? { file: relativize(fault.file), line: fault.line ?? 0 } : undefined;
    failures.push({ key: 'fault', text: `the run stopped${place ? ` at ${place.file}:${place.line}` : ''} (${fault.thread}): ${fault.message}`, ...(place ? { place } : {}) });
  } else if (ended === 'budget') {
    failures.push({ key: 'livelock', text: `the run did not end within ${sim.stepCount.toLocaleString('en-US')} steps: threads keep running without finishing (a livelock, or a loop that waits for another thread)` });
  }
  if (ended === 'done') {
    const verdict = world.verdict(relativize);
    for (const e of verdict.expectations) {
      if (!e.passed) failures.push({ key: `expect:${e.line}`, text: `line ${e.line}: ${e.text} — got ${e.actual}` });
    }
    // Work left hanging that the scenario does not expect fails a schedule as it fails a run (a deadlock is a violation below).
    for (const h of verdict.unexpectedHanging) failures.push({ key: `hanging:${h.io ?? h.text}`, text: hangingProblem(h) });
  }
  const expected = new Set(world.prepared.scenario.expectations.filter((e) => e.what === 'violation').map((e) => (e as { rule: string }).rule));
  const seen = new Set<string>();
  for (const v of sim.violations) {
    if (v.severity !== 'error' || expected.has(v.rule) || seen.has(v.rule)) continue;
    seen.add(v.rule);
    const place = v.location ? { file: relativize(v.location.file), line: v.location.line } : undefined;
    const where = place ? ` at ${place.file}:${place.line}` : '';
    const who = v.thread === 0 ? `at the end of the run, ${v.time} ms` : `${v.threadName}, ${v.time} ms`;
    failures.push({ key: `violation:${v.rule}`, text: `violation ${v.rule}${where} (${who}): ${v.message}`, ...(place ? { place } : {}) });
  }
  return { failures, steps: sim.stepCount, inputError };
}

/** Runs the scenario once per schedule, with a step budget that tells a livelock from a long run. */
export class ScenarioTarget implements ExploreTarget<ScenarioVerdict> {
  /** Steps after which a run counts as a livelock. */
  budget: number;

  /** The caller's relativize, once per file: the trace asks at every shared access of every run. */
  private readonly relativize: (file: string) => string;

  constructor(
    readonly prepared: PreparedScenario,
    readonly seed: number,
    relativize: (file: string) => string = (f) => f,
  ) {
    const relative = new Map<string, string>();
    const once = (file: string): string => {
      let r = relative.get(file);
      if (r === undefined) relative.set(file, (r = relativize(file)));
      return r;
    };
    this.relativize = once;
    // The default schedule's length sets the budget: twenty times as long, and at least 20,000 steps.
    const first = this.world({ observer: undefined, choose: (d) => d.preferred });
    first.run();
    this.budget = Math.max(20_000, 20 * first.sim.stepCount);
  }

  run(policy: SchedulePolicy & { observer: Trace }): ScenarioVerdict {
    const w = this.world(policy);
    const ended = w.run(this.budget);
    return judgeRun(w, ended, this.relativize);
  }

  /** A World under `policy` whose trace (if any) can name threads and lines. */
  world(policy: SchedulePolicy & { observer?: Trace }): World {
    const w = new World(this.prepared, { seed: this.seed, policy });
    const trace = policy.observer;
    if (trace) {
      const threads = w.sim.kernel.threads;
      trace.host = {
        now: () => w.sim.now,
        where: (id) => {
          const f = threads.get(id)?.cFrame();
          return f?.file ? { file: this.relativize(f.file), line: f.line ?? 0 } : undefined;
        },
        place: (id, act) => {
          const f = threads.get(id)?.cFrame();
          if (f?.file) {
            act.file = this.relativize(f.file);
            act.line = f.line ?? 0;
          } else act.file = act.line = undefined;
        },
        name: (id) => threads.get(id)?.name,
      };
    }
    return w;
  }
}

export interface ScenarioExploreOptions extends Omit<ExploreOptions, 'onSchedule' | 'shouldStop'> {
  /** Overrides the scenario's seed (and seeds the random strategies). */
  seed?: number;
  /** How the report names the scenario. */
  label?: string;
  relativize?: (file: string) => string;
  /** The scenario file's text, for the replay file's hash. */
  scenarioText?: string;
  /** Asked between runs; a reason stops the exploration. */
  shouldStop?: () => 'time-limit' | 'cancelled' | undefined;
  /** Shrink the first failing schedule (default true). */
  minimise?: boolean;
}

export interface ExploreReport {
  scenario: string;
  title: string | null;
  seed: number;
  strategy: Strategy;
  /** Preemption bound (null: none). */
  preemptions: number | null;
  reduction: 'partial-order' | 'none';
  shard: Shard | null;
  schedules: {
    /** Schedules run to the end. */
    run: number;
    distinct: number;
    failing: number;
    /** Runs cut short because they headed for another shard's schedules. */
    abandoned: number;
    /** Runs cut short by partial-order reduction: they could only have reordered independent steps. */
    pruned: number;
    /** Estimated schedules within the bound without reduction (null: not estimated). */
    estimated: number | null;
    /** Every schedule within the bound was covered (run, or equivalent to one run). */
    exhaustive: boolean;
  };
  stoppedBy: ExploreStop | 'merged';
  /** Set on a merged report: how many shards the exploration had, and those whose report was missing. */
  merged?: { shards: number; missing: number[] };
  /** Order-independent hash of the schedules run: the shards' digests add up to the unsharded run's. */
  digest: string;
  passed: boolean;
  failure: ExploreFailure | null;
}

export interface ExploreFailure {
  /** 1-based position of the first failing schedule among those run. */
  index: number;
  /** The shrunk schedule. */
  schedule: Schedule;
  firstChange: number;
  preemptions: number;
  reasons: string[];
  /** The reasons with their keys and the lines they are about (the same order as `reasons`). */
  causes: ScheduleFailure[];
  interleaving: string[];
  /** `interleaving` line by line, with the driver line of each step where there is one. */
  steps: InterleavingStep[];
  /** The replay file, once a caller wrote it. */
  replay: string | null;
  /** The failure is an input problem (unmodelled routine, unsupported C) rather than a race. */
  inputError: boolean;
}

export interface ScenarioExploration {
  report: ExploreReport;
  /** What a replay file holds for the failure (null when every schedule passed). */
  replay: ReplayFile | null;
}

/** Explores a scenario in one go (tests, batch use). */
export function exploreScenario(prepared: PreparedScenario, options: ScenarioExploreOptions): ScenarioExploration {
  const ex = new ScenarioExplorer(prepared, options);
  while (ex.step());
  return ex.finish();
}

/**
 * Exploration of a scenario one schedule at a time: `step` until it returns false (or the caller
 * gives up), then `finish` shrinks the first failing schedule and builds the report.
 */
export class ScenarioExplorer {
  private readonly explorer: Explorer<ScenarioVerdict>;
  private readonly target: ScenarioTarget;
  readonly seed: number;

  constructor(
    private readonly prepared: PreparedScenario,
    private readonly options: ScenarioExploreOptions,
  ) {
    this.seed = options.seed ?? prepared.scenario.seed ?? DEFAULT_SEED;
    this.target = new ScenarioTarget(prepared, this.seed, options.relativize);
    this.explorer = new Explorer(this.target, { ...options, seed: this.seed });
  }

  get progress(): { schedules: number; failing: number } {
    return this.explorer.progress;
  }

  step(): boolean {
    return this.explorer.step();
  }

  finish(): ScenarioExploration {
    return explorationReport(this.prepared, this.options, this.seed, this.target, this.explorer.finish());
  }
}

/** The report of a finished exploration, its first failure shrunk (unless told not to) and described as a replay file. */
export function explorationReport(prepared: PreparedScenario, options: ScenarioExploreOptions, seed: number, target: ScenarioTarget, ex: Exploration<ScenarioVerdict>): ScenarioExploration {
  const label = options.label ?? prepared.scenarioPath;
  const report: ExploreReport = {
    scenario: label,
    title: prepared.scenario.title ?? null,
    seed,
    strategy: ex.strategy,
    preemptions: ex.preemptions,
    reduction: ex.reduction ? 'partial-order' : 'none',
    shard: ex.shard,
    schedules: { run: ex.schedules, distinct: ex.distinct, failing: ex.failing, abandoned: ex.abandoned, pruned: ex.pruned, estimated: ex.estimate?.schedules ?? null, exhaustive: ex.exhaustive },
    stoppedBy: ex.stoppedBy,
    digest: ex.digest,
    passed: ex.failing === 0,
    failure: null,
  };
  if (ex.first === null) return { report, replay: null };
  const m = options.minimise === false
    ? { choices: ex.first.choices, verdict: ex.first.verdict, trace: ex.first.trace, preemptions: countPreemptions(ex.first.trace) }
    : minimise(target, ex.first);
  const first = m.trace.decisions.findIndex((d) => d.choice !== d.preferred);
  const steps = interleavingSteps(m.trace);
  const failure: ExploreFailure = {
    index: ex.first.index,
    schedule: { seed, choices: m.choices },
    firstChange: first + 1,
    preemptions: m.preemptions,
    reasons: m.verdict.failures.map((f) => f.text),
    causes: m.verdict.failures,
    interleaving: steps.map((l) => l.text),
    steps,
    replay: null,
    inputError: m.verdict.inputError,
  };
  report.failure = failure;
  const replay: ReplayFile = {
    format: REPLAY_FORMAT,
    version: REPLAY_VERSION,
    scenario: label,
    scenarioHash: options.scenarioText !== undefined ? textHash(options.scenarioText) : '',
    schedule: failure.schedule,
    firstChange: failure.firstChange,
    preemptions: failure.preemptions,
    failure: failure.reasons,
    interleaving: failure.interleaving,
  };
  return { report, replay };
}

function countPreemptions(trace: Trace): number {
  return trace.decisions.reduce((n, d) => n + preemptionCost(d, d.choice), 0);
}

/**
 * The run as "thread X did Y at line L": one line per step that called a kernel routine or touched
 * driver memory, from a little before the first change from the default schedule to the end. The
 * steps a change started are marked with `»`.
 */
export function interleaving(trace: Trace, maxLines = 40): string[] {
  return interleavingSteps(trace, maxLines).map((l) => l.text);
}

/** `interleaving`, with each line's step and driver line kept apart for front ends that link them. */
export function interleavingSteps(trace: Trace, maxLines = 40): InterleavingStep[] {
  const lines: { text: string; changed: boolean; place?: SourcePlace }[] = [];
  const changedAt = new Set(trace.decisions.filter((d) => d.choice !== d.preferred).map((d) => d.index));
  let firstChanged = -1;
  for (let i = 0; i < trace.steps.length; i++) {
    const s = trace.steps[i]!;
    const changed = s.node >= 0 && changedAt.has(s.node);
    let text: string | undefined;
    if (s.actor === TIME_PASSES) text = timeLine(trace, i, changed);
    else text = describeStep(trace, s) ?? (changed ? `${threadLabel(trace, s.actor)} runs on${s.end ? ` at ${s.end.file}:${s.end.line}` : ''}` : undefined);
    if (text === undefined) continue;
    if (changed && firstChanged < 0) firstChanged = lines.length;
    const at = s.actor === TIME_PASSES ? undefined : (s.last?.file ? { file: s.last.file, line: s.last.line ?? 0 } : s.end);
    lines.push({ text, changed, ...(at?.file ? { place: { file: at.file, line: at.line } } : {}) });
  }
  const from = Math.max(0, (firstChanged < 0 ? lines.length : firstChanged) - 3);
  const shown = lines.slice(from, from + maxLines);
  const out: InterleavingStep[] = shown.map((l, k) => ({ ...l, text: `${from + k + 1}. ${l.changed ? '» ' : ''}${l.text}` }));
  if (from > 0) out.unshift({ text: `(${from} earlier step${from === 1 ? '' : 's'} as in the default schedule)`, changed: false });
  if (from + maxLines < lines.length) out.push({ text: `(${lines.length - from - maxLines} more)`, changed: false });
  return out;
}

function threadLabel(trace: Trace, actor: ActorId): string {
  const name = trace.names.get(actor);
  return name ? `${name} [thread ${actor}]` : `thread ${actor}`;
}

function describeStep(trace: Trace, s: Trace['steps'][number]): string | undefined {
  const a = s.last;
  if (a === undefined) return undefined;
  const verb = a.kind === 'call' ? 'called' : a.kind === 'write' ? 'wrote' : 'read';
  const at = a.file ? ` at ${a.file}:${a.line}` : '';
  return `${threadLabel(trace, s.actor)} ${verb} ${a.what}${at}`;
}

function timeLine(trace: Trace, i: number, changed: boolean): string {
  const s = trace.steps[i]!;
  const time = trace.steps[i + 1]?.time ?? s.time;
  const held = changed ? trace.decisions[s.node]?.running : undefined;
  const heldBack = held ? ` while ${threadLabel(trace, held)} is held back` : '';
  const started = (s.readied ?? []).map((t) => threadLabel(trace, t));
  return `time passes to ${time} ms${heldBack}${started.length > 0 ? `; ${started.join(', ')} ${started.length === 1 ? 'starts' : 'start'}` : ''}`;
}

/** Combines the JSON reports of the shards of one exploration into one verdict. */
export function mergeExploreReports(reports: readonly ExploreReport[]): { ok: true; report: ExploreReport } | { ok: false; message: string } {
  if (reports.length === 0) return { ok: false, message: 'no reports to merge' };
  const a = reports[0]!;
  for (const r of reports) {
    const same = r.scenario === a.scenario && r.strategy === a.strategy && r.preemptions === a.preemptions && r.reduction === a.reduction && r.seed === a.seed;
    if (!same) return { ok: false, message: `the reports are not shards of one exploration: ${r.scenario} (${r.strategy}, preemptions ${r.preemptions}, seed ${r.seed}) differs from ${a.scenario} (${a.strategy}, preemptions ${a.preemptions}, seed ${a.seed})` };
  }
  const counts = new Set(reports.map((r) => r.shard?.count ?? 1));
  if (counts.size > 1) return { ok: false, message: `the reports split the schedules in different ways (${[...counts].map((n) => `${n} shards`).join(' and ')})` };
  const count = [...counts][0]!;
  const indices = reports.map((r) => r.shard?.index ?? 1);
  const dup = indices.find((x, i) => indices.indexOf(x) !== i);
  if (dup !== undefined) return { ok: false, message: `shard ${dup}/${count} is given twice` };
  const missing: number[] = [];
  for (let i = 1; i <= count; i++) if (!indices.includes(i)) missing.push(i);
  const failed = reports.find((r) => r.failure !== null);
  const sum = (f: (r: ExploreReport) => number): number => reports.reduce((n, r) => n + f(r), 0);
  const report: ExploreReport = {
    ...a,
    shard: null,
    merged: { shards: count, missing },
    schedules: {
      run: sum((r) => r.schedules.run),
      distinct: sum((r) => r.schedules.distinct),
      failing: sum((r) => r.schedules.failing),
      abandoned: sum((r) => r.schedules.abandoned),
      pruned: sum((r) => r.schedules.pruned),
      estimated: a.schedules.estimated,
      exhaustive: missing.length === 0 && reports.every((r) => r.schedules.exhaustive),
    },
    stoppedBy: 'merged',
    digest: addDigests(reports.map((r) => r.digest)),
    passed: reports.every((r) => r.passed),
    failure: failed?.failure ?? null,
  };
  return { ok: true, report };
}
