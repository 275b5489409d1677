/**
 * Runs a target under many schedules and keeps the counts a report needs. The target is anything
 * that can run once under a policy and judge the run (engine/run/explore.ts runs a scenario); this
 * module only knows schedules, strategies, bounds and shards.
 *
 *   depth-first ('dfs')  every schedule within the preemption bound, pruned by partial-order
 *                        reduction unless told otherwise; exhaustive when it finishes
 *   random               random walks, each from its own seed
 *   pct                  probabilistic concurrency testing with depth preemptions + 1
 *
 * The engine reads no clock: `shouldStop`, asked between runs, is how a caller enforces a time
 * limit or a cancellation.
 */
import type { ActorId, SchedulePolicy } from '../kernel/schedule';
import { AbandonRun, DepthFirstSearch, type Shard } from './dfs';
import { PctPolicy, RandomWalkPolicy } from './policies';
import { ScheduleDigest, hashChoices } from './schedule';
import { Trace } from './trace';

export type Strategy = 'dfs' | 'random' | 'pct';

export const STRATEGIES: readonly Strategy[] = ['dfs', 'random', 'pct'];

/** What a target says about one run. */
export interface RunVerdict {
  /** Why the schedule fails, each with a stable key (`expect:12`, `violation:deadlock`, `fault`, `livelock`); empty: it passed. */
  failures: { key: string; text: string }[];
}

export interface ExploreTarget<V extends RunVerdict> {
  /** One run, start to end, under `policy` (its observer is a Trace). May throw AbandonRun (from the policy). */
  run(policy: SchedulePolicy & { observer: Trace }): V;
}

export type ExploreStop = 'exhausted' | 'max-schedules' | 'time-limit' | 'cancelled' | 'failure';

export interface ExploreOptions {
  strategy: Strategy;
  /** Most schedules to run (default 10,000). */
  maxSchedules?: number;
  /** Preemption bound (dfs default 2; random: none unless given; pct: depth - 1, default 2). */
  preemptions?: number;
  /** Partial-order reduction for dfs (default true). */
  reduction?: boolean;
  shard?: Shard;
  /** dfs: explore only the subtree below these first choices (engine/explore/split.ts). */
  subtree?: readonly ActorId[];
  /** Seed of the random and pct strategies (default 1). */
  seed?: number;
  /** Go on after a failing schedule (default: stop at the first). */
  keepGoing?: boolean;
  /** Random walks that estimate how many schedules exist without reduction (default 32; 0: none). */
  estimateProbes?: number;
  shouldStop?: () => 'time-limit' | 'cancelled' | undefined;
  /** Called after every schedule this shard owns. */
  onSchedule?: (choices: readonly ActorId[], verdict: RunVerdict, index: number) => void;
}

export interface Failing<V> {
  /** 1-based position among the schedules run. */
  index: number;
  choices: ActorId[];
  verdict: V;
  trace: Trace;
}

export interface Exploration<V> {
  strategy: Strategy;
  preemptions: number | null;
  reduction: boolean;
  shard: Shard | null;
  /** Schedules run to the end (and owned by this shard). */
  schedules: number;
  /** Distinct ones among them (random walks may repeat one). */
  distinct: number;
  failing: number;
  /** Runs cut short: they were heading for another shard's schedules. */
  abandoned: number;
  /** Runs cut short by the sleep sets: they could only have repeated a reordering already run. */
  pruned: number;
  exhaustive: boolean;
  stoppedBy: ExploreStop;
  /** Estimated schedules within the bound without reduction (Knuth's estimator over random walks). */
  estimate: { schedules: number; probes: number } | null;
  digest: string;
  first: Failing<V> | null;
}

/** Schedules an exploration runs when not told. */
export const DEFAULT_MAX = 10_000;

/** Runs `target` under every schedule the options ask for, in one go. */
export function explore<V extends RunVerdict>(target: ExploreTarget<V>, options: ExploreOptions): Exploration<V> {
  const ex = new Explorer(target, options);
  while (ex.step());
  return ex.finish();
}

/**
 * An exploration taken one schedule at a time (`step`), so a front end can let its event loop run
 * in between — to hear a cancellation, report progress or keep a time limit — then `finish`.
 */
export class Explorer<V extends RunVerdict> {
  private readonly bound: number;
  private readonly max: number;
  private readonly seed: number;
  private readonly digest = new ScheduleDigest();
  private readonly seen = new Set<string>();
  private readonly out: Exploration<V>;
  private readonly search: DepthFirstSearch | undefined;
  /** Random and pct: the index of the next walk; pct: the decisions of the default schedule. */
  private walk = 0;
  private length = -1;
  private over = false;

  constructor(
    private readonly target: ExploreTarget<V>,
    private readonly options: ExploreOptions,
  ) {
    const strategy = options.strategy;
    this.bound = options.preemptions ?? (strategy === 'random' ? Infinity : 2);
    const reduction = strategy === 'dfs' && options.reduction !== false;
    this.max = options.maxSchedules ?? DEFAULT_MAX;
    this.seed = options.seed ?? 1;
    this.out = {
      strategy,
      preemptions: Number.isFinite(this.bound) ? this.bound : null,
      reduction,
      shard: options.shard ?? null,
      schedules: 0,
      distinct: 0,
      failing: 0,
      abandoned: 0,
      pruned: 0,
      exhaustive: false,
      stoppedBy: 'exhausted',
      estimate: null,
      digest: '',
      first: null,
    };
    if (strategy === 'dfs') this.search = new DepthFirstSearch(this.bound, reduction, options.shard, options.subtree);
  }

  /** Schedules run so far (owned by this shard), and failing ones among them. */
  get progress(): { schedules: number; failing: number } {
    return { schedules: this.out.schedules, failing: this.out.failing };
  }

  /**
   * dfs: untried subtrees given away to another thread (DepthFirstSearch.donate), which this
   * exploration then skips; none once it is over.
   */
  donate(): ActorId[][] {
    return this.over || this.search === undefined ? [] : this.search.donate();
  }

  /** Runs cut short by the reduction so far. */
  get pruned(): number {
    return this.out.pruned;
  }

  /** Runs the next schedule (or cuts a run short); false once the exploration is over. */
  step(): boolean {
    if (this.over) return false;
    if (this.stopNow()) return this.end();
    const search = this.search;
    if (search !== undefined) {
      const policy = search.next();
      if (policy === undefined) {
        this.out.exhaustive = true;
        return this.end();
      }
      const r = this.runOne(policy, (c) => search.owns(c));
      search.learn(policy.observer);
      return r ? true : this.end();
    }
    const shard = this.options.shard;
    if (this.options.strategy === 'pct' && this.length < 0) {
      // PCT draws its change points among the decisions of a run: the default schedule's count,
      // the same for every shard.
      const calibration = defaultPolicy();
      this.target.run(calibration);
      this.length = calibration.observer.decisions.length;
    }
    let i = this.walk++;
    while (shard !== undefined && (i % shard.count) + 1 !== shard.index) i = this.walk++;
    // Walk 0 is the default schedule; walk i follows its own seed.
    const runSeed = (hashChoices([this.seed, i]) ^ this.seed) >>> 0;
    const policy = i === 0 ? defaultPolicy() : this.options.strategy === 'random' ? new RandomWalkPolicy(runSeed, this.bound) : new PctPolicy(runSeed, this.bound + 1, Math.max(1, this.length));
    return this.runOne(policy, () => true) ? true : this.end();
  }

  /** The counts, once `step` returned false (or to stop early: the exploration ends here). */
  finish(): Exploration<V> {
    if (!this.over) {
      this.over = true;
      if (this.out.stoppedBy === 'exhausted' && !this.out.exhaustive) this.out.stoppedBy = 'cancelled';
    }
    const out = this.out;
    out.distinct = this.seen.size;
    out.digest = this.digest.toString();
    const probes = this.options.estimateProbes ?? 32;
    if (probes > 0 && out.estimate === null) out.estimate = estimate(this.target, this.bound, probes, this.seed);
    return out;
  }

  private end(): false {
    this.over = true;
    return false;
  }

  private stopNow(): boolean {
    if (this.out.schedules >= this.max) {
      this.out.stoppedBy = 'max-schedules';
      return true;
    }
    const s = this.options.shouldStop?.();
    if (s !== undefined) {
      this.out.stoppedBy = s;
      return true;
    }
    return false;
  }

  /** Runs one policy; false when the exploration must stop after it. */
  private runOne(policy: SchedulePolicy & { observer: Trace }, owned: (choices: ActorId[]) => boolean): boolean {
    const out = this.out;
    let verdict: V;
    try {
      verdict = this.target.run(policy);
    } catch (e) {
      if (e instanceof AbandonRun) {
        if (e.why === 'asleep') out.pruned++;
        else out.abandoned++;
        return true;
      }
      throw e;
    }
    const choices = policy.observer.choices;
    if (!owned(choices)) {
      out.abandoned++;
      return true;
    }
    out.schedules++;
    const key = choices.join(',');
    if (!this.seen.has(key)) {
      this.seen.add(key);
      this.digest.add(choices);
    }
    this.options.onSchedule?.(choices, verdict, out.schedules);
    if (verdict.failures.length > 0) {
      out.failing++;
      if (out.first === null) out.first = { index: out.schedules, choices, verdict, trace: policy.observer };
      if (!this.options.keepGoing) {
        out.stoppedBy = 'failure';
        return false;
      }
    }
    return true;
  }
}

function defaultPolicy(): SchedulePolicy & { observer: Trace } {
  return { observer: new Trace(false), choose: (d) => d.preferred };
}

/** Knuth's estimator: the mean, over random walks, of the product of the options offered on the way. */
export function estimate<V extends RunVerdict>(target: ExploreTarget<V>, bound: number, probes: number, seed: number): { schedules: number; probes: number } {
  let sum = 0;
  for (let i = 0; i < probes; i++) {
    const p = new RandomWalkPolicy((hashChoices([seed, i, 0x5eed]) >>> 0), bound);
    target.run(p);
    sum += p.product;
  }
  return { schedules: Math.round(sum / probes), probes };
}
