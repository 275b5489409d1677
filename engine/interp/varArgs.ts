/**
 * Variadic functions a driver defines (`void Log(const char *Format, ...)`): a call keeps the
 * arguments past the named parameters with their promoted types, and `va_start` lays them out the
 * way the x64 calling convention leaves them on the stack, one 8-byte slot each: integers widened to
 * 64 bits, floating values as doubles, pointers with their provenance, a struct of 1, 2, 4 or 8
 * bytes in its slot and any other struct by the address of a copy. `va_list` is a `char *` into
 * those slots, so `va_arg` (a prelude macro over `__fltsim_va_arg`), a `va_list` handed on to
 * another function, and the vprintf family (builtins/varArgPrintf.ts) read them as real code would.
 * The slots live in the variadic function's frame: a `va_list` used after it returns is a use after
 * free, as on Windows.
 */
import type { Loc } from '../c/ast';
import { DOUBLE, INT, LONGLONG, sizeOf, typeName, ULONGLONG, type CType } from '../c/types';
import { Ptr } from '../memory/pointer';
import type { AddressSpace } from '../memory/space';
import { CRuntimeError } from './errors';
import type { CFrame } from './frame';
import { copyBytes, load, store } from './memory';

/** An argument list of a call to a variadic C function: the static types of the extras ride along. */
export type VarArgValues = unknown[] & { varTypes?: readonly CType[] };

/** The extra arguments of each running variadic call, until its frame ends. */
const EXTRAS = new WeakMap<CFrame, { values: unknown[]; types: readonly CType[] }>();

/** The type an extra argument is passed as: the default argument promotions. */
export function promotedType(t: CType): CType {
  if (t.kind === 'float') return DOUBLE;
  if (t.kind === 'int' && t.size < 4) return INT;
  if (t.kind === 'array') return { kind: 'ptr', to: t.of };
  if (t.kind === 'func') return { kind: 'ptr', to: t };
  return t;
}

/** Called as a variadic function is entered: keeps what its caller passed past `paramCount`. */
export function keepVarArgs(frame: CFrame, args: VarArgValues, paramCount: number): void {
  const values = args.slice(paramCount);
  const types = args.varTypes ?? values.map(typeOfValue);
  EXTRAS.set(frame, { values, types });
}

/** When the caller's types are unknown (a call through an unprototyped pointer): what the value is. */
function typeOfValue(v: unknown): CType {
  if (v instanceof Ptr || v === null) return { kind: 'ptr', to: { kind: 'void' } };
  if (typeof v === 'bigint') return LONGLONG;
  if (typeof v === 'number' && !Number.isInteger(v)) return DOUBLE;
  return ULONGLONG;
}

const SLOT = 8;

/**
 * `va_start`: the extras of `frame`'s call laid out in slots in the frame's own memory; returns the
 * address of the first slot.
 */
export function startVarArgs(frame: CFrame, space: AddressSpace, loc: Loc): Ptr {
  const extras = EXTRAS.get(frame);
  if (extras === undefined || !frame.fn.type.variadic) {
    throw new CRuntimeError('bad-call', `va_start in ${frame.name}, which is not a variadic function (its parameter list has no '...')`, loc);
  }
  const { values, types } = extras;
  const block = space.allocate('stack', Math.max(SLOT, values.length * SLOT), { label: `variable arguments of ${frame.name}`, zeroed: true });
  frame.stack.push(block);
  const base = space.pointer(block);
  values.forEach((v, i) => {
    const at = base.add(i * SLOT);
    const t = types[i] ?? typeOfValue(v);
    const what = `argument ${frame.fn.paramCount + i + 1} of ${frame.name} (${typeName(t)})`;
    if (t.kind === 'struct' || t.kind === 'array') {
      const size = sizeOf(t);
      if (size === 1 || size === 2 || size === 4 || size === 8) {
        copyBytes(at, v, size, what, loc);
        return;
      }
      // Passed by reference: the callee sees the address of a copy the caller made.
      const copy = space.allocate('stack', size, { label: `copy of ${what}`, zeroed: false });
      frame.stack.push(copy);
      copyBytes(space.pointer(copy), v, size, what, loc);
      store(at, { kind: 'ptr', to: t }, space.pointer(copy), what, loc);
      return;
    }
    if (t.kind === 'int') {
      store(at, t.signed ? LONGLONG : ULONGLONG, v, what, loc);
      return;
    }
    store(at, t.kind === 'float' ? DOUBLE : t, v, what, loc);
  });
  return base;
}

/**
 * `va_arg(ap, T)` with `size` = sizeof(T): the address to read T from (the slot itself, or for a
 * struct passed by reference the address the slot holds); `ap` moves to the next slot.
 */
export function nextVarArg(apCell: unknown, size: number, loc: Loc): unknown {
  const current = load(apCell, VA_LIST, 'the va_list', loc);
  if (!(current instanceof Ptr) || current.alloc === null) {
    throw new CRuntimeError('null-dereference', 'va_arg on a va_list that va_start did not set (or that va_end cleared)', loc);
  }
  store(apCell, VA_LIST, current.add(SLOT), 'the va_list', loc);
  const byValue = size === 1 || size === 2 || size === 4 || size === 8;
  return byValue ? current : load(current, VA_LIST, 'the address of a variable argument passed by reference', loc);
}

/** va_list: `char *`. */
const VA_LIST: CType = { kind: 'ptr', to: { kind: 'int', size: 1, signed: true, name: 'char' } };
