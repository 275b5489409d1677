/**
 * The depth-first search cut into its subtrees, so that several threads can explore them and the
 * result still be exactly the one-thread search's: the same schedules counted, the same failure
 * first, the same digest, the same stop.
 *
 * The search's first SPLIT_DEPTH decisions are always fully expanded and no sleep set or race
 * reversal crosses them (dfs.ts), so each choice of them roots a subtree explored independently of
 * the others, and the one-thread search is those subtrees one after the other in a fixed order.
 * `splitSubtrees` lists them in that order (a few runs: one per choice above the split depth);
 * `SubtreeExplorer` explores one and logs each schedule it ran; `joinSubtrees` replays the logs in
 * the one-thread order and stops where that search would have stopped (budget, first failure), so a
 * subtree explored past that point on another thread changes nothing.
 */
import type { ActorId, Decision } from '../kernel/schedule';
import { AbandonRun, SPLIT_DEPTH } from './dfs';
import { Explorer, type ExploreOptions, type ExploreStop, type ExploreTarget, type RunVerdict } from './explorer';
import { allowedOptions, digestHashes, preemptionCost, ScheduleDigest, type DecisionShape } from './schedule';
import { Trace } from './trace';

/** What exploring one subtree gave: plain data, to cross a thread boundary. */
export interface SubtreeResult {
  /** Position of the subtree in the one-thread search's order. */
  index: number;
  /** Per schedule run, in order: its digest hashes, and the runs the reduction had cut short before it. */
  hashA: number[];
  hashB: number[];
  prunedBefore: number[];
  /** Positions (0-based, in this subtree) of the failing schedules. */
  failing: number[];
  /** The choices of the first failing schedule. */
  firstFailure: ActorId[] | null;
  /** Runs cut short by the reduction in the whole subtree. */
  pruned: number;
  /** 'exhausted' once every schedule of the subtree is covered. */
  stoppedBy: ExploreStop;
}

/**
 * Decisions a search without reduction is split at: it has no sleep sets or race reversals, so any
 * depth splits it exactly, and a deeper one evens out subtrees whose sizes differ tenfold at the
 * split depth (the default schedule's branch holds most of the schedules).
 */
export const UNREDUCED_SPLIT_DEPTH = SPLIT_DEPTH + 2;

/**
 * The first choices of each subtree, in the order the one-thread depth-first search explores them.
 * `depth` must be SPLIT_DEPTH for a search with reduction.
 */
export function splitSubtrees<V extends RunVerdict>(target: ExploreTarget<V>, bound: number, depth = SPLIT_DEPTH): ActorId[][] {
  const out: ActorId[][] = [];
  const visit = (prefix: ActorId[], spent: number): void => {
    const d = decisionAfter(target, prefix);
    if (d === undefined) {
      // The run makes fewer decisions than the split depth: the prefix is a whole schedule.
      out.push(prefix);
      return;
    }
    // As DepthFirstSearch.choose and backtrack order them: the preferred option (or the first
    // allowed), then the others in the order offered.
    const allowed = allowedOptions(d, spent, bound);
    const first = allowed.includes(d.preferred) ? d.preferred : allowed[0];
    if (first === undefined) return;
    for (const a of [first, ...allowed.filter((x) => x !== first)]) {
      const next = [...prefix, a];
      if (next.length === depth) out.push(next);
      else visit(next, spent + preemptionCost(d, a));
    }
  };
  visit([], 0);
  return out;
}

/** The decision a run meets after following `prefix`, or undefined when it ends first. */
function decisionAfter<V extends RunVerdict>(target: ExploreTarget<V>, prefix: readonly ActorId[]): DecisionShape | undefined {
  let met: DecisionShape | undefined;
  const policy = {
    observer: new Trace(false),
    choose: (d: Decision): ActorId => {
      if (d.index < prefix.length) return prefix[d.index]!;
      met = { options: [...d.options], preferred: d.preferred, running: d.running };
      // The rest of the run is not needed.
      throw new AbandonRun('shard');
    },
  };
  try {
    target.run(policy);
  } catch (e) {
    if (!(e instanceof AbandonRun)) throw e;
  }
  return met;
}

/**
 * The subtree below `prefix` explored (dfs) one schedule at a time, at most `options.maxSchedules`
 * schedules: an upper bound of what the one-thread search would run there, which `joinSubtrees`
 * cuts to the exact count.
 */
export class SubtreeExplorer<V extends RunVerdict> {
  private readonly explorer: Explorer<V>;
  private readonly out: SubtreeResult;

  constructor(target: ExploreTarget<V>, options: ExploreOptions, prefix: readonly ActorId[], index: number) {
    const r: SubtreeResult = { index, hashA: [], hashB: [], prunedBefore: [], failing: [], firstFailure: null, pruned: 0, stoppedBy: 'exhausted' };
    this.out = r;
    const explorer: Explorer<V> = new Explorer(target, {
      ...options,
      strategy: 'dfs',
      shard: undefined,
      subtree: prefix,
      estimateProbes: 0,
      onSchedule: (choices, verdict) => {
        const [a, b] = digestHashes(choices);
        if (verdict.failures.length > 0) {
          if (r.firstFailure === null) r.firstFailure = [...choices];
          r.failing.push(r.hashA.length);
        }
        r.hashA.push(a);
        r.hashB.push(b);
        r.prunedBefore.push(explorer.pruned);
      },
    });
    this.explorer = explorer;
  }

  get progress(): { schedules: number; failing: number } {
    return this.explorer.progress;
  }

  /** Runs the next schedule; false once the subtree is done (or stopped). */
  step(): boolean {
    return this.explorer.step();
  }

  result(): SubtreeResult {
    const ex = this.explorer.finish();
    this.out.pruned = ex.pruned;
    this.out.stoppedBy = ex.stoppedBy;
    return this.out;
  }
}

export interface JoinedSubtrees {
  schedules: number;
  pruned: number;
  failing: number;
  digest: string;
  exhaustive: boolean;
  stoppedBy: ExploreStop;
  /** The first failing schedule: its 1-based position among those run, and its choices. */
  first: { index: number; choices: ActorId[] } | null;
}

/**
 * The one-thread search's counts from its subtrees' results, in order (`results[k]` the k-th
 * subtree's; undefined for one never explored, which ends the walk with `unexplored`).
 */
export function joinSubtrees(results: readonly (SubtreeResult | undefined)[], max: number, keepGoing: boolean, unexplored: ExploreStop = 'cancelled'): JoinedSubtrees {
  let schedules = 0;
  let pruned = 0;
  let failing = 0;
  let first: JoinedSubtrees['first'] = null;
  const digest = new ScheduleDigest();
  const end = (stoppedBy: ExploreStop): JoinedSubtrees => ({ schedules, pruned, failing, digest: digest.toString(), exhaustive: stoppedBy === 'exhausted', stoppedBy, first });
  for (const r of results) {
    if (r === undefined) return end(unexplored);
    let before = 0;
    let nextFailing = 0;
    for (let s = 0; s < r.hashA.length; s++) {
      // The one-thread search asks for its budget before every run.
      if (schedules >= max) return end('max-schedules');
      pruned += r.prunedBefore[s]! - before;
      before = r.prunedBefore[s]!;
      schedules++;
      digest.addHashes(r.hashA[s]!, r.hashB[s]!);
      if (r.failing[nextFailing] === s) {
        nextFailing++;
        failing++;
        first ??= { index: schedules, choices: r.firstFailure! };
        if (!keepGoing) return end('failure');
      }
    }
    if (r.stoppedBy !== 'exhausted') return end(r.stoppedBy === 'failure' ? 'failure' : r.stoppedBy);
    if (schedules >= max) return end('max-schedules');
    pruned += r.pruned - before;
  }
  return end('exhausted');
}
