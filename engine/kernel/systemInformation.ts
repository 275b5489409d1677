/**
 * ZwQuerySystemInformation / NtQuerySystemInformation with SystemProcessInformation: the list of
 * running processes (the Idle and System processes, the two default user processes and the
 * scenario's `process` lines that have started and not exited), each with its threads, in the
 * caller's buffer as the kernel lays it out on x64. The length protocol is Windows': too small a
 * buffer (NULL and 0 included) gets STATUS_INFO_LENGTH_MISMATCH and the length needed in
 * *ReturnLength, so the usual "ask, allocate, ask again" loop runs as written. Other information
 * classes stop the run with their number and name: an answer made up for them would mislead.
 *
 * Both routines are undocumented for drivers (winternl.h documents the user-mode form), so drivers
 * declare them and SYSTEM_INFORMATION_CLASS themselves, as with the WDK.
 */
import type { Kernel } from './kernel';
import { writeOut } from './objects';
import { NotModelled } from './notModelled';
import type { KProcess } from './processes';
import { STATUS } from './status';
import type { KThread } from './thread';
import { encodeChars } from '../memory/strings';
import { Ptr } from '../memory/pointer';

export const SYSTEM_PROCESS_INFORMATION_CLASS = 5;

/** Names of the classes drivers ask for most, for the stop message. */
const CLASS_NAMES: Readonly<Record<number, string>> = {
  0: 'SystemBasicInformation',
  1: 'SystemProcessorInformation',
  2: 'SystemPerformanceInformation',
  3: 'SystemTimeOfDayInformation',
  5: 'SystemProcessInformation',
  8: 'SystemProcessorPerformanceInformation',
  11: 'SystemModuleInformation',
  16: 'SystemHandleInformation',
  35: 'SystemKernelDebuggerInformation',
  44: 'SystemCurrentTimeZoneInformation',
  64: 'SystemExtendedHandleInformation',
  103: 'SystemCodeIntegrityInformation',
};

/** SYSTEM_PROCESS_INFORMATION on x64 (winternl.h's shape with its reserved members named by offset). */
const PROCESS_ENTRY = {
  size: 0x100,
  NextEntryOffset: 0x00,
  NumberOfThreads: 0x04,
  CreateTime: 0x20,
  ImageName: 0x38, // UNICODE_STRING: Length (2), MaximumLength (2), Buffer at +8
  BasePriority: 0x48,
  UniqueProcessId: 0x50,
  InheritedFromUniqueProcessId: 0x58,
  HandleCount: 0x60,
  SessionId: 0x64,
} as const;

/** SYSTEM_THREAD_INFORMATION on x64, one per thread right after its process entry. */
const THREAD_ENTRY = {
  size: 0x50,
  CreateTime: 0x10,
  StartAddress: 0x20,
  UniqueProcess: 0x28,
  UniqueThread: 0x30,
  Priority: 0x38,
  BasePriority: 0x3c,
  ThreadState: 0x44,
} as const;

/** KTHREAD_STATE values SystemProcessInformation reports. */
const THREAD_RUNNING = 2;
const THREAD_WAITING = 5;

/** The base priority of a normal process (and of System). */
const NORMAL_PRIORITY = 8;

/** 100-ns intervals from 1601-01-01 to 2020-01-01: the virtual clock's tick 0. */
const FILETIME_EPOCH = 132223104000000000n;

interface ProcessRow {
  id: number;
  parentId: number;
  name: string;
  createTime: number;
  /** The Idle process has no session; System and services run in session 0, desktop programs in 1. */
  session: number;
  priority: number;
  threads: KThread[];
}

export class SystemInformationRoutines {
  constructor(private readonly k: Kernel) {}

  ZwQuerySystemInformation(SystemInformationClass: number, SystemInformation: unknown, SystemInformationLength: number, ReturnLength: unknown): number {
    return this.query('ZwQuerySystemInformation', SystemInformationClass, SystemInformation, SystemInformationLength, ReturnLength);
  }

  NtQuerySystemInformation(SystemInformationClass: number, SystemInformation: unknown, SystemInformationLength: number, ReturnLength: unknown): number {
    return this.query('NtQuerySystemInformation', SystemInformationClass, SystemInformation, SystemInformationLength, ReturnLength);
  }

  private query(routine: string, cls: number, buffer: unknown, lengthArg: number, returnLength: unknown): number {
    const k = this.k;
    k.checkIrql(routine);
    const infoClass = Number(cls);
    if (infoClass !== SYSTEM_PROCESS_INFORMATION_CLASS) {
      const name = CLASS_NAMES[infoClass];
      throw new NotModelled(
        `${routine}: information class ${infoClass}${name ? ` (${name})` : ''} is not modelled; fltsim answers SystemProcessInformation (5) only`,
        'avoid the call in this scenario, or give the driver a way around it (docs/wdk-surface.md, "System information")',
      );
    }
    const rows = this.rows();
    const needed = rows.reduce((sum, r) => sum + entrySize(r), 0);
    const length = Number(lengthArg) >>> 0;
    writeOut(returnLength, needed);
    if (length < needed) return STATUS.STATUS_INFO_LENGTH_MISMATCH;
    if (!(buffer instanceof Ptr) || buffer.alloc === null) {
      k.violation('null-param', `${routine} was given a length of ${length} bytes but no buffer`);
      return STATUS.STATUS_ACCESS_VIOLATION;
    }
    let at = 0;
    rows.forEach((r, i) => {
      const size = entrySize(r);
      this.writeEntry(buffer.add(at), r, i === rows.length - 1 ? 0 : size);
      at += size;
    });
    return STATUS.STATUS_SUCCESS;
  }

  /** The processes a snapshot lists now, in process-id order after Idle. */
  private rows(): ProcessRow[] {
    const k = this.k;
    const byProcess = new Map<KProcess, KThread[]>();
    for (const t of k.threads.values()) {
      if (t.state === 'terminated') continue;
      const p = k.processOf(t);
      const list = byProcess.get(p);
      if (list === undefined) byProcess.set(p, [t]);
      else list.push(t);
    }
    const running = k.processes.all().filter((p) => p.state === 'running').sort((a, b) => a.id - b.id);
    const idle: ProcessRow = { id: 0, parentId: 0, name: '', createTime: 0, session: 0, priority: 0, threads: [] };
    return [idle, ...running.map((p): ProcessRow => ({
      id: p.id,
      parentId: p.parentId,
      name: p.id === k.processes.system.id ? 'System' : p.name,
      createTime: p.createTime,
      session: p === k.processes.system ? 0 : 1,
      priority: NORMAL_PRIORITY,
      threads: (byProcess.get(p) ?? []).sort((a, b) => a.id - b.id),
    }))];
  }

  private writeEntry(at: Ptr, r: ProcessRow, next: number): void {
    const a = at.alloc!;
    const o = at.offset;
    const E = PROCESS_ENTRY;
    a.writeBytes(o, new Uint8Array(entrySize(r)));
    a.writeInt(o + E.NextEntryOffset, 4, next);
    a.writeInt(o + E.NumberOfThreads, 4, r.threads.length);
    a.writeInt(o + E.CreateTime, 8, r.id === 0 ? 0n : FILETIME_EPOCH + BigInt(r.createTime) * 10_000n);
    a.writeInt(o + E.BasePriority, 4, r.priority);
    a.writeInt(o + E.UniqueProcessId, 8, r.id);
    a.writeInt(o + E.InheritedFromUniqueProcessId, 8, r.parentId);
    a.writeInt(o + E.SessionId, 4, r.session);
    const threadsAt = o + E.size;
    r.threads.forEach((t, i) => {
      const T = THREAD_ENTRY;
      const to = threadsAt + i * T.size;
      a.writeInt(to + T.CreateTime, 8, FILETIME_EPOCH);
      a.writeInt(to + T.UniqueProcess, 8, r.id);
      a.writeInt(to + T.UniqueThread, 8, t.id);
      a.writeInt(to + T.Priority, 4, r.priority);
      a.writeInt(to + T.BasePriority, 4, r.priority);
      a.writeInt(to + T.ThreadState, 4, t === this.k.current ? THREAD_RUNNING : THREAD_WAITING);
    });
    // The image name's characters follow the thread array, inside the caller's buffer; the Idle
    // process has none (Length 0, Buffer NULL), as on Windows.
    if (r.name.length > 0) {
      const nameAt = threadsAt + r.threads.length * THREAD_ENTRY.size;
      a.writeBytes(nameAt, encodeChars(r.name, 2, true));
      a.writeInt(o + E.ImageName, 2, 2 * r.name.length);
      a.writeInt(o + E.ImageName + 2, 2, 2 * r.name.length + 2);
      a.writePointer(o + E.ImageName + 8, at.add(nameAt - o));
    }
  }
}

/** Bytes one process takes: the entry, its threads and its NUL-terminated name, 8-byte aligned. */
function entrySize(r: ProcessRow): number {
  const name = r.name.length === 0 ? 0 : 2 * r.name.length + 2;
  return (PROCESS_ENTRY.size + r.threads.length * THREAD_ENTRY.size + name + 7) & ~7;
}
