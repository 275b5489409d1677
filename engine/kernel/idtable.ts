/**
 * Live objects by id, for ids handed out in increasing order (threads, work items). It behaves like
 * the Map<number, T> it replaces — lookups by id, iteration in insertion order, entries added or
 * removed while iterating are seen or skipped as a Map's iterators do — but adding and removing
 * entries allocates nothing in the steady state. A Map whose entries come and go on every operation
 * of a long run rehashes its table every few additions.
 *
 * Entries sit in id order in an array; a removed one leaves a hole that is skipped, and the array is
 * compacted when holes outnumber entries. Lookups are a binary search.
 */
export class AscendingIdTable<T> {
  /** Ids in increasing order, from `head` to `tail`; `values[i]` is undefined when entry i was removed. */
  private ids: number[] = [];
  private vals: (T | undefined)[] = [];
  private head = 0;
  private tail = 0;
  private count = 0;
  /** Changes whenever entries move (compaction or an out-of-order insert), so iterators re-find their place. */
  private epoch = 0;

  get size(): number {
    return this.count;
  }

  get(id: number): T | undefined {
    const i = this.find(id);
    return i < 0 ? undefined : this.vals[i];
  }

  has(id: number): boolean {
    const i = this.find(id);
    return i >= 0 && this.vals[i] !== undefined;
  }

  /** Adds or replaces the entry for `id`. Ids above every id present are the fast, usual case. */
  set(id: number, value: T): this {
    if (value === undefined) throw new Error('AscendingIdTable: undefined cannot be stored');
    if (this.tail === this.head || this.ids[this.tail - 1]! < id) {
      if (this.tail === this.ids.length) {
        this.ids.push(id);
        this.vals.push(value);
      } else {
        this.ids[this.tail] = id;
        this.vals[this.tail] = value;
      }
      this.tail++;
      this.count++;
      return this;
    }
    const i = this.find(id);
    if (i >= 0) {
      if (this.vals[i] === undefined) this.count++;
      this.vals[i] = value;
      return this;
    }
    // An id below the highest: insert it in order (a Map would put it last; no caller does this).
    let at = this.head;
    while (at < this.tail && this.ids[at]! < id) at++;
    this.ids.splice(at, 0, id);
    this.vals.splice(at, 0, value);
    this.tail++;
    this.count++;
    this.epoch++;
    return this;
  }

  delete(id: number): boolean {
    const i = this.find(id);
    if (i < 0 || this.vals[i] === undefined) return false;
    this.vals[i] = undefined;
    this.count--;
    if (this.count === 0) {
      for (let j = this.head; j < this.tail; j++) this.vals[j] = undefined;
      this.head = 0;
      this.tail = 0;
      this.epoch++;
    } else if (i === this.head) {
      while (this.vals[this.head] === undefined) this.head++;
    } else if (this.tail - this.head > 2 * this.count + 32) this.compact();
    return true;
  }

  *values(): IterableIterator<T> {
    for (const [, v] of this.entries()) yield v;
  }

  *keys(): IterableIterator<number> {
    for (const [k] of this.entries()) yield k;
  }

  *entries(): IterableIterator<[number, T]> {
    let epoch = this.epoch;
    let i = this.head;
    let started = false;
    let last = 0;
    for (;;) {
      if (epoch !== this.epoch) {
        // Entries moved under the iterator: go on after the last id it looked at.
        epoch = this.epoch;
        i = started ? this.after(last) : this.head;
      }
      if (i >= this.tail) return;
      const id = this.ids[i]!;
      const v = this.vals[i];
      i++;
      started = true;
      last = id;
      if (v !== undefined) yield [id, v];
    }
  }

  [Symbol.iterator](): IterableIterator<[number, T]> {
    return this.entries();
  }

  forEach(fn: (value: T, id: number) => void): void {
    for (const [k, v] of this.entries()) fn(v, k);
  }

  /** Index of `id` between head and tail (present or removed), or -1. */
  private find(id: number): number {
    let lo = this.head;
    let hi = this.tail - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const m = this.ids[mid]!;
      if (m === id) return mid;
      if (m < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Index of the first entry with an id above `id`. */
  private after(id: number): number {
    let lo = this.head;
    let hi = this.tail;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ids[mid]! <= id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private compact(): void {
    let w = 0;
    for (let r = this.head; r < this.tail; r++) {
      const v = this.vals[r];
      if (v === undefined) continue;
      this.ids[w] = this.ids[r]!;
      this.vals[w] = v;
      w++;
    }
    for (let j = w; j < this.tail; j++) this.vals[j] = undefined;
    this.head = 0;
    this.tail = w;
    this.epoch++;
  }
}

/** What an InsertionTable holds: an id, and the place the table gives it. */
export interface Tabled {
  readonly id: number;
  /** Set by the table while the object is in it; 0 otherwise. */
  tableSeq: number;
}

/**
 * Objects by id in insertion order — a Map<number, T> in behaviour for `get`, `has`, `delete`,
 * `size` and iteration — for objects that come and go on every operation (live callback data).
 * Each object carries the place the table gave it, so `add` and `remove` allocate nothing and look
 * nothing up. Ids must be unique among the entries (callers reserve them). Lookups by id are for
 * tools (the debugger pages a 10,000-entry queue through them): the first one builds an index,
 * which stays until the table changes, so the simulation's own add/remove pay one store for it.
 */
export class InsertionTable<T extends Tabled> {
  private readonly bySeq = new AscendingIdTable<T>();
  private nextSeq = 1;
  private byId: Map<number, T> | undefined;

  get size(): number {
    return this.bySeq.size;
  }

  add(v: T): void {
    v.tableSeq = this.nextSeq++;
    this.bySeq.set(v.tableSeq, v);
    this.byId = undefined;
  }

  /** Takes `v` out; false when it was not in the table. */
  remove(v: T): boolean {
    if (v.tableSeq === 0 || this.bySeq.get(v.tableSeq) !== v) return false;
    this.bySeq.delete(v.tableSeq);
    v.tableSeq = 0;
    this.byId = undefined;
    return true;
  }

  get(id: number): T | undefined {
    let index = this.byId;
    if (index === undefined) {
      index = new Map();
      for (const v of this.bySeq.values()) index.set(v.id, v);
      this.byId = index;
    }
    return index.get(id);
  }

  has(id: number): boolean {
    return this.get(id) !== undefined;
  }

  delete(id: number): boolean {
    const v = this.get(id);
    return v !== undefined && this.remove(v);
  }

  *values(): IterableIterator<T> {
    yield* this.bySeq.values();
  }

  *keys(): IterableIterator<number> {
    for (const v of this.bySeq.values()) yield v.id;
  }

  *entries(): IterableIterator<[number, T]> {
    for (const v of this.bySeq.values()) yield [v.id, v];
  }

  [Symbol.iterator](): IterableIterator<[number, T]> {
    return this.entries();
  }

  forEach(fn: (value: T, id: number) => void): void {
    for (const v of this.bySeq.values()) fn(v, v.id);
  }
}
