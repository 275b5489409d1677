/**
 * The debuggee: one scenario run under a debugger's control. It owns the World and everything a
 * debugger asks of it — running and stepping per simulated thread, the decisions where to stop
 * (line and function breakpoints with conditions, hit counts and logpoints; transition filters;
 * violations; faults; pause), going back in time, threads and frames, the Variables view's trees,
 * evaluating C and setting values — and answers with plain data. It knows no protocol: a front end
 * (the DAP session) translates, as vscode-mock-debug's session does over its runtime.
 *
 * Everything is synchronous. A command (`continue`, `step`, `stepBack`…) only says where to go;
 * `advance(n)` then takes at most n steps towards it and reports whether the run is still going,
 * stopped or over, so a front end can slice a long run and still hear a pause in between.
 *
 * Going back: a run is a pure function of the scenario, the seed and the values the user set, and
 * generators cannot be copied, so going back builds a fresh World and replays it silently to the
 * step wanted; values the user set are made again on the way (userEdits.ts).
 *
 * A recorded schedule (a replay file from `fltsim explore`) makes every World follow it; the run
 * stops, once, where the schedule first leaves the default one, so the user starts right there.
 */
import { TIME_PASSES } from '../../kernel/schedule';
import { ReplayPolicy } from '../../explore/policies';
import type { Schedule } from '../../explore/schedule';
import { CFrame } from '../../interp/frame';
import type { PreparedScenario } from '../prepare';
import type { StepResult } from '../../sim';
import { timelineOfLog, type RunTimeline } from '../timeline';
import { World } from '../world';
import type { Allocation } from '../../memory/allocation';
import { truthy } from '../../interp/pointers';
import { DataBreakpoints, type DataBreakpointInfo, type DataBreakpointSpec, type DataBreakpointState } from './dataBreakpoints';
import { MemoryIndex, parseAddress, type MemoryRead } from './memoryIndex';
import { completionsAt, type CompletionItem } from './completions';
import { dataTargetOf, type DataQuery } from './dataTargets';
import { applyEdit, UserEdits } from './userEdits';
import {
  BreakpointTable, DriverCode, type Breakpoint, type BreakpointInfo, type FunctionBreakpointSpec, type LineBreakpointSpec,
} from './breakpoints';
import { breakpointsThatStop } from './breakpointHits';
import { EventTargets } from './eventTargets';
import { Inspection } from './inspection';
import { scheduleChangeOf, type ScheduleChange } from './scheduleChange';
import type { Arrival, Candidate, Edit, Mode, ThreadTrail } from './modes';
import { accessSiteOf, driverDepth, driverFrameAt, liveThread } from './threadFrames';
import { RunConsole } from './runConsole';
import type {
  CommandResult, DebuggeeOptions, EvaluateOptions, EvaluationResult, FrameInfo, OutputSink, Progress, ScopeInfo, SetValueResult, Stop, StepHow, ThreadInfo,
} from './types';
import type { VariableInfo, VariablesQuery } from './variables';

export type {
  CommandResult, DebuggeeOptions, EvaluateOptions, EvaluationResult, FrameInfo, OutputCategory, OutputSink, Progress, ScopeInfo, SetValueResult, Stop, StepHow,
  StopReason, ThreadInfo,
} from './types';

const TAKEN: CommandResult = { ok: true };

/** What `dataBreakpointInfo` is asked about (DAP's DataBreakpointInfoArguments, in engine terms). */
export class Debuggee {
  private world: World;
  private readonly code: DriverCode;
  private readonly breakpoints: BreakpointTable;
  private mode: Mode = { kind: 'none' };
  private pauseRequested = false;
  /** The run ended (or driver code failed); only going back continues it. */
  private finished = false;
  private readonly fileKeys = new Map<string, string>();
  private trails = new Map<number, ThreadTrail>();
  private firstStmt: { step: number; thread: number } | undefined;
  private readonly edits = new UserEdits();
  private readonly inspection = new Inspection({
    world: () => this.world,
    stoppedThread: () => this.stoppedThread,
    shown: (file) => this.breakpoints.shown(file),
    record: (edit) => this.record(edit),
  });
  private readonly output: OutputSink;
  private readonly console: RunConsole;
  /** The current World's memory by address (readMemory, writeMemory, data breakpoints by address). */
  private memory = new MemoryIndex();
  private readonly data = new DataBreakpoints({
    world: () => this.world,
    index: () => this.memory,
    site: () => accessSiteOf(this.world.sim.kernel.current),
    shown: (file) => this.breakpoints.shown(file),
    condition: (text, threadId) => {
      const r = this.inspection.evaluateRaw(text, { threadId });
      return r.ok ? { ok: true, holds: truthy(r.value) } : r;
    },
    changed: (state) => this.breakpointChanged(state),
    output: (text) => this.output(text, 'console'),
  });
  private readonly breakpointChanged: (state: DataBreakpointState) => void;
  private readonly seedOption: number | undefined;
  private readonly stepBudget: number;
  private readonly schedule: Schedule | undefined;
  /** The replay policy of the current World, when a schedule is followed. */
  private replayPolicy: ReplayPolicy | undefined;
  /** The stop where the schedule leaves the default was made in the current World. */
  private changeReported = false;
  private stoppedStep = 0;
  private stoppedThread = 0;
  /** Where `goToEvent` stops for each event. */
  private readonly eventTargets = new EventTargets();
  /**
   * The World that got furthest since the last value the user set. A replay repeats it exactly, so
   * its events past the current point are the known future the timeline shows and goToEvent reaches.
   */
  private furthest: World;
  private last: Stop | undefined;
  private stopCount = 0;

  constructor(private readonly prepared: PreparedScenario, options: DebuggeeOptions = {}) {
    this.schedule = options.schedule;
    this.seedOption = options.schedule?.seed ?? options.seed;
    // A user at a debugger can pause, so there is no statement limit unless asked for: by the
    // caller, or by the scenario's own `limit steps` line.
    this.stepBudget = options.stepBudget ?? prepared.scenario.limits.steps ?? Infinity;
    this.output = options.output ?? (() => undefined);
    this.console = new RunConsole(this.output, (file) => this.breakpoints.shown(file));
    this.breakpointChanged = options.breakpointChanged ?? (() => undefined);
    this.world = this.newWorld();
    this.furthest = this.world;
    this.code = new DriverCode(this.world, prepared.paths);
    this.breakpoints = new BreakpointTable(this.code);
  }

  get seed(): number {
    return this.world.seed;
  }

  get title(): string | undefined {
    return this.prepared.scenario.title;
  }

  get scenarioPath(): string {
    return this.prepared.scenarioPath;
  }

  /** True while a command is under way (advance has more to do). */
  get running(): boolean {
    return this.mode.kind !== 'none';
  }

  /** The run has ended or driver code failed: going forward ends the session. */
  get ended(): boolean {
    return this.finished;
  }

  get lastStop(): Stop | undefined {
    return this.last;
  }

  /** Changes at every stop; handles from an older stop are gone. */
  get generation(): number {
    return this.stopCount;
  }

  // --- configuration ----------------------------------------------------------------------------

  setLineBreakpoints(file: string, specs: readonly LineBreakpointSpec[]): BreakpointInfo[] {
    return this.breakpoints.setLineBreakpoints(file, specs).map(info);
  }

  setFunctionBreakpoints(specs: readonly FunctionBreakpointSpec[]): BreakpointInfo[] {
    return this.breakpoints.setFunctionBreakpoints(specs).map(info);
  }

  /** Enables exactly these transition filters; returns whether each id was known. */
  setTransitionFilters(ids: readonly string[]): boolean[] {
    return this.console.setFilters(ids);
  }

  /** Lines of `file` a breakpoint can stop at. */
  executableLines(file: string): readonly number[] {
    return this.code.lines.get(this.code.key(file)) ?? [];
  }

  // --- commands ---------------------------------------------------------------------------------

  /** Starts the run: to the first statement with `stopOnEntry`, else to the first stop. */
  start(stopOnEntry: boolean): void {
    this.command(stopOnEntry ? { kind: 'entry' } : { kind: 'continue' });
  }

  continue(): void {
    this.command({ kind: 'continue' });
  }

  /** Over, into or out of the current statement of one thread; other threads run meanwhile. */
  step(threadId: number, how: StepHow): CommandResult {
    // Stepping a thread that is not there would never arrive: the whole run would go by instead.
    if (!this.hasThread(threadId)) return this.noThread(threadId);
    const depth = driverDepth(this.world.sim.kernel.threads.get(threadId));
    // A thread in kernel code with no driver frame steps to its next statement.
    this.command(depth === 0 ? { kind: 'step', thread: threadId, depth: Number.MAX_SAFE_INTEGER, how: 'in' } : { kind: 'step', thread: threadId, depth, how });
    return TAKEN;
  }

  /**
   * Whether a simulated thread with this id exists now, or is the one the current stop is on (a
   * thread stopped at its fault has already left the kernel's table, and can still be stepped back).
   */
  hasThread(threadId: number): boolean {
    if (!Number.isInteger(threadId)) return false;
    return this.world.sim.kernel.threads.get(threadId) !== undefined || (this.last !== undefined && threadId === this.stoppedThread);
  }

  /** Whether `handle` (from scopes, variables or evaluate) belongs to the current stop. */
  hasHandle(handle: number): boolean {
    return this.inspection.hasHandle(handle);
  }

  private noThread(threadId: number): CommandResult {
    return { ok: false, message: this.finished ? `the run has ended; thread ${threadId} is gone` : `thread ${threadId} does not exist (it may have exited): ask for the threads again` };
  }

  /** Asks the running command to stop; the next `advance` stops with reason `pause`. */
  pause(): void {
    if (this.running) this.pauseRequested = true;
  }

  /** Back to the previous statement the thread executed, with the state it had there. */
  stepBack(threadId: number): CommandResult {
    if (!this.hasThread(threadId)) return this.noThread(threadId);
    const trail = this.trails.get(threadId);
    let target = 0;
    let thread = threadId;
    if (trail) target = trail.last > 0 && trail.last < this.stoppedStep ? trail.last : trail.prev;
    if (target === 0 && this.firstStmt) {
      target = this.firstStmt.step;
      thread = this.firstStmt.thread;
    }
    if (target === 0 || target >= this.stoppedStep) {
      // Nothing earlier to go back to: stay (even at a fault), and say so.
      this.pauseRequested = false;
      this.mode = { kind: 'seek', arrival: { target: this.world.sim.stepCount, reason: 'step', threadId, describe: () => 'Paused at the start of the run' } };
      return TAKEN;
    }
    this.replay({ kind: 'seek', arrival: { target, reason: 'step', threadId: thread, describe: (now) => `Paused on step back (${now} ms)` } });
    return TAKEN;
  }

  /**
   * The scenario again from the start, as a new run: breakpoints and data breakpoints stay, values
   * the user set are forgotten (they belonged to the old run), and so is its known future.
   */
  restart(stopOnEntry: boolean): void {
    this.edits.clear();
    this.eventTargets.forgetAfter(0);
    this.last = undefined;
    this.replay(stopOnEntry ? { kind: 'entry' } : { kind: 'continue' });
    this.furthest = this.world;
  }

  /** Back to the most recent earlier point where a breakpoint or an enabled transition filter stops. */
  reverseContinue(): void {
    this.replay({ kind: 'scan', until: this.stoppedStep, best: undefined });
  }

  /**
   * Goes to the moment just before event `seq` happened — the statement that makes it, with the
   * state before it — back through a replay, or forward without stopping at breakpoints on the way.
   * Returns why it cannot (no such event is known), else undefined and the command is under way.
   */
  goToEvent(seq: number): string | undefined {
    const known = this.furthest.sim.eventCount > this.world.sim.eventCount ? this.furthest : this.world;
    const total = known.sim.eventCount;
    if (!Number.isSafeInteger(seq) || seq < 1 || seq > total) return `there is no event ${seq} in this run (it has events 1 to ${total})`;
    const e = known.sim.event(seq);
    const arrival: Arrival = {
      target: this.eventTargets.targetOf(seq),
      reason: 'goto',
      threadId: e?.thread ?? this.stoppedThread,
      describe: (now) => `Paused before ${e ? `"${e.detail}"` : `event ${seq}`} (${now} ms)`,
    };
    if (arrival.target < this.world.sim.stepCount || this.finished) this.replay({ kind: 'seek', arrival });
    else {
      this.pauseRequested = false;
      this.mode = { kind: 'seek', arrival, loud: true };
    }
    return undefined;
  }

  /**
   * The run as a timeline: everything the furthest run so far recorded (after going back, the
   * events past `now` are its known future), the newest `maxEvents` of it.
   */
  timeline(options: { maxEvents?: number } = {}): RunTimeline {
    const known = this.furthest.sim.eventCount > this.world.sim.eventCount ? this.furthest : this.world;
    const kernel = known.sim.kernel;
    return timelineOfLog(kernel.log, (id) => kernel.roleOf(id), {
      maxEvents: options.maxEvents, now: this.world.sim.eventCount, title: this.prepared.scenario.title ?? null, scenario: this.prepared.scenarioPath, seed: this.world.seed,
    });
  }

  /**
   * Carries the current command on for at most `maxSteps` steps. `running` means call again (after
   * letting other work in, if there is any); the other results end the command.
   */
  advance(maxSteps: number): Progress {
    for (let i = 0; i < maxSteps; i++) {
      const mode = this.mode;
      if (mode.kind === 'none') return { kind: 'idle' };
      if (mode.kind === 'end') {
        this.mode = { kind: 'none' };
        return { kind: 'terminated' };
      }
      if (this.pauseRequested) {
        this.pauseRequested = false;
        const sim = this.world.sim;
        return this.stop({ reason: 'pause', threadId: liveThread(this.world.sim.kernel.threads, sim.kernel.sched.lastStepped?.id), description: `Paused (${sim.now} ms)` });
      }
      const sim = this.world.sim;
      if (mode.kind === 'seek' && sim.stepCount >= mode.arrival.target) return this.arrive(mode.arrival);
      if (mode.kind === 'scan' && sim.stepCount >= mode.until) {
        this.endScan(mode.best);
        continue;
      }
      const outcome = this.takeStep(mode);
      if (outcome) return outcome;
    }
    return { kind: 'running' };
  }

  /** Runs the current command to its end, however many steps that takes: for tests and batch use. */
  runToStop(slice = 10_000): Progress {
    for (;;) {
      const p = this.advance(slice);
      if (p.kind !== 'running') return p;
    }
  }

  // --- the step loop ----------------------------------------------------------------------------

  private takeStep(mode: Exclude<Mode, { kind: 'none' | 'end' }>): Progress | undefined {
    let r: StepResult;
    if (this.data.active) {
      this.data.quiet = mode.kind === 'scan' || (mode.kind === 'seek' && !mode.loud);
      this.data.recording = true;
      try {
        r = this.world.step();
      } finally {
        this.data.recording = false;
      }
    } else r = this.world.step();
    const outcome = this.judge(mode, r);
    // Values the user set at this step are set after it, as they were: once the stop had happened.
    if (this.edits.pending) {
      const target = { world: this.world, memory: this.memory, frame: (t: number, i: number) => this.threadFrame(t, i), warn: (text: string) => this.output(text, 'stderr') };
      for (const e of this.edits.due(this.world.sim.stepCount)) applyEdit(e, target);
    }
    return outcome;
  }

  /** What the step just taken means for the command: a stop, the end, or nothing (go on). */
  private judge(mode: Exclude<Mode, { kind: 'none' | 'end' }>, r: StepResult): Progress | undefined {
    const world = this.world;
    const sim = world.sim;
    const replaying = mode.kind === 'seek' || mode.kind === 'scan';
    const silent = replaying && !(mode.kind === 'seek' && mode.loud);
    const step = sim.stepCount;
    const transition = this.console.read(world, silent);
    if ((r.kind === 'fault' || r.kind === 'done') && silent) {
      // A replay reached the end of the run (the stop being left was at the fault, say).
      this.finished = true;
      if (mode.kind === 'scan') {
        this.endScan(mode.best);
        return undefined;
      }
      return this.arrive(mode.arrival);
    }
    if (r.kind === 'fault') {
      this.finished = true;
      const message = this.console.reportFault(world);
      return this.stop({ reason: 'exception', threadId: r.thread, description: 'driver code failed', text: message });
    }
    if (r.kind === 'done') {
      this.finished = true;
      this.console.reportEnd(world);
      this.mode = { kind: 'none' };
      return { kind: 'terminated' };
    }
    if (this.data.active) {
      const data = this.data.afterStep(r.thread);
      if (data) {
        const stop: Candidate = { step, threadId: data.threadId, reason: 'data breakpoint', hitBreakpointIds: data.ids, text: data.description };
        if (r.kind === 'stmt') this.noteStatement(r.thread, step);
        if (mode.kind === 'scan') {
          if (step < mode.until) mode.best = stop;
          return undefined;
        }
        if (!replaying) {
          return this.stop({ reason: 'data breakpoint', threadId: liveThread(sim.kernel.threads, data.threadId), description: `${data.description} (${sim.now} ms)`, text: data.description, hitBreakpointIds: data.ids });
        }
      }
    }
    let hit: Breakpoint[] | undefined;
    if (r.kind === 'stmt' && this.noteStatement(r.thread, step)) {
      hit = this.breakpointsHit(r.thread, silent);
      if (mode.kind === 'scan') {
        if (step < mode.until) {
          if (hit) mode.best = { step, threadId: r.thread, reason: hit[0]!.functionName ? 'function breakpoint' : 'breakpoint', hitBreakpointIds: hit.map((b) => b.id) };
          else if (transition) mode.best = { step, threadId: transition.thread, reason: 'exception', text: transition.detail };
        }
        return undefined;
      }
      if (replaying) return undefined;
      if (hit) {
        const reason = hit[0]!.functionName ? 'function breakpoint' : 'breakpoint';
        return this.stop({ reason, threadId: r.thread, description: `Paused on ${reason} (${sim.now} ms)`, hitBreakpointIds: hit.map((b) => b.id) });
      }
      if (this.stepEndsAt(mode, r.thread)) {
        const reason = mode.kind === 'entry' ? 'entry' : 'step';
        return this.stop({ reason, threadId: r.thread, description: `Paused on ${reason} (${sim.now} ms)` });
      }
    }
    if (transition) {
      if (mode.kind === 'scan') {
        if (step < mode.until) mode.best = { step, threadId: transition.thread, reason: 'exception', text: transition.detail };
        return undefined;
      }
      if (!replaying) return this.stop({ reason: 'exception', threadId: transition.thread, description: `${transition.detail} (${sim.now} ms)`, text: transition.detail });
    }
    if (this.replayPolicy !== undefined && !this.changeReported && this.replayPolicy.firstChange >= 0) {
      this.changeReported = true;
      if (!silent) {
        const change = this.scheduleChange!;
        const text = `The schedule leaves the default one here (decision ${change.decision}): ${change.description}`;
        // Show the thread that runs instead, when it is one; else the one held back.
        const chosen = this.replayPolicy.firstChangeDecision!.choice;
        const threadId = chosen !== TIME_PASSES && sim.kernel.threads.has(chosen) ? chosen : liveThread(this.world.sim.kernel.threads, r.thread);
        return this.stop({ reason: 'schedule', threadId, description: `${text} (${sim.now} ms)`, text });
      }
    }
    // The stepped thread ended: carry on as a plain continue.
    if (mode.kind === 'step' && !sim.kernel.threads.has(mode.thread)) this.mode = { kind: 'continue' };
    return undefined;
  }

  /** Records a statement of driver code (not a prelude helper) in the thread's trail; false for others. */
  private noteStatement(threadId: number, step: number): boolean {
    const top = this.topFrame(threadId);
    if (!(top instanceof CFrame) || top.fn.system) return false;
    this.eventTargets.statementBegins(top, step);
    const trail = this.trails.get(threadId);
    if (trail) {
      trail.prev = trail.last;
      trail.last = step;
    } else this.trails.set(threadId, { last: step, prev: 0 });
    this.firstStmt ??= { step, thread: threadId };
    return true;
  }

  /** Breakpoints at the thread's current line whose condition and hit count say stop; logs logpoints. */
  private breakpointsHit(threadId: number, silent: boolean): Breakpoint[] | undefined {
    if (this.breakpoints.empty) return undefined;
    const top = this.topFrame(threadId) as CFrame;
    const bps = this.breakpoints.at(this.keyOf(top.file), top.line);
    if (!bps) return undefined;
    return breakpointsThatStop(bps, {
      world: this.world,
      evaluate: (text) => this.inspection.evaluateRaw(text, { threadId }),
      output: silent ? undefined : this.output,
    });
  }

  private stepEndsAt(mode: Mode, threadId: number): boolean {
    switch (mode.kind) {
      case 'entry':
        return true;
      case 'step': {
        if (threadId !== mode.thread) return false;
        if (mode.how === 'in') return true;
        const depth = driverDepth(this.world.sim.kernel.threads.get(threadId));
        return mode.how === 'over' ? depth <= mode.depth : depth < mode.depth;
      }
      default:
        return false;
    }
  }

  // --- stopping, replaying ----------------------------------------------------------------------

  private command(mode: Mode): void {
    this.pauseRequested = false;
    this.mode = this.finished ? { kind: 'end' } : mode;
  }

  private stop(stop: Stop): Progress {
    this.mode = { kind: 'none' };
    this.stoppedStep = this.world.sim.stepCount;
    this.stoppedThread = stop.threadId;
    this.last = stop;
    this.stopCount++;
    this.inspection.reset();
    return { kind: 'stopped', stop };
  }

  /** Starts `mode` on a fresh World: the only way back in time. */
  private replay(mode: Extract<Mode, { kind: 'seek' | 'scan' | 'entry' | 'continue' }>): void {
    this.pauseRequested = false;
    if (this.world.sim.eventCount > this.furthest.sim.eventCount) this.furthest = this.world;
    this.world = this.newWorld();
    this.breakpoints.resetHits();
    this.data.resetHits();
    this.trails = new Map();
    this.firstStmt = undefined;
    this.console.rewind();
    this.edits.rewind();
    this.finished = false;
    this.mode = mode;
  }

  private endScan(best: Candidate | undefined): void {
    if (best) {
      const { step, threadId, reason, hitBreakpointIds, text } = best;
      const describe = reason === 'exception' || reason === 'data breakpoint' ? (now: number) => `${text} (${now} ms, going backwards)` : (now: number) => `Paused on ${reason} (${now} ms, going backwards)`;
      this.replay({ kind: 'seek', arrival: { target: step, reason, threadId, describe, hitBreakpointIds, text } });
      return;
    }
    const first = this.firstStmt;
    this.replay({ kind: 'seek', arrival: { target: first?.step ?? 0, reason: 'entry', threadId: first?.thread ?? 0, describe: () => 'Paused at the start of the run' } });
  }

  private arrive(a: Arrival): Progress {
    const now = this.world.sim.now;
    return this.stop({ reason: a.reason, threadId: liveThread(this.world.sim.kernel.threads, a.threadId), description: a.describe(now), text: a.text, hitBreakpointIds: a.hitBreakpointIds });
  }

  private newWorld(): World {
    this.changeReported = false;
    if (this.schedule === undefined) this.replayPolicy = undefined;
    else this.replayPolicy = new ReplayPolicy(this.schedule.choices, false);
    // Memory is indexed, and data breakpoints find their targets again, as the new run makes them.
    const index = (this.memory = new MemoryIndex());
    this.data.newWorld();
    const onAllocate = (a: Allocation): void => {
      index.add(a);
      if (this.data.active) this.data.allocated(a);
    };
    const world = new World(this.prepared, { seed: this.seedOption, stepBudget: this.stepBudget, onAllocate, ...(this.replayPolicy ? { policy: this.replayPolicy } : {}) });
    world.sim.onEvent((e) => this.eventTargets.note(world, e));
    return world;
  }

  /** The decision where the followed schedule first leaves the default, once the run has reached it. */
  get scheduleChange(): ScheduleChange | undefined {
    return scheduleChangeOf(this.replayPolicy, this.world);
  }

  // --- values the user set ----------------------------------------------------------------------

  private record(edit: Edit): void {
    // What happened after this point in earlier runs need not happen again.
    this.furthest = this.world;
    this.eventTargets.forgetAfter(this.world.sim.eventCount);
    this.edits.add(edit);
  }

  // --- inspection (inspection.ts) -----------------------------------------------------------------

  threads(): ThreadInfo[] {
    return this.inspection.threads();
  }

  /** The thread's call stack, innermost first. */
  frames(threadId: number): FrameInfo[] {
    return this.inspection.frames(threadId);
  }

  /** The Variables view's scopes for a frame: Locals (driver frames), Thread, Callback Data, Queues, Filters. */
  scopes(threadId: number, frameIndex: number): ScopeInfo[] {
    return this.inspection.scopes(threadId, frameIndex);
  }

  /** The children behind a handle from `scopes`, `variables` or `evaluate` of this stop. */
  variables(handle: number, query?: VariablesQuery): VariableInfo[] {
    return this.inspection.variables(handle, query);
  }

  evaluate(text: string, options: EvaluateOptions = {}): EvaluationResult {
    return this.inspection.evaluate(text, options);
  }

  /** Sets the child `name` of a handle's value from C text (`STATUS_SUCCESS`, `Length + 1`). */
  setValue(handle: number, name: string, text: string): SetValueResult {
    return this.inspection.setValue(handle, name, text);
  }

  // --- data breakpoints and memory (dataBreakpoints.ts, memoryIndex.ts) --------------------------

  /**
   * What a data breakpoint on `name` would watch: a row of the Variables view (`handle` and the
   * row's name), an address (`asAddress`, with `bytes`), or a C expression evaluated in a frame.
   */
  dataBreakpointInfo(query: DataQuery): DataBreakpointInfo {
    return dataTargetOf(query, { inspection: this.inspection, memory: this.memory, data: this.data, stepCount: this.world.sim.stepCount });
  }

  /** Replaces every data breakpoint; each says whether it watches something now. */
  setDataBreakpoints(specs: readonly DataBreakpointSpec[]): DataBreakpointState[] {
    return this.data.set(specs);
  }

  /** `count` bytes at `reference` + `offset` (a memoryReference from a variable or evaluate): the readable run, then how many cannot be read. */
  readMemory(reference: string, offset: number, count: number): MemoryRead | string {
    const base = parseAddress(reference);
    if (base === undefined) return `'${reference}' is not a memory reference fltsim gave (an address such as 0xffffa00000001000)`;
    return this.memory.read(base + offset, count);
  }

  /** Writes bytes as the memory view edits them; recorded like Set Value, so going back keeps them. */
  writeMemory(reference: string, offset: number, bytes: Uint8Array): { ok: true; address: number } | { ok: false; message: string } {
    const base = parseAddress(reference);
    if (base === undefined) return { ok: false, message: `'${reference}' is not a memory reference fltsim gave` };
    if (this.running) return { ok: false, message: 'the run is going; pause it first' };
    const w = this.memory.writable(base + offset, bytes.length);
    if (!w.ok) return w;
    if (bytes.length > 0) {
      w.allocation.writeBytes(w.offset, bytes);
      if (w.allocation.id > 0) this.record({ step: this.world.sim.stepCount, memory: { allocation: w.allocation.id, offset: w.offset, bytes: bytes.slice() } });
    }
    return { ok: true, address: base + offset };
  }

  /** Completions for the Debug Console at `cursor` (0-based) of `text`, in the chosen frame. */
  completions(text: string, cursor: number, where: EvaluateOptions = {}): CompletionItem[] {
    const at = this.inspection.evaluationFrame(where);
    const module = (at && this.world.modules.get(at.frame.fn.module)) ?? this.world.modules.values().next().value;
    return completionsAt(text, cursor, { frame: at?.frame, module, evaluate: (t) => this.inspection.evaluateRaw(t, where) });
  }

  /** Lines from `line` to `endLine` of `file` where a statement starts: where a breakpoint can stop. */
  breakpointLocations(file: string, line: number, endLine = line): number[] {
    return this.executableLines(file).filter((l) => l >= line && l <= endLine);
  }

  /** Every C file the drivers were built from, headers included, as the user sees their paths. */
  sourceFiles(): string[] {
    return this.prepared.sourceFiles.map((f) => this.breakpoints.shown(f));
  }

  // --- helpers ----------------------------------------------------------------------------------

  private threadFrame(threadId: number, index: number): CFrame | undefined {
    const t = this.world.sim.kernel.threads.get(threadId);
    return t ? driverFrameAt(t, index) : undefined;
  }

  private topFrame(threadId: number): unknown {
    const t = this.world.sim.kernel.threads.get(threadId);
    return t?.frames[t.frames.length - 1];
  }

  private keyOf(file: string): string {
    let key = this.fileKeys.get(file);
    if (key === undefined) this.fileKeys.set(file, (key = this.code.key(file)));
    return key;
  }
}

function info(bp: Breakpoint): BreakpointInfo {
  const out: BreakpointInfo = { id: bp.id, verified: bp.verified, file: bp.file, line: bp.line };
  if (bp.message) out.message = bp.message;
  return out;
}
