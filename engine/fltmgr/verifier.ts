/**
 * End-of-run checks. When nothing can run any more, the verifier reports what is left: threads
 * blocked forever (and why, when the cause is a known rule), operations pended and never resumed,
 * work items, name information and context references never released, locks still held, and — if
 * every driver was unloaded — pool memory never freed.
 */
import type { LockTable } from '../kernel/locks';
import type { KThread } from '../kernel/thread';
import type { FilterManager } from './fltmgr';
import type { FltCallbackData } from './callbackData';
import { requestWaiters } from './hanging';
import { describeReference } from './objectRefs';

/** A routine family that reports what drivers left behind (items, names, references never released). */
export interface EndOfRunChecks {
  endChecks(): void;
}

/** A routine family whose objects left at unload are leaks, as pool is (IRPs and MDLs drivers allocated). */
export interface UnloadLeakChecks {
  unloadLeaks(): void;
}

/**
 * A thread a driver started (PsCreateSystemThread) that waits for an event, semaphore or timer
 * while that driver is still loaded (never unloaded, or it refused): the driver's worker waiting
 * for work, which a later request could give it. Not a deadlock.
 */
export function isIdleDriverThread(fm: FilterManager, t: KThread): boolean {
  if (!t.awaitsSignal || t.startedBy === null) return false;
  const module = t.startedBy.toLowerCase();
  return fm.drivers.some((d) => d.module.toLowerCase() === module && d.state === 'loaded');
}

export class Verifier {
  private done = false;

  constructor(
    private readonly fm: FilterManager,
    private readonly locks: LockTable,
    /** Asked in this order, after the blocked threads and pended operations. */
    private readonly families: readonly EndOfRunChecks[],
    /** A pended operation held where a documented routine will complete it (a filter's notify list): not a forgotten one. */
    private readonly heldForCompletion: (d: FltCallbackData) => boolean = () => false,
    /** Asked, with the pool, when every driver has unloaded. */
    private readonly unloadLeaks: readonly UnloadLeakChecks[] = [],
  ) {}

  get finished(): boolean {
    return this.done;
  }

  endOfRun(): void {
    if (this.done) return;
    this.done = true;
    const fm = this.fm;
    const k = fm.k;
    const out = k.outside;
    const blocked = k.waitingThreads();
    // First the causes we can name, then every blocked thread.
    for (const t of blocked) {
      const f = fm.rundownWaits.get(t);
      if (f === undefined) continue;
      const held = fm.objectRefs.heldOn(f);
      if (f.explicitRefs > 0 || held.length > 0) {
        k.violation('rundown-leak', `FltUnregisterFilter(${f.name}) waits forever: ${held.length} reference(s) to it or its instances were never dropped with FltObjectDereference (${held.map(describeReference).join('; ')})`, 0, out, held[0]?.site?.location);
      } else if (blocked.some((w) => w.role === 'worker')) {
        k.violation('generic-wi-blocks-unload', `FltUnregisterFilter(${f.name}) waits for a queued work item whose worker is blocked`, 0, out);
      }
    }
    // A thread waiting for its own request is that request's story (hanging.ts), not a deadlock.
    const waiters = requestWaiters(fm);
    for (const t of blocked) {
      if (waiters.has(t)) continue;
      if (isIdleDriverThread(fm, t)) {
        k.emitOn(t, 'wait', 0, `${t.name} of ${t.startedBy} is still waiting for ${t.waitingOn ?? 'a signal'} at the end of the run; its driver is loaded, so it is idle, not deadlocked`);
        continue;
      }
      k.violation('deadlock', `${t.name} is blocked forever waiting for ${t.waitingOn ?? 'something'}`, 0, out);
    }
    for (const d of fm.live.values()) {
      if (d.pendedBy !== null && !this.heldForCompletion(d)) {
        if (d.noHandoff !== null) k.violation('preop-pending-no-owner', d.noHandoff, d.id, out);
        k.violation('pended-pre-not-completed', `${d.label} was pended by ${d.pendedBy.filter.name} and never passed to FltCompletePendedPreOperation (state ${d.describeState()})`, d.id, out);
      } else if (d.postPendedBy !== null) {
        if (d.safeMpr) k.violation('dcpws-safecb-mpr', `the SafePostCallback for ${d.label} returned FLT_POSTOP_MORE_PROCESSING_REQUIRED and FltCompletePendedPostOperation was never called`, d.id, out);
        else k.violation('pended-post-not-completed', `${d.label} was pended in the post-operation of ${d.postPendedBy.inst.filter.name} and never passed to FltCompletePendedPostOperation`, d.id, out);
      }
    }
    for (const f of this.families) f.endChecks();
    for (const st of this.locks.all) {
      if (!st.free) k.violation('lock-held-at-end', `${st.kind} ${st.name} is still ${st.describe()} at the end of the run`, 0, out);
    }
    if (fm.drivers.length > 0 && fm.drivers.every((d) => d.state !== 'loaded')) {
      fm.pool.checkLeaks();
      for (const f of this.unloadLeaks) f.unloadLeaks();
      for (const { volume, ref } of fm.objectRefs.volumeLeaks()) {
        k.violation('rundown-leak', `the reference to ${volume} from ${describeReference(ref)} was never dropped with FltObjectDereference`, 0, out, ref.site?.location);
      }
    }
  }
}
