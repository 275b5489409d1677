/**
 * What a copy ("fork") of a run's state would have to copy, measured on a live World: the objects
 * reachable from it through data (own properties, Map and Set entries) that belong to this run and
 * not to what every run shares (the compiled driver, the C runtime made once), the closures and
 * live generators among them (which no generic copier can copy: a closure's captured variables and
 * a generator's suspended frame are not reachable as data), and the bytes of typed arrays. Also a
 * generic copy of that data (prototypes kept, functions and generators shared by reference), timed
 * as a lower bound of what a fork costs. Benchmark code only: nothing here restores a run.
 */

type Node = object;

function isObjectLike(v: unknown): v is Node {
  return v !== null && (typeof v === 'object' || typeof v === 'function');
}

function isGenerator(o: Node): boolean {
  return Object.prototype.toString.call(o) === '[object Generator]';
}

/** Every object reachable from `roots` through data, with the first path that reached it. */
export function reachable(roots: Record<string, unknown>, stopAt: ReadonlySet<Node> = new Set()): Map<Node, string> {
  const paths = new Map<Node, string>();
  const stack: [Node, string][] = [];
  for (const [name, v] of Object.entries(roots)) if (isObjectLike(v)) stack.push([v, name]);
  while (stack.length > 0) {
    const [o, path] = stack.pop()!;
    if (paths.has(o) || stopAt.has(o)) continue;
    paths.set(o, path);
    if (typeof o !== 'function' && isGenerator(o)) continue;
    if (ArrayBuffer.isView(o) || o instanceof ArrayBuffer) continue;
    if (o instanceof Map) for (const [k, v] of o) {
      if (isObjectLike(k)) stack.push([k, `${path}{key}`]);
      if (isObjectLike(v)) stack.push([v, `${path}[]`]);
    }
    if (o instanceof Set) for (const v of o) if (isObjectLike(v)) stack.push([v, `${path}{}`]);
    for (const key of Reflect.ownKeys(o)) {
      const d = Object.getOwnPropertyDescriptor(o, key)!;
      if ('value' in d && isObjectLike(d.value)) stack.push([d.value, `${path}.${String(key)}`]);
    }
  }
  return paths;
}

export interface Census {
  objects: number;
  closures: number;
  generators: number;
  /** WeakMaps and WeakSets: their entries cannot be listed, so no generic copier can copy them. */
  weakMaps: number;
  typedBytes: number;
  /** Where this run's closures hang (the path's first three steps), most first. */
  closureHolders: [string, number][];
  /** The fields holding this run's WeakMaps and WeakSets (holder.field), most first. */
  weakHolders: [string, number][];
}

/** The objects of `own` (a reachable() map) counted by kind. */
export function census(own: Map<Node, string>): Census {
  let closures = 0;
  let generators = 0;
  let typedBytes = 0;
  let weakMaps = 0;
  const holders = new Map<string, number>();
  const weakHolders = new Map<string, number>();
  for (const [o, path] of own) {
    if (typeof o === 'function') {
      closures++;
      const at = path.replace(/\.\d+/g, '[]').split('.').slice(0, 3).join('.');
      holders.set(at, (holders.get(at) ?? 0) + 1);
    } else if (isGenerator(o)) generators++;
    else if (o instanceof WeakMap || o instanceof WeakSet) {
      weakMaps++;
      // The field's name and its holder's (class names do not survive minification; fields do).
      const at = path.replace(/\[\]|\{\}|\.\d+/g, '').split('.').slice(-2).join('.');
      weakHolders.set(at, (weakHolders.get(at) ?? 0) + 1);
    }
    else if (ArrayBuffer.isView(o)) typedBytes += o.byteLength;
  }
  return { objects: own.size, closures, generators, weakMaps, typedBytes, closureHolders: [...holders].sort((a, b) => b[1] - a[1]), weakHolders: [...weakHolders].sort((a, b) => b[1] - a[1]) };
}

/**
 * A deep copy of `root` through data: plain and class objects (prototype kept), arrays, Maps, Sets,
 * typed arrays and their buffers; objects in `shared`, functions and generators are kept by
 * reference (a real fork would have to re-bind or rebuild the run's own ones).
 */
export function copyData<T>(root: T, shared: ReadonlySet<Node>): T {
  const copies = new Map<Node, Node>();
  const copy = (v: unknown): unknown => {
    if (!isObjectLike(v) || typeof v === 'function' || shared.has(v)) return v;
    const done = copies.get(v);
    if (done !== undefined) return done;
    if (isGenerator(v)) return v;
    if (v instanceof ArrayBuffer) {
      const b = v.slice(0);
      copies.set(v, b);
      return b;
    }
    if (ArrayBuffer.isView(v)) {
      const buffer = copy(v.buffer) as ArrayBuffer;
      const C = v.constructor as new (b: ArrayBuffer, offset: number, length: number) => ArrayBufferView;
      const t = new C(buffer, v.byteOffset, v instanceof DataView ? v.byteLength : (v as unknown as { length: number }).length);
      copies.set(v, t);
      return t;
    }
    if (v instanceof Map) {
      const m = new Map();
      copies.set(v, m);
      for (const [k, x] of v) m.set(copy(k), copy(x));
      return m;
    }
    if (v instanceof Set) {
      const s = new Set();
      copies.set(v, s);
      for (const x of v) s.add(copy(x));
      return s;
    }
    if (Array.isArray(v)) {
      const a: unknown[] = v.slice();
      copies.set(v, a);
      for (let i = 0; i < a.length; i++) a[i] = copy(a[i]);
      return a;
    }
    const o = Object.create(Object.getPrototypeOf(v) as object | null) as Record<PropertyKey, unknown>;
    copies.set(v, o);
    const from = v as Record<PropertyKey, unknown>;
    for (const key of Object.keys(v)) o[key] = copy(from[key]);
    // Symbol-keyed properties are rare (the routine table's parts); non-enumerable data is not copied.
    for (const key of Object.getOwnPropertySymbols(v)) o[key] = copy(from[key]);
    return o;
  };
  return copy(root) as T;
}
