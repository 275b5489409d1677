/**
 * The compiled prelude as JSON, so a fresh process (the debug adapter VS Code starts for every
 * session) can skip compiling ~1,000 lines of declarations: the build writes dist/prelude.json and
 * compiledPrelude() reads it back when its fingerprint matches the prelude's source text.
 *
 * The prelude is an object graph with shared and cyclic references (struct types refer to
 * themselves through pointer fields), so the encoding numbers every object and writes repeats as
 * references; Maps, Sets and the two classes in the graph (Scope, MacroTable) are tagged.
 */
import { createHash } from 'node:crypto';
import { MacroTable, type Macro } from '../pp/macros';
import { Scope } from '../scope';
import type { CompiledPrelude } from '../program';
import { preludeHeaders } from './index';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Changes whenever any prelude header text changes, so a stale snapshot is never used. */
export function preludeFingerprint(): string {
  const h = createHash('sha256');
  for (const [name, text] of [...preludeHeaders()].sort(([a], [b]) => (a < b ? -1 : 1))) h.update(name).update('\0').update(text).update('\0');
  return h.digest('hex').slice(0, 16);
}

export function encodePrelude(p: CompiledPrelude): string {
  const ids = new Map<object, number>();
  const table: Json[] = [];
  const encode = (v: unknown): Json => {
    if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
    if (v === undefined) return { $u: 1 };
    if (typeof v === 'function') return { $u: 1 }; // dynamic macros are rebuilt by the preprocessor
    if (typeof v !== 'object') throw new Error(`cannot encode ${typeof v}`);
    const seen = ids.get(v);
    if (seen !== undefined) return { $r: seen };
    const id = table.length;
    ids.set(v, id);
    table.push(null);
    let out: Json;
    if (v instanceof Map) out = { $m: [...v].map(([k, x]) => [encode(k), encode(x)]) };
    else if (v instanceof Set) out = { $s: [...v].map(encode) };
    else if (v instanceof Scope) {
      const own = v.own();
      out = { $scope: { typedefs: encode(own.typedefs), tags: encode(own.tags), enumConstants: encode(own.enumConstants) } };
    } else if (v instanceof MacroTable) out = { $macros: encode(v.entries()) };
    else if (Array.isArray(v)) out = v.map(encode);
    else {
      const o: { [k: string]: Json } = {};
      for (const [k, x] of Object.entries(v)) if (x !== undefined && k !== 'layout') o[k] = encode(x);
      out = { $o: o };
    }
    table[id] = out;
    return { $r: id };
  };
  const root = encode({ ...p, diagnostics: [] });
  return JSON.stringify({ fingerprint: preludeFingerprint(), table, root });
}

export function decodePrelude(json: string): CompiledPrelude | undefined {
  const data = JSON.parse(json) as { fingerprint: string; table: Json[]; root: Json };
  if (data.fingerprint !== preludeFingerprint()) return undefined;
  const objects: unknown[] = new Array(data.table.length);
  const decode = (j: Json): unknown => {
    if (j === null || typeof j !== 'object' || Array.isArray(j)) return Array.isArray(j) ? j.map(decode) : j;
    if ('$u' in j) return undefined;
    if ('$r' in j) return materialize(j.$r as number);
    throw new Error('bad prelude snapshot');
  };
  const materialize = (id: number): unknown => {
    if (objects[id] !== undefined) return objects[id];
    const j = data.table[id] as { [k: string]: Json } | Json[];
    if (Array.isArray(j)) {
      const arr: unknown[] = [];
      objects[id] = arr;
      for (const x of j) arr.push(decode(x));
      return arr;
    }
    if ('$m' in j) {
      const m = new Map<unknown, unknown>();
      objects[id] = m;
      for (const pair of j.$m as Json[][]) m.set(decode(pair[0]), decode(pair[1]));
      return m;
    }
    if ('$s' in j) {
      const s = new Set<unknown>();
      objects[id] = s;
      for (const x of j.$s as Json[]) s.add(decode(x));
      return s;
    }
    if ('$scope' in j) {
      const scope = new Scope();
      objects[id] = scope;
      const parts = j.$scope as { [k: string]: Json };
      for (const [k, t] of decode(parts.typedefs) as Map<string, never>) scope.defineTypedef(k, t);
      for (const [k, t] of decode(parts.tags) as Map<string, never>) scope.defineTag(k, t);
      for (const [k, n] of decode(parts.enumConstants) as Map<string, number>) scope.defineEnumConstant(k, n);
      return scope;
    }
    if ('$macros' in j) {
      const table = new MacroTable();
      objects[id] = table;
      for (const m of decode(j.$macros) as Macro[]) if (!m.dynamic) table.define(m);
      return table;
    }
    const o: Record<string, unknown> = {};
    objects[id] = o;
    for (const [k, x] of Object.entries(j.$o as { [k: string]: Json })) o[k] = decode(x);
    return o;
  };
  return decode(data.root) as CompiledPrelude;
}
