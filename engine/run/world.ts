/**
 * A World is one run of a prepared scenario: the Simulation, the C interpreter bound to it, the
 * drivers loaded as modules and the workload scheduled. It is cheap to build from a
 * PreparedScenario, which is how step-back works: build a fresh World and replay it to a step.
 * It is internal to engine/: front ends drive it through `runScenario` or a `Debuggee`.
 */
import { isCo, type Co } from '../kernel/coroutine';
import type { FunctionValue } from '../kernel/cvalues';
import type { RuleId } from '../kernel/rules';
import type { SchedulePolicy } from '../kernel/schedule';
import { Interpreter } from '../interp/interpreter';
import { CRuntimeError } from '../interp/errors';
import type { Module } from '../interp/module';
import { judgeRun, type ExpectationResult, type IoStatement, type RunEnd, type RunFacts, type Verdict } from '../scenario';
import type { ClientStepStatement } from '../scenario/ast';
import type { ClientStep } from '../fltmgr/portProgram';
import { formatLimit, limitHint, resolveLimits, type LimitName, type Limits } from '../limits';
import { CREATE_ACCESS, CREATE_DISPOSITIONS, NOTIFY_CHANGES, SHARE_MODES } from '../scenario/vocabulary';
import { FILE_CREATE_OPTION, FILE_INFORMATION_CLASS } from '../fltmgr/constants';
import type { FileSpec } from '../fltmgr/fsState';
import type { IoRequestInput } from '../fltmgr/requests';
import { Simulation, type RunResult, type SimulationOptions, type StepResult } from '../sim';
import { simulationBuiltins } from './bindings';
import { registryFacts, serviceValues, setUpRegistry } from './registrySetup';
import type { PreparedScenario } from './prepare';
import type { Allocation } from '../memory/allocation';

export interface WorldOptions {
  /** Overrides the scenario's `seed` line (the CLI's --seed, the launch configuration's seed). */
  seed?: number;
  /** Statement budget of the interpreter; overrides the `steps` limit (a debugger passes Infinity). */
  stepBudget?: number;
  /** Override the scenario's `limit` lines (the CLI's --limit). */
  limits?: Partial<Record<LimitName, number>>;
  /** Decides the scheduling choices (exploration, replay); the run then has one processor. */
  policy?: SchedulePolicy;
  /** Told of every allocation the run makes, from the first global on (a debugger's address index, data breakpoints). */
  onAllocate?: (a: Allocation) => void;
}

/**
 * Scheduling steps `run()` takes at most: every statement is a step, and so is every switch point
 * of the kernel, so this is a backstop behind the `steps` limit for runs that loop in the model.
 */
function schedulerBudget(steps: number): number {
  return Math.max(10_000_000, Math.min(Number.MAX_SAFE_INTEGER, steps * 4));
}

export const DEFAULT_SEED = 1;

/** Why a run stopped early: a C error at a line, or a problem the engine found. */
export interface RunFault {
  message: string;
  /** The C error's kind (`null-dereference`, `step-budget`…), as `expect stop <reason>` names it. */
  kind: string;
  thread: string;
  file?: string;
  line?: number;
  column?: number;
}

/**
 * A driver's DriverEntry as the World hands it to the Simulation: the C error that ends it is kept.
 * Not a spread of the function value (a spread reads its `compiled` getter and copies every member,
 * in every World), and a class rather than an object literal with a getter, which V8 makes in the
 * old generation (docs/architecture.md, "Hooks are objects").
 */
class TrackedFunction implements FunctionValue {
  readonly kind = 'function';
  readonly name: string;
  readonly module: string | undefined;

  constructor(
    private readonly fn: FunctionValue,
    private readonly world: World,
  ) {
    this.name = fn.name;
    this.module = fn.module;
  }

  readonly call = (...args: unknown[]): unknown => this.world.catching(this.fn.call(...args));

  get compiled(): object | undefined {
    return this.fn.compiled;
  }
}

export class World {
  readonly sim: Simulation;
  readonly interp: Interpreter;
  readonly modules = new Map<string, Module>();
  readonly seed: number;
  /** The C error behind a fault, when driver code failed (its location and hint). */
  cError: CRuntimeError | undefined;
  readonly limits: Limits;
  /** A driver's global initialisers failed while loading it: the run never starts. */
  private loadError: { error: CRuntimeError; module: string } | undefined;
  /** `run()` gave up after its scheduling-step backstop. */
  private ranOut = false;

  constructor(readonly prepared: PreparedScenario, options: WorldOptions = {}) {
    const sc = prepared.scenario;
    this.seed = options.seed ?? sc.seed ?? DEFAULT_SEED;
    const files: Record<string, FileSpec> = {};
    for (const f of sc.files) {
      const bytes = f.content !== undefined ? new TextEncoder().encode(f.content) : prepared.fileBytes.get(f);
      files[f.path] = { ...(f.size !== undefined ? { size: f.size } : {}), ...(bytes !== undefined ? { content: bytes } : {}), ...(f.folder ? { directory: true } : {}) };
    }
    const volumes = sc.volumes.map((v) => ({ name: v.name, fileSystem: v.fileSystem, sectorSize: v.sectorSize, writable: !v.readonly, removable: v.removable, strict: true }));
    const registry = serviceValues(sc);
    this.limits = resolveLimits(sc.limits, options.limits);
    const simOptions: SimulationOptions = {
      poolLimit: this.limits.pool,
      memoryLimit: this.limits.memory,
      seed: this.seed,
      processors: sc.processors,
      workersPerQueue: { delayed: sc.workers.delayed, critical: sc.workers.critical },
      files,
      registry,
    };
    // Optional members assigned, not spread in: a spread of a conditional literal is a slow copy,
    // and every explored schedule builds a World.
    if (volumes.length > 0) simOptions.volumes = volumes;
    if (options.policy) simOptions.policy = options.policy;
    if (options.onAllocate) simOptions.onAllocate = options.onAllocate;
    this.sim = new Simulation(simOptions);
    const kernel = this.sim.kernel;
    this.interp = new Interpreter(
      {
        currentThread: () => kernel.current,
        violation: (rule, message) => {
          kernel.violation(rule as RuleId, message);
        },
      },
      { builtins: simulationBuiltins(this.sim), marshal: kernel.marshal, stepBudget: options.stepBudget ?? this.limits.steps, maxDepth: this.limits.depth },
    );
    for (const d of prepared.drivers) {
      let module: Module;
      try {
        module = drive(this.interp.load(d.program, d.module));
      } catch (e) {
        // A global initialiser that cannot be evaluated (an undeclared name, say) is the driver's
        // error at its line: the run stops before it starts, as a build would fail.
        if (!(e instanceof CRuntimeError)) throw e;
        this.loadError = { error: e, module: d.module };
        return;
      }
      this.modules.set(d.module, module);
      const entry = module.functionValue('DriverEntry')!;
      this.sim.loadDriver(d.module, this.tracked(entry), d.altitude !== undefined ? { altitude: d.altitude } : {});
    }
    for (const p of sc.processes) {
      this.sim.process({ name: p.name, id: p.pid, ...(p.image !== undefined ? { image: p.image } : {}), ...(p.commandLine !== undefined ? { commandLine: p.commandLine } : {}), ...(p.start !== undefined ? { start: p.start } : {}), ...(p.exit !== undefined ? { exit: p.exit } : {}) });
    }
    // Parents are named; their ids are known once every process line is in.
    for (const p of sc.processes) {
      if (p.parent === undefined) continue;
      const parent = this.sim.processes.named(p.parent);
      const child = this.sim.processes.named(p.name);
      if (parent !== undefined && child !== undefined) child.parentId = parent.id;
    }
    for (const io of sc.ios) {
      this.sim.io(ioInput(io));
    }
    setUpRegistry(this.sim, sc);
    for (const o of sc.processOpens) this.sim.openProcess({ id: o.id, at: o.time, target: o.target, access: o.access, ...(o.opener !== undefined ? { opener: o.opener } : {}), kernelHandle: o.kernelHandle });
    for (const c of sc.cancels) this.sim.cancel(c.io, c.time);
    for (const a of sc.attaches) this.sim.attach(a.time, a.module, a.volume);
    for (const u of sc.unloads) this.sim.unload(u.time, u.module);
    for (const tx of sc.transactions) this.sim.endTransaction(tx.name, tx.outcome, tx.time);
    for (const c of sc.clients) {
      switch (c.action) {
        case 'connect':
          this.sim.client({ kind: 'connect', port: c.port, at: c.time, context: c.context && Uint8Array.from(c.context), ...(c.process !== undefined ? { process: this.sim.processes.named(c.process) } : {}) });
          break;
        case 'send':
          this.sim.client({ kind: 'send', port: c.port, at: c.time, data: Uint8Array.from(c.data), output: c.output });
          break;
        case 'disconnect':
          this.sim.client({ kind: 'disconnect', port: c.port, at: c.time });
          break;
        case 'reply':
          this.sim.clientReplies(c.port, {
            reply: c.reply && Uint8Array.from(c.reply),
            delay: c.delay,
            ...(c.match.kind === undefined ? {} : { kind: c.match.kind }),
            ...(c.match.contains === undefined ? {} : { contains: Uint8Array.from(c.match.contains) }),
          });
          break;
        case 'ignore-messages':
          this.sim.clientIgnoresMessages(c.port);
          break;
        case 'then':
          this.sim.clientFollowUp(c.port, { ...followUpStep(c.step), ...(c.match.kind === undefined ? {} : { kind: c.match.kind }), ...(c.match.contains === undefined ? {} : { contains: Uint8Array.from(c.match.contains) }) });
          break;
      }
    }
  }

  /** Remembers the C error that ends a thread, so reports can show its location and hint. */
  private tracked(fn: FunctionValue): FunctionValue {
    return new TrackedFunction(fn, this);
  }

  /** `r`, a C function's result; a C error that ends it is kept (cError). */
  *catching(r: unknown): Co<unknown> {
    try {
      return isCo(r) ? yield* r : r;
    } catch (e) {
      if (e instanceof CRuntimeError) this.cError ??= e;
      throw e;
    }
  }

  step(): StepResult {
    if (this.loadError) return { kind: 'fault', thread: 0, time: 0, step: 0 };
    const r = this.sim.step();
    if (r.kind === 'fault') this.captureFault();
    return r;
  }

  /**
   * Runs to the end, the step budget or a fault; says which. Without a budget the `steps` limit's
   * backstop applies, and running out of it is this run's stop; a caller's own budget (exploration)
   * is the caller's to judge.
   */
  run(budget?: number): RunResult['reason'] {
    if (this.loadError) return 'fault';
    const r = this.sim.run(budget ?? schedulerBudget(this.limits.steps));
    if (r.reason === 'fault') this.captureFault();
    if (r.reason === 'budget' && budget === undefined) this.ranOut = true;
    return r.reason;
  }

  private captureFault(): void {
    // Faults raised from engine-called callbacks carry the CRuntimeError in the kernel's message only.
  }

  get fault(): RunFault | undefined {
    if (this.loadError) {
      const e = this.loadError.error;
      return {
        message: `${e.message}${e.hint ? ` — ${e.hint}` : ''}`,
        kind: e.kind,
        thread: `loading ${this.loadError.module}`,
        file: e.loc?.file,
        line: e.loc?.line,
        column: e.loc?.col,
      };
    }
    if (this.ranOut) {
      return {
        message: `the run took more than ${formatLimit(schedulerBudget(this.limits.steps))} scheduling steps without reaching its end; ${limitHint('steps')}`,
        kind: 'step-budget',
        thread: this.sim.kernel.sched.lastStepped?.name ?? '(none)',
      };
    }
    const f = this.sim.kernel.fault;
    if (!f) return undefined;
    // A callback the engine called (not DriverEntry) records its C error on the interpreter only.
    const e = this.cError ?? this.interp.faultStack?.error;
    const message = e ? `${e.message}${e.hint ? ` — ${e.hint}` : ''}` : f.message;
    const fault: RunFault = {
      message,
      kind: e?.kind ?? f.kind,
      thread: f.threadName,
      file: e?.loc?.file ?? f.location?.file,
      line: e?.loc?.line ?? f.location?.line,
      column: e?.loc?.col ?? f.location?.column,
    };
    return this.atDriverLine(fault);
  }

  /**
   * A fault inside the built-in headers' C (a list helper handed a NULL entry) is the driver's call
   * that led there: the location is the innermost driver line on the stack, and the message says
   * which built-in routine failed where.
   */
  private atDriverLine(fault: RunFault): RunFault {
    if (!fault.file?.startsWith('<')) return fault;
    const frames = this.interp.faultStack?.frames ?? [];
    let inner: string | undefined;
    for (let i = frames.length - 1; i >= 0; i--) {
      const frame = frames[i];
      if (!('file' in frame) || typeof frame.file !== 'string') continue;
      if (frame.file.startsWith('<')) {
        inner ??= (frame as { name?: string }).name;
        continue;
      }
      return {
        ...fault,
        message: `${fault.message} (in ${inner ?? 'a built-in routine'}, fltsim's C for the WDK at ${fault.file}:${fault.line})`,
        file: frame.file,
        line: frame.line as number,
        column: frame.column as number,
      };
    }
    return fault;
  }

  /** How the run ended; only meaningful once it has (a debugger asks at the end). */
  end(): RunEnd {
    const fault = this.fault;
    if (fault) return { kind: 'stopped', reason: fault.kind, message: fault.message };
    if (!this.sim.finished) return { kind: 'stopped', reason: 'unfinished', message: 'the run has not reached its end' };
    const blocked = this.sim.blockedForever();
    if (blocked.length === 0) return { kind: 'finished' };
    return { kind: 'deadlock', blocked: blocked.map((t) => ({ thread: t.name, waitingFor: t.waitingOn ?? 'something' })) };
  }

  facts(): RunFacts {
    const ios = this.prepared.scenario.ios.map((io) => {
      const r = this.sim.result(io.id);
      if (!r) return { id: io.id, state: 'not issued', status: null };
      return { id: io.id, state: r.state as string, status: r.state === 'done' ? r.status : null };
    });
    const end = this.end();
    return {
      ios,
      ...(end.kind === 'stopped' ? {} : { hanging: this.sim.leftHanging() }),
      loads: this.sim.fltmgr.drivers.map((d) => ({ module: d.module, status: d.entryStatus ?? null })),
      end,
      violations: this.sim.violations,
      calls: this.calls(),
      modules: [...this.modules.keys()],
      output: this.sim.output,
      opens: this.sim.processOpens,
      registryOps: this.sim.registryOps,
      registry: registryFacts(this.prepared.scenario, this.sim.registry.tree),
      processes: this.processFacts(),
    };
  }

  /** The processes' states by lowercase name (`expect process`), built without spreads: every explored schedule is judged. */
  private processFacts(): Map<string, { state: string; denied?: number }> {
    const out = new Map<string, { state: string; denied?: number }>();
    const denied = this.sim.deniedProcesses;
    for (const p of this.sim.processes.all()) {
      const fact: { state: string; denied?: number } = { state: p.state };
      const status = denied.get(p);
      if (status !== undefined) fact.denied = status;
      out.set(p.name.toLowerCase(), fact);
    }
    return out;
  }

  /** Calls per `module!Function` of the drivers (prelude helpers excluded). */
  calls(): Map<string, number> {
    const out = new Map<string, number>();
    const counted = this.interp.calls;
    for (const m of this.modules.values()) for (const key of m.ownCallKeys) out.set(key, counted.get(key) ?? 0);
    return out;
  }

  /** Every expectation judged (a run stopped early leaves them unchecked); see `verdict` for the ending too. */
  expectations(): ExpectationResult[] {
    return this.verdict().expectations;
  }

  /** The run judged against its scenario: every expectation, and how it ended. */
  verdict(relativize?: (file: string) => string): Verdict {
    return judgeRun(this.prepared.scenario, this.facts(), relativize);
  }
}

/** Runs a generator that never blocks (module initialisation) to the end. */
function drive<T>(co: Co<T>): T {
  for (;;) {
    const r = co.next();
    if (r.done) return r.value;
  }
}

function infoClassValue(name: string | undefined): number | undefined {
  return name === undefined ? undefined : (FILE_INFORMATION_CLASS as Record<string, number>)[name];
}

/** An `io` line as the engine takes a request: its words become the values Windows would carry. */
function ioInput(io: IoStatement): IoRequestInput {
  // A write's data (text or byte parts) or a control request's input: what the caller's buffer holds.
  const bytes = io.input ?? io.dataBytes;
  const data = bytes !== undefined ? Uint8Array.from(bytes) : io.data !== undefined ? new TextEncoder().encode(io.data) : undefined;
  const flags = new Set<string>(io.flags);
  const createOptions = (flags.has('directory') ? FILE_CREATE_OPTION.FILE_DIRECTORY_FILE : 0)
    | (flags.has('non-directory') ? FILE_CREATE_OPTION.FILE_NON_DIRECTORY_FILE : 0)
    | (flags.has('delete-on-close') ? FILE_CREATE_OPTION.FILE_DELETE_ON_CLOSE : 0);
  const input: IoRequestInput = {
    id: io.id, major: io.major, path: io.path, length: io.length ?? data?.length ?? (io.output !== undefined ? 0 : undefined), offset: io.offset, flags: io.flags, at: io.time, code: io.code,
    infoClass: infoClassValue(io.infoClass), createOptions,
  };
  if (io.disposition !== undefined) input.disposition = CREATE_DISPOSITIONS[io.disposition];
  if (io.access !== undefined) input.desiredAccess = CREATE_ACCESS[io.access];
  if (io.share !== undefined) input.shareAccess = SHARE_MODES[io.share];
  if (io.transaction !== undefined) input.transaction = io.transaction;
  if (io.process !== undefined) input.process = io.process;
  if (data !== undefined) input.data = data;
  // A control request with its own input has no output buffer unless `output` gives one.
  if (io.output !== undefined || io.input !== undefined) input.outputLength = io.output ?? 0;
  if (io.pattern !== undefined) input.pattern = io.pattern;
  if (io.op === 'notify-dir') {
    const changes = io.changes ?? ['name'];
    input.notify = { completionFilter: changes.reduce((m, c) => m | NOTIFY_CHANGES[c], 0), watchTree: flags.has('watch-tree') };
  }
  if (io.target !== undefined || flags.has('delete')) input.setInfo = { target: io.target, replace: flags.has('replace'), delete: flags.has('delete') };
  return input;
}

/** A `client … then` step as the port model takes it. */
function followUpStep(s: ClientStepStatement): ClientStep {
  if (s.step === 'send') {
    return { step: 'send', output: s.output, parts: s.parts.map((p) => ('bytes' in p ? { bytes: Uint8Array.from(p.bytes) } : p)) };
  }
  return { step: 'scan-section', outputOffset: s.outputOffset, find: Uint8Array.from(s.find), infected: Uint8Array.from(s.infected), clean: Uint8Array.from(s.clean), delay: s.delay };
}
