/**
 * A schedule: the seed of the run and the actor chosen at each decision that had options (a thread
 * id, or 0 for "time passes"). Decisions after the last choice take what the seeded rule prefers,
 * so the empty list is the default schedule — the one `fltsim run` follows.
 *
 * A change from the default costs one preemption when the running thread could have gone on and
 * neither it nor what the seeded rule prefers runs (another thread runs, or time passes while it
 * waits), and when time passes while the processor is free but a thread is ready to run; letting
 * the running thread go on, or picking among ready threads when the processor is free, costs
 * nothing. `--preemptions K` bounds that count.
 */
import { TIME_PASSES, type ActorId } from '../kernel/schedule';

export interface Schedule {
  seed: number;
  choices: ActorId[];
}

/** What cost counting needs of a decision. */
export interface DecisionShape {
  readonly options: readonly ActorId[];
  readonly preferred: ActorId;
  readonly running: ActorId;
}

/**
 * 1 when choosing `a` holds back a running thread for something the seeded rule would not run
 * either, or lets time pass while the rule would run a ready thread on the free processor; else 0.
 * Letting the running thread go on is free even where the rule would switch to a thread of higher
 * priority: on a machine with more processors both run. Time passing over a ready thread is not
 * free because a held-back thread is no longer "running": were it free, a thread could be kept off
 * the processor for ever at no cost while another polls a timer, and no bound would make the
 * search finite.
 */
export function preemptionCost(d: DecisionShape, a: ActorId): number {
  if (a === d.preferred || (d.running !== 0 && a === d.running)) return 0;
  return d.running !== 0 || a === TIME_PASSES ? 1 : 0;
}

/** The options a bound leaves: all when the preemptions spent so far plus the option's cost stay within it. */
export function allowedOptions(d: DecisionShape, spent: number, bound: number): ActorId[] {
  return d.options.filter((a) => spent + preemptionCost(d, a) <= bound);
}

/** Index of the first decision where `choices` leaves the default, or -1. */
export function firstChange(decisions: readonly { preferred: ActorId; choice: ActorId }[]): number {
  return decisions.findIndex((d) => d.choice !== d.preferred);
}

/** A 32-bit FNV-1a hash of a choice list, seeded differently for the two halves of a digest. */
export function hashChoices(choices: readonly ActorId[], basis = 0x811c9dc5): number {
  let h = basis >>> 0;
  for (const c of choices) {
    let v = c + 1;
    do {
      h = Math.imul(h ^ (v & 0xff), 0x01000193) >>> 0;
      v = Math.floor(v / 256);
    } while (v > 0);
    h = Math.imul(h ^ 0x2c, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const SECOND_BASIS = 0x9e3779b9;

/** The two hashes a schedule adds to a digest. */
export function digestHashes(choices: readonly ActorId[]): [number, number] {
  return [hashChoices(choices), hashChoices(choices, SECOND_BASIS)];
}

/**
 * An order-independent digest of a set of schedules: the sums, modulo 2^32, of two hashes of each.
 * The digests of disjoint sets add up to the digest of their union, so the shards of an exploration
 * add up to the unsharded run's digest (`addDigests`).
 */
export class ScheduleDigest {
  private a = 0;
  private b = 0;

  add(choices: readonly ActorId[]): void {
    this.addHashes(hashChoices(choices), hashChoices(choices, SECOND_BASIS));
  }

  /** Adds a schedule by its two hashes (`digestHashes`), as a thread that ran it reported them. */
  addHashes(a: number, b: number): void {
    this.a = (this.a + a) >>> 0;
    this.b = (this.b + b) >>> 0;
  }

  toString(): string {
    return this.a.toString(16).padStart(8, '0') + this.b.toString(16).padStart(8, '0');
  }
}

export function addDigests(digests: readonly string[]): string {
  let a = 0;
  let b = 0;
  for (const d of digests) {
    a = (a + parseInt(d.slice(0, 8), 16)) >>> 0;
    b = (b + parseInt(d.slice(8, 16), 16)) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}
