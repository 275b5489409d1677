/**
 * C's value conversions, shared by the expression compiler and the callers of compiled code:
 * assignment and cast conversions, return values, and C's view of values the engine wrote.
 */
import type { Loc } from '../c/ast';
import { typeName, type CType } from '../c/types';
import type { PointerValue } from '../memory/allocation';
import { Ptr } from '../memory/pointer';
import { convertArith, wrapInt, type IntValue } from './arith';
import { CRuntimeError } from './errors';
import type { CFrame } from './frame';

/** A value as a JS number (array indexes, counts): booleans count as 0/1, NULL and unset as 0. */
export const num = (v: unknown): number =>
  typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : typeof v === 'boolean' ? (v ? 1 : 0) : v === null || v === undefined ? 0 : NaN;

/** A value as an integer for arithmetic: 64-bit values keep their bigint form. */
export const intOf = (v: unknown): IntValue => (typeof v === 'number' || typeof v === 'bigint' ? v : num(v));

/** The conversion C applies when a value of type `from` is assigned to (or cast to) `to`. */
export function valueConverter(from: CType, to: CType, loc: Loc | undefined, explicit = false): (v: unknown, f: CFrame) => unknown {
  if (to.kind === 'int') {
    // A pointer turned into an integer exposes its allocation: the integer may become a pointer again.
    if (from.kind === 'ptr' || from.kind === 'array' || from.kind === 'func') return (v, f) => wrapInt(f.env.space.exposeAddress((v ?? null) as PointerValue), to);
    return (v, f) => {
      if (typeof v === 'number') return to.boolean ? (v !== 0 ? 1 : 0) : wrapInt(Math.trunc(v), to);
      if (typeof v === 'bigint') return wrapInt(v, to);
      if (v === null || v === undefined) return 0;
      if (typeof v === 'boolean') return v ? 1 : 0;
      return wrapInt(f.env.space.exposeAddress(v as PointerValue), to);
    };
  }
  if (to.kind === 'float') return (v) => convertArith(intOf(v), to);
  if (to.kind === 'ptr') {
    if (from.kind === 'int' || from.kind === 'float') {
      // Exposed provenance: an address finds the allocation it came from, if its address escaped.
      return (v, f) => (v === 0 || v === null || v === undefined ? null : f.env.space.fromAddress(typeof v === 'bigint' ? v : Math.trunc(num(v))));
    }
    return (v) => (v === undefined ? null : v);
  }
  if (to.kind === 'struct') {
    if (from.kind !== 'struct' || from.tag !== to.tag) {
      const where = loc ? ` at ${loc.file}:${loc.line}` : '';
      throw new CRuntimeError('compile-error', `cannot convert a ${typeName(from)} to ${typeName(to)}${where}`, loc);
    }
    // A struct value is its storage; assignment copies the bytes.
    return (v) => v;
  }
  void explicit;
  return (v) => v;
}

/** The conversion of a called function's result to its declared return type. */
export function returnConverter(ret: CType): (v: unknown) => unknown {
  if (ret.kind === 'int') return (v) => (typeof v === 'number' || typeof v === 'bigint' ? wrapInt(v, ret) : typeof v === 'boolean' ? (v ? 1 : 0) : v ?? 0);
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
    if (typeof v === 'number' || typeof v === 'bigint') return wrapInt(v, t);
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (v === undefined || v === null) return 0;
    return v;
  }
  if (t.kind === 'ptr' && v === undefined) return null;
  return v;
}

/** NULL plus nothing stays NULL; anything else is a pointer value as given. */
export function isNullPointer(v: unknown): boolean {
  return v === null || v === undefined || v === 0 || (v instanceof Ptr && v.alloc === null && v.offset === 0);
}
