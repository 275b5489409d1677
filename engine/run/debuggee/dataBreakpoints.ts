/**
 * Data breakpoints (WinDbg's `ba w4 addr`, `ba r4 addr`): stop when bytes are written or read.
 *
 * Two kinds of target. Memory — a global, a field, a pool block, a local whose address is taken —
 * is watched at the allocation (engine/memory/watch.ts), which hears every access whoever makes it,
 * driver code or the kernel model. A local whose address is never taken has no memory: it is a
 * value in its frame's slot, which only that frame's code can change, so it is compared after each
 * step; such a local can be watched for writes only.
 *
 * Targets are named by what a replay makes again: an allocation by its id (a run is deterministic,
 * so a replay makes the same allocations with the same ids), a local by thread, frame position,
 * function and slot. After going back in time they are found again as the replay reaches them, and
 * a watch that had ended (the local's frame returned, the block was freed) comes back to life if
 * the replay stops before that happened.
 */
import { sizeOf, typeName, type CType } from '../../c/types';
import { CFrame } from '../../interp/frame';
import type { Allocation } from '../../memory/allocation';
import { hexAddress } from '../../memory/pointer';
import { unwatchAllocation, watchAllocation, type WatchedAccess, type WatchListener } from '../../memory/watch';
import type { World } from '../world';
import { hitConditionHolds } from './breakpoints';
import type { MemoryIndex } from './memoryIndex';

export type DataAccessType = 'read' | 'write' | 'readWrite';

export type DataTarget =
  | { kind: 'memory'; allocation: number; offset: number; size: number; label: string; type?: CType }
  | { kind: 'local'; thread: number; frameIndex: number; fn: string; slot: number; label: string; type: CType; sinceStep: number };

export interface DataBreakpointInfo {
  /** Null when nothing here can be watched; `description` then says why. */
  dataId: string | null;
  description: string;
  accessTypes?: DataAccessType[];
}

export interface DataBreakpointSpec {
  dataId: string;
  accessType?: DataAccessType;
  condition?: string;
  hitCondition?: string;
}

export interface DataBreakpointState {
  id: number;
  verified: boolean;
  message?: string;
  /** What is watched, for the user: `gCount (4 bytes at 0xffffa000…)`. */
  description: string;
}

/** One access that a data breakpoint stops at. */
export interface DataHit {
  ids: number[];
  threadId: number;
  /** `gCount written at filter.c:42 by 'Delayed worker 1' (thread 7): 0 (0x0) → 1 (0x1)`. */
  description: string;
}

/** Where an access happened, as the Debuggee finds it: the thread and its current statement. */
export interface AccessSite {
  threadId: number;
  threadName: string;
  file?: string;
  line?: number;
  /** The kernel routine on top of the stack when the kernel model made the access (`FltCompletePendedPreOperation`). */
  routine?: string;
}

export interface DataHost {
  world(): World;
  index(): MemoryIndex;
  /** The thread running now and its statement (called during a step). */
  site(): AccessSite;
  /** A file's path as the user sees it. */
  shown(file: string): string;
  /** Evaluates a condition in the thread's innermost driver frame. */
  condition(text: string, threadId: number): { ok: true; holds: boolean } | { ok: false; message: string };
  /** A breakpoint's state changed outside a request (its local went out of scope): tell the user. */
  changed(state: DataBreakpointState): void;
  output(text: string): void;
}

/**
 * Ids of data breakpoints: apart from line and function breakpoints' (counted from 1 in
 * breakpoints.ts), since a client keeps all of a session's breakpoints in one table.
 */
const FIRST_ID = 1_000_001;

interface Watch {
  id: number;
  target: DataTarget;
  access: DataAccessType;
  condition?: string;
  hitCondition?: string;
  hits: number;
  /** Why it no longer watches anything; undefined while it does (or waits for its target). */
  ended?: string;
  allocation?: Allocation;
  frame?: CFrame;
  /** The watched bytes (memory) or value (local) as last seen, for old → new. */
  last: Uint8Array | unknown;
  /** The statement the local's frame was at before the step (where a change to it was made). */
  lastLine?: number;
}

interface PendingHit {
  watch: Watch;
  kind: 'read' | 'write';
  site: AccessSite;
  before?: string;
  after?: string;
}

export class DataBreakpoints {
  private readonly targets = new Map<string, DataTarget>();
  private watches: Watch[] = [];
  private nextId = FIRST_ID;
  /** Accesses are heard only while the run takes a step, never while the debugger looks. */
  recording = false;
  /** A silent replay (going back) passes through: say nothing in the Debug Console. */
  quiet = false;
  private pending: PendingHit[] = [];
  private readonly listener: WatchListener = {
    access: (a, access) => this.accessed(a, access),
    freed: (a) => this.freed(a),
  };

  constructor(private readonly host: DataHost) {}

  get active(): boolean {
    return this.watches.length > 0;
  }

  /** Remembers a target `dataBreakpointInfo` found; its id is what `set` takes. */
  describe(target: DataTarget): DataBreakpointInfo {
    const dataId = target.kind === 'memory' ? `mem:${target.allocation}:${target.offset}:${target.size}` : `local:${target.thread}:${target.frameIndex}:${target.fn}:${target.slot}`;
    this.targets.set(dataId, target);
    const a = target.kind === 'memory' ? this.host.index().byId(target.allocation) : undefined;
    const where = target.kind === 'memory' ? `${target.size} byte${target.size === 1 ? '' : 's'}${a ? ` at ${hexAddress(a.base + target.offset)}` : ''}` : 'a local held in a register: writes only';
    return { dataId, description: `${target.label} (${where})`, accessTypes: target.kind === 'memory' ? ['write', 'read', 'readWrite'] : ['write'] };
  }

  /** Replaces every data breakpoint with these; each answers whether it watches something now. */
  set(specs: readonly DataBreakpointSpec[]): DataBreakpointState[] {
    for (const w of this.watches) if (w.allocation) unwatchAllocation(w.allocation);
    this.watches = [];
    const out: DataBreakpointState[] = [];
    for (const s of specs) {
      const id = this.nextId++;
      const target = this.targets.get(s.dataId) ?? memoryTargetOf(s.dataId);
      if (!target) {
        out.push({ id, verified: false, description: s.dataId, message: `'${s.dataId}' is not a data breakpoint fltsim made in this session` });
        continue;
      }
      const access = s.accessType ?? 'write';
      if (target.kind === 'local' && access !== 'write') {
        out.push({ id, verified: false, description: target.label, message: `${target.label} is a local whose address is never taken: it has no memory to read, so only writes can be watched` });
        continue;
      }
      const w: Watch = { id, target, access, condition: s.condition, hitCondition: s.hitCondition, hits: 0, last: undefined };
      this.watches.push(w);
      this.arm(w);
      out.push(this.state(w));
    }
    return out;
  }

  private state(w: Watch): DataBreakpointState {
    const s: DataBreakpointState = { id: w.id, verified: w.ended === undefined, description: w.target.label };
    if (w.ended !== undefined) s.message = w.ended;
    return s;
  }

  /** A new World (going back in time): every target is looked for again as the replay makes it. */
  newWorld(): void {
    this.pending = [];
    for (const w of this.watches) {
      const was = w.ended;
      w.allocation = undefined;
      w.frame = undefined;
      w.ended = undefined;
      w.hits = 0;
      if (was !== undefined) this.host.changed(this.state(w));
    }
  }

  /** The World made an allocation: a memory watch waiting for it starts watching. */
  allocated(a: Allocation): void {
    for (const w of this.watches) if (w.target.kind === 'memory' && w.target.allocation === a.id && w.ended === undefined) this.watchMemory(w, a);
  }

  /** Finds the target in the current World, if it exists yet. */
  private arm(w: Watch): void {
    const t = w.target;
    if (t.kind === 'memory') {
      const a = this.host.index().byId(t.allocation);
      if (a === undefined) return;
      if (a.freed) w.ended = `${t.label} is gone: ${a.describe()} was freed`;
      else this.watchMemory(w, a);
      return;
    }
    this.bindLocal(w);
  }

  private watchMemory(w: Watch, a: Allocation): void {
    const t = w.target as Extract<DataTarget, { kind: 'memory' }>;
    w.allocation = a;
    w.last = a.peek(t.offset, t.size);
    const ranges = this.watches.filter((x) => x.allocation === a).map((x) => x.target as Extract<DataTarget, { kind: 'memory' }>);
    watchAllocation(a, ranges.map((r) => ({ offset: r.offset, size: r.size })), this.listener);
  }

  /** A local's frame, once the run is at or past the stop where it was chosen and the frame is there. */
  private bindLocal(w: Watch): boolean {
    const t = w.target as Extract<DataTarget, { kind: 'local' }>;
    const world = this.host.world();
    if (world.sim.stepCount < t.sinceStep) return false;
    const f = world.sim.kernel.threads.get(t.thread)?.frames[t.frameIndex];
    if (!(f instanceof CFrame) || f.fn.key !== t.fn) {
      this.end(w, `${t.label} is gone: its frame has returned`);
      return false;
    }
    w.frame = f;
    w.last = f.vars[t.slot];
    w.lastLine = f.line;
    return true;
  }

  private end(w: Watch, why: string): void {
    if (w.ended !== undefined) return;
    w.ended = why;
    w.frame = undefined;
    this.host.changed(this.state(w));
    if (!this.quiet) this.host.output(`Data breakpoint on ${why}; it no longer stops.\n`);
  }

  private accessed(a: Allocation, access: WatchedAccess): void {
    if (!this.recording) return;
    for (const w of this.watches) {
      if (w.allocation !== a || w.ended !== undefined) continue;
      const t = w.target as Extract<DataTarget, { kind: 'memory' }>;
      if (!(access.offset < t.offset + t.size && t.offset < access.offset + access.size)) continue;
      if (access.kind === 'read' && w.access === 'write') continue;
      if (access.kind === 'write' && w.access === 'read') continue;
      const hit: PendingHit = { watch: w, kind: access.kind, site: this.host.site() };
      if (access.kind === 'write') {
        const now = a.peek(t.offset, t.size);
        hit.before = render(w.last as Uint8Array, t.type);
        hit.after = render(now, t.type);
        w.last = now;
      } else hit.after = render(a.peek(t.offset, t.size), t.type);
      this.pending.push(hit);
    }
  }

  private freed(a: Allocation): void {
    for (const w of this.watches) {
      if (w.allocation !== a) continue;
      w.allocation = undefined;
      this.end(w, `${w.target.label} is gone: ${a.kind === 'stack' ? 'its frame has returned' : `${a.describe()} was freed`}`);
    }
  }

  /**
   * After a step: the accesses it made that stop (conditions and hit counts applied), or undefined.
   * `steppedThread` is the thread that took the step: the one that can have changed a local.
   */
  afterStep(steppedThread: number): DataHit | undefined {
    for (const w of this.watches) if (w.target.kind === 'local' && w.ended === undefined) this.checkLocal(w, steppedThread);
    if (this.pending.length === 0) return undefined;
    const pending = this.pending;
    this.pending = [];
    const stops: PendingHit[] = [];
    for (const p of pending) {
      if (stops.some((s) => s.watch === p.watch)) continue;
      if (p.watch.condition && p.watch.condition.trim() !== '') {
        const c = this.host.condition(p.watch.condition, p.site.threadId);
        if (!c.ok && !this.quiet) this.host.output(`Data breakpoint condition '${p.watch.condition}' could not be evaluated: ${c.message}; stopping there.\n`);
        else if (c.ok && !c.holds) continue;
      }
      p.watch.hits++;
      if (!hitConditionHolds(p.watch.hitCondition, p.watch.hits)) continue;
      stops.push(p);
    }
    if (stops.length === 0) return undefined;
    const first = stops[0]!;
    return { ids: stops.map((s) => s.watch.id), threadId: first.site.threadId, description: this.sentence(first) };
  }

  private checkLocal(w: Watch, steppedThread: number): void {
    const t = w.target as Extract<DataTarget, { kind: 'local' }>;
    if (w.frame === undefined && !this.bindLocal(w)) return;
    const f = w.frame!;
    const thread = this.host.world().sim.kernel.threads.get(t.thread);
    if (!thread || thread.frames[t.frameIndex] !== f) {
      this.end(w, `${t.label} is gone: its frame has returned`);
      return;
    }
    const now = f.vars[t.slot];
    const line = w.lastLine;
    w.lastLine = f.line;
    if (sameValue(now, w.last) || t.thread !== steppedThread) return;
    const site: AccessSite = { threadId: t.thread, threadName: thread.name, file: f.file, line };
    this.pending.push({ watch: w, kind: 'write', site, before: renderValue(w.last), after: renderValue(now) });
    w.last = now;
  }

  /** Forgets hits counted so far (the run starts over). */
  resetHits(): void {
    for (const w of this.watches) w.hits = 0;
  }

  private sentence(p: PendingHit): string {
    const s = p.site;
    // The file's name is enough in a one-line stop description; the stack shows the full path.
    const where = s.file ? ` at ${this.host.shown(s.file).split(/[\\/]/).pop()}:${s.line}` : '';
    const via = s.routine ? ` (in ${s.routine})` : '';
    const what = p.watch.target.label;
    // What was accessed comes first: VS Code shows this in the narrow Call Stack view, cut at its width.
    const who = ` by '${s.threadName}' (thread ${s.threadId})`;
    if (p.kind === 'write') return `${what} written${where}${via}${who}: ${p.before} → ${p.after}`;
    return `${what} read${where}${via}${who}: ${p.after}`;
  }
}

/** `mem:<allocation>:<offset>:<size>` made by an earlier `describe` (a client may keep ids). */
function memoryTargetOf(dataId: string): DataTarget | undefined {
  const m = /^mem:(-?\d+):(\d+):(\d+)$/.exec(dataId);
  if (!m) return undefined;
  return { kind: 'memory', allocation: Number(m[1]), offset: Number(m[2]), size: Number(m[3]), label: dataId };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  // Pointers are values made anew by each load: the same allocation and offset are the same pointer.
  const pa = a as { alloc?: unknown; offset?: unknown } | null;
  const pb = b as { alloc?: unknown; offset?: unknown } | null;
  return typeof a === 'object' && typeof b === 'object' && pa !== null && pb !== null && pa.alloc === pb.alloc && pa.offset === pb.offset;
}

/** A scalar's bytes as `5 (0x5)`; other bytes as hex (`01 00 ff`). */
export function render(bytes: Uint8Array, type: CType | undefined): string {
  if (type && (type.kind === 'int' || type.kind === 'ptr') && bytes.length === (type.kind === 'ptr' ? 8 : type.size) && bytes.length <= 8) {
    let u = 0n;
    for (let i = bytes.length - 1; i >= 0; i--) u = (u << 8n) | BigInt(bytes[i]!);
    if (type.kind === 'ptr') return hexAddress(u);
    const v = type.signed ? BigInt.asIntN(bytes.length * 8, u) : u;
    return `${v} (0x${u.toString(16)})`;
  }
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

function renderValue(v: unknown): string {
  if (v === undefined) return '<not yet assigned>';
  if (v === null) return 'NULL';
  if (typeof v === 'number' || typeof v === 'bigint') return `${v} (0x${(typeof v === 'bigint' ? BigInt.asUintN(64, v) : BigInt.asUintN(64, BigInt(Math.trunc(v)))).toString(16)})`;
  const p = v as { address?: number };
  if (typeof p.address === 'number') return hexAddress(p.address);
  return String(v);
}

/** A target's size, or an error for types that have none. */
export function watchableSize(t: CType): number | string {
  try {
    const n = sizeOf(t);
    return n > 0 ? n : `${typeName(t)} has no bytes to watch`;
  } catch {
    return `${typeName(t)} has no size here`;
  }
}
