/**
 * The Debug Adapter Protocol session: translates DAP requests into calls on DebugRuntime and the
 * runtime's stops and output into DAP events. It never touches `vscode`, so the same class runs
 * inline in the extension host and as the standalone dist/debugAdapter.js process.
 */
import * as path from 'node:path';
import {
  Handles, InitializedEvent, OutputEvent, Source, StoppedEvent, TerminatedEvent, Thread, LoggingDebugSession, Breakpoint as DapBreakpoint,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { CFrame, formatRunDiagnostic, inspect, inspectContext, prepareScenario, type Expandable, type HostFiles, type InspectChild, type KThread } from '../../engine';
import { nodeFiles } from '../cli/nodeFiles';
import type { Breakpoint } from './breakpoints';
import { renderValue } from './render';
import { DebugRuntime, type StopEvent } from './runtime';
import { ScopeBuilder } from './scopes';
import { TRANSITION_FILTERS } from './transitionFilters';

/** Launch arguments; the debugger contribution's JSON schema in package.json mirrors this. */
export interface LaunchArguments extends DebugProtocol.LaunchRequestArguments {
  /** Path of the .fltsim scenario to run. */
  scenario: string;
  /** Stop at the first statement of the first DriverEntry. */
  stopOnEntry?: boolean;
  /** Seed of the scheduler; the scenario's `seed` line or 1 when absent. */
  seed?: number;
}

interface FrameRef {
  threadId: number;
  index: number;
}

export class FltsimDebugSession extends LoggingDebugSession {
  private runtime: DebugRuntime | undefined;
  private scopes: ScopeBuilder | undefined;
  private readonly frames = new Handles<FrameRef>();
  private readonly containers = new Handles<{ expand: Expandable; frame?: FrameRef }>();
  private handlesGeneration = -1;
  private readonly ready: Promise<DebugRuntime | undefined>;
  private resolveReady!: (r: DebugRuntime | undefined) => void;
  private configurationDone!: () => void;
  private readonly configured: Promise<void>;
  private filters: string[] = TRANSITION_FILTERS.filter((f) => f.default).map((f) => f.id);
  private lastStop: StopEvent | undefined;
  private linesStartAt1 = true;

  constructor(private readonly files: HostFiles = nodeFiles) {
    super();
    this.ready = new Promise((r) => (this.resolveReady = r));
    this.configured = new Promise((r) => (this.configurationDone = r));
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  // --- session setup ----------------------------------------------------------------------------

  protected override initializeRequest(response: DebugProtocol.InitializeResponse, args: DebugProtocol.InitializeRequestArguments): void {
    this.linesStartAt1 = args.linesStartAt1 !== false;
    response.body = {
      ...response.body,
      supportsConfigurationDoneRequest: true,
      supportsFunctionBreakpoints: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsEvaluateForHovers: true,
      supportsSetVariable: true,
      supportsStepBack: true,
      supportsTerminateRequest: true,
      supportsExceptionInfoRequest: true,
      supportsDelayedStackTraceLoading: true,
      exceptionBreakpointFilters: TRANSITION_FILTERS.map((f) => ({ filter: f.id, label: f.label, description: f.description, default: f.default })),
    };
    this.sendResponse(response);
    this.sendEvent(new InitializedEvent());
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.configurationDone();
    this.sendResponse(response);
  }

  protected override async launchRequest(response: DebugProtocol.LaunchResponse, args: LaunchArguments): Promise<void> {
    if (typeof args.scenario !== 'string' || args.scenario.trim() === '') {
      this.fail(response, 'The launch configuration needs "scenario": the path of a .fltsim file.');
      return;
    }
    if (args.seed !== undefined && (!Number.isInteger(args.seed) || args.seed < 0)) {
      this.fail(response, `"seed" must be a non-negative integer (got ${JSON.stringify(args.seed)}).`);
      return;
    }
    const scenarioPath = path.resolve(args.scenario);
    let prepared;
    try {
      prepared = await prepareScenario(scenarioPath, this.files);
    } catch (e) {
      this.fail(response, `fltsim could not start ${args.scenario}: ${(e as Error).message}`);
      return;
    }
    if (!prepared.ok) {
      const lines = prepared.diagnostics.filter((d) => d.severity === 'error').map(formatRunDiagnostic);
      for (const l of lines) this.sendEvent(new OutputEvent(`${l}\n`, 'stderr'));
      this.fail(response, `The scenario cannot run: ${lines[0] ?? 'unknown problem'}${lines.length > 1 ? ` (and ${lines.length - 1} more in the Debug Console)` : ''}`);
      return;
    }
    for (const w of prepared.prepared.warnings) this.sendEvent(new OutputEvent(`${formatRunDiagnostic(w)}\n`, 'console'));
    const runtime = new DebugRuntime(prepared.prepared, args.seed, {
      stopped: (stop) => this.onStopped(stop),
      output: (text, category, location) => {
        const e = new OutputEvent(text, category) as DebugProtocol.OutputEvent;
        if (location) {
          e.body.source = this.sourceOf(location.file);
          e.body.line = this.convertDebuggerLineToClient(location.line);
        }
        this.sendEvent(e);
      },
      terminated: () => this.sendEvent(new TerminatedEvent()),
    });
    runtime.setTransitionFilters(this.filters);
    this.runtime = runtime;
    this.scopes = new ScopeBuilder(() => runtime.world, () => runtime.stopGeneration);
    this.resolveReady(runtime);
    this.sendEvent(new OutputEvent(`fltsim: ${prepared.prepared.scenario.title ?? path.basename(scenarioPath)} (seed ${runtime.world.seed})\n`, 'console'));
    // Breakpoints arrive between initialized and configurationDone; wait for them (at most 5 s).
    await Promise.race([this.configured, new Promise((r) => setTimeout(r, 5000))]);
    this.sendResponse(response);
    runtime.start(!!args.stopOnEntry);
  }

  private fail(response: DebugProtocol.Response, message: string): void {
    this.resolveReady(undefined);
    this.sendErrorResponse(response, { id: 1001, format: message, showUser: true });
    this.sendEvent(new TerminatedEvent());
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.runtime?.pause();
    this.sendResponse(response);
    this.sendEvent(new TerminatedEvent());
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
    this.runtime?.pause();
    this.sendResponse(response);
  }

  // --- breakpoints ------------------------------------------------------------------------------

  protected override async setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): Promise<void> {
    const runtime = await this.ready;
    const specs = (args.breakpoints ?? []).map((b) => ({ line: this.convertClientLineToDebugger(b.line), condition: b.condition, hitCondition: b.hitCondition, logMessage: b.logMessage }));
    const file = args.source.path ?? '';
    if (!runtime) {
      response.body = { breakpoints: specs.map((s) => ({ verified: false, line: s.line, message: 'the scenario did not start' })) };
      this.sendResponse(response);
      return;
    }
    const set = runtime.breakpoints.setLineBreakpoints(file, specs);
    response.body = { breakpoints: set.map((bp) => this.toDap(bp)) };
    this.sendResponse(response);
  }

  protected override async setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): Promise<void> {
    const runtime = await this.ready;
    if (!runtime) {
      response.body = { breakpoints: args.breakpoints.map(() => ({ verified: false, message: 'the scenario did not start' })) };
      this.sendResponse(response);
      return;
    }
    const set = runtime.breakpoints.setFunctionBreakpoints(args.breakpoints.map((b) => ({ name: b.name, condition: b.condition, hitCondition: b.hitCondition })));
    response.body = { breakpoints: set.map((bp) => this.toDap(bp)) };
    this.sendResponse(response);
  }

  protected override setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    const known = new Set(TRANSITION_FILTERS.map((f) => f.id as string));
    this.filters = args.filters.filter((f) => known.has(f));
    this.runtime?.setTransitionFilters(this.filters);
    response.body = { breakpoints: args.filters.map((f) => ({ verified: known.has(f) })) };
    this.sendResponse(response);
  }

  private toDap(bp: Breakpoint): DebugProtocol.Breakpoint {
    const b = new DapBreakpoint(bp.verified, this.convertDebuggerLineToClient(bp.line)) as DebugProtocol.Breakpoint;
    b.id = bp.id;
    if (bp.file) b.source = this.sourceOf(bp.file);
    if (bp.message) b.message = bp.message;
    return b;
  }

  // --- execution --------------------------------------------------------------------------------

  private onStopped(stop: StopEvent): void {
    this.lastStop = stop;
    const e = new StoppedEvent(stop.reason, stop.threadId, stop.text) as DebugProtocol.StoppedEvent;
    e.body.description = stop.description;
    e.body.allThreadsStopped = true;
    if (stop.hitBreakpointIds) e.body.hitBreakpointIds = stop.hitBreakpointIds;
    this.sendEvent(e);
  }

  private withRuntime(response: DebugProtocol.Response, fn: (r: DebugRuntime) => void): void {
    const r = this.runtime;
    if (!r) {
      this.sendErrorResponse(response, { id: 1002, format: 'no scenario is running', showUser: false });
      return;
    }
    this.sendResponse(response);
    fn(r);
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    response.body = { allThreadsContinued: true };
    this.withRuntime(response, (r) => r.continue());
  }

  protected override nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.withRuntime(response, (r) => r.step(args.threadId, 'over'));
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    this.withRuntime(response, (r) => r.step(args.threadId, 'in'));
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse, args: DebugProtocol.StepOutArguments): void {
    this.withRuntime(response, (r) => r.step(args.threadId, 'out'));
  }

  protected override stepBackRequest(response: DebugProtocol.StepBackResponse, args: DebugProtocol.StepBackArguments): void {
    this.withRuntime(response, (r) => r.stepBack(args.threadId));
  }

  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
    this.withRuntime(response, (r) => r.reverseContinue());
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.withRuntime(response, (r) => r.pause());
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    const stop = this.lastStop;
    response.body = {
      exceptionId: stop?.reason === 'exception' ? (stop.text?.split(':')[0] ?? 'transition') : 'none',
      description: stop?.text ?? stop?.description ?? '',
      breakMode: 'always',
    };
    this.sendResponse(response);
  }

  // --- threads, stacks, variables ---------------------------------------------------------------

  private resetHandlesIfStale(): void {
    const gen = this.runtime?.stopGeneration ?? 0;
    if (gen !== this.handlesGeneration) {
      this.handlesGeneration = gen;
      this.frames.reset();
      this.containers.reset();
    }
  }

  private thread(id: number): KThread | undefined {
    return this.runtime?.world.sim.kernel.threads.get(id);
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    const threads = this.runtime ? [...this.runtime.world.sim.kernel.threads.values()].sort((a, b) => a.id - b.id) : [];
    response.body = { threads: threads.length > 0 ? threads.map((t) => new Thread(t.id, t.name)) : [new Thread(1, this.runtime?.isFinished ? 'run finished' : 'starting')] };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    this.resetHandlesIfStale();
    const t = this.thread(args.threadId);
    const frames = t ? [...t.frames].map((f, index) => ({ f, index })).reverse() : [];
    const start = args.startFrame ?? 0;
    const count = args.levels && args.levels > 0 ? args.levels : frames.length;
    const page = frames.slice(start, start + count);
    response.body = {
      totalFrames: frames.length,
      stackFrames: page.map(({ f, index }) => {
        const id = this.frames.create({ threadId: args.threadId, index });
        if (f instanceof CFrame && !f.fn.system) {
          return { id, name: `${f.module}!${f.name}`, source: this.sourceOf(f.file), line: this.convertDebuggerLineToClient(f.line), column: f.column };
        }
        return { id, name: f.module ? `${f.module}!${f.name}` : f.name, line: 0, column: 0, presentationHint: 'subtle' as const };
      }),
    };
    this.sendResponse(response);
  }

  private frameOf(ref: FrameRef | undefined): { thread: KThread; frame: CFrame | undefined } | undefined {
    if (!ref) return undefined;
    const thread = this.thread(ref.threadId);
    if (!thread) return undefined;
    const f = thread.frames[ref.index];
    return { thread, frame: f instanceof CFrame && !f.fn.system ? f : undefined };
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    this.resetHandlesIfStale();
    const ref = this.frames.get(args.frameId);
    const at = this.frameOf(ref);
    if (!at || !this.scopes) {
      response.body = { scopes: [] };
      this.sendResponse(response);
      return;
    }
    response.body = {
      scopes: this.scopes.scopes(at.thread, at.frame).map((s) => ({ name: s.name, expensive: s.expensive, variablesReference: this.containers.create({ expand: s.container, frame: ref }) })),
    };
    this.sendResponse(response);
  }

  private toVariable(c: InspectChild, frame: FrameRef | undefined): DebugProtocol.Variable {
    const v: DebugProtocol.Variable = { name: c.name, value: c.value, type: c.type || undefined, variablesReference: 0 };
    if (c.evaluateName) v.evaluateName = c.evaluateName;
    if (c.expand) {
      v.variablesReference = this.containers.create({ expand: c.expand, frame });
      if (c.expand.indexedCount !== undefined) v.indexedVariables = c.expand.indexedCount;
    }
    return v;
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    this.resetHandlesIfStale();
    const entry = this.containers.get(args.variablesReference);
    if (!entry) {
      response.body = { variables: [] };
      this.sendResponse(response);
      return;
    }
    let children: InspectChild[] = [];
    try {
      const { expand } = entry;
      if (args.filter !== 'named' && expand.indexed && expand.indexedCount !== undefined) {
        const start = args.start ?? 0;
        const count = args.count && args.count > 0 ? args.count : expand.indexedCount - start;
        children = expand.indexed(start, count);
      }
      if (args.filter !== 'indexed' && expand.named) children = [...expand.named(), ...children];
    } catch (e) {
      children = [{ name: '(error)', value: (e as Error).message, type: '' }];
    }
    response.body = { variables: children.map((c) => this.toVariable(c, entry.frame)) };
    this.sendResponse(response);
  }

  protected override setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): void {
    const entry = this.containers.get(args.variablesReference);
    const runtime = this.runtime;
    const child = entry?.expand.named?.().find((c) => c.name === args.name);
    if (!runtime || !entry || !child || !child.place) {
      this.sendErrorResponse(response, { id: 1003, format: `'${args.name}' cannot be changed here`, showUser: true });
      return;
    }
    const at = this.frameOf(entry.frame);
    const threadId = entry.frame?.threadId ?? runtime.stoppedThread;
    const r = child.evaluateName
      ? runtime.evaluate(threadId, `${child.evaluateName} = (${args.value})`, at?.frame, true)
      : runtime.evaluate(threadId, args.value, at?.frame);
    if (!r.ok) {
      this.sendErrorResponse(response, { id: 1004, format: `cannot set ${args.name}: ${r.message}`, showUser: true });
      return;
    }
    if (!child.evaluateName) child.place.set(r.value);
    const now = child.place.get();
    response.body = { value: renderValue(runtime.world, now, child.place.type) };
    this.sendResponse(response);
  }

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    this.resetHandlesIfStale();
    const runtime = this.runtime;
    if (!runtime) {
      this.sendErrorResponse(response, { id: 1005, format: 'no scenario is running', showUser: false });
      return;
    }
    const ref = args.frameId !== undefined ? this.frames.get(args.frameId) : undefined;
    const at = this.frameOf(ref);
    const r = runtime.evaluate(at?.thread.id ?? runtime.stoppedThread, args.expression, at?.frame, args.context === 'repl');
    if (!r.ok) {
      this.sendErrorResponse(response, { id: 1006, format: r.message, showUser: false });
      return;
    }
    const shown = inspect(inspectContext(runtime.world), r.value, r.type, undefined, args.expression);
    const v = this.toVariable({ name: args.expression, ...shown }, ref);
    response.body = { result: v.value, type: v.type, variablesReference: v.variablesReference, indexedVariables: v.indexedVariables };
    this.sendResponse(response);
  }

  private sourceOf(file: string): Source {
    return new Source(path.basename(file), file);
  }

  protected override dispatchRequest(request: DebugProtocol.Request): void {
    try {
      super.dispatchRequest(request);
    } catch (e) {
      // Never crash the adapter: report the failure on the request that caused it.
      const response: DebugProtocol.Response = { seq: 0, type: 'response', request_seq: request.seq, command: request.command, success: false };
      this.sendErrorResponse(response, { id: 1099, format: `fltsim: ${(e as Error).message}`, showUser: true });
    }
  }

  /** The lines-start-at convention the client asked for (kept for completeness in tests). */
  get clientLinesStartAt1(): boolean {
    return this.linesStartAt1;
  }
}
