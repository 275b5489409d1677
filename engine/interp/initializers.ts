/**
 * Initializers: `= { … }` with positional items, designators (`.Field =`, `[3] =`) and brace
 * elision, and string literals for character arrays. Compiled once into a list of stores, each a
 * path from the object being initialised plus a compiled value.
 */
import type { Expr, Initializer, InitItem } from '../c/ast';
import { typeName, type CType } from '../c/types';
import type { Co } from '../kernel/coroutine';
import { Ref } from '../kernel/cvalues';
import { CRuntimeError } from './errors';
import type { CFrame } from './frame';
import { copyStruct, pointerTo, adopt } from './memory';
import { run, type CE, type ExprCompiler } from './compileExpr';
import { constantOf } from './compileStmt';

interface Store {
  path: (string | number)[];
  type: CType;
  value: CE;
  /** A string literal copied into a character array. */
  string?: boolean;
}

type Member = { key: string | number; type: CType };

function membersOf(t: CType): Member[] | undefined {
  if (t.kind === 'struct') return (t.fields ?? []).filter((f) => f.bits === undefined || !f.name.startsWith('<anonymous')).map((f) => ({ key: f.name, type: f.type }));
  if (t.kind === 'array') return Array.from({ length: t.length ?? 0 }, (_, i) => ({ key: i, type: t.of }));
  return undefined;
}

function isCharArray(t: CType): boolean {
  return t.kind === 'array' && t.of.kind === 'int' && (t.of.size === 1 || t.of.size === 2);
}

export function compileInitializer(c: ExprCompiler, type: CType, init: Initializer): (target: unknown, f: CFrame) => Co<void> {
  const stores: Store[] = [];
  collect(c, type, init, [], stores);
  return function* (target, f) {
    for (const s of stores) {
      const v = yield* run(s.value, f);
      assignAt(target, s, v);
    }
  };
}

/** Initializer for a scalar or aggregate slot: returns the stores relative to that slot. */
function collect(c: ExprCompiler, type: CType, init: Initializer, path: (string | number)[], out: Store[]): void {
  if (init.k === 'expr') {
    const e = init.expr;
    if (isCharArray(type) && e.k === 'str') {
      out.push({ path, type, value: c.compile(e), string: true });
      return;
    }
    if (type.kind === 'struct' || type.kind === 'array') {
      const ce = c.compile(e);
      if (type.kind === 'struct' && ce.t.kind === 'struct' && ce.t.tag === type.tag) {
        out.push({ path, type, value: ce });
        return;
      }
      // `T x = 0;` for an aggregate is a common shorthand for zero (MSVC accepts `= {0}` forms too).
      if (e.k === 'num' && e.value === 0) return;
      throw new CRuntimeError('compile-error', `cannot initialise a ${typeName(type)} with ${typeName(ce.t)}`, init.loc);
    }
    out.push({ path, type, value: c.convertTo(c.compile(e), type) });
    return;
  }
  const members = membersOf(type);
  if (!members) {
    // `int x = { 5 };` is allowed: braces around a scalar.
    const first = init.items[0];
    if (first) collect(c, type, first.value, path, out);
    return;
  }
  fillAggregate(c, type, members, init.items, 0, path, out, true);
}

/** Fills members from `items[start…]`; returns the index of the first item not consumed. */
function fillAggregate(c: ExprCompiler, type: CType, members: Member[], items: InitItem[], start: number, path: (string | number)[], out: Store[], braced: boolean): number {
  let i = start;
  let pos = 0;
  const growable = type.kind === 'array' && type.length === undefined;
  while (i < items.length) {
    const item = items[i];
    if (item.designators.length > 0) {
      if (!braced) return i; // designators belong to the enclosing braced list
      const [first, ...rest] = item.designators;
      pos = designatorPosition(c, type, members, first, item.value.loc);
      if (rest.length > 0) {
        const m = members[pos];
        collectDesignated(c, m.type, rest, item.value, [...path, m.key], out);
        i++;
        pos++;
        continue;
      }
    }
    if (pos >= members.length) {
      if (growable) members.push({ key: members.length, type: (type as { of: CType }).of });
      else if (braced) throw new CRuntimeError('compile-error', `too many initializers for ${typeName(type)}`, item.value.loc);
      else return i;
    }
    const m = members[pos];
    const mPath = [...path, m.key];
    if (item.value.k === 'list') {
      collect(c, m.type, item.value, mPath, out);
      i++;
    } else if ((m.type.kind === 'struct' || m.type.kind === 'array') && !directlyInitializes(c, m.type, item.value.expr)) {
      // Brace elision: the following items initialise the members of this sub-aggregate.
      const subMembers = membersOf(m.type)!;
      const next = fillAggregate(c, m.type, subMembers, items, i, mPath, out, false);
      if (next === i) throw new CRuntimeError('compile-error', `cannot initialise ${typeName(m.type)} here`, item.value.loc);
      i = next;
    } else {
      collect(c, m.type, item.value, mPath, out);
      i++;
    }
    pos++;
  }
  return i;
}

function directlyInitializes(c: ExprCompiler, t: CType, e: Expr): boolean {
  if (isCharArray(t) && e.k === 'str') return true;
  if (t.kind === 'struct') {
    const et = c.typeOnly(e);
    return et.kind === 'struct' && et.tag === t.tag;
  }
  return false;
}

function collectDesignated(c: ExprCompiler, type: CType, designators: InitItem['designators'], value: Initializer, path: (string | number)[], out: Store[]): void {
  const members = membersOf(type);
  if (!members) throw new CRuntimeError('compile-error', `a designator applied to a ${typeName(type)}`, value.loc);
  const [first, ...rest] = designators;
  const pos = designatorPosition(c, type, members, first, value.loc);
  const m = members[pos];
  if (rest.length > 0) collectDesignated(c, m.type, rest, value, [...path, m.key], out);
  else collect(c, m.type, value, [...path, m.key], out);
}

function designatorPosition(c: ExprCompiler, type: CType, members: Member[], d: InitItem['designators'][number], loc: import('../c/ast').Loc): number {
  if ('field' in d) {
    const pos = members.findIndex((m) => m.key === d.field);
    if (pos < 0) throw new CRuntimeError('compile-error', `${typeName(type)} has no field '${d.field}'`, loc);
    return pos;
  }
  const n = constantOf(c, d.index, 'an array designator');
  while (members.length <= n && type.kind === 'array' && type.length === undefined) members.push({ key: members.length, type: type.of });
  if (n < 0 || n >= members.length) throw new CRuntimeError('compile-error', `designator [${n}] is outside ${typeName(type)}`, loc);
  return n;
}

function assignAt(target: unknown, s: Store, v: unknown): void {
  if (s.path.length === 0) {
    // Whole-object initialisation (struct copy or string into an array).
    if (s.string) copyString(target as unknown[], v);
    else if (s.type.kind === 'struct') copyStruct(target as object, adopt(v as object, s.type), s.type);
    return;
  }
  let holder = target as Record<string | number, unknown>;
  let holderType: CType | undefined;
  for (let i = 0; i < s.path.length - 1; i++) {
    const key = s.path[i];
    // An anonymous struct or union member: its members are held by the object itself.
    if (typeof key === 'string' && key.startsWith('<anonymous')) continue;
    const next = holder[key];
    if (Array.isArray(next)) holder = next as unknown as Record<string | number, unknown>;
    else if (next && typeof next === 'object') holder = next as Record<string | number, unknown>;
    else throw new CRuntimeError('internal', 'initializer path does not exist');
    holderType = undefined;
  }
  void holderType;
  const last = s.path[s.path.length - 1];
  if (s.string) {
    const arr = holder[last];
    copyString(arr as unknown[], v);
    return;
  }
  if (s.type.kind === 'struct') {
    const obj = pointerTo(holder, last, s.type) as object;
    copyStruct(obj, adopt(v as object, s.type), s.type);
    return;
  }
  holder[last] = v;
}

function copyString(arr: unknown[], v: unknown): void {
  if (!(v instanceof Ref) || !Array.isArray(v.c)) return;
  const src = v.c as number[];
  const n = Math.min(arr.length, src.length - (v.k as number));
  for (let i = 0; i < n; i++) arr[i] = src[(v.k as number) + i];
}
