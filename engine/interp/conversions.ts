/**
 * C's value conversions, shared by the expression compiler and the callers of compiled code:
 * assignment and cast conversions, return values, and C's view of values the engine wrote.
 */
import type { Loc } from '../c/ast';
import { typeName, type CType } from '../c/types';
import { convertArith, wrapInt } from './arith';
import { CRuntimeError } from './errors';
import { IntPointer, type AddressSpace } from './memory';

/** A value as a number: booleans count as 0/1, NULL and unset as 0, anything else is NaN. */
export const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'boolean' ? (v ? 1 : 0) : v === null || v === undefined ? 0 : NaN);

/** The conversion C applies when a value of type `from` is assigned to (or cast to) `to`. */
export function valueConverter(space: AddressSpace, from: CType, to: CType, loc: Loc | undefined, explicit = false): (v: unknown) => unknown {
  if (to.kind === 'int') {
    if (from.kind === 'ptr' || from.kind === 'array' || from.kind === 'func') return (v) => wrapInt(space.addressOf(v), to);
    return (v) => (typeof v === 'number' ? (to.boolean ? (v !== 0 ? 1 : 0) : wrapInt(Math.trunc(v), to)) : v === null || v === undefined ? 0 : typeof v === 'boolean' ? (v ? 1 : 0) : wrapInt(space.addressOf(v), to));
  }
  if (to.kind === 'float') return (v) => convertArith(num(v), to);
  if (to.kind === 'ptr') {
    if (from.kind === 'int' || from.kind === 'float') {
      return (v) => {
        const n = num(v);
        if (n === 0) return null;
        return space.objectAt(n) ?? new IntPointer(n);
      };
    }
    if (to.to.kind === 'struct' && explicit) {
      // A struct pointer cast: the target type is applied when the memory is used.
      return (v) => v;
    }
    return (v) => (v === undefined ? null : v);
  }
  if (to.kind === 'struct') {
    if (from.kind !== 'struct' || from.tag !== to.tag) {
      const where = loc ? ` at ${loc.file}:${loc.line}` : '';
      throw new CRuntimeError('compile-error', `cannot convert a ${typeName(from)} to ${typeName(to)}${where}`, loc);
    }
    // Struct assignment copies: the copy is made by store(); pass the source object through.
    return (v) => v;
  }
  return (v) => v;
}

/** The conversion of a called function's result to its declared return type. */
export function returnConverter(ret: CType): (v: unknown) => unknown {
  if (ret.kind === 'int') return (v) => (typeof v === 'number' ? wrapInt(v, ret) : typeof v === 'boolean' ? (v ? 1 : 0) : v ?? 0);
  if (ret.kind === 'ptr') return (v) => (v === undefined ? null : v);
  return (v) => v;
}

/** Types whose values need no conversion between them. */
export function sameShape(a: CType, b: CType): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'int' && b.kind === 'int') return a.size === b.size && a.signed === b.signed && !!a.boolean === !!b.boolean;
  return a.kind !== 'int' && a.kind !== 'float';
}

/** Values written by the engine may be booleans or unsigned forms of signed fields: show C's view. */
export function normalize(v: unknown, t: CType): unknown {
  if (t.kind === 'int') {
    if (typeof v === 'number') return wrapInt(v, t);
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (v === undefined || v === null) return 0;
    return v;
  }
  if (t.kind === 'ptr' && v === undefined) return null;
  return v;
}
