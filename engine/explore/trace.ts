/**
 * What one explored run did: its steps, each the stretch one actor (a thread, or the clock) ran
 * between two decisions or two actors, with what it touched; the decisions; and the races — pairs
 * of steps of different actors that touched the same object (one of them writing) without anything
 * forcing their order. Partial-order reduction reverses exactly those races (dfs.ts); everything
 * else in the run commutes.
 *
 * "Happens before" is tracked with vector clocks over step indices: a step follows the previous
 * step of its actor, the step that made its thread runnable, and every earlier step it conflicts
 * with. Step j happens before step i when i's clock holds at least j for j's actor.
 */
import { driverMemoryName, stableName } from '../kernel/shared';
import { TIME_PASSES, type ActorId, type Decision, type StepObserver } from '../kernel/schedule';
import type { KThread } from '../kernel/thread';

/** What a step did last, for the interleaving report: `called FltCbdqInsertIo`, `wrote WorkerActive`. */
export interface StepAct {
  kind: 'call' | 'read' | 'write';
  what: string;
  file: string | undefined;
  line: number | undefined;
}

export interface TraceStep {
  readonly index: number;
  readonly actor: ActorId;
  /** The decision that started this step; -1 when it began without a choice (only one option). */
  readonly node: number;
  /** Per actor, the last of its steps that happens before this one (absent: none). */
  readonly clock: number[];
  /** The clock's time when the step began. */
  readonly time: number;
  last?: StepAct;
  /** Where the thread stood when the step ended. */
  end?: { file: string; line: number };
  /** Threads the step made runnable. */
  readied?: ActorId[];
}

export interface DecisionRecord {
  readonly index: number;
  readonly options: readonly ActorId[];
  readonly preferred: ActorId;
  readonly running: ActorId;
  readonly choice: ActorId;
}

/** What the trace needs from the run it watches. */
export interface TraceHost {
  now(): number;
  /** The innermost driver line of a live thread. */
  where(thread: ActorId): { file: string; line: number } | undefined;
  /**
   * The same line written into `act` (file and line undefined when there is none): the trace
   * notes one at every access and call, and keeps only the last of each step, so it reuses one
   * object per step rather than making two per access.
   */
  place(thread: ActorId, act: StepAct): void;
  /** A live thread's name. */
  name(thread: ActorId): string | undefined;
}

interface ObjectUse {
  /** Last step that wrote the object (-1: none). */
  write: number;
  /** Steps that read it since. */
  reads: number[];
}

/** The clock of every step of a trace that does not track order: nobody reads it. */
const NO_CLOCK: number[] = [];

export class Trace implements StepObserver {
  /**
   * `ordering`: track what partial-order reduction needs (vector clocks, races, per-decision
   * footprints). Only the depth-first search with reduction reads them; the random walk, PCT and a
   * search without reduction need the steps and decisions alone, and skip the per-access bookkeeping.
   */
  constructor(readonly ordering = true) {}

  readonly steps: TraceStep[] = [];
  readonly decisions: DecisionRecord[] = [];
  /** [j, i]: step j and later step i touch the same object, unordered by anything else. */
  readonly races: [number, number][] = [];
  /**
   * Per decision, what the run touched from that decision to the next, by stable name (true:
   * written): the footprint another run compares with when it puts this choice to sleep.
   */
  readonly segments: Map<string, boolean>[] = [];
  private segment: Map<string, boolean> | null = null;
  private readonly lastStepOf = new Map<ActorId, number>();
  /** Threads made runnable by a step, until their next step starts. */
  private readonly readiedBy = new Map<ActorId, number>();
  private readonly uses = new Map<object, ObjectUse>();
  private current: TraceStep | null = null;
  private checked: Set<number> | null = null;
  /** Thread names, noted when each thread first takes a step (they outlive the thread). */
  readonly names = new Map<ActorId, string>();
  host: TraceHost | undefined;

  access(actor: ActorId, object: object, write: boolean): void {
    if (actor < 0) return;
    const s = this.stepOf(actor);
    if (this.ordering) this.order(s, object, write);
    const what = actor !== TIME_PASSES ? driverMemoryName(object) : undefined;
    if (what !== undefined) this.act(s, write ? 'write' : 'read', what, actor);
  }

  /** Notes the access for the reduction: its footprint, and the races it completes. */
  private order(s: TraceStep, object: object, write: boolean): void {
    const seg = this.segment;
    if (seg !== null) {
      const name = stableName(object);
      if (seg.get(name) !== true) seg.set(name, write);
    }
    let use = this.uses.get(object);
    if (use === undefined) this.uses.set(object, (use = { write: -1, reads: [] }));
    if (use.write >= 0 && use.write !== s.index) this.conflict(use.write, s);
    if (write) {
      for (const r of use.reads) if (r !== s.index) this.conflict(r, s);
      use.write = s.index;
      use.reads.length = 0;
    } else if (use.reads[use.reads.length - 1] !== s.index) use.reads.push(s.index);
  }

  readied(actor: ActorId, thread: KThread): void {
    if (actor < 0) return;
    const s = this.stepOf(actor);
    if (this.ordering) this.readiedBy.set(thread.id, s.index);
    (s.readied ??= []).push(thread.id);
    if (!this.names.has(thread.id)) this.names.set(thread.id, thread.name);
  }

  routine(actor: ActorId, name: string): void {
    if (actor < 0) return;
    this.act(this.stepOf(actor), 'call', name, actor);
  }

  /** Notes what step `s` did last, and the line it did it at. */
  private act(s: TraceStep, kind: StepAct['kind'], what: string, actor: ActorId): void {
    let last = s.last;
    if (last === undefined) s.last = last = { kind, what, file: undefined, line: undefined };
    else {
      last.kind = kind;
      last.what = what;
    }
    if (this.host !== undefined) this.host.place(actor, last);
    else last.file = last.line = undefined;
  }

  decided(d: Decision, choice: ActorId): void {
    this.decisions.push({ index: d.index, options: d.options, preferred: d.preferred, running: d.running, choice });
    if (this.ordering) {
      this.segment = new Map();
      this.segments.push(this.segment);
    }
    this.current = this.newStep(choice, d.index);
  }

  /** Whether step j happens before step i (j < i); a trace that tracks ordering only. */
  happensBefore(j: number, i: number): boolean {
    const sj = this.steps[j]!;
    return (this.steps[i]!.clock[sj.actor] ?? -1) >= j;
  }

  /** The dense choice list of this run: one actor per decision. */
  get choices(): ActorId[] {
    return this.decisions.map((d) => d.choice);
  }

  private stepOf(actor: ActorId): TraceStep {
    const c = this.current;
    if (c !== null && c.actor === actor) return c;
    return (this.current = this.newStep(actor, -1));
  }

  private newStep(actor: ActorId, node: number): TraceStep {
    const ending = this.current;
    if (ending !== null && ending.actor !== TIME_PASSES) ending.end = this.host?.where(ending.actor);
    const index = this.steps.length;
    const clock = this.ordering ? this.clockOf(actor, index) : NO_CLOCK;
    if (actor !== TIME_PASSES && !this.names.has(actor)) {
      const name = this.host?.name(actor);
      if (name !== undefined) this.names.set(actor, name);
    }
    const s: TraceStep = { index, actor, node, clock, time: this.host?.now() ?? 0 };
    this.steps.push(s);
    this.checked = null;
    return s;
  }

  /** A new step's vector clock: its actor's previous step's, joined with the step that readied it. */
  private clockOf(actor: ActorId, index: number): number[] {
    const prev = this.lastStepOf.get(actor);
    const clock = prev === undefined ? [] : this.steps[prev]!.clock.slice();
    const by = this.readiedBy.get(actor);
    if (by !== undefined) {
      join(clock, this.steps[by]!.clock);
      this.readiedBy.delete(actor);
    }
    clock[actor] = index;
    this.lastStepOf.set(actor, index);
    return clock;
  }

  /** Step j (earlier) and the current step conflict: a race unless j already happens before it. */
  private conflict(j: number, s: TraceStep): void {
    const sj = this.steps[j]!;
    if (sj.actor === s.actor) return;
    const checked = (this.checked ??= new Set());
    if (checked.has(j)) return;
    checked.add(j);
    if ((s.clock[sj.actor] ?? -1) < j) this.races.push([j, s.index]);
    join(s.clock, sj.clock);
  }
}

function join(into: number[], from: readonly number[]): void {
  for (let a = 0; a < from.length; a++) {
    const v = from[a];
    if (v !== undefined && v > (into[a] ?? -1)) into[a] = v;
  }
}
