/**
 * Work a run leaves hanging when it ends: requests nothing completed (held by the file system,
 * pended or queued by a filter, pended by a driver's device), I/O a filter issued that never came
 * back, and work items still queued. None of them is a deadlock — no thread need be blocked (an
 * asynchronous request simply never completes) — but a run that ends with any of them did not
 * finish its work, so the verdict names each one (engine/scenario/expectations.ts), unless the
 * scenario says it expects it.
 *
 * The thread that issued a synchronous request waits for it; that wait is the request's, not a
 * deadlock of its own, so `requestWaiters` lets the deadlock report leave such threads out.
 */
import type { SourceLocation, SimEvent } from '../kernel/events';
import type { KThread } from '../kernel/thread';
import type { FltCallbackData } from './callbackData';
import { majorName } from './constants';
import type { FilterManager } from './fltmgr';

export type HangingKind = 'request' | 'operation' | 'work-item';

export interface HangingWork {
  /** `request`: a workload (`io #N`) request; `operation`: I/O a filter issued; `work-item`: queued work never run. */
  kind: HangingKind;
  /** The workload id of a `request`. */
  io?: number;
  /** One sentence: what it is, where it stands, who waits for it, and the driver line that pended or queued it. */
  text: string;
}

/** Threads whose wait is for their own synchronous request to complete. */
export function requestWaiters(fm: FilterManager): Set<KThread> {
  const out = new Set<KThread>();
  for (const d of fm.live.values()) if (d.waiter !== null && d.waiter.state === 'waiting') out.add(d.waiter);
  return out;
}

/** What the run left hanging, requests first (by id), then filter I/O, then work items. */
export function leftHanging(fm: FilterManager, devicePended: readonly number[], filterList: (d: FltCallbackData) => string | undefined = () => undefined): HangingWork[] {
  const out: HangingWork[] = [];
  const live = [...fm.live.values()].sort((a, b) => a.request.id - b.request.id);
  for (const d of live) {
    const filterIo = d.issuedBy ?? d.allocatedBy;
    if (filterIo !== null) {
      out.push({ kind: 'operation', text: `${majorName(d.major)} ${d.label} that ${filterIo.filter.name} issued never completed: ${whereItStands(fm, d, filterList)}` });
    } else {
      out.push({ kind: 'request', io: d.request.id, text: `request ${d.label} (${majorName(d.major)}) never completed: ${whereItStands(fm, d, filterList)}` });
    }
  }
  for (const io of devicePended) {
    out.push({ kind: 'request', io, text: `request #${io} to a driver's device never completed: its dispatch routine returned STATUS_PENDING and nothing called IoCompleteRequest` });
  }
  for (const q of fm.queues.all()) {
    for (const e of q.pending) {
      const at = locationOf(fm.k.log.all().filter((ev) => ev.kind === 'workitem-queue' && ev.item === e.id));
      out.push({ kind: 'work-item', text: `${e.kind} ${e.label} was queued to ${q.name}${at} and never ran: every worker of the queue stayed blocked` });
    }
  }
  return out;
}

/** ` in PreRead (FLT_PREOP_PENDING)`: the callback that pended it. */
function preCallback(d: FltCallbackData): string {
  const name = d.pendedBy?.filter.registration.ops[d.major]?.preName;
  return name ? ` in ${name} (FLT_PREOP_PENDING)` : '';
}

/** Every event about `d` still in the log (its own history has no driver lines; the calls made for it do). */
function eventsOf(fm: FilterManager, d: FltCallbackData): SimEvent[] {
  return fm.k.log.all().filter((e) => e.data === d.id);
}

function whereItStands(fm: FilterManager, d: FltCallbackData, filterList: (d: FltCallbackData) => string | undefined): string {
  let where: string;
  const list = filterList(d);
  switch (list === undefined ? d.state : 'on-filter-list') {
    case 'on-filter-list':
      where = `${d.stateOwner || 'a filter'} holds it on its own change-notification list for ${list} (FltNotifyFilterChangeDirectory), and no reported change or FsRtlNotifyCleanup completed it`;
      break;
    case 'in-fs':
      where = fm.fs.notify.holds(d)
        ? 'the file system holds it on the folder\'s change-notification list (no matching change came, and the handle was never cleaned up or the request cancelled)'
        : 'the file system holds it';
      break;
    case 'pended':
      where = `${d.stateOwner || 'a filter'} pended it${preCallback(d)}${lastLineUpTo(eventsOf(fm, d), 'pend')} and nothing called FltCompletePendedPreOperation for it`;
      break;
    case 'queued':
      where = `it sits in ${d.stateOwner || 'a cancel-safe queue'}${lastLineUpTo(eventsOf(fm, d), 'cbdq-insert')}, and nothing removed it`;
      break;
    case 'post-pended':
      where = `the post-operation of ${d.stateOwner || 'a filter'} returned FLT_POSTOP_MORE_PROCESSING_REQUIRED${lastLineUpTo(eventsOf(fm, d), 'post-pend')} and FltCompletePendedPostOperation was never called`;
      break;
    default:
      where = `it stopped in state ${d.describeState()}`;
  }
  const waiter = d.waiter !== null && d.waiter.state === 'waiting' ? `; ${d.waiter.name} waits for it forever` : '';
  return where + waiter;
}

/**
 * ` (after stuck.c:67)`: the driver line last seen for the operation up to its latest `kind` event.
 * A callback's return has no line of its own, so the line before it (the queueing of the work item
 * that will finish it, a lock, a call) is the closest place the user can look at.
 */
function lastLineUpTo(history: readonly SimEvent[], kind: SimEvent['kind']): string {
  let end = history.length - 1;
  while (end >= 0 && history[end]!.kind !== kind) end--;
  const at = locationOf(history.slice(0, end + 1));
  return at === '' ? '' : ` (its last driver line before that:${at.slice(3)})`;
}

/** ` at watcher.c:40` for the latest of `events` that has a driver line; the file's base name keeps reports free of absolute paths. */
function locationOf(events: readonly SimEvent[]): string {
  for (let i = events.length - 1; i >= 0; i--) {
    const loc: SourceLocation | undefined = events[i]!.location;
    if (loc !== undefined) return ` at ${loc.file.split(/[\\/]/).pop()}:${loc.line}`;
  }
  return '';
}
