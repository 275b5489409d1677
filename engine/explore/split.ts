/**
 * The depth-first search cut into subtrees as threads free up (work stealing), so that several
 * threads can explore it and the result still be exactly the one-thread search's: the same
 * schedules counted, the same failure first, the same digest, the same stop.
 *
 * A search starts as one subtree (the whole tree). A thread with nothing to do takes part of a
 * running one: the later untried options of the shallowest decision that has any
 * (DepthFirstSearch.donate). Everything the giving thread still runs lies below the option it took
 * there, so in the one-thread order its whole log comes first, then the subtrees it gave, then
 * whatever followed it: `SubtreeOrder` keeps that order. That is exact where nothing of the
 * reduction crosses the decision given from: without reduction at any depth; with it only at the
 * first SPLIT_DEPTH decisions, which are always expanded in full and which no sleep set or race
 * reversal reaches (dfs.ts). `SubtreeExplorer` explores one subtree and logs each schedule it ran;
 * `joinSubtrees` replays the logs in the one-thread order and stops where that search would have
 * stopped (budget, first failure), so a subtree explored past that point changes nothing.
 */
import type { ActorId } from '../kernel/schedule';
import { Explorer, type ExploreOptions, type ExploreStop, type ExploreTarget, type RunVerdict } from './explorer';
import { digestHashes, ScheduleDigest } from './schedule';

/** What exploring one subtree gave: plain data, to cross a thread boundary. */
export interface SubtreeResult {
  /** The subtree's id in its SubtreeOrder. */
  id: number;
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
 * The subtrees of one search in the one-thread order: at first the whole tree (id 0), then, each
 * time a thread gives part of its subtree away, the parts given right after it.
 */
export class SubtreeOrder {
  private readonly order: number[] = [0];
  private readonly prefixes: (readonly ActorId[])[] = [[]];

  /** The ids of the subtrees in the one-thread order. */
  get ids(): readonly number[] {
    return this.order;
  }

  /** The choices that lead into subtree `id`. */
  prefix(id: number): readonly ActorId[] {
    return this.prefixes[id]!;
  }

  /** Where subtree `id` stands in the order (0 first). */
  position(id: number): number {
    return this.order.indexOf(id);
  }

  /** Subtrees `donor` gave away (in the order it would have run them), placed right after it; their ids. */
  given(donor: number, prefixes: readonly (readonly ActorId[])[]): number[] {
    const at = this.order.indexOf(donor);
    if (at < 0) throw new Error(`no subtree ${donor} to give from`);
    const ids = prefixes.map((p) => this.prefixes.push([...p]) - 1);
    this.order.splice(at + 1, 0, ...ids);
    return ids;
  }
}

/**
 * The subtree below `prefix` explored (dfs) one schedule at a time, at most `options.maxSchedules`
 * schedules: an upper bound of what the one-thread search would run there, which `joinSubtrees`
 * cuts to the exact count.
 */
export class SubtreeExplorer<V extends RunVerdict> {
  private readonly explorer: Explorer<V>;
  private readonly out: SubtreeResult;

  constructor(target: ExploreTarget<V>, options: ExploreOptions, prefix: readonly ActorId[], id: number) {
    const r: SubtreeResult = { id, hashA: [], hashB: [], prunedBefore: [], failing: [], firstFailure: null, pruned: 0, stoppedBy: 'exhausted' };
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

  /** Part of this subtree for another thread (see SubtreeOrder.given); empty when none can be given now. */
  donate(): ActorId[][] {
    return this.explorer.donate();
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
 * The one-thread search's counts from its subtrees' results, in the SubtreeOrder (undefined for
 * one never explored, which ends the walk with `unexplored`).
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
