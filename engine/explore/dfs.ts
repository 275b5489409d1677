/**
 * Depth-first search over schedules, stateless: every schedule is a fresh run that follows the
 * choices of the path so far and then the seeded rule. Two reductions prune it, both built on what
 * each step touched:
 * - dynamic partial-order reduction (Flanagan & Godefroid, with the source-set "initials" of
 *   Abdulla et al.): after each run, for each race — two steps of different actors touching the
 *   same object, one writing, in no forced order — an actor that lets the later step go first is
 *   marked to run at the decision before the earlier one. Only marked options are explored;
 * - sleep sets (Godefroid): an option explored from a decision stays asleep in the siblings
 *   explored after it, and below them, until a step touches what it touches; a run whose every
 *   option is asleep is cut short, since it could only repeat a reordering already run.
 * Schedules that only reorder steps touching different objects are thus run once.
 *
 * The preemption bound prunes options whose cost would exceed it. A race whose reversal is pruned
 * there is also offered where the earlier step's actor started its current stretch of steps — the
 * conservative rule of bounded partial-order reduction (Coons, Musuvathi, McKinley 2013).
 *
 * Sharding: the first SPLIT_DEPTH decisions are always fully expanded, no sleep set crosses them,
 * and a schedule belongs to the shard its choices there hash to. The subtrees below are explored
 * independently of each other, so N shards run exactly the schedules of the unsharded search,
 * each once.
 */
import type { ActorId, Decision, SchedulePolicy } from '../kernel/schedule';
import { allowedOptions, hashChoices, preemptionCost } from './schedule';
import { Trace } from './trace';

/** Decisions always explored in full, whose choices pick a schedule's shard. */
export const SPLIT_DEPTH = 2;

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** The shard (1-based) of a schedule, from its first SPLIT_DEPTH choices. */
export function shardOf(choices: readonly ActorId[], count: number): number {
  return (hashChoices(choices.slice(0, SPLIT_DEPTH)) % count) + 1;
}

type Footprint = ReadonlyMap<string, boolean>;

interface Node {
  readonly options: readonly ActorId[];
  readonly preferred: ActorId;
  readonly running: ActorId;
  /** Preemptions spent before this decision. */
  readonly spent: number;
  /** Options asleep here, with what their step touches. */
  readonly sleep: ReadonlyMap<ActorId, Footprint>;
  chosen: ActorId;
  /** Options run from here, in the order they were run (the chosen one last). */
  readonly done: ActorId[];
  /** Options still to run from here. */
  readonly todo: Set<ActorId>;
  /** What the run touched after each option taken here, up to the next decision. */
  readonly footprints: Map<ActorId, Footprint>;
}

/** Ends a run early: it heads for another shard's schedules, or only for reorderings already run. */
export class AbandonRun extends Error {
  constructor(readonly why: 'shard' | 'asleep') {
    super(why === 'shard' ? 'the schedule belongs to another shard' : 'every option is asleep');
  }
}

const NO_SLEEP: ReadonlyMap<ActorId, Footprint> = new Map();

export class DepthFirstSearch {
  private readonly nodes: Node[] = [];
  private started = false;
  /** Runs cut short because every option was asleep. */
  asleep = 0;

  constructor(
    private readonly bound: number,
    private readonly reduction: boolean,
    private readonly shard: Shard | undefined,
    /** Explore only the subtree below these first choices (engine/explore/split.ts), taken as given. */
    private readonly subtree: readonly ActorId[] = [],
  ) {}

  /** The policy for the next run, or undefined when the search is over. */
  next(): (SchedulePolicy & { observer: Trace }) | undefined {
    if (this.started && !this.backtrack()) return undefined;
    this.started = true;
    const observer = new Trace(this.reduction);
    return { observer, choose: (d) => this.choose(d, observer) };
  }

  /** Whether this shard owns a schedule that made these choices. */
  owns(choices: readonly ActorId[]): boolean {
    return this.shard === undefined || shardOf(choices, this.shard.count) === this.shard.index;
  }

  /** Reads a finished (or abandoned) run's races into the search. */
  learn(trace: Trace): void {
    if (!this.reduction) return;
    // The last decision's footprint is complete only now.
    this.noteFootprint(trace, trace.decisions.length - 1);
    for (const [j, i] of trace.races) this.reverse(trace, j, i);
  }

  private choose(d: Decision, trace: Trace): ActorId {
    const i = d.index;
    if (this.reduction && i > 0) this.noteFootprint(trace, i - 1);
    const known = this.nodes[i];
    if (known !== undefined) {
      if (!sameOptions(known.options, d.options)) {
        throw new Error(`the run is not deterministic: decision ${i + 1} offered ${d.options.join(', ')} where an earlier run offered ${known.options.join(', ')}`);
      }
      return known.chosen;
    }
    const before = this.nodes[i - 1];
    const spent = before === undefined ? 0 : before.spent + preemptionCost(before, before.chosen);
    const sleep = this.reduction && before !== undefined && i > SPLIT_DEPTH ? this.sleepAfter(before) : NO_SLEEP;
    const allowed = allowedOptions(d, spent, this.bound).filter((a) => !sleep.has(a));
    if (allowed.length === 0) {
      this.asleep++;
      throw new AbandonRun('asleep');
    }
    let chosen = allowed.includes(d.preferred) ? d.preferred : allowed[0]!;
    if (i < this.subtree.length) {
      const forced = this.subtree[i]!;
      if (!allowed.includes(forced)) throw new Error(`the run is not deterministic: decision ${i + 1} does not offer ${forced} as the run that split the search saw (offered ${d.options.join(', ')})`);
      const node: Node = { options: d.options, preferred: d.preferred, running: d.running, spent, sleep, chosen: forced, done: [forced], todo: new Set(), footprints: new Map() };
      this.nodes.push(node);
      return forced;
    }
    if (this.shard !== undefined && i === SPLIT_DEPTH - 1) {
      // The last split decision: only this shard's subtrees.
      const prefix = this.nodes.map((n) => n.chosen);
      const mine = allowed.filter((a) => this.owns([...prefix, a]));
      if (mine.length === 0) throw new AbandonRun('shard');
      chosen = mine.includes(d.preferred) ? d.preferred : mine[0]!;
    }
    const node: Node = { options: d.options, preferred: d.preferred, running: d.running, spent, sleep, chosen, done: [chosen], todo: new Set(), footprints: new Map() };
    if (!this.reduction || i < SPLIT_DEPTH) for (const a of allowed) if (a !== chosen) node.todo.add(a);
    this.nodes.push(node);
    return chosen;
  }

  /**
   * Gives away the later half (at least one) of the options not yet tried at the shallowest
   * decision that has any, for another thread to explore (engine/explore/split.ts, work stealing):
   * their subtrees, as the choices that lead into each, in the order this search would have run
   * them. This search then does not run them. Everything it still runs lies below the option it
   * has taken at that decision, so all of it comes before the given subtrees in the one-thread
   * order. Exact only where nothing of the reduction crosses the decision: without reduction
   * anywhere, with it only above SPLIT_DEPTH (no sleep set or race reversal reaches there).
   * Between runs only; nothing before the first run.
   */
  donate(): ActorId[][] {
    if (this.shard !== undefined) return [];
    const deepest = this.reduction ? Math.min(SPLIT_DEPTH, this.nodes.length) : this.nodes.length;
    for (let i = this.subtree.length; i < deepest; i++) {
      const n = this.nodes[i]!;
      const left = n.options.filter((a) => this.untried(n, a, undefined));
      if (left.length === 0) continue;
      const given = left.slice(Math.floor(left.length / 2));
      const prefix = this.nodes.slice(0, i).map((x) => x.chosen);
      for (const a of given) n.todo.delete(a);
      return given.map((a) => [...prefix, a]);
    }
    return [];
  }

  /** An option backtracking would still take at `n` (within this shard when `prefix` is given). */
  private untried(n: Node, a: ActorId, prefix: readonly ActorId[] | undefined): boolean {
    return n.todo.has(a) && !n.done.includes(a) && !n.sleep.has(a) && n.spent + preemptionCost(n, a) <= this.bound && (prefix === undefined || this.owns([...prefix, a]));
  }

  /** Records what the option chosen at decision `i` touched (the run has moved past it). */
  private noteFootprint(trace: Trace, i: number): void {
    const n = this.nodes[i];
    const seg = trace.segments[i];
    if (n !== undefined && seg !== undefined && !n.footprints.has(n.chosen)) n.footprints.set(n.chosen, seg);
  }

  /**
   * The sleep set below `n` along its chosen option: what slept at `n`, and the options run from
   * `n` before it, except those whose step conflicts with the chosen one's.
   */
  private sleepAfter(n: Node): ReadonlyMap<ActorId, Footprint> {
    const taken = n.footprints.get(n.chosen);
    if (taken === undefined) return NO_SLEEP;
    const out = new Map<ActorId, Footprint>();
    const keep = (a: ActorId, f: Footprint): void => {
      if (a !== n.chosen && independent(f, taken)) out.set(a, f);
    };
    for (const [a, f] of n.sleep) keep(a, f);
    for (const a of n.done) {
      if (a === n.chosen) break;
      const f = n.footprints.get(a);
      if (f !== undefined) keep(a, f);
    }
    return out;
  }

  /** Moves to the deepest decision with an option left to run; false when none is left. */
  private backtrack(): boolean {
    for (let i = this.nodes.length - 1; i >= 0; i--) {
      const n = this.nodes[i]!;
      const prefix = i === SPLIT_DEPTH - 1 && this.shard !== undefined ? this.nodes.slice(0, i).map((x) => x.chosen) : undefined;
      const next = n.options.find((a) => this.untried(n, a, prefix));
      if (next === undefined) continue;
      n.done.push(next);
      n.chosen = next;
      this.nodes.length = i + 1;
      return true;
    }
    this.nodes.length = 0;
    return false;
  }

  /** Race (j, i): let an actor that leads to step i run at the decision before step j. */
  private reverse(trace: Trace, j: number, i: number): void {
    const sj = trace.steps[j]!;
    const at = sj.node;
    if (at < SPLIT_DEPTH || at >= this.nodes.length) return;
    const node = this.nodes[at]!;
    const initials = this.initials(trace, j, i);
    if (initials.some((a) => node.todo.has(a) || node.done.includes(a))) return;
    if (this.offer(node, initials)) return;
    // Bounded: also where sj's actor began its current stretch, where running something else may be free.
    let start = at;
    while (start > SPLIT_DEPTH && this.nodes[start]!.running === sj.actor && this.nodes[start - 1]!.chosen === sj.actor) start--;
    if (start !== at) {
      const s = this.nodes[start]!;
      if (!initials.some((a) => s.todo.has(a) || s.done.includes(a))) this.offer(s, initials);
    }
  }

  /** Adds one of `initials` to the node's options to run, or every option when none of them can run there. */
  private offer(node: Node, initials: readonly ActorId[]): boolean {
    const fits = (a: ActorId): boolean => node.spent + preemptionCost(node, a) <= this.bound;
    const pick = initials.find((a) => node.options.includes(a));
    if (pick !== undefined) {
      if (!fits(pick)) return false;
      node.todo.add(pick);
      return true;
    }
    let added = false;
    for (const a of node.options) {
      if (!fits(a)) continue;
      node.todo.add(a);
      added = true;
    }
    return added;
  }

  /**
   * The actors whose next step could start the reordered run: among the steps after j that j does
   * not happen before (step i among them), those with no such step happening before them.
   */
  private initials(trace: Trace, j: number, i: number): ActorId[] {
    const firstOf = new Map<ActorId, number>();
    const out: ActorId[] = [];
    for (let k = j + 1; k <= i; k++) {
      // Step i is in by definition (its clock already records the race with j).
      if (k < i && trace.happensBefore(j, k)) continue;
      const sk = trace.steps[k]!;
      let initial = true;
      for (const [actor, first] of firstOf) {
        if ((sk.clock[actor] ?? -1) >= first) {
          initial = false;
          break;
        }
      }
      if (!firstOf.has(sk.actor)) firstOf.set(sk.actor, k);
      if (initial && !out.includes(sk.actor)) out.push(sk.actor);
    }
    return out;
  }
}

/** No name touched by both, with one of them writing. */
function independent(a: Footprint, b: Footprint): boolean {
  const [small, big] = a.size <= b.size ? [a, b] : [b, a];
  for (const [name, w] of small) {
    const v = big.get(name);
    if (v !== undefined && (w || v)) return false;
  }
  return true;
}

function sameOptions(a: readonly ActorId[], b: readonly ActorId[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
