/**
 * One name table for every routine interpreted C can call: the engine's kernel and Filter Manager
 * routines (engine/fltmgr/routines.ts), the runtime pieces that only touch driver memory
 * (engine/interp/builtins/runtime.ts), and the few that need both (DbgPrint's formatting, PAGED_CODE,
 * assertions, routines reached through MmGetSystemRoutineAddress).
 */
import { apiInfo } from '../api/catalog';
import type { FunctionValue } from '../kernel/cvalues';
import type { RuleId } from '../kernel/rules';
import type { Builtin, BuiltinTable } from '../interp/builtin';
import { runtimeBuiltins } from '../interp/builtins/runtime';
import { readCString } from '../interp/format';
import type { Simulation } from '../sim';

export function simulationBuiltins(sim: Simulation): BuiltinTable {
  const k = sim.kernel;
  const table: BuiltinTable = runtimeBuiltins({
    output: (text) => sim.print(text),
    violation: (rule, message) => {
      k.violation(rule as RuleId, message);
    },
  });
  if (k.observer !== null) {
    // Routines of the interpreter's own runtime (memcpy, list helpers…) touch their arguments too;
    // the engine's routines do it in sim.api.
    for (const [name, builtin] of table) {
      table.set(name, (call) => {
        k.touchCall(name, call.args);
        return builtin(call);
      });
    }
  }
  const api = sim.api as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of Object.keys(api)) {
    // DbgPrint keeps the interpreter's version: it formats the printf arguments first.
    if (name === 'DbgPrint' || name === 'DbgPrintEx') continue;
    const routine = api[name];
    table.set(name, (call) => routine(...call.args));
  }
  table.set('ExInitializeDriverRuntime', () => undefined);
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
    if (!builtin || name.startsWith('__') || !apiInfo(name) && !/^(Flt|Ke|Ex|Io|Zw|Rtl|Ps|Mm|Ob)[A-Z]/.test(name)) return null;
    return routineValue(name, builtin, call.interp);
  });
  return table;
}

function routineName(us: unknown): string | undefined {
  if (!us || typeof us !== 'object') return undefined;
  const s = us as { Buffer?: unknown; Length?: number };
  const text = readCString(s.Buffer);
  return text === undefined ? undefined : text.slice(0, (s.Length ?? text.length * 2) / 2);
}

const VALUES = new WeakMap<Builtin, FunctionValue>();

/** A kernel routine as a function pointer value (what MmGetSystemRoutineAddress returns). */
function routineValue(name: string, builtin: Builtin, interp: import('../interp/interpreter').Interpreter): FunctionValue {
  let fv = VALUES.get(builtin);
  if (!fv) {
    fv = {
      kind: 'function',
      name,
      module: 'nt',
      call: (...args: unknown[]) => builtin({ name, interp, args, argTypes: [], argExprs: [], loc: { file: '<kernel>', line: 0, col: 0 }, frame: undefined as never }),
    };
    VALUES.set(builtin, fv);
  }
  return fv;
}
