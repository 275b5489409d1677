/**
 * A simulated thread's stack as the debugger sees it: the driver's own C frames (not kernel frames,
 * not prelude helpers) are where it stops, steps and evaluates.
 */
import { CFrame } from '../../interp/frame';
import type { KThread } from '../../kernel/thread';
import type { AccessSite } from './dataBreakpoints';

/** The frame at `index` of the thread's stack when it is driver code. */
export function driverFrameAt(t: KThread, index: number): CFrame | undefined {
  const f = t.frames[index];
  return f instanceof CFrame && !f.fn.system ? f : undefined;
}

/** The innermost driver frame of the thread, with its index. */
export function innermostDriverFrame(t: KThread): { frame: CFrame; index: number } | undefined {
  for (let i = t.frames.length - 1; i >= 0; i--) {
    const frame = driverFrameAt(t, i);
    if (frame) return { frame, index: i };
  }
  return undefined;
}

/** Driver C frames on the thread's stack: how deep a step over or out measures. */
export function driverDepth(t: KThread | undefined): number {
  if (!t) return 0;
  let n = 0;
  for (const f of t.frames) if (f instanceof CFrame && !f.fn.system) n++;
  return n;
}

/** `id` if that thread still exists, else the lowest live thread id (`id`, or 0, when none is left). */
export function liveThread(threads: { has(id: number): boolean; keys(): IterableIterator<number> }, id: number | undefined): number {
  if (id !== undefined && threads.has(id)) return id;
  const first = threads.keys().next();
  return first.done ? (id ?? 0) : first.value;
}

/** Who is touching memory and where: the running thread, its innermost driver line, and the routine on top when that is not driver code. */
export function accessSiteOf(t: KThread): AccessSite {
  const site: AccessSite = { threadId: t.id, threadName: t.name };
  const inner = innermostDriverFrame(t);
  if (inner) {
    site.file = inner.frame.file;
    site.line = inner.frame.line;
  }
  const top = t.frames[t.frames.length - 1];
  if (top && top !== inner?.frame) site.routine = top.name;
  return site;
}
