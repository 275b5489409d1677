/**
 * The system buffer a file system makes when it completes a request away from the caller's thread.
 * A directory change notification pended by the file system completes in whichever thread made the
 * change — another process, where the caller's user-mode buffer is not mapped. So, as FsRtlNotify
 * does on Windows, the records go into a buffer allocated in pool, the callback data is flagged
 * FLTFL_CALLBACK_DATA_NEW_SYSTEM_BUFFER, FltGetNewSystemBufferAddress returns that buffer to a
 * post-operation callback, and the I/O manager copies its bytes into the caller's buffer once the
 * post-ops are done (what a post-op changed there is what the caller gets).
 */
import type { Kernel } from '../kernel/kernel';
import { EngineBuffer, type Marshal } from '../kernel/marshal';
import { Ptr } from '../memory/pointer';
import { isView } from '../memory/view';
import { readBuffer, writeBuffer } from '../kernel/buffers';
import type { FltCallbackData } from './callbackData';
import { FLTFL_CALLBACK_DATA } from './constants';

/** Whether a buffer value is memory of the user-mode program. */
export function isUserBuffer(buffer: unknown): boolean {
  if (buffer instanceof EngineBuffer) return buffer.user;
  if (buffer instanceof Ptr) return buffer.alloc?.kind === 'user';
  if (isView(buffer)) return buffer.$alloc.kind === 'user';
  return false;
}

/**
 * Where the file system writes the answer of `data` it completes in another thread: a new system
 * buffer when the caller's buffer is user memory, else that buffer itself.
 */
export function completionBuffer(data: FltCallbackData, buffer: unknown, length: number): unknown {
  if (!isUserBuffer(buffer) || length <= 0) return buffer;
  const system = new EngineBuffer(length, 'new system buffer');
  data.newSystemBuffer = { buffer: system, userBuffer: buffer };
  data.Flags = (data.Flags | FLTFL_CALLBACK_DATA.NEW_SYSTEM_BUFFER) >>> 0;
  return system;
}

/** After the post-ops: the I/O manager copies the answer from the system buffer to the caller's. */
export function copyToCallerBuffer(m: Marshal, data: FltCallbackData): void {
  const nsb = data.newSystemBuffer;
  if (nsb === undefined) return;
  const n = Math.min(Number(data.IoStatus.Information) || 0, nsb.buffer.length);
  if (n > 0) writeBuffer(m, nsb.userBuffer, 0, readBuffer(m, nsb.buffer, n));
}

export class SystemBufferRoutines {
  constructor(private readonly k: Kernel) {}

  /** The new system buffer of an operation, or NULL. */
  FltGetNewSystemBufferAddress(CallbackData: FltCallbackData | null): unknown {
    this.k.checkIrql('FltGetNewSystemBufferAddress');
    if (CallbackData === null || CallbackData === undefined) {
      this.k.violation('null-param', 'FltGetNewSystemBufferAddress needs the callback data');
      return null;
    }
    return CallbackData.newSystemBuffer?.buffer ?? null;
  }
}
