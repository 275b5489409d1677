/**
 * What a call into driver code must find again when the driver returns: the thread's frame depth
 * (frames the callback left are popped), its IRQL, the locks it held and its critical-region count
 * (a callback that returns with more is reported). Filter Manager's callers that run a callback's
 * generator themselves (pre-ops, post-ops, generic work items) note it before Kernel.enterDriver
 * and hand it to Kernel.leaveDriver.
 */
import type { Irql } from './irql';
import type { KThread } from './thread';

export class DriverCallMark {
  readonly depth: number;
  readonly irql: Irql;
  readonly held: number;
  readonly region: number;

  constructor(t: KThread) {
    this.depth = t.frames.length;
    this.irql = t.irql;
    this.held = t.held.length;
    this.region = t.criticalRegion;
  }
}
