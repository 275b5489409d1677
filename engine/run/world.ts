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
import { evaluateExpectations, type ExpectationResult, type IoStatement, type RunFacts } from '../scenario';
import { CREATE_DISPOSITIONS } from '../scenario/vocabulary';
import { FILE_CREATE_OPTION, FILE_INFORMATION_CLASS } from '../fltmgr/constants';
import type { FileSpec } from '../fltmgr/filesystem';
import type { IoRequestInput } from '../fltmgr/requests';
import { Simulation, type RunResult, type StepResult } from '../sim';
import { simulationBuiltins } from './bindings';
import type { PreparedScenario } from './prepare';

export interface WorldOptions {
  /** Overrides the scenario's `seed` line (the CLI's --seed, the launch configuration's seed). */
  seed?: number;
  /** Statement budget of the interpreter. */
  stepBudget?: number;
  /** Decides the scheduling choices (exploration, replay); the run then has one processor. */
  policy?: SchedulePolicy;
}

export const DEFAULT_SEED = 1;

/** Why a run stopped early: a C error at a line, or a problem the engine found. */
export interface RunFault {
  message: string;
  thread: string;
  file?: string;
  line?: number;
  column?: number;
}

export class World {
  readonly sim: Simulation;
  readonly interp: Interpreter;
  readonly modules = new Map<string, Module>();
  readonly seed: number;
  /** The C error behind a fault, when driver code failed (its location and hint). */
  cError: CRuntimeError | undefined;

  constructor(readonly prepared: PreparedScenario, options: WorldOptions = {}) {
    const sc = prepared.scenario;
    this.seed = options.seed ?? sc.seed ?? DEFAULT_SEED;
    const files: Record<string, FileSpec> = {};
    for (const f of sc.files) {
      const bytes = f.content !== undefined ? new TextEncoder().encode(f.content) : prepared.fileBytes.get(f);
      files[f.path] = { ...(f.size !== undefined ? { size: f.size } : {}), ...(bytes !== undefined ? { content: bytes } : {}), ...(f.folder ? { directory: true } : {}) };
    }
    const volumes = sc.volumes.map((v) => ({ name: v.name, fileSystem: v.fileSystem, sectorSize: v.sectorSize, writable: !v.readonly, removable: v.removable, strict: true }));
    const registry: Record<string, number | string> = {};
    for (const r of sc.registry) registry[r.name] = r.value.value;
    this.sim = new Simulation({
      seed: this.seed,
      processors: sc.processors,
      workersPerQueue: { delayed: sc.workers.delayed, critical: sc.workers.critical },
      files,
      ...(volumes.length > 0 ? { volumes } : {}),
      registry,
      ...(options.policy ? { policy: options.policy } : {}),
    });
    const kernel = this.sim.kernel;
    this.interp = new Interpreter(
      {
        currentThread: () => kernel.current,
        violation: (rule, message) => {
          kernel.violation(rule as RuleId, message);
        },
      },
      { builtins: simulationBuiltins(this.sim), marshal: kernel.marshal, stepBudget: options.stepBudget },
    );
    for (const d of prepared.drivers) {
      const module = drive(this.interp.load(d.program, d.module));
      this.modules.set(d.module, module);
      const entry = module.functionValues.get('DriverEntry')!;
      this.sim.loadDriver(d.module, this.tracked(entry), d.altitude !== undefined ? { altitude: d.altitude } : {});
    }
    for (const io of sc.ios) {
      this.sim.io(ioInput(io));
    }
    for (const c of sc.cancels) this.sim.cancel(c.io, c.time);
    for (const a of sc.attaches) this.sim.attach(a.time, a.module, a.volume);
    for (const u of sc.unloads) this.sim.unload(u.time, u.module);
  }

  /** Remembers the C error that ends a thread, so reports can show its location and hint. */
  private tracked(fn: FunctionValue): FunctionValue {
    return {
      ...fn,
      call: (...args: unknown[]) => this.catching(fn.call(...args)),
    };
  }

  private *catching(r: unknown): Co<unknown> {
    try {
      return isCo(r) ? yield* r : r;
    } catch (e) {
      if (e instanceof CRuntimeError) this.cError ??= e;
      throw e;
    }
  }

  step(): StepResult {
    const r = this.sim.step();
    if (r.kind === 'fault') this.captureFault();
    return r;
  }

  /** Runs to the end, the step budget (default: the simulation's) or a fault; says which. */
  run(budget?: number): RunResult['reason'] {
    const r = this.sim.run(budget);
    if (r.reason === 'fault') this.captureFault();
    return r.reason;
  }

  private captureFault(): void {
    // Faults raised from engine-called callbacks carry the CRuntimeError in the kernel's message only.
  }

  get fault(): RunFault | undefined {
    const f = this.sim.kernel.fault;
    if (!f) return undefined;
    // A callback the engine called (not DriverEntry) records its C error on the interpreter only.
    const e = this.cError ?? this.interp.faultStack?.error;
    const message = e ? `${e.message}${e.hint ? ` — ${e.hint}` : ''}` : f.message;
    return {
      message,
      thread: f.threadName,
      file: e?.loc?.file ?? f.location?.file,
      line: e?.loc?.line ?? f.location?.line,
      column: e?.loc?.col ?? f.location?.column,
    };
  }

  facts(): RunFacts {
    const ios = this.prepared.scenario.ios.map((io) => {
      const r = this.sim.result(io.id);
      return { id: io.id, status: r ? r.status : -1, state: r ? r.state : 'not issued' };
    });
    return {
      ios,
      violations: this.sim.violations,
      calls: this.calls(),
      modules: [...this.modules.keys()],
      output: this.sim.output,
    };
  }

  /** Calls per `module!Function` of the drivers (prelude helpers excluded). */
  calls(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [module, m] of this.modules) {
      for (const f of m.ownFunctions()) out.set(`${module}!${f.name}`, this.interp.calls.get(`${module}!${f.name}`) ?? 0);
    }
    return out;
  }

  expectations(): ExpectationResult[] {
    return evaluateExpectations(this.prepared.scenario, this.facts());
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
  const data = io.data !== undefined ? new TextEncoder().encode(io.data) : undefined;
  const flags = new Set<string>(io.flags);
  const createOptions = (flags.has('directory') ? FILE_CREATE_OPTION.FILE_DIRECTORY_FILE : 0)
    | (flags.has('non-directory') ? FILE_CREATE_OPTION.FILE_NON_DIRECTORY_FILE : 0)
    | (flags.has('delete-on-close') ? FILE_CREATE_OPTION.FILE_DELETE_ON_CLOSE : 0);
  const input: IoRequestInput = {
    id: io.id, major: io.major, path: io.path, length: io.length ?? data?.length, offset: io.offset, flags: io.flags, at: io.time, code: io.code,
    infoClass: infoClassValue(io.infoClass), createOptions,
  };
  if (io.disposition !== undefined) input.disposition = CREATE_DISPOSITIONS[io.disposition];
  if (data !== undefined) input.data = data;
  if (io.pattern !== undefined) input.pattern = io.pattern;
  if (io.target !== undefined || flags.has('delete')) input.setInfo = { target: io.target, replace: flags.has('replace'), delete: flags.has('delete') };
  return input;
}
