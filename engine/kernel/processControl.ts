/**
 * Acting on another process: attaching the current thread to its address space
 * (KeStackAttachProcess / KeUnstackDetachProcess) and ending it (ZwTerminateProcess).
 *
 * An attach is kept on the thread, innermost last, with the KAPC_STATE it saved into; while it
 * lasts PsGetCurrentProcess and IoGetCurrentProcess answer the attached process. A detach must
 * name the KAPC_STATE of the innermost attach. (Not checked: a callback that returns while still
 * attached.)
 *
 * ZwTerminateProcess ends a scenario process: its exit notify routines run in a thread of their
 * own (processNotify.ts), as when the process exits by itself. Terminating the calling thread's own
 * process is modelled the same way, except that the calling thread goes on running its code (on
 * Windows it would not return); terminating the System process is a violation.
 */
import { STATUS } from './status';
import type { Kernel } from './kernel';
import { isKProcess, processOfHandle, type KProcess } from './processes';
import type { ProcessNotifyRoutines } from './processNotify';
import { isView } from '../memory/view';
import { Ptr } from '../memory/pointer';

export class ProcessControlRoutines {
  constructor(
    private readonly k: Kernel,
    private readonly notify: ProcessNotifyRoutines,
  ) {}

  KeStackAttachProcess(Process: unknown, ApcState: unknown): void {
    const k = this.k;
    k.checkIrql('KeStackAttachProcess');
    if (!isKProcess(Process)) {
      k.violation('bad-object', 'KeStackAttachProcess needs a process (PEPROCESS: PsLookupProcessByProcessId, IoThreadToProcess, PsGetCurrentProcess…)');
      return;
    }
    if (placeOf(ApcState) === undefined) {
      k.violation('null-param', 'KeStackAttachProcess needs a KAPC_STATE of the caller\'s to save the thread\'s state into; pass the same one to KeUnstackDetachProcess');
      return;
    }
    const t = k.current;
    if (t.attached.some((a) => sameState(a.apcState, ApcState))) {
      k.violation('invalid-parameter', 'KeStackAttachProcess was given a KAPC_STATE an attach of this thread still holds: each nested attach needs its own');
      return;
    }
    t.attached.push({ process: Process, apcState: ApcState });
    k.emit('process', Process.id, `thread ${t.name} attaches to process ${Process.name} (pid ${Process.id})`);
  }

  KeUnstackDetachProcess(ApcState: unknown): void {
    const k = this.k;
    k.checkIrql('KeUnstackDetachProcess');
    const t = k.current;
    const top = t.attached.at(-1);
    if (top === undefined) {
      k.violation('invalid-parameter', 'KeUnstackDetachProcess on a thread that is not attached to a process (no KeStackAttachProcess before it)');
      return;
    }
    if (!sameState(top.apcState, ApcState)) {
      k.violation('invalid-parameter', `KeUnstackDetachProcess must be given the KAPC_STATE of the innermost KeStackAttachProcess (to ${top.process.name}): attaches are undone in reverse order`);
      return;
    }
    t.attached.pop();
    k.emit('process', top.process.id, `thread ${t.name} detaches from process ${top.process.name} (pid ${top.process.id})`);
  }

  ZwTerminateProcess(ProcessHandle: unknown, ExitStatus: number): number {
    const k = this.k;
    k.checkIrql('ZwTerminateProcess');
    const t = k.current;
    const p: KProcess | undefined = processOfHandle(ProcessHandle, k.processOf(t));
    if (p === undefined) {
      k.violation('bad-object', 'ZwTerminateProcess needs a process handle (ZwOpenProcess, ObOpenObjectByPointer, or ZwCurrentProcess())');
      return STATUS.STATUS_INVALID_HANDLE;
    }
    if (p === k.processes.system) {
      k.violation('invalid-parameter', 'ZwTerminateProcess on the System process: Windows stops with a bug check (CRITICAL_PROCESS_DIED)');
      return STATUS.STATUS_ACCESS_DENIED;
    }
    if (p.state === 'exited' || p.state === 'denied') return STATUS.STATUS_PROCESS_IS_TERMINATING;
    if (p.state === 'not-started') return STATUS.STATUS_INVALID_HANDLE;
    p.exitStatus = Number(ExitStatus) >>> 0;
    k.emit('process', p.id, `ZwTerminateProcess ends process ${p.name} (pid ${p.id}) with exit status 0x${p.exitStatus.toString(16).padStart(8, '0').toUpperCase()}`);
    this.notify.spawnExit(p);
    return STATUS.STATUS_SUCCESS;
  }
}

/** Where a KAPC_STATE argument lies (the prototype's PVOID gives a pointer, a typed one a view). */
function placeOf(v: unknown): { alloc: unknown; offset: number } | undefined {
  if (isView(v)) return { alloc: v.$alloc, offset: v.$offset };
  if (v instanceof Ptr && v.alloc !== null) return { alloc: v.alloc, offset: v.offset };
  return undefined;
}

function sameState(a: unknown, b: unknown): boolean {
  const pa = placeOf(a);
  const pb = placeOf(b);
  return pa !== undefined && pb !== undefined && pa.alloc === pb.alloc && pa.offset === pb.offset;
}
