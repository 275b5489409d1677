/**
 * Initializers: `= { … }` with positional items, designators (`.Field =`, `[3] =`) and brace
 * elision, and string literals for character arrays. Compiled once into a list of stores, each at a
 * byte offset from the start of the object being initialised; the object is zeroed before they run,
 * so members an initializer leaves out are zero, as C requires.
 */
import type { Expr, Initializer, InitItem, Loc } from '../c/ast';
import { findField, layoutOf, sizeOf, typeName, type CType } from '../c/types';
import type { Co } from '../kernel/coroutine';
import type { AllocPtr } from '../memory/pointer';
import { fieldPlace, type FieldPlace } from '../memory/typed';
import { CRuntimeError } from './errors';
import type { CFrame } from './frame';
import { copyBytes, store, storeBitField } from './memory';
import type { CE } from './compiled';
import type { ExprCompiling } from './compileScope';
import { constantOf } from './constantExpr';
import { readCString } from './format';

interface Store {
  offset: number;
  type: CType;
  value: CE;
  /** A string literal copied into a character array. */
  string?: boolean;
  bits?: FieldPlace;
  loc: Loc;
}

interface Member {
  key: string | number;
  type: CType;
  offset: number;
  bits?: FieldPlace;
}

function membersOf(t: CType, base: number): Member[] | undefined {
  if (t.kind === 'struct') {
    const layout = layoutOf(t);
    const out: Member[] = [];
    for (const f of t.fields ?? []) {
      const anonymous = f.name.startsWith('<anonymous');
      if (f.bits !== undefined) {
        if (!anonymous) out.push({ key: f.name, type: f.type, offset: base, bits: { ...fieldPlace(t, f.name) } });
        continue;
      }
      out.push({ key: f.name, type: f.type, offset: base + layout.offsets.get(f.name)! });
    }
    // A bit-field's place is relative to its struct: make it relative to the object initialised.
    return out.map((m) => (m.bits ? { ...m, offset: base + m.bits.offset } : m));
  }
  if (t.kind === 'array') {
    const each = t.of.kind === 'array' && t.of.length === undefined ? 0 : sizeOf(t.of);
    return Array.from({ length: t.length ?? 0 }, (_, i) => ({ key: i, type: t.of, offset: base + i * each }));
  }
  return undefined;
}

function isCharArray(t: CType): boolean {
  return t.kind === 'array' && t.of.kind === 'int' && (t.of.size === 1 || t.of.size === 2);
}

export function compileInitializer(c: ExprCompiling, type: CType, init: Initializer): (target: AllocPtr, f: CFrame) => Co<void> {
  const stores: Store[] = [];
  collect(c, type, init, 0, stores);
  return function* (target, f) {
    for (const s of stores) {
      const v = s.value.s ? s.value.s(f) : yield* s.value.g!(f);
      assignAt(target, s, v);
    }
  };
}

/** Initializer for a scalar or aggregate at `offset`: appends the stores it makes. */
function collect(c: ExprCompiling, type: CType, init: Initializer, offset: number, out: Store[], bits?: FieldPlace): void {
  if (init.k === 'expr') {
    const e = init.expr;
    if (isCharArray(type) && e.k === 'str') {
      out.push({ offset, type, value: c.compile(e), string: true, loc: init.loc });
      return;
    }
    if (type.kind === 'struct' || type.kind === 'array') {
      const ce = c.compile(e);
      if (type.kind === 'struct' && ce.t.kind === 'struct' && ce.t.tag === type.tag) {
        out.push({ offset, type, value: ce, loc: init.loc });
        return;
      }
      // `T x = 0;` for an aggregate is a common shorthand for zero (MSVC accepts `= {0}` forms too).
      if (e.k === 'num' && e.value === 0) return;
      if (e.k === 'id' && !c.scope.local(e.name) && !c.scope.global(e.name) && c.scope.functionType(e.name) === undefined) {
        // Usually a macro for `{ 0, 0, NULL }` from a header this file does not include.
        throw new CRuntimeError('undefined-name', `'${e.name}' is not declared; it initialises a ${typeName(type)}`, init.loc, 'include the header that defines it (often a macro for a { … } initialiser), or check the spelling');
      }
      throw new CRuntimeError('compile-error', `cannot initialise a ${typeName(type)} with ${typeName(ce.t)}`, init.loc);
    }
    out.push({ offset, type, value: c.convertTo(c.compile(e), type), bits, loc: init.loc });
    return;
  }
  const members = membersOf(type, offset);
  if (!members) {
    // `int x = { 5 };` is allowed: braces around a scalar.
    const first = init.items[0];
    if (first) collect(c, type, first.value, offset, out, bits);
    return;
  }
  fillAggregate(c, type, members, init.items, 0, out, true);
}

/** Fills members from `items[start…]`; returns the index of the first item not consumed. */
function fillAggregate(c: ExprCompiling, type: CType, members: Member[], items: InitItem[], start: number, out: Store[], braced: boolean): number {
  let i = start;
  let pos = 0;
  const growable = type.kind === 'array' && type.length === undefined;
  const grow = (): void => {
    const of = (type as { of: CType }).of;
    const last = members[members.length - 1];
    members.push({ key: members.length, type: of, offset: last ? last.offset + sizeOf(of) : 0 });
  };
  while (i < items.length) {
    const item = items[i];
    if (item.designators.length > 0) {
      if (!braced) return i; // designators belong to the enclosing braced list
      const [first, ...rest] = item.designators;
      const found = designatorPosition(c, type, members, first, item.value.loc, grow);
      pos = found.pos;
      const inner = found.through ? [found.through, ...rest] : rest;
      if (inner.length > 0) {
        collectDesignated(c, members[pos].type, members[pos].offset, inner, item.value, out);
        i++;
        pos++;
        continue;
      }
    }
    if (pos >= members.length) {
      if (growable) grow();
      else if (braced) throw new CRuntimeError('compile-error', `too many initializers for ${typeName(type)}`, item.value.loc);
      else return i;
    }
    const m = members[pos];
    if (item.value.k === 'list') {
      collect(c, m.type, item.value, m.offset, out, m.bits);
      i++;
    } else if ((m.type.kind === 'struct' || m.type.kind === 'array') && !directlyInitializes(c, m.type, item.value.expr)) {
      // Brace elision: the following items initialise the members of this sub-aggregate.
      const next = fillAggregate(c, m.type, membersOf(m.type, m.offset)!, items, i, out, false);
      if (next === i) throw new CRuntimeError('compile-error', `cannot initialise ${typeName(m.type)} here`, item.value.loc);
      i = next;
    } else {
      collect(c, m.type, item.value, m.offset, out, m.bits);
      i++;
    }
    pos++;
  }
  return i;
}

function directlyInitializes(c: ExprCompiling, t: CType, e: Expr): boolean {
  if (isCharArray(t) && e.k === 'str') return true;
  if (t.kind === 'struct') {
    const et = c.typeOnly(e);
    return et.kind === 'struct' && et.tag === t.tag;
  }
  return false;
}

function collectDesignated(c: ExprCompiling, type: CType, offset: number, designators: InitItem['designators'], value: Initializer, out: Store[]): void {
  const members = membersOf(type, offset);
  if (!members) throw new CRuntimeError('compile-error', `a designator applied to a ${typeName(type)}`, value.loc);
  const [first, ...rest] = designators;
  const found = designatorPosition(c, type, members, first, value.loc, () => {
    const of = (type as { of: CType }).of;
    members.push({ key: members.length, type: of, offset: offset + members.length * sizeOf(of) });
  });
  const m = members[found.pos];
  const inner = found.through ? [found.through, ...rest] : rest;
  if (inner.length > 0) collectDesignated(c, m.type, m.offset, inner, value, out);
  else collect(c, m.type, value, m.offset, out, m.bits);
}

/**
 * The member a designator names. `.Field` of a field inside an anonymous struct or union names
 * that anonymous member, and the same designator then applies inside it (`through`).
 */
function designatorPosition(c: ExprCompiling, type: CType, members: Member[], d: InitItem['designators'][number], loc: Loc, grow: () => void): { pos: number; through?: InitItem['designators'][number] } {
  if ('field' in d) {
    const pos = members.findIndex((m) => m.key === d.field);
    if (pos >= 0) return { pos };
    if (type.kind === 'struct') {
      const chain = findField(type, d.field);
      if (chain && chain.length > 1) return { pos: members.findIndex((m) => m.key === chain[0].name), through: d };
    }
    throw new CRuntimeError('compile-error', `${typeName(type)} has no field '${d.field}'`, loc);
  }
  const n = constantOf(c, d.index, 'an array designator');
  while (members.length <= n && type.kind === 'array' && type.length === undefined) grow();
  if (n < 0 || n >= members.length) throw new CRuntimeError('compile-error', `designator [${n}] is outside ${typeName(type)}`, loc);
  return { pos: n };
}

function assignAt(target: AllocPtr, s: Store, v: unknown): void {
  const at = target.add(s.offset);
  const what = 'the initializer';
  if (s.string) {
    // A string literal into a character array: as many characters as fit, the NUL if it fits.
    const t = s.type as CType & { kind: 'array' };
    const charSize = (t.of as { size: 1 | 2 }).size;
    const text = readCString(v, Number.MAX_SAFE_INTEGER, charSize) ?? '';
    const room = t.length ?? text.length + 1;
    const elem = t.of;
    for (let i = 0; i < Math.min(room, text.length + 1); i++) store(at.add(i * charSize), elem, i < text.length ? text.charCodeAt(i) : 0, what, s.loc);
    return;
  }
  if (s.type.kind === 'struct') {
    copyBytes(at, v, sizeOf(s.type), what, s.loc);
    return;
  }
  if (s.bits) {
    storeBitField(target.add(s.offset), s.bits, v, what, s.loc);
    return;
  }
  store(at, s.type, v, what, s.loc);
}
