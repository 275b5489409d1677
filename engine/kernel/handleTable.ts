/**
 * Handle tracking, as Driver Verifier's does for kernel handles: every handle a routine opens for
 * driver code (a C frame is on the calling thread's stack) is recorded with the routine and the C
 * line that opened it. When every driver has unloaded, the handles still open are leaks
 * (`handle-leak`, handleLeaks.ts). Closing — by the driver's own ZwClose, by a helper it calls, or
 * by a routine that closes the handle for it (FltCloseSectionForDataScan) — sets `KHandle.closed`,
 * which is all the check reads. A handle in a user process's table (opened without
 * OBJ_KERNEL_HANDLE while running in that process) is that process's: Windows closes it when the
 * process ends, so it is not the driver's leak.
 */
import type { SourceLocation } from './events';
import type { KHandle } from './objects';
import type { KThread } from './thread';

export interface OpenedHandle {
  readonly handle: KHandle;
  /** The routine that returned it (`ZwCreateKey`). */
  readonly routine: string;
  /** The driver function and line that called the routine. */
  readonly function: string;
  readonly location: SourceLocation;
}

export class HandleTable {
  private readonly opened: OpenedHandle[] = [];

  /** `handle` was just returned by `routine` to the code thread `t` runs; ignored when no driver C called it. */
  record(handle: KHandle, routine: string, t: KThread): void {
    const f = t.cFrame();
    if (f === undefined || f.file === undefined) return;
    this.opened.push({ handle, routine, function: f.name, location: { file: f.file, line: f.line ?? 0, column: f.column } });
  }

  /** Driver-opened handles not closed yet, oldest first. */
  stillOpen(): OpenedHandle[] {
    return this.opened.filter((o) => !o.handle.closed);
  }
}
