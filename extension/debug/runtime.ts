/**
 * The debugger's runtime: runs a World step by step and decides where to stop — line and function
 * breakpoints (with conditions, hit counts and log messages), transition filters (pend, complete,
 * work items, cbdq, cancel, unload, violations), stepping per thread, pause, faults — and goes back
 * in time by replaying the deterministic run. It knows nothing of the Debug Adapter Protocol
 * (session.ts translates), in the runtime/session split of vscode-mock-debug.
 */
import { CFrame, World, evaluateInFrame, expectationLine, problemLine, verdictSummary, type PreparedScenario, type SimEvent } from '../../engine';
import { BreakpointStore, executableLines, hitConditionHolds, normalizePath, type Breakpoint } from './breakpoints';
import type { TransitionFilter } from './transitionFilters';

export type StopReason = 'entry' | 'breakpoint' | 'function breakpoint' | 'step' | 'pause' | 'exception';

export interface StopEvent {
  reason: StopReason;
  threadId: number;
  /** Shown by VS Code in the Call Stack header: what happened, with the virtual time. */
  description: string;
  /** Longer text for exceptions (the transition or violation). */
  text?: string;
  hitBreakpointIds?: number[];
}

export interface RuntimeListener {
  stopped(stop: StopEvent): void;
  output(text: string, category: 'stdout' | 'stderr' | 'console', location?: { file: string; line: number }): void;
  terminated(): void;
}

type StepHow = 'over' | 'in' | 'out';

type Mode =
  | { kind: 'continue' }
  | { kind: 'entry' }
  | { kind: 'step'; thread: number; depth: number; how: StepHow };

const FILTER_OF_EVENT: Partial<Record<SimEvent['kind'], TransitionFilter['id']>> = {
  pend: 'pend',
  'post-pend': 'pend',
  complete: 'complete',
  'workitem-queue': 'workitem-queue',
  'workitem-start': 'workitem-start',
  'cbdq-insert': 'cbdq-insert',
  'cbdq-remove': 'cbdq-remove',
  cancel: 'cancel',
  unload: 'unload',
  violation: 'violation',
};

/** Steps run per slice before yielding to the event loop, so pause requests get through. */
const SLICE = 20_000;

interface StmtRecord {
  step: number;
  thread: number;
  file: string;
  line: number;
}

export class DebugRuntime {
  world: World;
  readonly breakpoints: BreakpointStore;
  private filters = new Set<string>(['violation']);
  /** Seq of the last event forwarded to the client. */
  private eventCursor = 0;
  private pauseRequested = false;
  private running = false;
  private finished = false;
  /** Every statement reached (outside prelude helpers), in order: what step-back walks. */
  private stmts: StmtRecord[] = [];
  /** Steps after which a transition filter's event happened, with the filter id. */
  private transitions: { step: number; filter: string; thread: number }[] = [];
  stoppedStep = 0;
  stoppedThread = 0;
  /** Increments on every stop: variable handles from an older stop are stale. */
  stopGeneration = 0;

  constructor(readonly prepared: PreparedScenario, readonly seed: number | undefined, private readonly listener: RuntimeListener) {
    this.world = new World(prepared, { seed });
    this.breakpoints = new BreakpointStore(executableLines(this.world), this.world);
  }

  get isRunning(): boolean {
    return this.running;
  }

  get isFinished(): boolean {
    return this.finished;
  }

  setTransitionFilters(ids: string[]): void {
    this.filters = new Set(ids);
  }

  /** Starts the run: stops at the first statement when asked, otherwise runs to a stop. */
  start(stopOnEntry: boolean): void {
    this.resume(stopOnEntry ? { kind: 'entry' } : { kind: 'continue' });
  }

  continue(): void {
    this.resume({ kind: 'continue' });
  }

  step(threadId: number, how: StepHow): void {
    const depth = this.cDepth(threadId);
    if (depth === 0) {
      // The thread is in kernel code with no driver frame: a step runs to its next statement.
      this.resume({ kind: 'step', thread: threadId, depth: Number.MAX_SAFE_INTEGER, how: 'in' });
      return;
    }
    this.resume({ kind: 'step', thread: threadId, depth, how });
  }

  pause(): void {
    if (this.running) this.pauseRequested = true;
  }

  // --- going back -------------------------------------------------------------------------------

  /** Back to the previous statement the thread executed, with the state it had there. */
  stepBack(threadId: number): void {
    let target: StmtRecord | undefined;
    for (let i = this.stmts.length - 1; i >= 0; i--) {
      const r = this.stmts[i];
      if (r.step < this.stoppedStep && r.thread === threadId) {
        target = r;
        break;
      }
    }
    if (!target) target = this.stmts.find((r) => r.step <= this.stoppedStep);
    if (!target) {
      this.emitStop({ reason: 'step', threadId, description: 'Paused at the start of the run' });
      return;
    }
    this.replayTo(target.step);
    this.emitStop({ reason: 'step', threadId: target.thread, description: `Paused on step back (${this.world.sim.now} ms)` });
  }

  /** Back to the most recent earlier point where a breakpoint or an enabled filter would stop. */
  reverseContinue(): void {
    const candidates: { step: number; thread: number; reason: StopReason; bps?: Breakpoint[]; text?: string }[] = [];
    for (const r of this.stmts) {
      if (r.step >= this.stoppedStep) break;
      const bps = this.breakpoints.at(r.file, r.line);
      if (bps) candidates.push({ step: r.step, thread: r.thread, reason: bps[0].functionName ? 'function breakpoint' : 'breakpoint', bps });
    }
    for (const t of this.transitions) {
      if (t.step < this.stoppedStep && this.filters.has(t.filter)) candidates.push({ step: t.step, thread: t.thread, reason: 'exception', text: t.filter });
    }
    candidates.sort((a, b) => b.step - a.step);
    for (const c of candidates) {
      this.replayTo(c.step);
      if (c.bps) {
        const hit = c.bps.filter((bp) => !bp.logMessage && this.conditionHolds(bp, c.thread));
        if (hit.length === 0) continue;
        this.emitStop({ reason: c.reason, threadId: c.thread, description: `Paused on ${c.reason} (${this.world.sim.now} ms, going backwards)`, hitBreakpointIds: hit.map((b) => b.id) });
        return;
      }
      this.emitStop({ reason: 'exception', threadId: c.thread, description: `${c.text} (${this.world.sim.now} ms, reverse)`, text: c.text });
      return;
    }
    const first = this.stmts[0];
    this.replayTo(first ? first.step : 0);
    this.emitStop({ reason: 'entry', threadId: first?.thread ?? this.anyThread(), description: 'Paused at the start of the run' });
  }

  /** Rebuilds the world and runs it silently to `step`, recounting breakpoint hits on the way. */
  private replayTo(step: number): void {
    this.world = new World(this.prepared, { seed: this.seed });
    this.breakpoints.resetHits();
    this.stmts = [];
    this.transitions = this.transitions.filter((t) => t.step <= step);
    this.eventCursor = 0;
    this.finished = false;
    const sim = this.world.sim;
    while (sim.stepCount < step) {
      const r = this.world.step();
      if (r.kind === 'stmt') {
        const rec = this.recordStmt(r.thread);
        if (rec) for (const bp of this.breakpoints.at(rec.file, rec.line) ?? []) bp.hits++;
      }
      if (r.kind === 'done' || r.kind === 'fault') break;
    }
    this.eventCursor = sim.eventCount;
  }

  // --- running forward --------------------------------------------------------------------------

  private resume(mode: Mode): void {
    if (this.finished) {
      this.listener.terminated();
      return;
    }
    this.running = true;
    this.pauseRequested = false;
    const slice = (): void => {
      const outcome = this.advance(mode);
      if (outcome === 'more') setImmediate(slice);
      else this.running = false;
    };
    // Send the request's response first; stops and output follow as events.
    setImmediate(slice);
  }

  private advance(mode: Mode): 'more' | 'stopped' | 'done' {
    const world = this.world;
    const sim = world.sim;
    for (let i = 0; i < SLICE; i++) {
      if (this.pauseRequested) {
        this.pauseRequested = false;
        this.emitStop({ reason: 'pause', threadId: sim.kernel.sched.lastStepped?.id ?? this.anyThread(), description: `Paused (${sim.now} ms)` });
        return 'stopped';
      }
      const r = world.step();
      const transition = this.drainEvents(sim.stepCount);
      if (r.kind === 'fault') {
        const f = world.fault;
        this.finished = true;
        const where = f?.file ? ` at ${f.file}:${f.line}` : '';
        this.listener.output(`The run stopped${where}: ${f?.message ?? 'driver code failed'}\n`, 'stderr', f?.file ? { file: f.file, line: f.line ?? 1 } : undefined);
        this.emitStop({ reason: 'exception', threadId: r.thread, description: 'driver code failed', text: f?.message ?? 'driver code failed' });
        return 'stopped';
      }
      if (r.kind === 'done') {
        this.finished = true;
        this.reportEnd();
        this.listener.terminated();
        return 'done';
      }
      let stmt: StmtRecord | undefined;
      if (r.kind === 'stmt') stmt = this.recordStmt(r.thread);
      if (stmt) {
        const hit = this.breakpointHit(stmt);
        if (hit) {
          this.emitStop({ reason: hit[0].functionName ? 'function breakpoint' : 'breakpoint', threadId: stmt.thread, description: `Paused on ${hit[0].functionName ? 'function breakpoint' : 'breakpoint'} (${sim.now} ms)`, hitBreakpointIds: hit.map((b) => b.id) });
          return 'stopped';
        }
        if (this.stepStopsAt(mode, stmt)) {
          this.emitStop({ reason: mode.kind === 'entry' ? 'entry' : 'step', threadId: stmt.thread, description: `Paused on ${mode.kind === 'entry' ? 'entry' : 'step'} (${sim.now} ms)` });
          return 'stopped';
        }
      }
      if (transition) {
        this.emitStop({ reason: 'exception', threadId: transition.thread, description: `${transition.detail} (${sim.now} ms)`, text: transition.detail });
        return 'stopped';
      }
      if (mode.kind === 'step' && !this.world.sim.kernel.threads.has(mode.thread)) {
        // The stepped thread ended: carry on as a plain continue.
        mode = { kind: 'continue' };
      }
    }
    return 'more';
  }

  /** Forwards output and violations; returns the first event an enabled transition filter matches. */
  private drainEvents(step: number): SimEvent | undefined {
    const sim = this.world.sim;
    let hit: SimEvent | undefined;
    while (this.eventCursor < sim.eventCount) {
      const e = sim.event(++this.eventCursor);
      if (e === undefined) continue;
      const loc = e.location ? { file: e.location.file, line: e.location.line } : undefined;
      if (e.kind === 'output') this.listener.output(`${e.detail}\n`, 'stdout', loc);
      else if (e.kind === 'violation') this.listener.output(`[${e.time} ms, ${e.threadName}] violation ${e.detail}${loc ? ` (${loc.file}:${loc.line})` : ''}\n`, 'stderr', loc);
      const filter = FILTER_OF_EVENT[e.kind];
      if (filter) {
        this.transitions.push({ step, filter, thread: e.thread });
        if (!hit && this.filters.has(filter)) hit = e;
      }
    }
    return hit;
  }

  private reportEnd(): void {
    const sim = this.world.sim;
    this.drainEvents(sim.stepCount);
    const verdict = this.world.verdict();
    for (const p of verdict.problems) this.listener.output(`${problemLine(p)}\n`, 'stderr');
    for (const r of verdict.expectations) this.listener.output(`${expectationLine(r)}\n`, r.passed ? 'console' : 'stderr');
    this.listener.output(`Run finished at ${sim.now} ms after ${sim.stepCount} steps: ${verdictSummary(verdict)}\n`, 'console');
  }

  private recordStmt(threadId: number): StmtRecord | undefined {
    const t = this.world.sim.kernel.threads.get(threadId);
    const top = t?.frames[t.frames.length - 1];
    if (!(top instanceof CFrame) || top.fn.system) return undefined;
    const rec = { step: this.world.sim.stepCount, thread: threadId, file: normalizePath(top.file), line: top.line };
    this.stmts.push(rec);
    return rec;
  }

  private breakpointHit(stmt: StmtRecord): Breakpoint[] | undefined {
    const bps = this.breakpoints.at(stmt.file, stmt.line);
    if (!bps) return undefined;
    const stops: Breakpoint[] = [];
    for (const bp of bps) {
      if (!this.conditionHolds(bp, stmt.thread)) continue;
      bp.hits++;
      if (!hitConditionHolds(bp.hitCondition, bp.hits)) continue;
      if (bp.logMessage !== undefined) {
        this.listener.output(`${this.interpolate(bp.logMessage, stmt.thread)}\n`, 'console', { file: stmt.file, line: stmt.line });
        continue;
      }
      stops.push(bp);
    }
    return stops.length > 0 ? stops : undefined;
  }

  private conditionHolds(bp: Breakpoint, threadId: number): boolean {
    if (!bp.condition || bp.condition.trim() === '') return true;
    const r = this.evaluate(threadId, bp.condition);
    if (!r.ok) {
      this.listener.output(`Breakpoint condition '${bp.condition}' could not be evaluated: ${r.message}; stopping there.\n`, 'stderr');
      return true;
    }
    return typeof r.value === 'number' ? r.value !== 0 : r.value !== null && r.value !== undefined;
  }

  /** A logpoint message with each `{expression}` replaced by its value. */
  private interpolate(message: string, threadId: number): string {
    return message.replace(/\{([^{}]+)\}/g, (_m, expr: string) => {
      const r = this.evaluate(threadId, expr);
      return r.ok ? this.display(r) : `<${r.message}>`;
    });
  }

  private display(r: { value: unknown; type: import('../../engine').CType }): string {
    return renderValue(this.world, r.value, r.type);
  }

  private stepStopsAt(mode: Mode, stmt: StmtRecord): boolean {
    switch (mode.kind) {
      case 'continue':
        return false;
      case 'entry':
        return true;
      case 'step': {
        if (stmt.thread !== mode.thread) return false;
        const depth = this.cDepth(stmt.thread);
        if (mode.how === 'in') return true;
        if (mode.how === 'over') return depth <= mode.depth;
        return depth < mode.depth;
      }
    }
  }

  /** Driver (non-prelude) C frames on the thread's stack. */
  cDepth(threadId: number): number {
    const t = this.world.sim.kernel.threads.get(threadId);
    if (!t) return 0;
    let n = 0;
    for (const f of t.frames) if (f instanceof CFrame && !f.fn.system) n++;
    return n;
  }

  private anyThread(): number {
    const first = this.world.sim.kernel.threads.keys().next();
    return first.done ? 0 : first.value;
  }

  private emitStop(stop: StopEvent): void {
    this.stoppedStep = this.world.sim.stepCount;
    this.stoppedThread = stop.threadId;
    this.stopGeneration++;
    this.running = false;
    this.listener.stopped(stop);
  }

  // --- inspection -------------------------------------------------------------------------------

  /** Evaluates a C expression in the innermost driver frame of a thread. */
  evaluate(threadId: number, text: string, frame?: CFrame, allowAssignment = false): ReturnType<typeof evaluateInFrame> {
    const t = this.world.sim.kernel.threads.get(threadId);
    let f = frame;
    if (!f && t) {
      for (let i = t.frames.length - 1; i >= 0; i--) {
        const x = t.frames[i];
        if (x instanceof CFrame && !x.fn.system) {
          f = x;
          break;
        }
      }
    }
    return evaluateInFrame(this.world, f, text, allowAssignment);
  }
}

import { renderValue } from './render';
