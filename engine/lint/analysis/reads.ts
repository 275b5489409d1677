/**
 * What a function rule's check read of the file outside the function it checks: other functions'
 * text (by name, or all of them), IRQL annotations, IRQL entry estimates. The incremental linter
 * keeps each cached result with the values of what it read and reuses it only while they are the
 * same, so a rule needs no declaration of what it depends on (fuzzing found four rules reading
 * something the cache key did not cover: a routine passed by name, a function reading a field back,
 * a second definition of a name, a callee's annotation on a prototype).
 *
 * Read ids: `fn:Name` (that function's text, or its absence), `*` (every function of the file),
 * `ann:Name` (its IRQL annotation), `ann:*` (every annotation), `irql:Name` (its entry estimate).
 */
export type ReadId = string;

export interface Recorded<T> {
  value: T;
  reads: ReadonlySet<ReadId>;
}

export class ReadLog {
  private readonly open: Set<ReadId>[] = [];

  /** Counts `id` as read by every recording in progress (nothing happens when none is). */
  note(id: ReadId): void {
    const top = this.open[this.open.length - 1];
    if (top) top.add(id);
  }

  /** Runs `compute` and says what it read; an enclosing recording counts those reads too. */
  record<T>(compute: () => T): Recorded<T> {
    const reads = new Set<ReadId>();
    this.open.push(reads);
    try {
      return { value: compute(), reads };
    } finally {
      this.open.pop();
      const parent = this.open[this.open.length - 1];
      if (parent) for (const r of reads) parent.add(r);
    }
  }

  /**
   * A memo kept for one lint run: a hit counts as the reads its first computation made, so a
   * result computed for one check and reused by another is a dependency of both.
   */
  memo<K, T>(map: Map<K, Recorded<T>>, key: K, compute: () => T): T {
    const hit = map.get(key);
    if (hit) {
      for (const r of hit.reads) this.note(r);
      return hit.value;
    }
    const made = this.record(compute);
    map.set(key, made);
    return made.value;
  }
}
