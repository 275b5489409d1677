/**
 * Process, thread and image-load notify routines (PsSetCreateProcessNotifyRoutine[Ex|Ex2],
 * PsSetCreateThreadNotifyRoutine[Ex], PsSetLoadImageNotifyRoutine[Ex] and their removal), and the
 * scenario's process events that run them: a process start runs the process routines in the
 * creating thread (its parent's) at PASSIVE_LEVEL — the Ex/Ex2 ones with a PS_CREATE_NOTIFY_INFO
 * whose CreationStatus may deny the start — then the thread routines for its first thread and the
 * image routines in that thread; an exit runs them with Create FALSE / CreateInfo NULL in the
 * process's last thread. A driver that unloads with a routine still registered is reported at the
 * line that registered it (the next notification would call into unloaded code).
 */
import type { Co } from './coroutine';
import { nameOf, type DriverFn } from './driverFn';
import { callSite, type Kernel } from './kernel';
import type { SourceLocation } from './events';
import { isFunctionValue } from './cvalues';
import { Irql } from './irql';
import type { KProcess } from './processes';
import { formatStatus, ntSuccess, STATUS } from './status';
import { PRIORITY, type KThread } from './thread';
import type { AllocPtr } from '../memory/pointer';
import { sizeOf } from '../c/types';

export type NotifyKind = 'process' | 'process-ex' | 'thread' | 'image';

/** Where a driver registered a callback: its module and C line, for the unload check. */
export interface Registration {
  readonly module: string | undefined;
  readonly routine: string;
  readonly site: { location: SourceLocation; function: string } | undefined;
}

interface NotifyRegistration extends Registration {
  readonly kind: NotifyKind;
  readonly fn: DriverFn;
}

/** PSCREATEPROCESSNOTIFYTYPE / PSCREATETHREADNOTIFYTYPE: only the subsystem-process values exist. */
const PS_CREATE_PROCESS_NOTIFY_SUBSYSTEMS = 0;
const PS_CREATE_THREAD_NOTIFY_NON_SYSTEM = 0;
const PS_CREATE_THREAD_NOTIFY_SUBSYSTEMS = 1;
/** How many routines of one kind Windows accepts. */
const NOTIFY_LIMIT = 64;

/** Same C function: function values made at different times for one function compare by name and module. */
export function sameFunction(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  return isFunctionValue(a) && isFunctionValue(b) && a.name === b.name && a.module === b.module;
}

/** The driver module and C line of the current call, for registrations. */
export function registrationSite(k: Kernel, routine: string): Registration {
  const f = k.current.cFrame();
  return { module: f?.module, routine, site: callSite(k.current) };
}

export class ProcessNotifyRoutines {
  private readonly registered: NotifyRegistration[] = [];
  /** Processes whose start a notify routine denied, with the status it set. */
  readonly denied = new Map<KProcess, number>();

  /** Told when a process has exited (handle waits on a process end then; handleWaits.ts). */
  exitWatcher: { processExited(p: KProcess): void } | null = null;

  constructor(private readonly k: Kernel) {}

  private register(kind: NotifyKind, routine: string, fn: unknown): number {
    const k = this.k;
    k.checkIrql(routine);
    if (fn === null || fn === undefined) {
      k.violation('null-param', `${routine} needs the notify routine`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    if (this.registered.some((r) => r.kind === kind && sameFunction(r.fn, fn))) return STATUS.STATUS_INVALID_PARAMETER;
    if (this.registered.filter((r) => r.kind === kind).length >= NOTIFY_LIMIT) return STATUS.STATUS_INSUFFICIENT_RESOURCES;
    this.registered.push({ kind, fn: fn as DriverFn, ...registrationSite(k, routine) });
    k.emit('register', 0, `${routine}(${nameOf(fn as DriverFn, 'routine')}): registered`);
    return STATUS.STATUS_SUCCESS;
  }

  private remove(kind: NotifyKind, routine: string, fn: unknown): number {
    const k = this.k;
    k.checkIrql(routine);
    const i = this.registered.findIndex((r) => r.kind === kind && sameFunction(r.fn, fn));
    // Removing a routine that is not registered is refused, not a crash.
    if (i < 0) return kind === 'thread' || kind === 'image' ? STATUS.STATUS_PROCEDURE_NOT_FOUND : STATUS.STATUS_INVALID_PARAMETER;
    this.registered.splice(i, 1);
    return STATUS.STATUS_SUCCESS;
  }

  PsSetCreateProcessNotifyRoutine(NotifyRoutine: unknown, Remove: number): number {
    return Remove ? this.remove('process', 'PsSetCreateProcessNotifyRoutine', NotifyRoutine) : this.register('process', 'PsSetCreateProcessNotifyRoutine', NotifyRoutine);
  }

  PsSetCreateProcessNotifyRoutineEx(NotifyRoutine: unknown, Remove: number): number {
    return Remove ? this.remove('process-ex', 'PsSetCreateProcessNotifyRoutineEx', NotifyRoutine) : this.register('process-ex', 'PsSetCreateProcessNotifyRoutineEx', NotifyRoutine);
  }

  /** Ex2 takes the routine as a PVOID with a type; the only type is PsCreateProcessNotifySubsystems. */
  PsSetCreateProcessNotifyRoutineEx2(NotifyType: number, NotifyInformation: unknown, Remove: number): number {
    if (Number(NotifyType) !== PS_CREATE_PROCESS_NOTIFY_SUBSYSTEMS) {
      this.k.violation('invalid-parameter', `PsSetCreateProcessNotifyRoutineEx2 was given notify type ${Number(NotifyType)}; the only type is PsCreateProcessNotifySubsystems (0)`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    return Remove ? this.remove('process-ex', 'PsSetCreateProcessNotifyRoutineEx2', NotifyInformation) : this.register('process-ex', 'PsSetCreateProcessNotifyRoutineEx2', NotifyInformation);
  }

  PsSetCreateThreadNotifyRoutine(NotifyRoutine: unknown): number {
    return this.register('thread', 'PsSetCreateThreadNotifyRoutine', NotifyRoutine);
  }

  PsSetCreateThreadNotifyRoutineEx(NotifyType: number, NotifyInformation: unknown): number {
    const type = Number(NotifyType);
    if (type !== PS_CREATE_THREAD_NOTIFY_NON_SYSTEM && type !== PS_CREATE_THREAD_NOTIFY_SUBSYSTEMS) {
      this.k.violation('invalid-parameter', `PsSetCreateThreadNotifyRoutineEx was given notify type ${type}; use PsCreateThreadNotifyNonSystem (0) or PsCreateThreadNotifySubsystems (1)`);
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    return this.register('thread', 'PsSetCreateThreadNotifyRoutineEx', NotifyInformation);
  }

  PsRemoveCreateThreadNotifyRoutine(NotifyRoutine: unknown): number {
    return this.remove('thread', 'PsRemoveCreateThreadNotifyRoutine', NotifyRoutine);
  }

  PsSetLoadImageNotifyRoutine(NotifyRoutine: unknown): number {
    return this.register('image', 'PsSetLoadImageNotifyRoutine', NotifyRoutine);
  }

  PsSetLoadImageNotifyRoutineEx(NotifyRoutine: unknown, _Flags: number): number {
    return this.register('image', 'PsSetLoadImageNotifyRoutineEx', NotifyRoutine);
  }

  PsRemoveLoadImageNotifyRoutine(NotifyRoutine: unknown): number {
    return this.remove('image', 'PsRemoveLoadImageNotifyRoutine', NotifyRoutine);
  }

  /** Starts `p` at the current tick: a thread of its parent creates it and runs the notify routines. */
  spawnStart(p: KProcess): KThread {
    const k = this.k;
    const parent = k.processes.byPid(p.parentId);
    return k.spawn(`Create process ${p.name} (pid ${p.id})`, 'io', PRIORITY.normal, (t) => {
      t.process = parent !== undefined && parent.state === 'running' ? parent : k.processes.workload;
      return this.startBody(t, p);
    });
  }

  /** Ends `p` at the current tick: its last thread runs the exit notifications. */
  spawnExit(p: KProcess): KThread {
    return this.k.spawn(`Exit process ${p.name} (pid ${p.id})`, 'io', PRIORITY.normal, (t) => {
      t.process = p;
      return this.exitBody(t, p);
    });
  }

  private *startBody(t: KThread, p: KProcess): Co<void> {
    const k = this.k;
    if (p.state !== 'not-started') {
      k.emit('process', p.id, `process ${p.name} (pid ${p.id}) cannot start: it is ${p.state}`);
      return;
    }
    p.createTime = k.now;
    p.state = 'running';
    k.emit('process', p.id, `process ${p.name} (pid ${p.id}) is being created by pid ${k.processOf(t).id}`);
    let status: number = STATUS.STATUS_SUCCESS;
    for (const r of this.registered.slice()) {
      if (r.kind === 'process-ex') {
        const info = this.createInfo(p, t);
        yield* this.call(t, r, [p, p.id, info.$ptr]);
        const set = Number(info.CreationStatus) >>> 0;
        if (!ntSuccess(set) && ntSuccess(status)) {
          status = set;
          k.emit('process', p.id, `${nameOf(r.fn, 'routine')} denied the start of ${p.name} (${formatStatus(set)})`);
        }
      } else if (r.kind === 'process') {
        yield* this.call(t, r, [p.parentId, p.id, 1]);
      }
    }
    if (!ntSuccess(status)) {
      p.state = 'denied';
      this.denied.set(p, status);
      return;
    }
    // The first thread: its creation is reported in the creating thread, its image load in itself.
    const main = k.spawn(`${p.name} main thread`, 'io', PRIORITY.normal, (m) => {
      m.process = p;
      return this.imageBody(m, p);
    });
    p.mainThreadId = main.id;
    for (const r of this.registered.slice()) if (r.kind === 'thread') yield* this.call(t, r, [p.id, main.id, 1]);
  }

  private *imageBody(t: KThread, p: KProcess): Co<void> {
    for (const r of this.registered.slice()) {
      if (r.kind !== 'image') continue;
      const info = this.k.marshal.layOut(p, '_IMAGE_INFO', `IMAGE_INFO of ${p.name}`);
      info.ImageSize = 0x10000;
      yield* this.call(t, r, [this.unicodeString(p, p.imagePath), p.id, info.$ptr]);
    }
  }

  private *exitBody(t: KThread, p: KProcess): Co<void> {
    const k = this.k;
    if (p.state !== 'running') {
      k.emit('process', p.id, `process ${p.name} (pid ${p.id}) cannot exit: it is ${p.state}`);
      return;
    }
    k.emit('process', p.id, `process ${p.name} (pid ${p.id}) exits`);
    for (const r of this.registered.slice()) if (r.kind === 'thread') yield* this.call(t, r, [p.id, p.mainThreadId || t.id, 0]);
    for (const r of this.registered.slice()) {
      if (r.kind === 'process-ex') yield* this.call(t, r, [p, p.id, null]);
      else if (r.kind === 'process') yield* this.call(t, r, [p.parentId, p.id, 0]);
    }
    p.state = 'exited';
    this.exitWatcher?.processExited(p);
  }

  private *call(t: KThread, r: NotifyRegistration, args: unknown[]): Co<void> {
    const k = this.k;
    if (t.irql !== Irql.PASSIVE_LEVEL) k.setIrql(t, Irql.PASSIVE_LEVEL, 'notify routine');
    yield* k.callDriver(t, r.fn, nameOf(r.fn, r.kind === 'image' ? 'LoadImageNotify' : r.kind === 'thread' ? 'CreateThreadNotify' : 'CreateProcessNotify'), args);
  }

  /** PS_CREATE_NOTIFY_INFO for a start, in engine memory the routine may write CreationStatus into. */
  private createInfo(p: KProcess, creator: KThread) {
    const m = this.k.marshal;
    const info = m.layOut(p, '_PS_CREATE_NOTIFY_INFO', `PS_CREATE_NOTIFY_INFO of ${p.name}`);
    info.Size = sizeOf(info.$type);
    info.Flags = 1; // FileOpenNameAvailable: the image name is the path the file was opened by.
    info.ParentProcessId = this.k.memory.fromAddress(p.parentId);
    const cid = info.CreatingThreadId as unknown as Record<string, unknown>;
    cid.UniqueProcess = this.k.memory.fromAddress(this.k.processOf(creator).id);
    cid.UniqueThread = this.k.memory.fromAddress(creator.id);
    info.ImageFileName = this.unicodeString(p, p.imagePath);
    info.CommandLine = this.unicodeString(p, p.commandLine);
    info.CreationStatus = STATUS.STATUS_SUCCESS;
    return info;
  }

  private unicodeString(_owner: object, text: string): AllocPtr {
    return this.k.marshal.unicodeString(text);
  }

  /** Routines still registered by `module`'s driver. */
  heldBy(module: string): NotifyRegistration[] {
    return this.registered.filter((r) => r.module === module);
  }
}
