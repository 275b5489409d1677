/**
 * The backstop for a run that goes round in circles inside the model: threads that keep taking
 * steps, or timers that keep firing, while no statement of driver code runs. The `steps` limit
 * counts driver statements only, so without this such a loop (a wait that times out at the instant
 * it began and is started again, a kernel thread that re-queues its own work) would spin forever —
 * in the CLI, the debugger and the explorer alike.
 *
 * The scheduler counts every step and every timer expiry since the last driver statement; past
 * STALL_STEPS the run stops with reason `no-progress`, naming each thread and what it waits for.
 */
import { formatLimit } from '../limits';
import type { KThread } from './thread';

/**
 * Steps and timer expiries in a row without a driver statement before the run is stopped. The
 * longest stretch the kernel, fltmgr and run unit tests take is under 100 steps; a read that no
 * callback of the filter sees costs 3, so a workload may issue some 330,000 such I/Os in a row.
 */
export const STALL_STEPS = 1_000_000;

/** What the message says about one live thread: its name, state and what it waits for. */
function describeThread(t: KThread): string {
  if (t.state !== 'waiting') return `${t} is ${t.state}`;
  const timer = t.waitTimer;
  const until = timer !== null && !timer.cancelled ? ` until ${timer.tick} ms` : '';
  return `${t} waits for ${t.waitingOn ?? 'something'}${until}`;
}

/** Threads a message names at most; a run with hundreds of waiting requests would bury the loop. */
const LISTED = 8;

/** The message of a `no-progress` stop; `first` (the thread that took the last step) is named first. */
export function stallMessage(now: number, threads: Iterable<KThread>, timers: number, first: KThread | null = null): string {
  const parts: string[] = [];
  if (first !== null && first.state !== 'terminated' && !first.parked) parts.push(describeThread(first));
  let more = 0;
  for (const t of threads) {
    // Idle workers waiting for work are not part of the loop; listing them only hides who is.
    if (t.parked || t === first) continue;
    if (parts.length < LISTED) parts.push(describeThread(t));
    else more++;
  }
  const who = parts.length > 0 ? `${parts.join('; ')}${more > 0 ? `; and ${more} more` : ''}` : 'no thread but the idle system threads';
  return `the simulation took ${formatLimit(STALL_STEPS)} steps in a row at ${now} ms without running a statement of driver code `
    + `(threads: ${who}; ${timers} timer${timers === 1 ? '' : 's'} set). The kernel model is going round in circles: `
    + 'this is most likely a defect in fltsim — please report it with the scenario and the driver';
}
