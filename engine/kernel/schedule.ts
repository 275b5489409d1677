/**
 * The scheduling seam, in the manner of the `shuttle` crate's Scheduler trait: a `SchedulePolicy`
 * decides every choice the scheduler has — which thread takes the next step, whether the running
 * thread is preempted at a switch point, and whether virtual time moves on while threads could
 * still run. Without a policy the scheduler applies its own seeded priority rule (scheduler.ts);
 * that rule's answer is handed to every policy as `preferred`, so a policy that always returns it
 * reproduces the seeded run step for step.
 *
 * A schedule is `{ seed, choices }`: the seed of the run and the actor chosen at each decision that
 * had more than one option. Actors are thread ids, or TIME_PASSES for "let the clock move to the
 * next timer" (the running thread, if any, waits while a workload event lands, a timeout expires…).
 *
 * Policies that set `observer` also hear what each step touched (shared memory, locks, queues,
 * waits, the clock) and which threads it made runnable: what partial-order reduction and the
 * interleaving report need. The engine reports nothing when no observer is set, so runs without
 * one cost nothing extra.
 */
import type { KThread } from './thread';

/** The actor id that stands for the clock: time passes to the next timer and its callbacks run. */
export const TIME_PASSES = 0;

/** A thread id, or TIME_PASSES. */
export type ActorId = number;

/** One decision with at least two options. */
export interface Decision {
  /** 0-based count of decisions with options in this run. */
  readonly index: number;
  /**
   * The actors that can take the next step: the running thread first (when it may go on), then the
   * ready threads in the order the priority rule would run them, then TIME_PASSES when a timer is set.
   */
  readonly options: readonly ActorId[];
  /** What the seeded priority rule runs here (always one of `options`). */
  readonly preferred: ActorId;
  /**
   * The thread whose switch point this is, when it may keep running (0 when the processor is free:
   * the thread before blocked, exited or was held back while time passed). Running anything else
   * than `preferred` while `running` is set preempts it.
   */
  readonly running: ActorId;
}

export interface SchedulePolicy {
  /** Picks one of `d.options`. */
  choose(d: Decision): ActorId;
  /**
   * When set, statement boundaries after driver code touched shared memory are decisions too, and
   * the engine reports each step's footprint to it.
   */
  readonly observer?: StepObserver;
}

/** What the engine tells an observing policy about the step under way. */
export interface StepObserver {
  /**
   * The step touched a shared object: driver memory (a global, a pool or context allocation, an
   * engine object C code reads), a lock, a work queue, a thread's wait, the clock. `what` names it
   * for reports (`WorkerActive`, `allocation #3`).
   */
  access(actor: ActorId, object: object, write: boolean): void;
  /** The step made `thread` runnable (created it, ended its wait, gave it work). */
  readied(actor: ActorId, thread: KThread): void;
  /** A kernel routine was called by the step (for the interleaving report). */
  routine(actor: ActorId, name: string): void;
  /** `policy.choose` returned `choice` for `d`. */
  decided(d: Decision, choice: ActorId): void;
}

/** The seeded priority rule as a policy: what a run without a policy does, step for step. */
export class SeededPolicy implements SchedulePolicy {
  choose(d: Decision): ActorId {
    return d.preferred;
  }
}
