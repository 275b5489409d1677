/**
 * The Debug Adapter Protocol session: translates DAP requests into calls on the engine's Debuggee,
 * and the Debuggee's stops and output into DAP events, as vscode-mock-debug's session does over its
 * runtime. The only thing it adds is time: it runs a command in slices and lets the messages that
 * arrived in between (a pause, a disconnect) in after each one. dist/debugAdapter.js runs it as
 * its own process, so a driver that never stops looping costs that process, not the editor.
 */
import {
  BreakpointEvent, CapabilitiesEvent, Handles, InitializedEvent, InvalidatedEvent, MemoryEvent, OutputEvent, Source, StoppedEvent, TerminatedEvent, Thread, LoggingDebugSession, Breakpoint as DapBreakpoint,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import {
  Debuggee, formatRunDiagnostic, parseReplayFile, prepareScenario, rulesOf, textHash, type BreakpointInfo, type CommandResult, type OutputCategory,
  type PathRules, type ProjectFiles, type ReplayFile, type Stop, type VariableInfo,
} from '../../engine';
import { terminalSafe } from '../shared/safeText';
import { processFiles } from '../shared/simulatedWindows';
import { CompiledTexts } from './compiledTexts';
import { dataBreakpointInfo, readMemory, setDataBreakpoints, toDapDataBreakpoint, writeMemory } from './dataAndMemory';
import { completionItem } from './consoleRequests';
import { answerCustomRequest } from './customRequests';
import { checkArguments } from './requestSchemas';
import { TRANSITION_FILTERS } from './transitionFilters';

/** Launch arguments; the debugger contribution's JSON schema in package.json mirrors this. */
export interface LaunchArguments extends DebugProtocol.LaunchRequestArguments {
  /** Path of the .fltsim scenario to run. */
  scenario: string;
  /** Stop at the first statement of the first DriverEntry. */
  stopOnEntry?: boolean;
  /** Seed of the scheduler; the scenario's `seed` line or 1 when absent. */
  seed?: number;
  /** The workspace folder (the client fills it in): drivers read from outside it get a warning. */
  workspaceFolder?: string;
  /**
   * A replay file from `fltsim explore`: the run follows its schedule and stops where the schedule
   * first differs from the default one.
   */
  replay?: string;
}

/**
 * How long the Debuggee runs before the session lets other messages in (a pause, a disconnect), and
 * how many steps it takes between looks at the clock. A pause is heard within about SLICE_MS.
 */
const SLICE_MS = 15;
const STEPS_PER_LOOK = 500;

/** Error ids of the responses the session refuses; the message says why. */
const BAD_ARGUMENTS = 1010;
const NO_SUCH_THING = 1011;
const HANDLER_FAILED = 1099;

/** The one thread threadsRequest offers when no simulated thread exists (VS Code wants at least one). */
const PLACEHOLDER_THREAD = 1;

interface FrameRef {
  threadId: number;
  index: number;
}

export class FltsimDebugSession extends LoggingDebugSession {
  private debuggee: Debuggee | undefined;
  /** DAP frame ids of the current stop. Variable references are the Debuggee's own handles. */
  private readonly frames = new Handles<FrameRef>();
  private framesGeneration = -1;
  private ready: Promise<Debuggee | undefined>;
  /** The last launch was refused: another may be tried in this session (a client may correct it). */
  private launchFailed = false;
  private resolveReady!: (d: Debuggee | undefined) => void;
  private configurationDone!: () => void;
  private readonly configured: Promise<void>;
  private filters: string[] = TRANSITION_FILTERS.filter((f) => f.default).map((f) => f.id);
  /** A slice is scheduled or running. */
  private driving = false;
  /** Disconnected or terminated: no more slices. */
  private closed = false;
  /** A launch request arrived (the Debuggee is being prepared or exists). */
  private launched = false;
  private launchArrived!: () => void;
  /** Settles when the first launch request arrives. */
  private readonly launchSeen = new Promise<void>((r) => (this.launchArrived = r));

  /** How paths compare and are shown: the rules of the file system the scenario is read from. */
  private readonly paths: PathRules;

  /** `files`: the local disk, or the simulated Windows volume a test asked for (shared/simulatedWindows.ts). */
  constructor(private readonly files: ProjectFiles = processFiles()) {
    super();
    this.paths = rulesOf(files);
    this.ready = new Promise((r) => (this.resolveReady = r));
    this.configured = new Promise((r) => (this.configurationDone = r));
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  // --- session setup ----------------------------------------------------------------------------

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
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
      supportsDataBreakpoints: true,
      supportsDataBreakpointBytes: true,
      supportsReadMemoryRequest: true,
      supportsWriteMemoryRequest: true,
      supportsValueFormattingOptions: true,
      supportsCompletionsRequest: true,
      completionTriggerCharacters: ['.', '>'],
      supportsBreakpointLocationsRequest: true,
      supportsRestartRequest: true,
      supportsLoadedSourcesRequest: true,
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
    await this.guarded(response, () => this.launch(response, args));
  }

  private async launch(response: DebugProtocol.LaunchResponse, args: LaunchArguments): Promise<void> {
    if (typeof args.scenario !== 'string' || args.scenario.trim() === '') {
      this.fail(response, 'The launch configuration needs "scenario": the path of a .fltsim file.');
      return;
    }
    if (args.seed !== undefined && (!Number.isInteger(args.seed) || args.seed < 0)) {
      this.fail(response, `"seed" must be a non-negative integer (got ${JSON.stringify(args.seed)}).`);
      return;
    }
    const scenarioPath = this.launchPath(args.scenario);
    let replay: ReplayFile | undefined;
    if (args.replay !== undefined) {
      if (typeof args.replay !== 'string' || args.replay.trim() === '') {
        this.fail(response, '"replay" must be the path of a replay file written by fltsim explore.');
        return;
      }
      if (args.seed !== undefined) {
        this.fail(response, '"seed" and "replay" do not go together: the replay file holds its seed.');
        return;
      }
      const replayPath = this.launchPath(args.replay);
      const text = this.files.readFile(replayPath);
      const parsed = text === undefined ? { ok: false as const, message: `it ${this.files.whyUnreadable?.(replayPath) ?? 'cannot be read'}` } : parseReplayFile(text);
      if (!parsed.ok) {
        this.fail(response, `The replay file ${replayPath} cannot be used: ${parsed.message}.`);
        return;
      }
      replay = parsed.replay;
      const scenarioText = this.files.readFile(scenarioPath);
      if (replay.scenarioHash && scenarioText !== undefined && textHash(scenarioText) !== replay.scenarioHash) {
        this.sendEvent(new OutputEvent(`fltsim: ${this.paths.basename(scenarioPath)} changed since ${this.paths.basename(replayPath)} was recorded; the schedule may not fit it any more.\n`, 'stderr'));
      }
    }
    let debuggee: Debuggee;
    try {
      const prepared = await prepareScenario(scenarioPath, this.files, { workspace: args.workspaceFolder });
      if (!prepared.ok) {
        const lines = prepared.diagnostics.filter((d) => d.severity === 'error').map(formatRunDiagnostic);
        for (const l of lines) this.output(`${l}\n`, 'stderr');
        this.fail(response, `The scenario cannot run: ${lines[0] ?? 'unknown problem'}${lines.length > 1 ? ` (and ${lines.length - 1} more in the Debug Console)` : ''}`);
        return;
      }
      for (const w of prepared.prepared.warnings) this.output(`${formatRunDiagnostic(w)}\n`, w.severity === 'warning' ? 'stderr' : 'console');
      debuggee = new Debuggee(prepared.prepared, {
        seed: args.seed,
        schedule: replay?.schedule,
        output: (text, category, location) => this.output(text, category, location),
        breakpointChanged: (state) => this.sendEvent(new BreakpointEvent('changed', toDapDataBreakpoint(state))),
      });
    } catch (e) {
      this.fail(response, `fltsim could not start ${args.scenario}: ${(e as Error).message}`);
      return;
    }
    debuggee.setTransitionFilters(this.filters);
    this.compiled = new CompiledTexts(this.files, [scenarioPath, ...debuggee.sourceFiles()]);
    this.debuggee = debuggee;
    this.resolveReady(debuggee);
    this.output(`fltsim: ${debuggee.title ?? this.paths.basename(scenarioPath)} (seed ${debuggee.seed})\n`, 'console');
    if (replay) {
      const why = replay.failure.length > 0 ? `; it failed with: ${replay.failure[0]}` : '';
      this.output(`fltsim: following the schedule of ${this.paths.basename(args.replay!)} (${replay.schedule.choices.length} recorded choices, first change from the default at decision ${replay.firstChange})${why}\n`, 'console');
    }
    // Breakpoints arrive between initialized and configurationDone; wait for them (at most 5 s).
    await Promise.race([this.configured, new Promise((r) => setTimeout(r, 5000))]);
    this.sendResponse(response);
    this.stopOnEntry = !!args.stopOnEntry;
    debuggee.start(this.stopOnEntry);
    this.drive();
  }

  /** What the launch compiled, to say at a restart which files were edited since. */
  private compiled: CompiledTexts | undefined;

  /** Whether the launch asked to stop at the first statement (a restart does the same). */
  private stopOnEntry = false;

  /**
   * The same scenario from the start; breakpoints stay (consoleRequests.ts has the why). When the
   * scenario or a driver file was edited since the launch compiled it, the compiled run would judge
   * old code: the adapter instead asks the client for a whole new session (the protocol's
   * `terminated` event with `restart`), first withdrawing its own restart support so the client
   * relaunches — a fresh launch compiles the edited files — rather than sending `restart` again.
   */
  protected override restartRequest(response: DebugProtocol.RestartResponse): void {
    const { edited, gone } = this.compiled?.changed() ?? { edited: [], gone: [] };
    // A file that is gone cannot be compiled again: a new session would only fail to launch, so the
    // restart keeps to the build this session has.
    if (edited.length > 0 && gone.length === 0 && this.debuggee) {
      this.output(`fltsim: ${edited.map((f) => this.paths.basename(f)).join(', ')} changed since this session compiled ${edited.length === 1 ? 'it' : 'them'}; starting a new session to compile the edited version.\n`, 'console');
      this.sendEvent(new CapabilitiesEvent({ supportsRestartRequest: false }));
      this.sendResponse(response);
      this.sendEvent(new TerminatedEvent(true));
      return;
    }
    this.command(response, (d) => {
      d.restart(this.stopOnEntry);
      this.output(`fltsim: restarted ${d.title ?? this.paths.basename(d.scenarioPath)} from the beginning (seed ${d.seed})\n`, 'console');
      if (gone.length > 0) {
        this.output(`fltsim: ${gone.map((f) => this.paths.basename(f)).join(', ')} can no longer be read; the restart runs the build this session compiled.\n`, 'stderr');
      }
    });
  }

  protected override completionsRequest(response: DebugProtocol.CompletionsResponse, args: DebugProtocol.CompletionsArguments): void {
    const ref = args.frameId !== undefined ? this.frameIds().get(args.frameId) : undefined;
    const cursor = this.convertClientColumnToDebugger(args.column) - 1;
    const items = this.debuggee?.completions(args.text, cursor, { threadId: ref?.threadId, frameIndex: ref?.index }) ?? [];
    response.body = { targets: items.map((c) => completionItem(c, (col) => this.convertDebuggerColumnToClient(col))) };
    this.sendResponse(response);
  }

  protected override async breakpointLocationsRequest(response: DebugProtocol.BreakpointLocationsResponse, args: DebugProtocol.BreakpointLocationsArguments): Promise<void> {
    await this.guarded(response, async () => {
      const debuggee = await this.debuggeeWhenReady();
      const path = args.source.path;
      const lines = debuggee && path ? debuggee.breakpointLocations(path, this.convertClientLineToDebugger(args.line), args.endLine !== undefined ? this.convertClientLineToDebugger(args.endLine) : undefined) : [];
      response.body = { breakpoints: lines.map((l) => ({ line: this.convertDebuggerLineToClient(l) })) };
      this.sendResponse(response);
    });
  }

  protected override loadedSourcesRequest(response: DebugProtocol.LoadedSourcesResponse): void {
    response.body = { sources: (this.debuggee?.sourceFiles() ?? []).map((f) => this.sourceOf(f)) };
    this.sendResponse(response);
  }

  /** A launch configuration's path, relative to the adapter's folder; a `file:` URI (some clients send them) as its path. */
  private launchPath(written: string): string {
    const fromUri = /^file:/i.test(written) ? this.paths.fromUri(written) : undefined;
    return this.paths.resolve(process.cwd(), fromUri ?? written);
  }

  private fail(response: DebugProtocol.Response, message: string): void {
    this.launchFailed = true;
    this.resolveReady(undefined);
    this.sendErrorResponse(response, { id: 1001, format: message, variables: {}, showUser: true });
    this.sendEvent(new TerminatedEvent());
  }

  /**
   * The Debuggee once the launch has prepared it; undefined when the launch failed, or when no
   * launch has come a second after a breakpoint request (a client that never launches still gets
   * its answer). A launch that came within that second is waited for however long preparing the
   * scenario takes: a client may send its breakpoints before its launch (both follow `initialize`),
   * and on a loaded machine compiling the drivers takes longer than a second.
   */
  private async debuggeeWhenReady(): Promise<Debuggee | undefined> {
    if (this.launched) return this.ready;
    const came = await Promise.race([this.launchSeen.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(this.launched), 1000))]);
    return came ? this.ready : undefined;
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.closed = true;
    this.sendResponse(response);
    this.sendEvent(new TerminatedEvent());
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
    this.closed = true;
    this.sendResponse(response);
    // Ends the process (not in server mode): nothing of the run is worth keeping.
    this.shutdown();
  }

  // --- breakpoints ------------------------------------------------------------------------------

  protected override async setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): Promise<void> {
    await this.guarded(response, async () => {
      if (typeof args.source.path !== 'string' || args.source.path === '') {
        this.refuse(response, BAD_ARGUMENTS, 'setBreakpoints: fltsim sets breakpoints in files on disk, so arguments.source.path is required');
        return;
      }
      const debuggee = await this.debuggeeWhenReady();
      const specs = (args.breakpoints ?? []).map((b) => ({ line: this.convertClientLineToDebugger(b.line), condition: b.condition, hitCondition: b.hitCondition, logMessage: b.logMessage }));
      response.body = {
        breakpoints: debuggee
          ? debuggee.setLineBreakpoints(args.source.path, specs).map((bp) => this.toDap(bp))
          : specs.map((s) => ({ verified: false, line: this.convertDebuggerLineToClient(s.line), message: 'the scenario did not start' })),
      };
      this.sendResponse(response);
    });
  }

  protected override async setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): Promise<void> {
    await this.guarded(response, async () => {
      const debuggee = await this.debuggeeWhenReady();
      response.body = {
        breakpoints: debuggee
          ? debuggee.setFunctionBreakpoints(args.breakpoints.map((b) => ({ name: b.name, condition: b.condition, hitCondition: b.hitCondition }))).map((bp) => this.toDap(bp))
          : args.breakpoints.map(() => ({ verified: false, message: 'the scenario did not start' })),
      };
      this.sendResponse(response);
    });
  }

  protected override setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    const known = new Set(TRANSITION_FILTERS.map((f) => f.id as string));
    this.filters = args.filters.filter((f) => known.has(f));
    this.debuggee?.setTransitionFilters(this.filters);
    response.body = { breakpoints: args.filters.map((f) => ({ verified: known.has(f) })) };
    this.sendResponse(response);
  }

  // --- data breakpoints and memory (dataAndMemory.ts) -------------------------------------------

  protected override dataBreakpointInfoRequest(response: DebugProtocol.DataBreakpointInfoResponse, args: DebugProtocol.DataBreakpointInfoArguments): void {
    const ref = args.frameId !== undefined ? this.frameIds().get(args.frameId) : undefined;
    response.body = this.debuggee ? dataBreakpointInfo(this.debuggee, args, ref) : { dataId: null, description: 'no scenario is running' };
    this.sendResponse(response);
  }

  protected override setDataBreakpointsRequest(response: DebugProtocol.SetDataBreakpointsResponse, args: DebugProtocol.SetDataBreakpointsArguments): void {
    response.body = this.debuggee ? setDataBreakpoints(this.debuggee, args) : { breakpoints: args.breakpoints.map(() => ({ verified: false, message: 'the scenario did not start' })) };
    this.sendResponse(response);
  }

  protected override readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): void {
    const r = this.debuggee ? readMemory(this.debuggee, args) : 'no scenario is running';
    if (typeof r === 'string') return this.refuse(response, NO_SUCH_THING, r);
    response.body = r;
    this.sendResponse(response);
  }

  protected override writeMemoryRequest(response: DebugProtocol.WriteMemoryResponse, args: DebugProtocol.WriteMemoryArguments): void {
    const r = this.debuggee ? writeMemory(this.debuggee, args) : 'no scenario is running';
    if (typeof r === 'string') return this.refuse(response, NO_SUCH_THING, r);
    response.body = r.body;
    this.sendResponse(response);
    // Other views of the same bytes (a second memory view, the Variables view) read them again.
    this.sendEvent(new MemoryEvent(args.memoryReference, args.offset ?? 0, r.count));
    this.sendEvent(new InvalidatedEvent(['variables']));
  }

  private toDap(bp: BreakpointInfo): DebugProtocol.Breakpoint {
    const b = new DapBreakpoint(bp.verified, this.convertDebuggerLineToClient(bp.line)) as DebugProtocol.Breakpoint;
    b.id = bp.id;
    if (bp.file) b.source = this.sourceOf(bp.file);
    if (bp.message) b.message = bp.message;
    return b;
  }

  // --- execution --------------------------------------------------------------------------------

  /** Runs the Debuggee's command a slice at a time until it stops or the run ends. */
  private drive(): void {
    if (this.driving) return;
    this.driving = true;
    const slice = (): void => {
      const debuggee = this.debuggee;
      if (!debuggee || this.closed) {
        this.driving = false;
        return;
      }
      let progress;
      const until = performance.now() + SLICE_MS;
      try {
        do progress = debuggee.advance(STEPS_PER_LOOK);
        while (progress.kind === 'running' && performance.now() < until);
      } catch (e) {
        // The engine failed (a bug in fltsim, not in the driver): say so and end the session cleanly.
        this.driving = false;
        this.output(`fltsim stopped the run after an internal error: ${(e as Error).message}\n`, 'stderr');
        this.sendEvent(new TerminatedEvent());
        return;
      }
      if (progress.kind === 'running') {
        setImmediate(slice);
        return;
      }
      this.driving = false;
      if (progress.kind === 'stopped') this.stopped(progress.stop);
      else if (progress.kind === 'terminated') this.sendEvent(new TerminatedEvent());
    };
    // The request's response goes out first; stops and output follow as events.
    setImmediate(slice);
  }

  private stopped(stop: Stop): void {
    const e = new StoppedEvent(stop.reason, stop.threadId, stop.text) as DebugProtocol.StoppedEvent;
    e.body.description = stop.description;
    e.body.allThreadsStopped = true;
    if (stop.hitBreakpointIds) e.body.hitBreakpointIds = stop.hitBreakpointIds;
    this.sendEvent(e);
  }

  private output(text: string, category: OutputCategory, location?: { file: string; line: number }): void {
    // The Debug Console renders ANSI escapes: driver output and names must not repaint it.
    const e = new OutputEvent(terminalSafe(text), category) as DebugProtocol.OutputEvent;
    if (location) {
      e.body.source = this.sourceOf(location.file);
      e.body.line = this.convertDebuggerLineToClient(location.line);
    }
    this.sendEvent(e);
  }

  /** Answers now and carries the command out in slices; an error when no scenario runs or the Debuggee refuses it. */
  private command(response: DebugProtocol.Response, fn: (d: Debuggee) => CommandResult | void): void {
    const d = this.debuggee;
    if (!d) {
      this.refuse(response, 1002, 'no scenario is running');
      return;
    }
    const r = fn(d);
    if (r && !r.ok) {
      this.refuse(response, NO_SUCH_THING, `${response.command}: ${r.message}`);
      return;
    }
    this.sendResponse(response);
    this.drive();
  }

  /** A failed response with a message (never shown as a dialog: the Debug Console and logs carry it). */
  private refuse(response: DebugProtocol.Response, id: number, message: string): void {
    // `variables: {}` keeps braces in the message as they are (a C initializer, say) instead of failing the formatter.
    this.sendErrorResponse(response, { id, format: message, variables: {}, showUser: false });
  }

  /** Runs an async handler so that a failure answers the request instead of escaping as a rejection. */
  private async guarded(response: DebugProtocol.Response, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (e) {
      this.refuse(response, HANDLER_FAILED, `fltsim: ${response.command} failed: ${(e as Error).message}`);
    }
  }

  /** Reports a malformed message on the input stream (extension/shared/framing.ts). */
  reportProtocolProblem(message: string): void {
    process.stderr.write(`fltsim debug adapter: ${message}\n`);
    this.sendEvent(new OutputEvent(`fltsim debug adapter: ${message}\n`, 'console'));
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    response.body = { allThreadsContinued: true };
    this.command(response, (d) => d.continue());
  }

  protected override nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.command(response, (d) => d.step(args.threadId, 'over'));
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    this.command(response, (d) => d.step(args.threadId, 'in'));
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse, args: DebugProtocol.StepOutArguments): void {
    this.command(response, (d) => d.step(args.threadId, 'out'));
  }

  protected override stepBackRequest(response: DebugProtocol.StepBackResponse, args: DebugProtocol.StepBackArguments): void {
    this.command(response, (d) => d.stepBack(args.threadId));
  }

  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
    this.command(response, (d) => d.reverseContinue());
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.command(response, (d) => d.pause());
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse, args: DebugProtocol.ExceptionInfoArguments): void {
    if (!this.knownThread(response, args.threadId)) return;
    const stop = this.debuggee?.lastStop;
    response.body = {
      exceptionId: stop?.reason === 'exception' ? (stop.text?.split(':')[0] ?? 'transition') : 'none',
      description: stop?.text ?? stop?.description ?? '',
      breakMode: 'always',
    };
    this.sendResponse(response);
  }

  // --- threads, stacks, variables ---------------------------------------------------------------

  /** Frame ids name frames of one stop; a new stop starts them over. */
  private frameIds(): Handles<FrameRef> {
    const gen = this.debuggee?.generation ?? 0;
    if (gen !== this.framesGeneration) {
      this.framesGeneration = gen;
      this.frames.reset();
    }
    return this.frames;
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    const threads = this.debuggee?.threads() ?? [];
    response.body = { threads: threads.length > 0 ? threads.map((t) => new Thread(t.id, t.name)) : [new Thread(PLACEHOLDER_THREAD, this.debuggee?.ended ? 'run finished' : 'starting')] };
    this.sendResponse(response);
  }

  /** True when `threadId` names a thread the client may ask about; otherwise refuses the request. */
  private knownThread(response: DebugProtocol.Response, threadId: number): boolean {
    const d = this.debuggee;
    // With no simulated thread left, threadsRequest offers one placeholder, which has no frames.
    if (!d || d.hasThread(threadId) || (threadId === PLACEHOLDER_THREAD && d.threads().length === 0)) return true;
    this.refuse(response, NO_SUCH_THING, `${response.command}: thread ${threadId} does not exist (it may have exited): ask for the threads again`);
    return false;
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    if (!this.knownThread(response, args.threadId)) return;
    const frames = this.debuggee?.frames(args.threadId) ?? [];
    const ids = this.frameIds();
    const start = args.startFrame ?? 0;
    const count = args.levels && args.levels > 0 ? args.levels : frames.length;
    response.body = {
      totalFrames: frames.length,
      stackFrames: frames.slice(start, start + count).map((f): DebugProtocol.StackFrame => {
        const id = ids.create({ threadId: args.threadId, index: f.index });
        if (f.source) return { id, name: f.name, source: this.sourceOf(f.source.file), line: this.convertDebuggerLineToClient(f.source.line), column: this.convertDebuggerColumnToClient(f.source.column) };
        return { id, name: f.name, line: 0, column: 0, presentationHint: 'subtle' };
      }),
    };
    this.sendResponse(response);
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    const ref = this.frameIds().get(args.frameId);
    if (!ref) {
      this.refuse(response, NO_SUCH_THING, `scopes: frame ${args.frameId} does not exist (frame ids are handed out again at every stop)`);
      return;
    }
    const scopes = ref && this.debuggee ? this.debuggee.scopes(ref.threadId, ref.index) : [];
    response.body = { scopes: scopes.map((s) => ({ name: s.name, expensive: false, variablesReference: s.handle })) };
    this.sendResponse(response);
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    if (!this.debuggee?.hasHandle(args.variablesReference)) {
      this.refuse(response, NO_SUCH_THING, `variables: reference ${args.variablesReference} does not exist (references last until the next stop)`);
      return;
    }
    const rows = this.debuggee?.variables(args.variablesReference, { filter: args.filter, start: args.start, count: args.count }) ?? [];
    response.body = { variables: rows.map((v) => this.toVariable(v, args.format?.hex === true)) };
    this.sendResponse(response);
  }

  /** `hex`: the client asked for hex (VS Code's "View as Hex"); integers shown as numbers switch. */
  private toVariable(v: VariableInfo, hex: boolean): DebugProtocol.Variable {
    const out: DebugProtocol.Variable = { name: v.name, value: hex && v.hexValue ? v.hexValue : v.value, type: v.type || undefined, variablesReference: v.handle };
    if (v.evaluateName) out.evaluateName = v.evaluateName;
    if (v.indexedCount !== undefined) out.indexedVariables = v.indexedCount;
    if (!v.editable) out.presentationHint = { attributes: ['readOnly'] };
    if (v.memoryReference) out.memoryReference = v.memoryReference;
    return out;
  }

  protected override setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): void {
    if (this.debuggee && !this.debuggee.hasHandle(args.variablesReference)) {
      this.refuse(response, NO_SUCH_THING, `setVariable: reference ${args.variablesReference} does not exist (references last until the next stop)`);
      return;
    }
    const r = this.debuggee?.setValue(args.variablesReference, args.name, args.value) ?? { ok: false as const, message: 'no scenario is running' };
    if (!r.ok) {
      this.sendErrorResponse(response, { id: 1003, format: r.message, variables: {}, showUser: true });
      return;
    }
    response.body = { value: r.value, type: r.type || undefined };
    this.sendResponse(response);
  }

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    const debuggee = this.debuggee;
    if (!debuggee) {
      this.refuse(response, 1005, 'no scenario is running');
      return;
    }
    const ref = args.frameId !== undefined ? this.frameIds().get(args.frameId) : undefined;
    if (args.frameId !== undefined && !ref) {
      this.refuse(response, NO_SUCH_THING, `evaluate: frame ${args.frameId} does not exist (frame ids are handed out again at every stop)`);
      return;
    }
    const r = debuggee.evaluate(args.expression, { threadId: ref?.threadId, frameIndex: ref?.index, allowAssignment: args.context === 'repl' });
    if (!r.ok) {
      this.refuse(response, 1006, r.message);
      return;
    }
    response.body = { result: args.format?.hex && r.hexValue ? r.hexValue : r.value, type: r.type || undefined, variablesReference: r.handle, indexedVariables: r.indexedCount, memoryReference: r.memoryReference };
    this.sendResponse(response);
  }

  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    const d = this.debuggee;
    const r = answerCustomRequest(command, args, d, () => d?.title ?? this.paths.basename(d?.scenarioPath ?? ''));
    if (!r.ok) {
      // `variables: {}` keeps braces in the message (an argument echoed back as JSON) as they are.
      this.sendErrorResponse(response, { id: r.id, format: r.message, variables: {}, showUser: r.showUser });
      return;
    }
    if (r.body !== undefined) response.body = r.body;
    this.sendResponse(response);
    if (r.drive) this.drive();
  }

  private sourceOf(file: string): Source {
    return new Source(this.paths.basename(file), file);
  }

  protected override dispatchRequest(request: DebugProtocol.Request): void {
    const response: DebugProtocol.Response = { seq: 0, type: 'response', request_seq: typeof request.seq === 'number' ? request.seq : 0, command: String(request.command), success: false };
    const problem = typeof request.command === 'string' ? checkArguments(request.command, request.arguments) : 'the request has no command';
    if (request.command === 'launch') {
      if (this.launched && !this.launchFailed) {
        this.refuse(response, BAD_ARGUMENTS, 'launch: this session already runs a scenario; start another session for another one');
        return;
      }
      if (this.launchFailed) {
        this.launchFailed = false;
        this.ready = new Promise((r) => (this.resolveReady = r));
      }
      this.launched = true;
      this.launchArrived();
      if (problem !== undefined) {
        // A refused launch ends the session, and anything waiting for the Debuggee learns there is none.
        this.fail(response, problem);
        return;
      }
    }
    if (problem !== undefined) {
      this.refuse(response, BAD_ARGUMENTS, problem);
      return;
    }
    try {
      super.dispatchRequest(request);
    } catch (e) {
      // Never crash the adapter: report the failure on the request that caused it.
      this.refuse(response, HANDLER_FAILED, `fltsim: ${request.command} failed: ${(e as Error).message}`);
    }
  }
}
