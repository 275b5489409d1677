/**
 * What a driver asks about a process: its image name (PsGetProcessImageFileName,
 * SeLocateProcessImageName, ZwQueryInformationProcess with ProcessImageFileName), a process or
 * thread by id (PsLookupProcessByProcessId / PsLookupThreadByThreadId, which return a reference
 * the driver must drop with ObDereferenceObject), its parent, creation time and exit status. The
 * answers come from the run's process table (processes.ts), so every routine agrees.
 */
import type { Kernel } from './kernel';
import { writeOut } from './objects';
import type { ObjectManagerRoutines } from './objectManager';
import type { PoolRoutines } from './pool';
import { handleValue, isKProcess, processOfHandle, type KProcess } from './processes';
import { STATUS } from './status';
import { sessionIdOf } from './tokens';
import { KThread } from './thread';
import { allocateString, encodeChars } from '../memory/strings';
import { viewAt, viewOf } from '../memory/view';
import { sizeOf } from '../c/types';
import { Ptr } from '../memory/pointer';
import type { Allocation } from '../memory/allocation';

const PROCESS_BASIC_INFORMATION = 0;
const PROCESS_SESSION_INFORMATION = 24;
const PROCESS_WOW64_INFORMATION = 26;
const PROCESS_IMAGE_FILE_NAME = 27;
const PROCESS_IMAGE_FILE_NAME_WIN32 = 43;
/** The x64 PEB and RTL_USER_PROCESS_PARAMETERS as winternl.h documents them: sizes and the offsets fltsim fills. */
const PEB_SIZE = 0x2c8;
const PEB_PROCESS_PARAMETERS = 0x20;
const PEB_SESSION_ID = 0x2c0;
const PARAMS_SIZE = 0x80;
const PARAMS_IMAGE_PATH_NAME = 0x60;
const PARAMS_COMMAND_LINE = 0x70;
/** 'SeIn': the tag fltsim gives the name SeLocateProcessImageName allocates. */
const IMAGE_NAME_TAG = 0x6e496553;

export class ProcessIdentityRoutines {
  constructor(
    private readonly k: Kernel,
    private readonly pool: PoolRoutines,
    private readonly ob: ObjectManagerRoutines,
  ) {}

  private process(routine: string, v: unknown): KProcess | undefined {
    if (isKProcess(v)) return v;
    this.k.violation(v === null || v === undefined ? 'null-param' : 'bad-object', `${routine} needs a process (PEPROCESS)`);
    return undefined;
  }

  /** The 15-character ANSI image name the process object holds; the pointer stays valid while the process exists. */
  PsGetProcessImageFileName(Process: unknown): Ptr | null {
    const p = this.process('PsGetProcessImageFileName', Process);
    if (p === undefined) return null;
    p.imageFileNameCell ??= allocateString(this.k.memory, p.shortName, 1, 'engine', `image file name of ${p.name}`);
    return p.imageFileNameCell;
  }

  /**
   * The process's PEB, in its user-mode memory (NULL for the System process, which has none).
   * ntoskrnl exports PsGetProcessPeb but Microsoft documents neither it nor most of the PEB; fltsim
   * lays the block out as winternl.h documents it for x64 — ProcessParameters, and in it
   * ImagePathName (the image's Win32 path) and CommandLine, plus SessionId — and leaves the reserved
   * fields zero, Ldr included: that choice is fltsim's own.
   */
  PsGetProcessPeb(Process: unknown): Ptr | null {
    const p = this.process('PsGetProcessPeb', Process);
    if (p === undefined || p === this.k.processes.system) return null;
    p.peb ??= this.makePeb(p);
    return p.peb;
  }

  private makePeb(p: KProcess): Ptr {
    const space = this.k.memory;
    // A UNICODE_STRING at `offset` of `into`, its characters in user-mode memory too.
    const userString = (into: Allocation, offset: number, text: string, what: string) => {
      const bytes = encodeChars(text, 2, true);
      const chars = space.allocate('user', bytes.length, { zeroed: true, label: `${what} of ${p.name} (pid ${p.id})` });
      chars.writeBytes(0, bytes);
      into.writeInt(offset, 2, 2 * text.length);
      into.writeInt(offset + 2, 2, bytes.length);
      into.writePointer(offset + 8, space.pointer(chars));
    };
    const params = space.allocate('user', PARAMS_SIZE, { zeroed: true, label: `RTL_USER_PROCESS_PARAMETERS of ${p.name} (pid ${p.id})` });
    userString(params, PARAMS_IMAGE_PATH_NAME, win32Path(p.imagePath), 'ImagePathName');
    userString(params, PARAMS_COMMAND_LINE, p.commandLine, 'CommandLine');
    const peb = space.allocate('user', PEB_SIZE, { zeroed: true, label: `PEB of ${p.name} (pid ${p.id})` });
    peb.writePointer(PEB_PROCESS_PARAMETERS, space.pointer(params));
    peb.writeInt(PEB_SESSION_ID, 4, sessionIdOf(p, this.k.processes.system));
    return space.pointer(peb);
  }

  /** The process with id `ProcessId`, referenced: the caller drops the reference with ObDereferenceObject. */
  PsLookupProcessByProcessId(ProcessId: unknown, Process: unknown): number {
    const k = this.k;
    k.checkIrql('PsLookupProcessByProcessId');
    writeOut(Process, null);
    const id = handleValue(ProcessId);
    const p = id === undefined ? undefined : k.processes.byPid(id);
    if (p === undefined || p.state === 'not-started' || p.state === 'denied') return STATUS.STATUS_INVALID_PARAMETER;
    // An exited process whose object is still referenced is still found; fltsim drops it at exit.
    if (p.state === 'exited') return STATUS.STATUS_INVALID_PARAMETER;
    this.ob.take(p, 'PsLookupProcessByProcessId');
    writeOut(Process, p);
    return STATUS.STATUS_SUCCESS;
  }

  /** The thread with id `ThreadId`. Thread objects are not reference-counted by fltsim. */
  PsLookupThreadByThreadId(ThreadId: unknown, Thread: unknown): number {
    const k = this.k;
    k.checkIrql('PsLookupThreadByThreadId');
    writeOut(Thread, null);
    const id = handleValue(ThreadId);
    const t = id === undefined ? undefined : k.threads.get(id);
    if (!(t instanceof KThread) || t.state === 'terminated') return STATUS.STATUS_INVALID_PARAMETER;
    writeOut(Thread, t);
    return STATUS.STATUS_SUCCESS;
  }

  PsGetProcessInheritedFromUniqueProcessId(Process: unknown): number {
    return this.process('PsGetProcessInheritedFromUniqueProcessId', Process)?.parentId ?? 0;
  }

  /** The creation time in 100-ns units since 1601, from the virtual clock. */
  PsGetProcessCreateTimeQuadPart(Process: unknown): bigint {
    const p = this.process('PsGetProcessCreateTimeQuadPart', Process);
    return p === undefined ? 0n : FILETIME_EPOCH + BigInt(p.createTime) * 10_000n;
  }

  PsGetProcessExitStatus(Process: unknown): number {
    const p = this.process('PsGetProcessExitStatus', Process);
    // STATUS_PENDING while the process runs, as Windows answers.
    return p === undefined ? STATUS.STATUS_INVALID_PARAMETER : p.state === 'exited' ? p.exitStatus : STATUS.STATUS_PENDING;
  }

  /** No process here runs under WOW64: NULL (the WOW64 PEB it would return otherwise). */
  PsGetProcessWow64Process(Process: unknown): null {
    this.process('PsGetProcessWow64Process', Process);
    return null;
  }

  PsIsProtectedProcess(Process: unknown): number {
    this.process('PsIsProtectedProcess', Process);
    return 0;
  }

  /**
   * The process's full image path as a UNICODE_STRING in paged pool the caller frees with
   * ExFreePool (a pool leak otherwise). The System process has no image file: an empty name.
   */
  SeLocateProcessImageName(Process: unknown, pImageFileName: unknown): number {
    const k = this.k;
    k.checkIrql('SeLocateProcessImageName');
    writeOut(pImageFileName, null);
    const p = this.process('SeLocateProcessImageName', Process);
    if (p === undefined) return STATUS.STATUS_INVALID_PARAMETER;
    if (pImageFileName === null || pImageFileName === undefined) {
      k.violation('null-param', 'SeLocateProcessImageName needs a place to return the name');
      return STATUS.STATUS_INVALID_PARAMETER;
    }
    const block = this.unicodeStringInPool('SeLocateProcessImageName', p.imagePath);
    if (block === null) return STATUS.STATUS_INSUFFICIENT_RESOURCES;
    writeOut(pImageFileName, block);
    return STATUS.STATUS_SUCCESS;
  }

  /**
   * ProcessImageFileName / ProcessImageFileNameWin32: a UNICODE_STRING followed by its characters
   * in the caller's buffer; ProcessBasicInformation: the ids; ProcessSessionInformation: the
   * session the process's token names; ProcessWow64Information: 0. Too small a buffer gets
   * STATUS_INFO_LENGTH_MISMATCH and the length needed.
   */
  ZwQueryInformationProcess(ProcessHandle: unknown, ProcessInformationClass: number, ProcessInformation: unknown, ProcessInformationLength: number, ReturnLength: unknown): number {
    const k = this.k;
    k.checkIrql('ZwQueryInformationProcess');
    const p = processOfHandle(ProcessHandle, k.processOf(k.current));
    if (p === undefined) return STATUS.STATUS_INVALID_HANDLE;
    const cls = Number(ProcessInformationClass);
    const length = Number(ProcessInformationLength) >>> 0;
    const m = k.marshal;
    if (cls === PROCESS_IMAGE_FILE_NAME || cls === PROCESS_IMAGE_FILE_NAME_WIN32) {
      const text = cls === PROCESS_IMAGE_FILE_NAME ? p.imagePath : win32Path(p.imagePath);
      const us = m.struct('_UNICODE_STRING');
      const header = sizeOf(us);
      const needed = header + 2 * text.length + 2;
      writeOut(ReturnLength, needed);
      if (length < needed || !(ProcessInformation instanceof Ptr) || ProcessInformation.alloc === null) return STATUS.STATUS_INFO_LENGTH_MISMATCH;
      const view = viewOf(ProcessInformation, us);
      const chars = ProcessInformation.add(header);
      chars.alloc!.writeBytes(chars.offset, encodeChars(text, 2, true));
      view.Length = 2 * text.length;
      view.MaximumLength = 2 * text.length + 2;
      view.Buffer = chars;
      return STATUS.STATUS_SUCCESS;
    }
    if (cls === PROCESS_BASIC_INFORMATION) {
      // PROCESS_BASIC_INFORMATION (x64): ExitStatus, PebBaseAddress, AffinityMask, BasePriority,
      // UniqueProcessId, InheritedFromUniqueProcessId; drivers declare the struct themselves.
      const needed = 48;
      writeOut(ReturnLength, needed);
      if (length < needed || !(ProcessInformation instanceof Ptr) || ProcessInformation.alloc === null) return STATUS.STATUS_INFO_LENGTH_MISMATCH;
      const a = ProcessInformation.alloc;
      const at = ProcessInformation.offset;
      a.writeBytes(at, new Uint8Array(needed));
      a.writeInt(at, 4, p.state === 'exited' ? p.exitStatus : STATUS.STATUS_PENDING);
      a.writeInt(at + 16, 8, 1);
      a.writeInt(at + 24, 4, 8);
      a.writeInt(at + 32, 8, p.id);
      a.writeInt(at + 40, 8, p.parentId);
      return STATUS.STATUS_SUCCESS;
    }
    if (cls === PROCESS_SESSION_INFORMATION || cls === PROCESS_WOW64_INFORMATION) {
      // PROCESS_SESSION_INFORMATION is one ULONG; ProcessWow64Information a ULONG_PTR, 0: no process
      // here runs under WOW64. The length must be exactly the structure's.
      const needed = cls === PROCESS_SESSION_INFORMATION ? 4 : 8;
      writeOut(ReturnLength, needed);
      if (length !== needed || !(ProcessInformation instanceof Ptr) || ProcessInformation.alloc === null) return STATUS.STATUS_INFO_LENGTH_MISMATCH;
      ProcessInformation.alloc.writeInt(ProcessInformation.offset, needed, cls === PROCESS_SESSION_INFORMATION ? sessionIdOf(p, k.processes.system) : 0);
      return STATUS.STATUS_SUCCESS;
    }
    k.emit('process', p.id, `ZwQueryInformationProcess: information class ${cls} is not modelled; it answers STATUS_INVALID_INFO_CLASS`);
    return STATUS.STATUS_INVALID_INFO_CLASS;
  }

  private unicodeStringInPool(routine: string, text: string): Ptr | null {
    const us = this.k.marshal.struct('_UNICODE_STRING');
    const header = sizeOf(us);
    const bytes = encodeChars(text, 2, true);
    if (this.pool.refuses(routine, header + bytes.length)) return null;
    const block = this.pool.allocate(routine, header + bytes.length, 'PagedPool', IMAGE_NAME_TAG, undefined, true);
    block.alloc.writeBytes(header, bytes);
    const view = viewAt(block.alloc, 0, us);
    view.Length = 2 * text.length;
    view.MaximumLength = bytes.length;
    view.Buffer = block.add(header);
    return block;
  }
}

/** 100-ns intervals from 1601-01-01 to 2020-01-01: the virtual clock's tick 0. */
const FILETIME_EPOCH = 132223104000000000n;

/** `\Device\HarddiskVolume1\x\y.exe` → `C:\x\y.exe` (the first volume is C:). */
function win32Path(nt: string): string {
  const m = /^\\Device\\HarddiskVolume(\d+)(\\.*)?$/i.exec(nt);
  if (m === null) return nt;
  return `${String.fromCharCode(0x42 + Number(m[1]))}:${m[2] ?? '\\'}`;
}
