/**
 * A modelled kernel routine as a C function pointer value: what MmGetSystemRoutineAddress and
 * FltGetRoutineAddress return, and what naming a declared routine without calling it gives (a table
 * of `{ FltGetFileContext, FltSetFileContext }`). One value per routine, so pointers compare equal.
 */
import type { FunctionValue } from '../kernel/cvalues';
import type { FunctionType } from '../c/types';
import type { Builtin, BuiltinInterp } from './builtin';

const VALUES = new WeakMap<Builtin, FunctionValue>();

export function routineValue(name: string, builtin: Builtin, interp: BuiltinInterp, type: FunctionType | undefined): FunctionValue {
  let fv = VALUES.get(builtin);
  if (!fv) {
    fv = {
      kind: 'function',
      name,
      module: 'nt',
      call: (...args: unknown[]) => builtin({ name, interp, args, argTypes: [], argExprs: [], loc: { file: '<kernel>', line: 0, col: 0 }, frame: undefined as never, type }),
    };
    VALUES.set(builtin, fv);
  }
  return fv;
}
