/**
 * Watching the bytes of one allocation, for a debugger's data breakpoints (WinDbg's `ba`): every
 * read and write that overlaps a watched range is reported, whoever makes it — driver code, the
 * kernel model, a memcpy — and so is the allocation being freed (a local's frame returning).
 *
 * Why wrap the instance instead of testing a flag in Allocation's accessors: those accessors are the
 * hottest code of every run and of schedule exploration, which never watches. A watched allocation
 * gets its own copies of the accessors that report and then call the class's; every other
 * allocation runs the class's code as before, so watching costs nothing until something is watched.
 */
import { Allocation } from './allocation';

export type AccessKind = 'read' | 'write';

export interface WatchedAccess {
  kind: AccessKind;
  /** The bytes of the access (not only the watched part of them). */
  offset: number;
  size: number;
}

export interface WatchRange {
  offset: number;
  size: number;
}

/** Told of each access that overlaps a watched range, and of the allocation being freed. */
export interface WatchListener {
  access(a: Allocation, access: WatchedAccess): void;
  freed(a: Allocation): void;
}

interface Watch {
  ranges: WatchRange[];
  listener: WatchListener;
}

const watches = new WeakMap<Allocation, Watch>();

type Method = (this: Allocation, ...args: never[]) => unknown;
/** Where each accessor's offset and size are among its arguments. */
type Span = (args: readonly unknown[]) => [offset: number, size: number];

const ACCESSORS: readonly { name: string; kind: AccessKind; span: Span }[] = [
  { name: 'readInt', kind: 'read', span: (a) => [a[0] as number, a[1] as number] },
  { name: 'readFloat', kind: 'read', span: (a) => [a[0] as number, a[1] as number] },
  { name: 'readPointer', kind: 'read', span: (a) => [a[0] as number, 8] },
  { name: 'readBytes', kind: 'read', span: (a) => [a[0] as number, a[1] as number] },
  // memcpy out of the allocation reads it through `take` (Allocation.copyFrom on the destination).
  { name: 'take', kind: 'read', span: (a) => [a[0] as number, a[1] as number] },
  { name: 'writeInt', kind: 'write', span: (a) => [a[0] as number, a[1] as number] },
  { name: 'writeFloat', kind: 'write', span: (a) => [a[0] as number, a[1] as number] },
  { name: 'writePointer', kind: 'write', span: (a) => [a[0] as number, 8] },
  { name: 'writeBytes', kind: 'write', span: (a) => [a[0] as number, (a[1] as ArrayLike<number>).length] },
  { name: 'fill', kind: 'write', span: (a) => [a[0] as number, a[1] as number] },
  { name: 'copyFrom', kind: 'write', span: (a) => [a[2] as number, a[3] as number] },
];

const proto = Allocation.prototype as unknown as Record<string, Method>;

/**
 * Watches `ranges` of `a` (replacing any earlier watch of it). Writes are reported after they
 * happen, so the listener sees the new bytes; reads before.
 */
export function watchAllocation(a: Allocation, ranges: readonly WatchRange[], listener: WatchListener): void {
  const existing = watches.get(a);
  watches.set(a, { ranges: [...ranges], listener });
  if (existing) return;
  const own = a as unknown as Record<string, unknown>;
  for (const { name, kind, span } of ACCESSORS) {
    const original = proto[name]!;
    // Bound to a local first (see "Hooks are objects" in docs/architecture.md).
    const watched = function (this: Allocation, ...args: never[]): unknown {
      const w = watches.get(this);
      if (w === undefined) return original.apply(this, args);
      const [offset, size] = span(args);
      const hit = size > 0 && w.ranges.some((r) => offset < r.offset + r.size && r.offset < offset + size);
      if (!hit) return original.apply(this, args);
      if (kind === 'read') {
        w.listener.access(this, { kind, offset, size });
        return original.apply(this, args);
      }
      const result = original.apply(this, args);
      w.listener.access(this, { kind, offset, size });
      return result;
    };
    own[name] = watched;
  }
  const release = function (this: Allocation, ...args: never[]): unknown {
    const w = watches.get(this);
    const result = proto.release!.apply(this, args);
    if (w) {
      unwatchAllocation(this);
      w.listener.freed(this);
    }
    return result;
  };
  own.release = release;
}

/** Stops watching `a`; it runs the class's accessors again. */
export function unwatchAllocation(a: Allocation): void {
  if (!watches.delete(a)) return;
  const own = a as unknown as Record<string, unknown>;
  for (const { name } of ACCESSORS) delete own[name];
  delete own.release;
}

export function isWatched(a: Allocation): boolean {
  return watches.has(a);
}
