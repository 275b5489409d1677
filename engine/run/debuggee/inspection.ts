/**
 * Looking at the world where the run stopped: threads, call stacks, the Variables view's scopes and
 * trees, evaluating C in a frame and setting values. Handles it gives out are good until the next
 * stop (`reset`). An assignment that succeeds is handed to the Debuggee, which sets it again when a
 * replay passes the same step.
 */
import { CFrame } from '../../interp/frame';
import type { KThread } from '../../kernel/thread';
import { evaluateInFrame, inspectContext } from '../evaluate';
import { inspect } from '../inspect';
import type { World } from '../world';
import type { Edit } from './modes';
import { Scopes } from './scopes';
import { driverFrameAt, innermostDriverFrame } from './threadFrames';
import type { EvaluateOptions, EvaluationResult, FrameInfo, ScopeInfo, SetValueResult, ThreadInfo } from './types';
import { VariableHandles, type VariableInfo, type VariablesQuery } from './variables';

/** What inspection needs of the Debuggee; the world changes when it goes back in time. */
export interface InspectionHost {
  world(): World;
  /** The thread the current stop is on: where evaluation happens unless told otherwise. */
  stoppedThread(): number;
  /** A file's path as the user sees it. */
  shown(file: string): string;
  /** An assignment evaluated at the current step. */
  record(edit: Edit): void;
}

export class Inspection {
  private readonly handles = new VariableHandles();
  private scopeTrees: Scopes | undefined;

  constructor(private readonly host: InspectionHost) {}

  /** Forgets the handles and trees of the previous stop. */
  reset(): void {
    this.handles.reset();
    this.scopeTrees = undefined;
  }

  /** Whether `handle` (from scopes, variables or evaluate) belongs to the current stop. */
  hasHandle(handle: number): boolean {
    return this.handles.get(handle) !== undefined;
  }

  threads(): ThreadInfo[] {
    return [...this.host.world().sim.kernel.threads.values()].sort((a, b) => a.id - b.id).map((t) => ({ id: t.id, name: t.name }));
  }

  /** The thread's call stack, innermost first. */
  frames(threadId: number): FrameInfo[] {
    const t = this.host.world().sim.kernel.threads.get(threadId);
    if (!t) return [];
    const out: FrameInfo[] = [];
    for (let index = t.frames.length - 1; index >= 0; index--) {
      const f = t.frames[index]!;
      if (f instanceof CFrame && !f.fn.system) out.push({ index, name: `${f.module}!${f.name}`, source: { file: this.host.shown(f.file), line: f.line, column: f.column } });
      else out.push({ index, name: f.module ? `${f.module}!${f.name}` : f.name });
    }
    return out;
  }

  /** The Variables view's scopes for a frame: Locals (driver frames), Thread, Callback Data, Queues, Filters. */
  scopes(threadId: number, frameIndex: number): ScopeInfo[] {
    const world = this.host.world();
    const t = world.sim.kernel.threads.get(threadId);
    if (!t || !Number.isInteger(frameIndex) || frameIndex < 0 || frameIndex >= t.frames.length) return [];
    const frame = driverFrameAt(t, frameIndex);
    const ref = { threadId, index: frameIndex };
    this.scopeTrees ??= new Scopes(world);
    return this.scopeTrees.scopes(t, frame).map((s) => ({ name: s.name, handle: this.handles.add(s.container, ref) }));
  }

  /** The children behind a handle from `scopes`, `variables` or `evaluate` of this stop. */
  variables(handle: number, query?: VariablesQuery): VariableInfo[] {
    return this.handles.children(handle, query);
  }

  evaluate(text: string, options: EvaluateOptions = {}): EvaluationResult {
    const at = this.evaluationFrame(options);
    const r = this.evaluateRaw(text, options);
    if (!r.ok) return r;
    const shown = inspect(inspectContext(this.host.world()), r.value, r.type, undefined, text);
    const row = this.handles.row({ name: text, ...shown }, at && { threadId: at.thread.id, index: at.index });
    const out: EvaluationResult = { ok: true, value: row.value, type: row.type, handle: row.handle, indexedCount: row.indexedCount };
    if (row.memoryReference) out.memoryReference = row.memoryReference;
    if (row.hexValue) out.hexValue = row.hexValue;
    return out;
  }

  /** Sets the child `name` of a handle's value from C text (`STATUS_SUCCESS`, `Length + 1`). */
  setValue(handle: number, name: string, text: string): SetValueResult {
    const entry = this.handles.get(handle);
    const child = entry?.expand.named?.().find((c) => c.name === name);
    if (!entry || !child || !child.place || !child.evaluateName) return { ok: false, message: `'${name}' cannot be changed here` };
    const where: EvaluateOptions = { threadId: entry.frame?.threadId, frameIndex: entry.frame?.index };
    const set = this.evaluateRaw(`${child.evaluateName} = (${text})`, { ...where, allowAssignment: true });
    if (!set.ok) return { ok: false, message: `cannot set ${name}: ${set.message}` };
    const now = this.evaluateRaw(child.evaluateName, where);
    if (!now.ok) return { ok: false, message: now.message };
    const shown = inspect(inspectContext(this.host.world()), now.value, child.place.type, name);
    return { ok: true, value: shown.value, type: shown.type };
  }

  /**
   * The C expression that names child `name` of a handle's value, and the frame it is named in (a
   * data breakpoint on a row of the Variables view); a message when the row has no such name.
   */
  childExpression(handle: number, name: string): { text: string; where: EvaluateOptions } | string {
    const entry = this.handles.get(handle);
    if (!entry) return `reference ${handle} does not exist (references last until the next stop)`;
    const child = entry.expand.named?.().find((c) => c.name === name);
    if (!child) return `'${name}' is not shown under that reference`;
    if (!child.evaluateName) return `'${name}' is fltsim's view of the run, not a C object the driver can reach`;
    return { text: child.evaluateName, where: { threadId: entry.frame?.threadId, frameIndex: entry.frame?.index } };
  }

  /** Evaluates in the chosen frame; an assignment that succeeds is recorded for replays. */
  evaluateRaw(text: string, options: EvaluateOptions): ReturnType<typeof evaluateInFrame> {
    const world = this.host.world();
    const at = this.evaluationFrame(options);
    const r = evaluateInFrame(world, at?.frame, text, options.allowAssignment === true);
    if (r.ok && r.writes && at) this.host.record({ step: world.sim.stepCount, frame: { threadId: at.thread.id, index: at.index }, text });
    return r;
  }

  /** The chosen driver frame, else the innermost driver frame of the thread (default: the stopped one). */
  evaluationFrame(options: EvaluateOptions): { thread: KThread; frame: CFrame; index: number } | undefined {
    const t = this.host.world().sim.kernel.threads.get(options.threadId ?? this.host.stoppedThread());
    if (!t) return undefined;
    if (options.frameIndex !== undefined) {
      const f = driverFrameAt(t, options.frameIndex);
      if (f) return { thread: t, frame: f, index: options.frameIndex };
    }
    const inner = innermostDriverFrame(t);
    return inner && { thread: t, ...inner };
  }
}
