/**
 * IRQL and current-thread routines, critical regions, system threads created by the driver, and
 * object references. IRQL changes are events, so the timeline shows every raise and lower.
 */
import { Trap, type Co } from './coroutine';
import { Irql, irqlName } from './irql';
import { nameOf, type DriverFn } from './driverFn';
import { isFunctionValue } from './cvalues';
import type { Kernel } from './kernel';
import { KHandle, writeOut } from './objects';
import { STATUS } from './status';
import { KThread, PRIORITY } from './thread';
import { isKProcess, type KProcess } from './processes';

/** Thrown through driver frames by PsTerminateSystemThread; the thread's body ends quietly. */
class ThreadTermination {
  constructor(readonly status: number) {}
}

/** What ZwQueryInformationThread tells of a system thread: its start routine and, once it has ended, its exit status. */
export interface SystemThreadFacts {
  start: DriverFn;
  exitStatus: number | null;
}

export class ThreadRoutines {
  private systemThreads = 0;
  private readonly systemFacts = new WeakMap<KThread, SystemThreadFacts>();

  constructor(private readonly k: Kernel) {}

  KeGetCurrentIrql(): Irql {
    const t = this.k.current;
    if (t.scope) t.scope.irqlQueried = true;
    return t.irql;
  }

  /** KeRaiseIrql(NewIrql, &OldIrql): stores and returns the old IRQL. */
  KeRaiseIrql(NewIrql: Irql, OldIrql?: unknown): Irql {
    const t = this.k.current;
    const old = t.irql;
    if (NewIrql < old) this.k.violation('irql-bad-raise', `KeRaiseIrql to ${irqlName(NewIrql)} from ${irqlName(old)}: the new IRQL must not be lower`);
    this.k.setIrql(t, NewIrql, 'KeRaiseIrql');
    if (OldIrql !== undefined) writeOut(OldIrql, old);
    return old;
  }

  KeRaiseIrqlToDpcLevel(): Irql {
    return this.KeRaiseIrql(Irql.DISPATCH_LEVEL);
  }

  KeLowerIrql(NewIrql: Irql): void {
    const t = this.k.current;
    if (NewIrql > t.irql) {
      this.k.violation('irql-bad-raise', `KeLowerIrql to ${irqlName(NewIrql)} from ${irqlName(t.irql)}: the new IRQL must not be higher`);
    }
    this.k.setIrql(t, NewIrql, 'KeLowerIrql');
  }

  KeEnterCriticalRegion(): void {
    this.k.checkIrql('KeEnterCriticalRegion');
    this.k.current.criticalRegion++;
  }

  KeLeaveCriticalRegion(): void {
    this.k.checkIrql('KeLeaveCriticalRegion');
    const t = this.k.current;
    if (t.criticalRegion === 0) this.k.violation('critical-region-imbalance', 'KeLeaveCriticalRegion without a matching KeEnterCriticalRegion');
    else t.criticalRegion--;
  }

  KeAreApcsDisabled(): number {
    const t = this.k.current;
    return t.criticalRegion > 0 || t.irql >= Irql.APC_LEVEL ? 1 : 0;
  }

  KeAreAllApcsDisabled(): number {
    return this.k.current.irql >= Irql.APC_LEVEL ? 1 : 0;
  }

  KeGetCurrentThread(): KThread {
    this.k.checkIrql('KeGetCurrentThread');
    return this.k.current;
  }

  PsGetCurrentThread(): KThread {
    return this.k.current;
  }

  PsGetCurrentThreadId(): number {
    return this.k.current.id;
  }

  PsGetThreadId(Thread: unknown): number {
    return Thread instanceof KThread ? Thread.id : 0;
  }

  /** The process whose address space the thread runs in: the one it attached to (KeStackAttachProcess), else its own. */
  PsGetCurrentProcess(): KProcess {
    const t = this.k.current;
    return t.attached.at(-1)?.process ?? this.k.processOf(t);
  }

  IoGetCurrentProcess(): KProcess {
    this.k.checkIrql('IoGetCurrentProcess');
    return this.PsGetCurrentProcess();
  }

  /** The process a thread belongs to (Data->Thread of an operation, a thread from PsGetCurrentThread). */
  IoThreadToProcess(Thread: unknown): KProcess {
    if (!(Thread instanceof KThread)) {
      this.k.violation('bad-object', 'IoThreadToProcess needs a thread (PETHREAD)');
      return this.k.processes.system;
    }
    return this.k.processOf(Thread);
  }

  PsGetThreadProcessId(Thread: unknown): number {
    return this.IoThreadToProcess(Thread).id;
  }

  PsGetThreadProcess(Thread: unknown): KProcess {
    return this.IoThreadToProcess(Thread);
  }

  /**
   * The bounds of the current thread's stack. A simulated thread's locals are separate allocations,
   * not a range of addresses, so the range is empty: no address is ever "on the stack".
   */
  IoGetStackLimits(LowLimit: unknown, HighLimit: unknown): void {
    this.k.checkIrql('IoGetStackLimits');
    writeOut(LowLimit, 0);
    writeOut(HighLimit, 0);
  }

  /** Every process of the simulation is a 64-bit one. */
  IoIs32bitProcess(_Irp: unknown): number {
    return 0;
  }

  PsGetCurrentProcessId(): number {
    return this.k.processOf(this.k.current).id;
  }

  PsGetProcessId(Process: unknown): number {
    if (!isKProcess(Process)) {
      this.k.violation(Process === null || Process === undefined ? 'null-param' : 'bad-object', 'PsGetProcessId needs a process (PEPROCESS)');
      return 0;
    }
    return Process.id;
  }

  PsIsSystemThread(Thread: unknown): number {
    return Thread instanceof KThread && Thread.role !== 'io' ? 1 : 0;
  }

  IoIsSystemThread(Thread: unknown): number {
    return this.PsIsSystemThread(Thread);
  }

  /**
   * UserMode (1) in a thread that entered the kernel from a user program (a workload request, the
   * port program's calls, a process event), KernelMode (0) in system threads, workers and DPCs.
   */
  ExGetPreviousMode(): number {
    const t = this.k.current;
    return t.role === 'io' && t.process !== null && t.process !== this.k.processes.system ? 1 : 0;
  }

  KeGetCurrentProcessorNumber(): number {
    return Math.max(0, this.k.current.cpu);
  }

  /** NULL unless the request is paging I/O or was issued with a top-level IRP. */
  IoGetTopLevelIrp(): unknown {
    return this.k.current.topLevelIrp;
  }

  /**
   * Sets what IoGetTopLevelIrp answers on this thread: file systems and filters mark their own
   * recursion with an IRP or one of the FSRTL_*_TOP_LEVEL_IRP values, and restore the old value.
   */
  IoSetTopLevelIrp(Irp: unknown): void {
    this.k.current.topLevelIrp = Irp ?? null;
  }

  /**
   * Starts a system thread at PASSIVE_LEVEL running StartRoutine(StartContext); the handle it
   * returns can be turned into the thread object (ObReferenceObjectByHandle) and waited for.
   */
  PsCreateSystemThread(ThreadHandle: unknown, _DesiredAccess: number, _ObjectAttributes: unknown, _ProcessHandle: unknown, _ClientId: unknown, StartRoutine: DriverFn, StartContext: unknown): number {
    const k = this.k;
    k.checkIrql('PsCreateSystemThread');
    if (!StartRoutine) {
      k.violation('null-param', 'PsCreateSystemThread needs a StartRoutine');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const name = nameOf(StartRoutine, 'StartRoutine');
    const t = k.spawn(`System thread ${++this.systemThreads} (${name})`, 'system', PRIORITY.normal, (self) => this.systemBody(self, StartRoutine, name, StartContext));
    t.startedBy = isFunctionValue(StartRoutine) ? (StartRoutine.module ?? null) : null;
    this.systemFacts.set(t, { start: StartRoutine, exitStatus: null });
    const handle = new KHandle(t, `thread ${t.name}`);
    k.handles.record(handle, 'PsCreateSystemThread', k.current);
    writeOut(ThreadHandle, handle);
    return STATUS.STATUS_SUCCESS;
  }

  /** Ends the calling system thread; the code after the call never runs. */
  PsTerminateSystemThread(ExitStatus: number): never {
    this.k.checkIrql('PsTerminateSystemThread');
    throw new ThreadTermination(ExitStatus);
  }

  /** A system thread's start routine and exit status; undefined for a thread PsCreateSystemThread did not start. */
  systemThread(t: KThread): SystemThreadFacts | undefined {
    return this.systemFacts.get(t);
  }

  private *systemBody(t: KThread, fn: DriverFn, name: string, ctx: unknown): Co<void> {
    let status: number = STATUS.STATUS_SUCCESS;
    try {
      yield* this.k.callDriver(t, fn, name || 'StartRoutine', [ctx]);
    } catch (e) {
      if (!(e instanceof ThreadTermination)) throw e;
      status = Number(e.status) >>> 0;
    }
    const facts = this.systemFacts.get(t);
    if (facts !== undefined) facts.exitStatus = status;
    // One switch point after the routine, so its exit is observable as its own step.
    yield Trap.Yield;
  }
}
