/**
 * ZwQueryInformationThread (NtQueryInformationThread) on a thread handle (PsCreateSystemThread's,
 * ObOpenObjectByPointer's) or ZwCurrentThread(). Classes answered, in their x64 layouts:
 * ThreadBasicInformation (THREAD_BASIC_INFORMATION, 48 bytes: ExitStatus — STATUS_PENDING while the
 * thread runs —, TebBaseAddress NULL for a system thread, ClientId, AffinityMask, Priority and
 * BasePriority), ThreadQuerySetWin32StartAddress (the start routine of a system thread, a PVOID) and
 * ThreadIsTerminated (a ULONG). Each needs its exact size (STATUS_INFO_LENGTH_MISMATCH otherwise,
 * *ReturnLength telling it); another class answers STATUS_INVALID_INFO_CLASS with a timeline line.
 */
import type { Kernel } from './kernel';
import { KHandle, writeOut } from './objects';
import { handleValue } from './processes';
import { STATUS } from './status';
import { KThread } from './thread';
import type { ThreadRoutines } from './threads';
import { pointerOf } from './marshal';
import { Ptr } from '../memory/pointer';
import { storeAt } from '../memory/typed';
import { VOID_PTR } from '../c/types';

const CURRENT_THREAD_HANDLE = -2;
const THREAD_BASIC_INFORMATION = 0;
const THREAD_WIN32_START_ADDRESS = 9;
const THREAD_IS_TERMINATED = 20;
/** One processor: the affinity mask every thread has. */
const AFFINITY = 1;

export class ThreadInfoRoutines {
  constructor(
    private readonly k: Kernel,
    private readonly threads: ThreadRoutines,
  ) {}

  ZwQueryInformationThread(ThreadHandle: unknown, ThreadInformationClass: number, ThreadInformation: unknown, ThreadInformationLength: number, ReturnLength: unknown): number {
    return this.query('ZwQueryInformationThread', ThreadHandle, ThreadInformationClass, ThreadInformation, ThreadInformationLength, ReturnLength);
  }

  NtQueryInformationThread(ThreadHandle: unknown, ThreadInformationClass: number, ThreadInformation: unknown, ThreadInformationLength: number, ReturnLength: unknown): number {
    return this.query('NtQueryInformationThread', ThreadHandle, ThreadInformationClass, ThreadInformation, ThreadInformationLength, ReturnLength);
  }

  private query(routine: string, ThreadHandle: unknown, ThreadInformationClass: number, ThreadInformation: unknown, ThreadInformationLength: number, ReturnLength: unknown): number {
    const k = this.k;
    k.checkIrql(routine);
    const t = this.threadOf(ThreadHandle);
    if (t === null) {
      if (!(ThreadHandle instanceof KHandle) || ThreadHandle.closed) return STATUS.STATUS_INVALID_HANDLE;
      k.violation('invalid-parameter', `${routine} was given a handle to ${ThreadHandle.what}, not a thread`);
      return STATUS.STATUS_OBJECT_TYPE_MISMATCH;
    }
    const cls = Number(ThreadInformationClass);
    const length = Number(ThreadInformationLength) >>> 0;
    const facts = this.threads.systemThread(t);
    const needed = cls === THREAD_BASIC_INFORMATION ? 48 : cls === THREAD_WIN32_START_ADDRESS ? 8 : cls === THREAD_IS_TERMINATED ? 4 : 0;
    if (needed === 0) {
      k.emit('process', 0, `${routine}: information class ${cls} is not modelled; it answers STATUS_INVALID_INFO_CLASS (fltsim answers ThreadBasicInformation, ThreadQuerySetWin32StartAddress and ThreadIsTerminated)`);
      return STATUS.STATUS_INVALID_INFO_CLASS;
    }
    writeOut(ReturnLength, needed);
    const at = pointerOf(ThreadInformation);
    if (length !== needed || !(at instanceof Ptr) || at.alloc === null) return STATUS.STATUS_INFO_LENGTH_MISMATCH;
    const a = at.alloc;
    const o = at.offset;
    const ended = t.state === 'terminated';
    if (cls === THREAD_IS_TERMINATED) {
      a.writeInt(o, 4, ended ? 1 : 0);
    } else if (cls === THREAD_WIN32_START_ADDRESS) {
      storeAt(a, o, VOID_PTR, k.marshal.toC(facts?.start ?? null, VOID_PTR));
    } else {
      a.writeBytes(o, new Uint8Array(48));
      a.writeInt(o, 4, ended ? (facts?.exitStatus ?? STATUS.STATUS_SUCCESS) : STATUS.STATUS_PENDING);
      // TebBaseAddress (8) stays NULL: system threads have no TEB.
      a.writeInt(o + 16, 8, k.processOf(t).id);
      a.writeInt(o + 24, 8, t.id);
      a.writeInt(o + 32, 8, AFFINITY);
      a.writeInt(o + 40, 4, t.priority);
      a.writeInt(o + 44, 4, t.priority);
    }
    return STATUS.STATUS_SUCCESS;
  }

  private threadOf(h: unknown): KThread | null {
    if (handleValue(h) === CURRENT_THREAD_HANDLE) return this.k.current;
    if (h instanceof KHandle && !h.closed && h.object instanceof KThread) return h.object;
    return null;
  }
}
