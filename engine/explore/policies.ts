/**
 * Schedule policies that need no search state across runs: replay of a recorded choice list, random
 * walk, and PCT. Each observes its run through a Trace, so the decisions are the same ones the
 * depth-first search sees (statement boundaries after shared-memory accesses included) and a
 * schedule recorded by one replays under another.
 */
import { Random } from '../kernel/random';
import type { ActorId, Decision, SchedulePolicy } from '../kernel/schedule';
import { allowedOptions, preemptionCost } from './schedule';
import { Trace } from './trace';

/** A replayed choice that cannot be taken: the scenario or its drivers changed since it was recorded. */
export class ScheduleMismatch extends Error {
  constructor(
    readonly decision: number,
    readonly wanted: ActorId,
    readonly options: readonly ActorId[],
  ) {
    super(`the schedule does not fit this run: at decision ${decision + 1} it runs ${actorName(wanted)}, but only ${orList(options.map(actorName))} can run there (did the scenario or a driver change since the schedule was recorded?)`);
  }
}

/** `a`, `a or b`, `a, b or c`. */
function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? 'nothing') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

export function actorName(a: ActorId): string {
  return a === 0 ? 'time passing' : `thread ${a}`;
}

/**
 * Follows `choices`, then the seeded rule. Strict: a choice that is not an option throws
 * ScheduleMismatch; lenient: it is replaced by the preferred option (minimising, or a debugger
 * session whose user changed a value and with it the course of the run).
 */
export class ReplayPolicy implements SchedulePolicy {
  /** The first decision whose choice differs from the seeded rule's (-1 until one is made). */
  firstChange = -1;
  /** That decision and the choice made there. */
  firstChangeDecision: (Decision & { choice: ActorId }) | undefined;
  /** Choices that could not be followed (lenient mode). */
  mismatches = 0;

  constructor(
    private readonly choices: readonly ActorId[],
    private readonly strict: boolean,
    readonly observer: Trace = new Trace(),
  ) {}

  choose(d: Decision): ActorId {
    if (d.index >= this.choices.length) return d.preferred;
    let c = this.choices[d.index]!;
    if (!d.options.includes(c)) {
      if (this.strict) throw new ScheduleMismatch(d.index, c, d.options);
      this.mismatches++;
      c = d.preferred;
    }
    if (c !== d.preferred && this.firstChange < 0) {
      this.firstChange = d.index;
      this.firstChangeDecision = { ...d, choice: c };
    }
    return c;
  }
}

/** Picks uniformly among the options the preemption bound leaves (no bound: among all). */
export class RandomWalkPolicy implements SchedulePolicy {
  private readonly rng: Random;
  private spent = 0;
  /** Product of the numbers of options offered: one sample of Knuth's estimate of the tree size. */
  product = 1;

  constructor(
    seed: number,
    private readonly bound: number,
    readonly observer: Trace = new Trace(false),
  ) {
    this.rng = new Random(seed);
  }

  choose(d: Decision): ActorId {
    const allowed = allowedOptions(d, this.spent, this.bound);
    this.product *= allowed.length;
    const c = allowed[this.rng.int(allowed.length)]!;
    this.spent += preemptionCost(d, c);
    return c;
  }
}

/**
 * Probabilistic concurrency testing (Burckhardt et al., ASPLOS 2010): every actor gets a random
 * priority when first seen and the highest-priority option runs; at `depth - 1` decisions drawn at
 * random among the first `length`, the actor that was running drops below every other. A bug that
 * needs d ordering constraints is found with probability at least 1/(n·k^(d-1)) per run.
 */
export class PctPolicy implements SchedulePolicy {
  private readonly rng: Random;
  private readonly priority = new Map<ActorId, number>();
  private readonly changes: Map<number, number>;
  private last: ActorId = -1;

  constructor(
    seed: number,
    private readonly depth: number,
    length: number,
    readonly observer: Trace = new Trace(false),
  ) {
    this.rng = new Random(seed);
    this.changes = new Map();
    const points = Math.min(depth - 1, Math.max(0, length - 1));
    // Distinct change points in [1, length - 1]: a change before the first decision would do nothing.
    while (this.changes.size < points) {
      const at = 1 + this.rng.int(length - 1);
      if (!this.changes.has(at)) this.changes.set(at, this.changes.size);
    }
  }

  choose(d: Decision): ActorId {
    for (const a of d.options) {
      // New actors land at a random place above every lowered priority.
      if (!this.priority.has(a)) this.priority.set(a, this.depth + this.rng.float());
    }
    const change = this.changes.get(d.index);
    if (change !== undefined) {
      const victim = d.running !== 0 ? d.running : this.last;
      if (victim >= 0) this.priority.set(victim, this.depth - 1 - change);
    }
    let best = d.options[0]!;
    for (const a of d.options) if (this.priority.get(a)! > this.priority.get(best)!) best = a;
    this.last = best;
    return best;
  }
}
