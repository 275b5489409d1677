/**
 * A scenario's depth-first exploration cut into subtrees for several threads (`fltsim explore
 * --jobs`), reported exactly as the one-thread exploration is (engine/explore/split.ts): every
 * thread (the coordinator too) explores the subtrees it is handed over its own prepared copy of the
 * scenario, giving parts of them away to threads that have nothing to do, and the coordinator joins
 * their logs, runs the estimate and shrinks the first failure as the one-thread exploration does.
 */
import type { ActorId } from '../kernel/schedule';
import { DEFAULT_MAX, estimate, type Exploration, type ExploreStop } from '../explore/explorer';
import { ReplayPolicy } from '../explore/policies';
import { joinSubtrees, SubtreeExplorer, type SubtreeResult } from '../explore/split';
import { Trace } from '../explore/trace';
import { explorationReport, ScenarioTarget, type ScenarioExploration, type ScenarioExploreOptions, type ScenarioVerdict } from './explore';
import type { PreparedScenario } from './prepare';
import { DEFAULT_SEED } from './world';

export class ScenarioSplit {
  readonly seed: number;
  readonly target: ScenarioTarget;
  readonly max: number;
  private readonly bound: number;

  constructor(
    private readonly prepared: PreparedScenario,
    private readonly options: ScenarioExploreOptions,
  ) {
    if (options.strategy !== 'dfs') throw new Error('only the depth-first search splits into subtrees');
    this.seed = options.seed ?? prepared.scenario.seed ?? DEFAULT_SEED;
    this.target = new ScenarioTarget(prepared, this.seed, options.relativize);
    this.bound = options.preemptions ?? 2;
    this.max = options.maxSchedules ?? DEFAULT_MAX;
  }

  /** The explorer of subtree `id` (its SubtreeOrder's), run to at most `cap` schedules. */
  subtree(prefix: readonly ActorId[], id: number, cap: number, shouldStop?: () => 'time-limit' | 'cancelled' | undefined): SubtreeExplorer<ScenarioVerdict> {
    return new SubtreeExplorer(this.target, { ...this.options, seed: this.seed, maxSchedules: cap, shouldStop }, prefix, id);
  }

  /**
   * The report, from the subtrees' results in their SubtreeOrder (undefined: never explored, the
   * exploration having stopped for `unexplored`).
   */
  finish(results: readonly (SubtreeResult | undefined)[], unexplored: ExploreStop): ScenarioExploration {
    const { options, target, seed } = this;
    const reduction = options.reduction !== false;
    const joined = joinSubtrees(results, this.max, options.keepGoing === true, unexplored);
    let first: Exploration<ScenarioVerdict>['first'] = null;
    if (joined.first !== null) {
      // The failing run again, here, for its verdict and trace: the run is deterministic.
      const policy = new ReplayPolicy(joined.first.choices, true, new Trace(reduction));
      const verdict = target.run(policy);
      first = { index: joined.first.index, choices: policy.observer.choices, verdict, trace: policy.observer };
    }
    const probes = options.estimateProbes ?? 32;
    const ex: Exploration<ScenarioVerdict> = {
      strategy: 'dfs',
      preemptions: this.bound,
      reduction,
      shard: null,
      schedules: joined.schedules,
      // The depth-first search never runs a schedule twice.
      distinct: joined.schedules,
      failing: joined.failing,
      abandoned: 0,
      pruned: joined.pruned,
      exhaustive: joined.exhaustive,
      stoppedBy: joined.stoppedBy,
      estimate: probes > 0 ? estimate(target, this.bound, probes, seed) : null,
      digest: joined.digest,
      first,
    };
    return explorationReport(this.prepared, options, seed, target, ex);
  }
}
