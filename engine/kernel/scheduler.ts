/**
 * The deterministic scheduler: processors, ready queues by priority, timers and the virtual clock.
 *
 * Policy (docs/engine.md says the same for users):
 * - Each processor runs one thread. An idle processor takes the highest-priority ready thread;
 *   among equals, the one that became ready first.
 * - A thread keeps running through `Trap.Stmt` (statement boundaries never switch threads).
 * - At `Trap.Yield`, a thread below DISPATCH_LEVEL is preempted by a ready thread of higher
 *   priority; by a ready thread of equal priority only with the seeded `switchProbability`. A
 *   thread at DISPATCH_LEVEL or above is never preempted.
 * - With several processors, the processor whose thread takes the next step is drawn from the
 *   seeded PRNG after every Yield, Block and exit, so threads interleave at switch points.
 * - When nothing is runnable, the clock jumps to the next timer (wait timeouts, delays, workload
 *   events) and every timer due at that tick fires in the order it was set.
 *
 * A `SchedulePolicy` (schedule.ts) takes over every choice: at each switch point and whenever the
 * processor is free it is offered every thread that could run and, when a timer is set, the clock,
 * with what the rule above would pick as `preferred`. Such a run has one processor, whose thread
 * a policy may preempt at any switch point below DISPATCH_LEVEL whatever the priorities — which
 * covers what several processors interleave, except inside code at DISPATCH_LEVEL (a spin lock
 * held), which runs to its end as on one processor. With a policy that observes, a statement
 * boundary right after driver code touched shared memory is a switch point too.
 */
import { Trap } from './coroutine';
import { Irql } from './irql';
import type { Random } from './random';
import { TIME_PASSES, type ActorId, type SchedulePolicy, type StepObserver } from './schedule';
import { TimerHeap, type Timer } from './heap';
import { STALL_STEPS } from './stall';
import type { KThread } from './thread';

export type StepKind = 'stmt' | 'yield' | 'block' | 'exit' | 'fault' | 'done';

export interface SchedulerHost {
  threadExited(t: KThread): void;
  threadFaulted(t: KThread, error: unknown): void;
  preempted(from: KThread, to: KThread): void;
  /** A policy held `t` back while the clock moved on. */
  delayed(t: KThread): void;
  clockMoved(from: number, to: number): void;
  /** STALL_STEPS steps and timer expiries in a row ran no driver statement: the run must stop (stall.ts). */
  stalled(): void;
}

const MAX_PRIORITY = 32;

export class Scheduler {
  readonly cpus: (KThread | null)[];
  readonly timers = new TimerHeap();
  now = 0;
  stepCount = 0;
  /** The thread that returned Trap.Stmt last: it must take the next step too. */
  private active: KThread | null = null;
  /** The thread inside `next()` right now, or null between steps. */
  running: KThread | null = null;
  /** The thread that took the last step. */
  lastStepped: KThread | null = null;
  /** Ready threads by priority. */
  private readonly ready: ReadyQueue[] = [];
  private readyCount = 0;
  /** No ready thread has a priority above this (-1: none is ready). */
  private readyTop = -1;
  private readySeq = 0;
  private busy = 0;
  /** Decides every choice when set; null: the seeded priority rule decides alone. */
  readonly policy: SchedulePolicy | null;
  /** The policy's observer: told what each step touches and whom it makes runnable. */
  readonly observer: StepObserver | null;
  /** Decisions with more than one option so far (policy runs only). */
  decisions = 0;
  /** Driver code touched shared memory since the last switch point (observed runs only). */
  touched = false;
  /** Timers are firing: what they touch belongs to the clock's step. */
  private firing = false;
  /** Steps and timer expiries since driver code last reached a statement (stall.ts). */
  private sinceStatement = 0;
  /** The run was stopped for going round in circles; every later step answers 'fault'. */
  stalled = false;

  constructor(
    processors: number,
    private readonly rng: Random,
    private readonly switchProbability: number,
    private readonly host: SchedulerHost,
    policy: SchedulePolicy | null = null,
  ) {
    this.policy = policy;
    this.observer = policy?.observer ?? null;
    this.cpus = new Array<KThread | null>(policy ? 1 : Math.max(1, processors)).fill(null);
    for (let p = 0; p <= MAX_PRIORITY; p++) this.ready.push(new ReadyQueue());
  }

  /** Who is taking the current step: a thread's id, TIME_PASSES while timers fire, -1 between steps. */
  get actor(): ActorId {
    const r = this.running;
    return r !== null ? r.id : this.firing ? TIME_PASSES : -1;
  }

  /** Makes a new or woken thread runnable. `front` puts it ahead of its equals (after preemption). */
  makeReady(t: KThread, front = false): void {
    if (this.observer !== null) this.observer.readied(this.actor, t);
    t.state = 'ready';
    t.readySeq = this.readySeq++;
    const p = t.priority;
    if (front) this.ready[p]!.unshift(t);
    else this.ready[p]!.push(t);
    if (p > this.readyTop) this.readyTop = p;
    this.readyCount++;
  }

  /** Ready threads in the order they would run, for the snapshot. */
  readyThreads(): KThread[] {
    const out: KThread[] = [];
    for (let p = MAX_PRIORITY; p >= 0; p--) this.ready[p]!.appendTo(out);
    return out;
  }

  /** The ids of the ready threads in the order they would run, added to `out` (a decision's options). */
  private appendReadyIds(out: ActorId[]): void {
    for (let p = this.readyTop; p >= 0; p--) this.ready[p]!.appendIdsTo(out);
  }

  addTimer(tick: number, fire: () => void): Timer {
    // A new timer changes what letting time pass does next.
    if (this.observer !== null) this.observer.access(this.actor, this.timers, true);
    return this.timers.add(Math.max(tick, this.now), fire);
  }

  /** Nothing runs and nothing is scheduled: the run is over (threads may still be blocked). */
  get idle(): boolean {
    return this.active === null && this.busy === 0 && this.readyCount === 0 && this.timers.peek() === undefined;
  }

  /**
   * Takes one step: resumes one thread until its next trap. Both kinds of run share this: without a
   * policy the seeded rule picks the thread and decides at Trap.Yield (atYield); with one, the policy
   * does (choose, atSwitchPoint), and an observed run also stops at the statement boundary after
   * driver code touched shared memory.
   */
  step(): StepKind {
    const policy = this.policy;
    if (this.sinceStatement >= STALL_STEPS) this.stall();
    if (this.stalled) return 'fault';
    let t = this.active;
    if (t === null) {
      t = policy === null ? this.pick() : (this.cpus[0] ?? this.choose(policy));
      if (this.stalled) return 'fault';
      if (t === null) return 'done';
    }
    t.state = 'running';
    this.running = t;
    this.lastStepped = t;
    t.hasRun = true;
    let r: IteratorResult<Trap, unknown>;
    try {
      r = t.body!.next();
    } catch (error) {
      this.running = null;
      this.stepCount++;
      this.sinceStatement++;
      this.active = null;
      this.leaveCpu(t);
      t.state = 'terminated';
      this.host.threadFaulted(t, error);
      return 'fault';
    }
    this.running = null;
    this.stepCount++;
    this.sinceStatement++;
    if (r.done) {
      this.active = null;
      this.leaveCpu(t);
      t.state = 'terminated';
      this.host.threadExited(t);
      return 'exit';
    }
    const trap = r.value;
    if (trap === Trap.Stmt) {
      this.sinceStatement = 0;
      // Only an observed run sets `touched`: driver code that touched shared memory reached its
      // next statement, so another thread may run here.
      if (this.touched) {
        this.active = null;
        this.atSwitchPoint(policy!, t);
      } else this.active = t;
      return 'stmt';
    }
    this.active = null;
    if (trap === Trap.Block) {
      // A routine that blocks marks the thread waiting before yielding; if the wait was already
      // satisfied (woken while still on its processor), the thread simply keeps running.
      if ((t.state as string) === 'waiting') this.leaveCpu(t);
      return 'block';
    }
    if (policy === null) this.atYield(t);
    else this.atSwitchPoint(policy, t);
    return 'yield';
  }

  // --- runs under a policy -----------------------------------------------------------------------

  /** The thread on the processor reached a switch point: it goes on, another runs, or time passes. */
  private atSwitchPoint(policy: SchedulePolicy, t: KThread): void {
    this.touched = false;
    // Code at DISPATCH_LEVEL (a spin lock held, a DPC) is not interrupted by other threads here.
    if (t.cpu < 0 || t.irql >= Irql.DISPATCH_LEVEL) return;
    const timer = this.timers.peek() !== undefined;
    if (this.readyCount === 0 && !timer) return;
    // What the seeded rule would do, drawing exactly what atYield draws.
    let preferred: KThread = t;
    if (this.readyCount > 0) {
      const best = this.readyTop;
      if (best > t.priority || (best === t.priority && this.rng.chance(this.switchProbability))) preferred = this.peekReady()!;
    }
    const options: ActorId[] = [t.id];
    this.appendReadyIds(options);
    if (timer) options.push(TIME_PASSES);
    const choice = this.decide(policy, options, preferred.id, t.id);
    if (choice === t.id) return;
    const cpu = t.cpu;
    this.leaveCpu(t);
    if (choice === TIME_PASSES) {
      this.makeReady(t, true);
      this.host.delayed(t);
      this.fireTimers();
      return;
    }
    const next = this.takeReady(choice);
    this.makeReady(t, next.priority > t.priority);
    this.assign(next, cpu);
    this.host.preempted(t, next);
  }

  /** The processor is free: the ready thread the policy picks, after letting time pass if it says so. */
  private choose(policy: SchedulePolicy): KThread | null {
    for (;;) {
      if (this.readyCount === 0) {
        if (!this.fireTimers()) return null;
        continue;
      }
      const first = this.peekReady()!;
      const timer = this.timers.peek() !== undefined;
      // A single option; or a worker or the completion thread that has not run yet: it only goes
      // to wait for work (at the highest priorities, the seeded rule runs these first anyway).
      if ((this.readyCount === 1 && !timer) || (isService(first) && !first.hasRun)) {
        this.assign(this.popReady()!, 0);
        return first;
      }
      const options: ActorId[] = [];
      this.appendReadyIds(options);
      if (timer) options.push(TIME_PASSES);
      const choice = this.decide(policy, options, first.id, 0);
      if (choice === TIME_PASSES) {
        this.fireTimers();
        continue;
      }
      const next = this.takeReady(choice);
      this.assign(next, 0);
      return next;
    }
  }

  private decide(policy: SchedulePolicy, options: ActorId[], preferred: ActorId, running: ActorId): ActorId {
    const d = { index: this.decisions++, options, preferred, running };
    const choice = policy.choose(d);
    if (!options.includes(choice)) throw new Error(`the schedule policy chose ${choice}, which is not one of ${options.join(', ')}`);
    if (this.observer !== null) this.observer.decided(d, choice);
    return choice;
  }

  /** The ready thread popReady would take, left in place. */
  private peekReady(): KThread | undefined {
    return this.readyCount === 0 ? undefined : this.ready[this.readyTop]!.first;
  }

  /** Takes the ready thread with this id out of its queue. */
  private takeReady(id: ActorId): KThread {
    for (let p = this.readyTop; p >= 0; p--) {
      const t = this.ready[p]!.remove(id);
      if (t !== undefined) {
        this.readyCount--;
        if (this.ready[p]!.length === 0 && p === this.readyTop) this.readyTop = this.topReadyPriority();
        return t;
      }
    }
    throw new Error(`thread ${id} is not ready`);
  }

  /** Called when a running thread starts a wait (the trap that follows is Trap.Block). */
  markWaiting(t: KThread): void {
    t.state = 'waiting';
  }

  private leaveCpu(t: KThread): void {
    if (t.cpu >= 0) {
      this.cpus[t.cpu] = null;
      t.cpu = -1;
      this.busy--;
    }
  }

  private assign(t: KThread, cpu: number): void {
    this.cpus[cpu] = t;
    t.cpu = cpu;
    t.state = 'running';
    this.busy++;
  }

  private popReady(): KThread | null {
    if (this.readyCount === 0) return null;
    const p = this.readyTop;
    const q = this.ready[p]!;
    const t = q.shift();
    this.readyCount--;
    if (q.length === 0) this.readyTop = this.topReadyPriority();
    return t;
  }

  private topReadyPriority(): number {
    if (this.readyCount === 0) return -1;
    for (let p = this.readyTop; p >= 0; p--) if (this.ready[p]!.length > 0) return p;
    return -1;
  }

  private pick(): KThread | null {
    for (;;) {
      if (this.readyCount > 0 && this.busy < this.cpus.length) {
        for (let i = 0; i < this.cpus.length && this.readyCount > 0; i++) {
          if (this.cpus[i] === null) this.assign(this.popReady()!, i);
        }
      }
      if (this.busy > 0) break;
      if (!this.fireTimers()) return null;
    }
    if (this.cpus.length === 1) return this.cpus[0]!;
    let n = this.rng.int(this.busy);
    for (const t of this.cpus) {
      if (t !== null && n-- === 0) return t;
    }
    return null;
  }

  private stall(): void {
    if (this.stalled) return;
    this.stalled = true;
    this.active = null;
    this.host.stalled();
  }

  /**
   * Moves the clock to the next timer and fires every timer due then. False when none is left, or
   * when timers alone have kept the run going too long (a timer that sets itself again at once).
   */
  private fireTimers(): boolean {
    if (this.stalled) return false;
    const first = this.timers.peek();
    if (!first) return false;
    const tick = first.tick;
    this.firing = true;
    try {
      if (this.observer !== null) this.observer.access(TIME_PASSES, this.timers, true);
      if (tick > this.now) {
        const from = this.now;
        this.now = tick;
        this.host.clockMoved(from, tick);
      }
      for (;;) {
        const t = this.timers.peek();
        if (!t || t.tick > tick) break;
        if (++this.sinceStatement >= STALL_STEPS) {
          this.stall();
          return false;
        }
        this.timers.pop();
        t.fire();
      }
    } finally {
      this.firing = false;
    }
    return true;
  }

  private atYield(t: KThread): void {
    if (this.readyCount === 0 || t.irql >= Irql.DISPATCH_LEVEL || t.cpu < 0) return;
    const best = this.readyTop;
    const higher = best > t.priority;
    if (higher || (best === t.priority && this.rng.chance(this.switchProbability))) {
      const cpu = t.cpu;
      this.leaveCpu(t);
      const next = this.popReady()!;
      this.makeReady(t, higher);
      this.assign(next, cpu);
      this.host.preempted(t, next);
    }
  }
}

function isService(t: KThread): boolean {
  return t.role === 'worker' || t.role === 'completion';
}

/**
 * The ready threads of one priority, oldest first. Emptying it keeps its array, so a queue that
 * fills and drains on every operation allocates nothing.
 */
class ReadyQueue {
  private items: KThread[] = [];
  private head = 0;
  private tail = 0;

  get length(): number {
    return this.tail - this.head;
  }

  push(t: KThread): void {
    if (this.tail === this.items.length) this.items.push(t);
    else this.items[this.tail] = t;
    this.tail++;
  }

  /** Puts `t` first (a preempted thread goes back ahead of its equals). */
  unshift(t: KThread): void {
    if (this.head > 0) this.items[--this.head] = t;
    else {
      this.items.splice(0, 0, t);
      this.tail++;
    }
  }

  /** The oldest thread, left in place; the queue must not be empty. */
  get first(): KThread {
    return this.items[this.head]!;
  }

  /** Takes out the thread with this id, keeping the others in order. */
  remove(id: number): KThread | undefined {
    for (let i = this.head; i < this.tail; i++) {
      const t = this.items[i]!;
      if (t.id !== id) continue;
      this.items.copyWithin(i, i + 1, this.tail);
      this.tail--;
      this.items[this.tail] = undefined as unknown as KThread;
      if (this.head === this.tail) {
        this.head = 0;
        this.tail = 0;
      }
      return t;
    }
    return undefined;
  }

  /** The oldest thread; the queue must not be empty. */
  shift(): KThread {
    const t = this.items[this.head]!;
    this.items[this.head] = undefined as unknown as KThread;
    if (++this.head === this.tail) {
      this.head = 0;
      this.tail = 0;
    }
    return t;
  }

  appendTo(out: KThread[]): void {
    for (let i = this.head; i < this.tail; i++) out.push(this.items[i]!);
  }

  appendIdsTo(out: ActorId[]): void {
    for (let i = this.head; i < this.tail; i++) out.push(this.items[i]!.id);
  }
}
