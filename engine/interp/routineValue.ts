/**
 * A modelled kernel routine as a C function pointer value: what MmGetSystemRoutineAddress and
 * FltGetRoutineAddress return, and what naming a declared routine without calling it gives (a table
 * of `{ FltGetFileContext, FltSetFileContext }`). One value per routine and run, so pointers compare
 * equal; per run, since a routine may be shared by every run (engine/interp/builtins/runtime.ts)
 * while the value calls it with its own run's interpreter.
 */
import type { FunctionValue } from '../kernel/cvalues';
import type { FunctionType } from '../c/types';
import type { Builtin, BuiltinInterp } from './builtin';

const VALUES = new WeakMap<BuiltinInterp, Map<Builtin, FunctionValue>>();

export function routineValue(name: string, builtin: Builtin, interp: BuiltinInterp, type: FunctionType | undefined): FunctionValue {
  let values = VALUES.get(interp);
  if (values === undefined) VALUES.set(interp, (values = new Map()));
  let fv = values.get(builtin);
  if (!fv) {
    fv = {
      kind: 'function',
      name,
      module: 'nt',
      call: (...args: unknown[]) => builtin({ name, interp, args, argTypes: [], argExprs: [], loc: { file: '<kernel>', line: 0, col: 0 }, frame: undefined as never, type }),
    };
    values.set(builtin, fv);
  }
  return fv;
}
