/**
 * The kernel core every modelled routine works through: threads and the scheduler, the clock,
 * the event stream, the violation recorder, debug output, and `callDriver`, the one way driver
 * code is entered. Routine families (locks, events, pool, work queues…) live in their own modules
 * and receive this object.
 */
import { isCo, LazyCo, type Co } from './coroutine';
import { isFunctionValue } from './cvalues';
import type { DriverFn } from './driverFn';
import { AscendingIdTable } from './idtable';
import { EventLog, type EventKind, type SimEvent, type SourceLocation } from './events';
import type { DriverCallMark } from './driverCallMark';
import { Irql, irqlName } from './irql';
import { Random } from './random';
import { RUNTIME_RULES, type RuleId, type Severity } from './rules';
import { Scheduler, type SchedulerHost } from './scheduler';
import type { SchedulePolicy, StepObserver } from './schedule';
import { sharedObject } from './shared';
import { stallMessage } from './stall';
import { KThread, THREAD_ROLES, type Frame, type ThreadRole } from './thread';
import { maxIrqlFor } from '../api/catalog';
import { AddressSpace } from '../memory/space';
import type { Allocation } from '../memory/allocation';
import { DEFAULT_LIMITS, limitHint } from '../limits';
import { Marshal } from './marshal';
import { ProcessTable, type KProcess } from './processes';
import { HandleTable } from './handleTable';

export interface Violation {
  rule: RuleId;
  severity: Severity;
  message: string;
  thread: number;
  threadName: string;
  irql: Irql;
  time: number;
  /** The callback data concerned (#N), 0 when none. */
  data: number;
  /** Innermost C frame of the offending thread, when the code is interpreted C. */
  location?: SourceLocation;
  /** The event that records it. */
  seq: number;
}

export interface KernelOptions {
  seed?: number;
  processors?: number;
  /** Chance of switching to a ready thread of equal priority at a Yield point; default 0.5. */
  switchProbability?: number;
  /** Keep only the newest N events (long runs); default: all. */
  eventLimit?: number;
  /**
   * Makes allocations fail on purpose, to exercise a driver's failure paths: called with the
   * routine name and how many times it has been called in this run (1-based).
   */
  failAllocation?: (routine: string, count: number) => boolean;
  /** Bytes of pool that may be allocated and not freed at once; past it allocations fail. Default: the `pool` limit's. */
  poolLimit?: number;
  /** Bytes of memory the run may hold written; past it the write stops the run. Default: the `memory` limit's. */
  memoryLimit?: number;
  /**
   * Decides every scheduling choice instead of the seeded priority rule (schedule.ts): the run then
   * has one processor whatever `processors` says.
   */
  policy?: SchedulePolicy;
  /** Told of every allocation of the run's memory (a debugger's address index): AddressSpace.onAllocate. */
  onAllocate?: (a: Allocation) => void;
}

export interface Fault {
  thread: number;
  threadName: string;
  message: string;
  /**
   * What stopped the thread: the `kind` of the error when it has one (the interpreter's C errors,
   * DriverFault), else `internal`: an exception fltsim did not mean to throw is a bug in fltsim.
   */
  kind: string;
  location?: SourceLocation;
}

/** A driver mistake the kernel model cannot go on from, such as calling a callback pointer that holds no function. */
export class DriverFault extends Error {
  readonly kind = 'bad-call';
}

/** IRQL context that resolves the conditional bounds of the catalog. */
export type IrqlContext = Parameters<typeof maxIrqlFor>[1];

/** Shared by every checkIrql call without a context (saves an object per call). */
const NO_IRQL_CONTEXT: IrqlContext = Object.freeze({});

/** A routine's IRQL bound from the catalog, resolved once (the catalog never changes). */
export interface IrqlBound {
  readonly routine: string;
  readonly max: Irql | undefined;
}

export function irqlBound(routine: string, ctx?: IrqlContext): IrqlBound {
  return Object.freeze({ routine, max: maxIrqlFor(routine, ctx ?? NO_IRQL_CONTEXT) });
}

/** A thread role as stored per thread id: 1 + its index in THREAD_ROLES. */
const ROLE_CODE: Readonly<Record<ThreadRole, number>> = Object.fromEntries(THREAD_ROLES.map((r, i) => [r, i + 1])) as Record<ThreadRole, number>;

/** By module, then by routine: no `module!name` string built and hashed on every call. */
const KERNEL_FRAMES = new Map<string, Map<string, Frame>>();

/** A constant frame for a kernel routine (`fltmgr!FltCbdqInsertIo`); frames of this kind never change. */
export function kernelFrame(name: string, module: string): Frame {
  let inModule = KERNEL_FRAMES.get(module);
  if (inModule === undefined) KERNEL_FRAMES.set(module, (inModule = new Map()));
  let f = inModule.get(name);
  if (!f) {
    f = Object.freeze({ name, module });
    inModule.set(name, f);
  }
  return f;
}

export class Kernel implements SchedulerHost {
  readonly rng: Random;
  readonly sched: Scheduler;
  readonly log: EventLog;
  readonly violations: Violation[] = [];
  readonly output: string[] = [];
  /** Threads that have not exited, by id (ids only grow, which the table relies on). */
  readonly threads = new AscendingIdTable<KThread>();
  /** Stands for "no thread" when a routine is called between steps (from a test, say). */
  readonly outside = new KThread(0, '(outside the simulation)', 'system', 0);
  fault: Fault | null = null;
  readonly options: Readonly<KernelOptions>;
  private nextThreadId = 1;
  /** Role of every thread ever created, by id (1 + index in THREAD_ROLES; 0 = none): the timeline names lanes of exited threads too. */
  private roles = new Uint8Array(64);
  private readonly allocationCounts = new Map<string, number>();
  /** Called when a thread exits, by modules that track threads (work queues). */
  readonly exitHooks: ((t: KThread) => void)[] = [];
  /** Told what each step touches, when the schedule policy observes (schedule exploration). */
  readonly observer: StepObserver | null;
  /** The run's memory: driver allocations, the engine's C-visible objects, handles. */
  readonly memory = new AddressSpace();
  /** Conversions between C memory and engine values at every boundary between them. */
  readonly marshal = new Marshal(this.memory);
  /** The run's processes: System, the two default user processes and the scenario's (processes.ts). */
  readonly processes = new ProcessTable();
  /** Handles routines opened for driver code, for the unload's handle-leak check. */
  readonly handles = new HandleTable();

  constructor(options: KernelOptions = {}) {
    this.options = options;
    this.rng = new Random(options.seed ?? 1);
    this.log = new EventLog(options.eventLimit ?? Infinity);
    this.sched = new Scheduler(options.processors ?? 1, this.rng, options.switchProbability ?? 0.5, this, options.policy ?? null);
    this.observer = this.sched.observer;
    // Driver code's loads and stores are footprints too (engine/interp/memory.ts reports them).
    if (this.observer !== null) {
      // Bound to a local first (see "Hooks are objects" in docs/architecture.md).
      const hook = (a: Allocation, write: boolean): void => this.touch(a, write);
      this.memory.accessHook = hook;
    }
    this.memory.writtenLimit = options.memoryLimit ?? DEFAULT_LIMITS.memory;
    if (options.onAllocate) this.memory.onAllocate = options.onAllocate;
    this.memory.writtenHint = limitHint('memory');
  }

  /** Bytes of pool that may be allocated and not freed at once (the `pool` limit). */
  get poolLimit(): number {
    return this.options.poolLimit ?? DEFAULT_LIMITS.pool;
  }

  get now(): number {
    return this.sched.now;
  }

  get stepCount(): number {
    return this.sched.stepCount;
  }

  /** The process thread `t` belongs to (the System process unless it runs for a user process). */
  processOf(t: KThread): KProcess {
    return t.process ?? this.processes.system;
  }

  /** The thread whose code is running, or `outside` between steps. */
  get current(): KThread {
    return this.sched.running ?? this.outside;
  }

  /** Creates a thread; it becomes ready at once and runs `body(thread)`. */
  spawn(name: string, role: ThreadRole, priority: number, body: (t: KThread) => Co<unknown>, irql: Irql = Irql.PASSIVE_LEVEL): KThread {
    const t = new KThread(this.nextThreadId++, name, role, priority);
    t.irql = irql;
    t.body = body(t);
    return this.started(t);
  }

  /** spawn for a body that is a method taking one argument: runs `self.body(thread, arg)`, with no closure per thread. */
  spawnMethod<S, A>(name: string, role: ThreadRole, priority: number, self: S, body: (this: S, t: KThread, arg: A) => Co<unknown>, arg: A): KThread {
    const t = new KThread(this.nextThreadId++, name, role, priority);
    t.body = body.call(self, t, arg);
    return this.started(t);
  }

  /**
   * spawn for a body that usually runs to its end in one step: `start.call(self, thread, arg)` does
   * the work and returns undefined, or a generator for what has to wait (see LazyCo).
   */
  spawnLazy<S, A>(name: string, role: ThreadRole, priority: number, self: S, start: (this: S, t: KThread, arg: A) => Co<void> | undefined, arg: A): KThread {
    const t = new KThread(this.nextThreadId++, name, role, priority);
    t.body = new LazyCo(self, start, t, arg, undefined);
    return this.started(t);
  }

  private started(t: KThread): KThread {
    this.threads.set(t.id, t);
    if (t.id >= this.roles.length) {
      const grown = new Uint8Array(Math.max(64, this.roles.length * 2, t.id + 1));
      grown.set(this.roles);
      this.roles = grown;
    }
    this.roles[t.id] = ROLE_CODE[t.role];
    this.emitOn(t, 'thread-start', 0, `${t.name} starts`);
    this.sched.makeReady(t);
    return t;
  }

  // --- footprints (schedule exploration) ---

  /**
   * The running step read or wrote what `pointer` points at (driver memory, an engine object C code
   * reaches). Only an observing schedule policy hears it; a statement boundary after it becomes a
   * switch point.
   */
  touch(pointer: unknown, write: boolean): void {
    const o = this.observer;
    if (o === null) return;
    const obj = sharedObject(pointer);
    if (obj === undefined) return;
    this.sched.touched = true;
    o.access(this.sched.actor, obj, write);
  }

  /** The running step used an engine structure (a work queue, a thread's wait, the filter list). */
  touchObject(obj: object, write: boolean): void {
    const o = this.observer;
    if (o !== null) o.access(this.sched.actor, obj, write);
  }

  /** The running step called kernel routine `name` with `args`: each argument's memory counts as written. */
  touchCall(name: string, args: readonly unknown[]): void {
    const o = this.observer;
    if (o === null) return;
    const actor = this.sched.actor;
    for (const a of args) {
      const obj = sharedObject(a);
      if (obj !== undefined) o.access(actor, obj, true);
    }
    o.routine(actor, name);
  }

  // --- events, violations, output ---

  /** Records an event on the running thread; returns its seq. `item`: the work item (WI#N) it concerns. */
  emit(kind: EventKind, data: number, detail: string, item = 0): number {
    return this.emitOn(this.current, kind, data, detail, item);
  }

  emitOn(t: KThread, kind: EventKind, data: number, detail: string, item = 0): number {
    return this.log.append(this.sched.now, t.id, t.name, t.irql, kind, data, detail, locationOf(t), item);
  }

  /** Sets the thread's IRQL where no routine's own event records the change, and records it. */
  setIrql(t: KThread, irql: Irql, why: string): void {
    if (t.irql === irql) return;
    const old = t.irql;
    t.irql = irql;
    this.emitOn(t, 'irql', 0, `${why} ${irqlName(old)} -> ${irqlName(irql)}`);
  }

  /** The role a thread was created with (threads that exited included); undefined for ids never handed out. */
  roleOf(id: number): ThreadRole | undefined {
    const r = this.roles[id];
    return r === undefined || r === 0 ? undefined : THREAD_ROLES[r - 1];
  }

  /** The recorded event with this seq, as an object (undefined when the log dropped it). */
  event(seq: number): SimEvent | undefined {
    return this.log.get(seq);
  }

  /**
   * Records a violation on thread `t`, located at `t`'s innermost C line, or at `at` when the
   * mistake was made elsewhere (a reference leaked where it was taken).
   */
  violation(rule: RuleId, message: string, data = 0, t: KThread = this.current, at?: SourceLocation): Violation {
    const seq = this.emitOn(t, 'violation', data, `${rule}: ${message}`);
    const location = at ?? locationOf(t);
    const v: Violation = {
      rule,
      severity: RUNTIME_RULES[rule].severity,
      message,
      thread: t.id,
      threadName: t.name,
      irql: t.irql,
      time: this.sched.now,
      data,
      seq,
    };
    if (location) v.location = location;
    this.violations.push(v);
    return v;
  }

  /** DbgPrint and friends: one line of debugger output. */
  print(text: string): void {
    const line = text.endsWith('\n') ? text.slice(0, -1) : text;
    this.output.push(line);
    this.emit('output', 0, line);
  }

  /**
   * Checks the caller's IRQL against the catalog bound of `routine`. Records `rule` (by default
   * irql-above-bound) when it is too high, or postop-irql-unsafe-call when a post-operation callback
   * that may run at DISPATCH_LEVEL calls a routine limited to APC_LEVEL — unless that callback asked
   * KeGetCurrentIrql, in which case its real IRQL decides. Returns false when a violation was recorded.
   * `data`: the callback data the call concerns, so the violation is part of that operation's story.
   */
  checkIrql(routine: string, ctx?: IrqlContext, rule: RuleId = 'irql-above-bound', data = 0): boolean {
    return this.checkMaxIrql(routine, maxIrqlFor(routine, ctx ?? NO_IRQL_CONTEXT), rule, data);
  }

  /** checkIrql with the bound looked up once (`irqlBound`), for routines called on every operation. */
  checkBound(b: IrqlBound, rule: RuleId = 'irql-above-bound', data = 0): boolean {
    return this.checkMaxIrql(b.routine, b.max, rule, data);
  }

  private checkMaxIrql(routine: string, max: Irql | undefined, rule: RuleId, data: number): boolean {
    if (max === undefined) return true;
    const t = this.current;
    const scope = t.scope;
    if (scope !== null && scope.unsafe && !scope.irqlQueried && max < Irql.DISPATCH_LEVEL) {
      this.violation('postop-irql-unsafe-call', `${routine} is limited to ${irqlName(max)}, but it is called from a post-operation callback that can run at DISPATCH_LEVEL (now ${irqlName(t.irql)})`, data);
      return false;
    }
    if (t.irql > max) {
      this.violation(rule, `${routine} called at ${irqlName(t.irql)}; it may only run at ${irqlName(max)} or below`, data);
      return false;
    }
    return true;
  }

  /** True when an allocation made by `routine` should fail (SimulationOptions.failAllocation). */
  allocationFails(routine: string): boolean {
    const hook = this.options.failAllocation;
    if (!hook) return false;
    const n = (this.allocationCounts.get(routine) ?? 0) + 1;
    this.allocationCounts.set(routine, n);
    return hook(routine, n);
  }

  // --- waits ---

  /** Threads in a wait that is not a service thread idling: at the end of a run, the ones blocked forever. */
  waitingThreads(): KThread[] {
    const out: KThread[] = [];
    for (const t of this.threads.values()) if (t.state === 'waiting' && !t.parked) out.push(t);
    return out;
  }

  /**
   * Puts the running thread into a wait; the caller must then `yield Trap.Block` and read
   * `t.waitStatus` when it resumes. A deadline (tick) makes the wait end with `timeoutStatus`.
   */
  beginWait(t: KThread, what: string, deadline: number | null, timeoutStatus = 0x102, onTimeout?: () => void): void {
    t.awaitsSignal = false;
    this.touchObject(t, true);
    this.sched.markWaiting(t);
    t.waitingOn = what;
    t.waitStatus = 0;
    if (deadline !== null) {
      const timer = this.sched.addTimer(deadline, () => {
        if (t.state !== 'waiting' || t.waitTimer !== timer) return;
        onTimeout?.();
        this.wake(t, timeoutStatus);
      });
      t.waitTimer = timer;
    }
    this.emitOn(t, 'wait', 0, `waits for ${what}`);
  }

  /** Parks an idle service thread until `unpark`; no events, since idling is not news. */
  park(t: KThread, what: string): void {
    this.touchObject(t, true);
    this.sched.markWaiting(t);
    t.waitingOn = what;
    t.parked = true;
  }

  unpark(t: KThread): void {
    if (!t.parked) return;
    this.touchObject(t, true);
    t.parked = false;
    t.waitingOn = null;
    if (t.cpu >= 0) t.state = 'running';
    else this.sched.makeReady(t);
  }

  /** Ends a thread's wait with `status`. */
  wake(t: KThread, status = 0): void {
    if (t.state !== 'waiting') return;
    this.touchObject(t, true);
    if (t.waitTimer) {
      this.touchObject(this.sched.timers, true);
      t.waitTimer.cancelled = true;
      t.waitTimer = null;
    }
    t.waitStatus = status;
    const what = t.waitingOn;
    t.waitingOn = null;
    this.emitOn(t, 'wake', 0, `wakes (${what ?? 'wait'} ended)`);
    if (t.cpu >= 0) t.state = 'running';
    else this.sched.makeReady(t);
  }

  // --- driver code ---

  /**
   * Runs a driver callback on thread `t` and returns its result. Pushes a frame for TypeScript
   * callbacks (interpreted C pushes its own), pops back to the entry depth even if the callback
   * throws, and afterwards checks that the callback returned at the IRQL it was called at, without
   * holding a lock it took, and outside any critical region it entered. Pass `checks: false` for
   * callbacks whose job is to change those (a cbdq's Acquire and Release).
   */
  *callDriver(t: KThread, fn: DriverFn, name: string, args: unknown[], checks = true): Co<unknown> {
    const r = this.callDriverSync(t, fn, name, args, checks);
    return isCo(r) ? yield* r : r;
  }

  /**
   * callDriver without a generator of its own, for the hot paths: returns the callback's result
   * when it is a plain function that returned, or a generator that finishes the call (run it with
   * `yield*`). Callers write `let r = k.callDriverSync(…); if (isCo(r)) r = yield* r;`.
   */
  callDriverSync(t: KThread, fn: DriverFn, name: string, args: unknown[], checks = true): unknown {
    const depth = t.frames.length;
    const irql = t.irql;
    const held = t.held.length;
    const region = t.criticalRegion;
    let r: unknown;
    try {
      if (isFunctionValue(fn)) r = fn.call(...args);
      else if (typeof fn === 'function') {
        t.frames.push({ name });
        r = fn(...args);
      } else throw new DriverFault(`${name} is not a function (got ${describe(fn)}); check the pointer stored for this callback`);
    } catch (e) {
      while (t.frames.length > depth) t.frames.pop();
      throw e;
    }
    if (isCo(r)) return this.finishDriverCall(t, r, name, depth, irql, held, region, checks);
    while (t.frames.length > depth) t.frames.pop();
    if (checks) this.afterCallback(t, name, irql, held, region);
    return r;
  }

  /**
   * The two halves of callDriverSync for callers that run a generator result themselves (saving a
   * generator per call): note a `DriverCallMark`, call `enterDriver`, run the result with `yield*` if
   * it is a generator, then call `leaveDriver` with the mark (also when the callback throws, from a
   * `finally`, with `checks` false).
   */
  enterDriver(t: KThread, fn: DriverFn, name: string, args: unknown[]): unknown {
    if (isFunctionValue(fn)) return fn.call(...args);
    if (typeof fn === 'function') {
      t.frames.push({ name });
      return fn(...args);
    }
    throw new DriverFault(`${name} is not a function (got ${describe(fn)}); check the pointer stored for this callback`);
  }

  leaveDriver(t: KThread, name: string, mark: DriverCallMark, checks: boolean): void {
    while (t.frames.length > mark.depth) t.frames.pop();
    if (checks) this.afterCallback(t, name, mark.irql, mark.held, mark.region);
  }

  private *finishDriverCall(t: KThread, co: Co<unknown>, name: string, depth: number, irql: Irql, held: number, region: number, checks: boolean): Co<unknown> {
    let r: unknown;
    try {
      r = yield* co;
    } finally {
      while (t.frames.length > depth) t.frames.pop();
    }
    if (checks) this.afterCallback(t, name, irql, held, region);
    return r;
  }

  /** The post-return checks of callDriver, for callers that invoke driver code themselves. */
  afterCallback(t: KThread, name: string, irql: Irql, held: number, region: number): void {
    if (t.held.length === held && t.irql === irql && t.criticalRegion === region) return;
    if (t.held.length > held) {
      const locks = t.held.slice(held).map((l) => `${l.kind} ${l.name}`).join(', ');
      this.violation('lock-held-on-return', `${name} returned still holding ${locks}`, 0, t);
    }
    if (t.irql !== irql) {
      this.violation('irql-not-restored', `${name} returned at ${irqlName(t.irql)}; it was called at ${irqlName(irql)} (the simulation restores ${irqlName(irql)} to go on)`, 0, t);
      this.setIrql(t, irql, `the simulation restores the IRQL ${name} was called at`);
    }
    if (t.criticalRegion !== region) {
      this.violation('critical-region-imbalance', `${name} returned with critical-region depth ${t.criticalRegion}; it was called at depth ${region}`, 0, t);
      t.criticalRegion = region;
    }
  }

  // --- SchedulerHost ---

  threadExited(t: KThread): void {
    this.threads.delete(t.id);
    for (const h of this.exitHooks) h(t);
    this.emitOn(t, 'thread-exit', 0, `${t.name} exits`);
  }

  threadFaulted(t: KThread, error: unknown): void {
    this.threads.delete(t.id);
    const message = error instanceof Error ? error.message : String(error);
    const kind = typeof (error as { kind?: unknown } | null)?.kind === 'string' ? (error as { kind: string }).kind : 'internal';
    const f = t.cFrame();
    this.fault = { thread: t.id, threadName: t.name, message, kind };
    if (f) this.fault.location = { file: f.file!, line: f.line ?? 0, column: f.column };
    this.emitOn(t, 'fault', 0, `${t.name} stopped: ${message}`);
  }

  stalled(): void {
    const t = this.sched.lastStepped ?? this.outside;
    const message = stallMessage(this.now, this.threads.values(), this.sched.timers.size, this.sched.lastStepped);
    this.fault = { thread: t.id, threadName: t.name, message, kind: 'no-progress' };
    const f = t.cFrame();
    if (f) this.fault.location = { file: f.file!, line: f.line ?? 0, column: f.column };
    this.emitOn(t, 'fault', 0, `the run stops: ${message}`);
  }

  preempted(from: KThread, to: KThread): void {
    this.emitOn(to, 'preempt', 0, `${to.name} preempts ${from.name}`);
  }

  delayed(t: KThread): void {
    this.emitOn(t, 'preempt', 0, `${t.name} is held off the processor while time passes`);
  }

  clockMoved(from: number, to: number): void {
    this.emitOn(this.outside, 'time', 0, `clock ${from} ms -> ${to} ms`);
  }
}

/** The innermost C frame of a thread as a location, or undefined for TypeScript-only stacks. */
/** The innermost C line thread `t` is at, and the function it is in. */
export function callSite(t: KThread): { location: SourceLocation; function: string } | undefined {
  const f = t.cFrame();
  return f === undefined ? undefined : { location: { file: f.file!, line: f.line ?? 0, column: f.column }, function: f.name };
}

function locationOf(t: KThread): SourceLocation | undefined {
  if (t.frames.length === 0) return undefined;
  const f = t.cFrame();
  return f === undefined ? undefined : { file: f.file!, line: f.line ?? 0, column: f.column };
}

function describe(v: unknown): string {
  if (v === null) return 'NULL';
  if (v === undefined) return 'nothing';
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}
