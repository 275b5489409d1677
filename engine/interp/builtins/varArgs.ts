/**
 * The run-time side of variadic functions (engine/interp/varArgs.ts): `__fltsim_va_start` and
 * `__fltsim_va_arg`, behind the prelude's va_start/va_arg macros, and the printf routines that take a
 * va_list. Each v-form reads its arguments from the va_list's slots as its format asks (an int, a
 * 64-bit integer, a double or a pointer per conversion) and then does what its `...` twin does, so
 * truncation, terminators and statuses stay the twin's.
 */
import type { CType } from '../../c/types';
import { Ptr } from '../../memory/pointer';
import type { Builtin, BuiltinCall, BuiltinTable } from '../builtin';
import { CRuntimeError } from '../errors';
import { printfArgKinds, readCString, type PrintfArgKind } from '../format';
import { load, store } from '../memory';
import { nextVarArg, startVarArgs } from '../varArgs';

const CHAR_PTR: CType = { kind: 'ptr', to: { kind: 'int', size: 1, signed: true, name: 'char' } };
const SLOT_TYPES: Record<PrintfArgKind, CType> = {
  int: { kind: 'int', size: 4, signed: true, name: 'int' },
  int64: { kind: 'int', size: 8, signed: true, name: 'long long' },
  double: { kind: 'float', size: 8 },
  pointer: { kind: 'ptr', to: { kind: 'void' } },
};

/** v-form → [its `...` twin, index of the format argument, character size of the format]. */
const V_FORMS: readonly (readonly [string, string, number, 1 | 2])[] = [
  ['_vsnprintf', '_snprintf', 2, 1],
  ['_vsnwprintf', '_snwprintf', 2, 2],
  ['vsprintf', 'sprintf', 1, 1],
  ['RtlStringCbVPrintfA', 'RtlStringCbPrintfA', 2, 1],
  ['RtlStringCbVPrintfW', 'RtlStringCbPrintfW', 2, 2],
  ['RtlStringCchVPrintfA', 'RtlStringCchPrintfA', 2, 1],
  ['RtlStringCchVPrintfW', 'RtlStringCchPrintfW', 2, 2],
  ['RtlUnicodeStringVPrintf', 'RtlUnicodeStringPrintf', 1, 2],
];

/** The values a va_list holds for `fmt`, read slot by slot as the conversions say. */
export function argumentsOf(call: BuiltinCall, fmt: string, vaList: unknown): unknown[] {
  if (!(vaList instanceof Ptr) || vaList.alloc === null) {
    throw new CRuntimeError('bad-pointer', `${call.name}: the va_list is not set (call va_start in the variadic function first)`, call.loc);
  }
  return printfArgKinds(fmt).map((kind, i) => load(vaList.add(8 * i), SLOT_TYPES[kind], `${call.name}: argument ${i + 1} of the va_list`, call.loc));
}

export function varArgBuiltins(table: BuiltinTable): [string, Builtin][] {
  const out: [string, Builtin][] = [
    ['__fltsim_va_start', (call) => {
      store(call.args[0], CHAR_PTR, startVarArgs(call.frame, call.interp.addresses, call.loc), 'the va_list', call.loc);
      return undefined;
    }],
    ['__fltsim_va_arg', (call) => nextVarArg(call.args[0], Number(call.args[1]), call.loc)],
  ];
  for (const [name, twin, formatAt, charSize] of V_FORMS) {
    out.push([name, (call) => {
      const fmt = readCString(call.args[formatAt], 1 << 20, charSize) ?? '';
      const args = [...call.args.slice(0, formatAt + 1), ...argumentsOf(call, fmt, call.args[formatAt + 1])];
      return table.get(twin)!({ ...call, name, args, argTypes: [] });
    }]);
  }
  return out;
}
