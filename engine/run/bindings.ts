/**
 * One name table for every routine interpreted C can call: the engine's kernel and Filter Manager
 * routines (engine/fltmgr/routines.ts), the runtime pieces that only touch driver memory
 * (engine/interp/builtins/runtime.ts), and the few that need both (DbgPrint's formatting, PAGED_CODE,
 * assertions, routines reached through MmGetSystemRoutineAddress).
 */
import { apiInfo } from '../api/catalog';
import type { RuleId } from '../kernel/rules';
import type { Builtin, BuiltinCall, BuiltinTable } from '../interp/builtin';
import { hostedRuntimeBuiltins, runtimeBuiltins } from '../interp/builtins/runtime';
import { routineValue } from '../interp/routineValue';
import { preludeStruct } from '../c/prelude/structs';
import { unicodeStringText, type UnicodeString } from '../kernel/cvalues';
import { Ptr } from '../memory/pointer';
import type { PointerValue } from '../memory/allocation';
import { probe, PROBE_ALIGNMENTS } from '../kernel/probe';
import { guardedByExcept } from '../interp/seh';
import { readCString } from '../memory/strings';
import { viewOf } from '../memory/view';
import type { Simulation } from '../sim';
import type { Co } from '../kernel/coroutine';
import type { Marshal } from '../kernel/marshal';
import type { CType, FunctionType } from '../c/types';

function* resultToC(m: Marshal, co: Co<unknown>, ret: CType | undefined): Co<unknown> {
  return m.toC(yield* co, ret);
}

/** The engine routines a run binds, per routine-name list (one list serves every Simulation). */
const BOUND = new WeakMap<readonly string[], ReadonlySet<string>>();

/** Names of the kernel's exported routine families (what MmGetSystemRoutineAddress is asked for). */
const KERNEL_EXPORT = /^(?:Flt|Ke|Ex|Io|Zw|Nt|Rtl|Ps|Mm|Ob|Se|Cm|Po|Fs|Hal|Dbg|Etw|Wmi|Lsa|Sec)[A-Z]\w*$/;
export function simulationBuiltins(sim: Simulation): BuiltinTable {
  const k = sim.kernel;
  const hosted = new Map(
    hostedRuntimeBuiltins({
      output: (text) => sim.print(text),
      violation: (rule, message) => {
        k.violation(rule as RuleId, message);
      },
    }),
  );
  // Routines of the interpreter's own runtime (memcpy, list helpers…) touch their arguments too;
  // the engine's routines do it in sim.api.
  const observed =
    k.observer === null
      ? undefined
      : (name: string, builtin: Builtin): Builtin =>
          (call) => {
            k.touchCall(name, call.args);
            return builtin(call);
          };
  const m = k.marshal;
  const bind = (name: string): Builtin => {
    const routine = sim.routine(name)!;
    const coroutine = sim.coroutineRoutines.has(name);
    return (call) => {
      // C values become what the routine works with, by the prototype's parameter types; its
      // result goes back to C by the return type (marshal.ts).
      const params = call.type?.params;
      const args = call.args.map((a, i) => m.fromC(a, params?.[i]?.type ?? call.argTypes[i]));
      const ret = call.type?.ret;
      const r = routine(...args);
      // Numbers need no conversion: only pointer and struct results go through the binding layer.
      if (ret !== undefined && ret.kind !== 'ptr' && ret.kind !== 'struct') return r;
      if (coroutine) return resultToC(m, r as Co<unknown>, ret);
      return m.toC(r, ret);
    };
  };
  // The engine's routine wins over the runtime's of the same name, except DbgPrint: the
  // interpreter's version formats the printf arguments first.
  let bound = BOUND.get(sim.routineNames);
  if (bound === undefined) BOUND.set(sim.routineNames, (bound = new Set(sim.routineNames.filter((name) => name !== 'DbgPrint' && name !== 'DbgPrintEx'))));
  const table = new RoutineBindings(bound, bind, hosted, runtimeBuiltins(), observed);
  table.set('ExInitializeDriverRuntime', () => undefined);
  // The kernel's exported object types (IoFileObjectType…): variables holding an opaque object type
  // that drivers pass to ObReferenceObjectByHandle; one cell per run, made when first used.
  for (const type of ['IoFileObjectType', 'PsProcessType', 'PsThreadType', 'TmTransactionObjectType', 'CmKeyObjectType']) {
    let cell: Ptr | undefined;
    table.set(`__fltsim_variable_${type}`, () => {
      if (cell === undefined) {
        const space = k.memory;
        const a = space.allocate('engine', 8, { label: type, zeroed: true });
        a.writePointer(0, space.handleFor({ objectType: type.replace(/(Object)?Type$/, '') }, `object type ${type}`));
        cell = space.pointer(a);
      }
      return cell;
    });
  }
  // PsInitialSystemProcess: the System process's EPROCESS, in a cell of its own as the kernel exports it.
  let systemProcess: Ptr | undefined;
  table.set('__fltsim_variable_PsInitialSystemProcess', () => {
    if (systemProcess === undefined) {
      const a = k.memory.allocate('engine', 8, { label: 'PsInitialSystemProcess' });
      a.writePointer(0, k.processes.system.cAddress(m));
      systemProcess = k.memory.pointer(a);
    }
    return systemProcess;
  });
  table.set('__fltsim_paged_code', () => {
    k.checkIrql('PAGED_CODE');
    return undefined;
  });
  table.set('MmGetSystemRoutineAddress', (call) => {
    k.checkIrql('MmGetSystemRoutineAddress');
    const name = routineName(call.args[0]);
    if (!name) return null;
    const builtin = table.get(name);
    // Only documented kernel routines are "exported"; fltsim's own helpers are not.
    if (!builtin || name.startsWith('__') || !apiInfo(name) && !/^(Flt|Ke|Ex|Io|Zw|Rtl|Ps|Mm|Ob)[A-Z]/.test(name)) {
      // A real export fltsim does not model: say so, or a driver that gives up on NULL fails to load silently.
      if (!builtin && KERNEL_EXPORT.test(name)) k.emit('driver-load', 0, `MmGetSystemRoutineAddress("${name}") answers NULL: fltsim does not model ${name}, so the driver sees a system without it`);
      return null;
    }
    return routineValue(name, builtin, call.interp, prototypeFor(call, name));
  });
  for (const routine of ['ProbeForRead', 'ProbeForWrite'] as const) {
    table.set(routine, (call) => {
      k.checkIrql(routine);
      const pointer = (call.args[0] ?? null) as PointerValue;
      const length = Number(call.args[1] ?? 0);
      const alignment = Number(call.args[2] ?? 0) >>> 0;
      if (!PROBE_ALIGNMENTS.includes(alignment)) k.violation('invalid-parameter', `${routine} was given alignment ${alignment}; it must be 1, 2, 4, 8 or 16`);
      if (!guardedByExcept(call.interp.hooks.seh.frames())) {
        k.violation('probe-outside-try', `${routine} in ${call.frame.name} runs with no __try/__except around it; if the buffer is bad, the exception it raises stops the system`);
      }
      probe({ routine, pointer, address: k.memory.addressOf(pointer), length, alignment });
      return undefined;
    });
  }
  table.set('FltGetRoutineAddress', (call) => {
    k.checkIrql('FltGetRoutineAddress');
    const arg = call.args[0];
    if (!(arg instanceof Ptr)) {
      k.violation('null-param', 'FltGetRoutineAddress needs the routine\'s name');
      return null;
    }
    const name = readCString(arg, 1);
    // Only Filter Manager routines are found this way; fltsim answers NULL for one it does not model.
    const builtin = name.startsWith('Flt') ? table.get(name) : undefined;
    return builtin ? routineValue(name, builtin, call.interp, prototypeFor(call, name)) : null;
  });
  return table;
}

/**
 * The builtin table of one run: the runtime's routines and the engine's, each engine routine bound
 * to the run's marshalling when a driver first names it. A run is built per explored schedule, and
 * a driver calls a few dozen of the ~270 engine routines and ~150 runtime ones. An entry set
 * explicitly wins over the engine's, and the engine's over the runtime's: the run's own (`hosted`:
 * output, assertions), then those every run shares.
 */
class RoutineBindings extends Map<string, Builtin> {
  constructor(
    private readonly engine: ReadonlySet<string>,
    private readonly bind: (name: string) => Builtin,
    private readonly hosted: ReadonlyMap<string, Builtin>,
    private readonly runtime: ReadonlyMap<string, Builtin>,
    /** Wraps a runtime routine so that an observing policy hears its arguments (exploration). */
    private readonly observed: ((name: string, builtin: Builtin) => Builtin) | undefined,
  ) {
    super();
  }

  override get(name: string): Builtin | undefined {
    const known = super.get(name);
    if (known !== undefined) return known;
    let builtin: Builtin | undefined;
    if (this.engine.has(name)) builtin = this.bind(name);
    else {
      builtin = this.hosted.get(name) ?? this.runtime.get(name);
      if (builtin === undefined) return undefined;
      if (this.observed !== undefined) builtin = this.observed(name, builtin);
    }
    super.set(name, builtin);
    return builtin;
  }

  override has(name: string): boolean {
    return super.has(name) || this.engine.has(name) || this.hosted.has(name) || this.runtime.has(name);
  }
}

function routineName(us: unknown): string | undefined {
  if (!(us instanceof Ptr)) return undefined;
  return unicodeStringText(viewOf(us, preludeStruct('_UNICODE_STRING')) as unknown as UnicodeString);
}


/** The routine's prototype as the calling driver's headers declare it, so a call through the pointer binds its arguments. */
function prototypeFor(call: BuiltinCall, name: string): FunctionType | undefined {
  const frame = call.frame as BuiltinCall['frame'] | undefined;
  if (frame === undefined) return undefined;
  return call.interp.modules.get(frame.module)?.program.functionType(frame.fn.unit, name);
}

