/** A binary min-heap of timers ordered by (tick, insertion order), so equal ticks fire in FIFO order. */
export interface Timer {
  tick: number;
  seq: number;
  fire: () => void;
  cancelled: boolean;
}

export class TimerHeap {
  private readonly items: Timer[] = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  add(tick: number, fire: () => void): Timer {
    const t: Timer = { tick, seq: this.seq++, fire, cancelled: false };
    const a = this.items;
    a.push(t);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
    return t;
  }

  /** True when some timer (cancelled ones included) satisfies `pred`. */
  some(pred: (t: Timer) => boolean): boolean {
    return this.items.some(pred);
  }

  /** The earliest live timer, dropping cancelled ones on the way. */
  peek(): Timer | undefined {
    while (this.items.length > 0 && this.items[0]!.cancelled) this.pop();
    return this.items[0];
  }

  pop(): Timer | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l]!, a[m]!)) m = l;
        if (r < a.length && before(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }

  /** Live timers in firing order, for the snapshot. */
  pending(): Timer[] {
    return this.items.filter((t) => !t.cancelled).sort((x, y) => (before(x, y) ? -1 : 1));
  }
}

function before(x: Timer, y: Timer): boolean {
  return x.tick < y.tick || (x.tick === y.tick && x.seq < y.seq);
}
