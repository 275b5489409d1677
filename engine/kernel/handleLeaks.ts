/**
 * The unload check over the handle table (handleTable.ts): a kernel handle (or one in the System
 * process's table) that a driver opened and had not closed when every driver had unloaded is
 * reported once, at the line that opened it (`handle-leak`). Handles in a user process's table are
 * the process's to lose: Windows closes them when it ends.
 */
import type { Kernel } from './kernel';

export class HandleLeakChecks {
  constructor(private readonly k: Kernel) {}

  unloadLeaks(): void {
    const k = this.k;
    for (const o of k.handles.stillOpen()) {
      const owner = o.handle.process;
      if (owner !== null && owner !== k.processes.system) continue;
      k.violation('handle-leak', `the handle to ${o.handle.what} that ${o.routine} opened in ${o.function} was never closed (${o.routine.startsWith('Flt') ? 'FltClose' : 'ZwClose'}) before the driver unloaded`, 0, k.outside, o.location);
    }
  }
}
