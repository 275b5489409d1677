/**
 * Processes: the System process, the two default user processes (the workload's and the client
 * program's) and the processes a scenario declares (`process` lines). Each is one EPROCESS to C (read-only bytes, processMemory.ts) — the same object whichever
 * routine hands it out (PsGetCurrentProcess, IoThreadToProcess, FltGetRequestorProcess,
 * PsLookupProcessByProcessId) — and counts the references drivers take on it, so a
 * PsLookupProcessByProcessId without its ObDereferenceObject is reported where it was taken.
 */
import { ReferenceCount } from './referenceCount';
import { KHandle } from './objects';
import { Ptr, type AllocPtr } from '../memory/pointer';
import type { Marshal } from './marshal';
import { processMemory } from './processMemory';

export type ProcessState = 'not-started' | 'running' | 'exited' | 'denied';

export interface ProcessSpec {
  /** Image file name: `notepad.exe`. */
  name: string;
  id: number;
  /** Full NT path of the image; `\Device\HarddiskVolume1\<name>` when absent. */
  image?: string;
  parentId?: number;
  commandLine?: string;
  /** Tick at which the process starts (notify routines run); absent: it runs before the drivers load. */
  start?: number;
  /** Tick at which it exits. */
  exit?: number;
}

export class KProcess {
  readonly kind = 'process';
  readonly refs: ReferenceCount;
  state: ProcessState;
  /** Virtual tick it started at (0 for processes that run from the start). */
  createTime = 0;
  exitStatus = 0;
  /** The id of its first thread once it has started. */
  mainThreadId = 0;
  /** PsGetProcessImageFileName's answer: 15 ANSI characters at most, made once per run. */
  imageFileNameCell: Ptr | undefined = undefined;
  /** PsGetProcessPeb's answer: the process's PEB in user-mode memory, made on first ask. */
  peb: Ptr | undefined = undefined;

  constructor(
    readonly id: number,
    readonly name: string,
    readonly imagePath: string,
    /** Set once the scenario's process lines are all known (a parent may be declared later). */
    public parentId: number,
    readonly commandLine: string,
    running: boolean,
  ) {
    this.refs = new ReferenceCount(`process ${name} (pid ${id})`);
    this.state = running ? 'running' : 'not-started';
  }

  /** The 15-character image name EPROCESS keeps (what PsGetProcessImageFileName returns). */
  get shortName(): string {
    return this.name.slice(0, 15);
  }

  private cPtr: AllocPtr | undefined = undefined;

  /** Its address in C: read-only EPROCESS bytes (processMemory.ts says why C may read them). */
  cAddress(m: Marshal): AllocPtr {
    this.cPtr ??= processMemory(m.space, this);
    return this.cPtr;
  }
}

export function isKProcess(v: unknown): v is KProcess {
  return v instanceof KProcess;
}

/** System's id, as on Windows. */
export const SYSTEM_PID = 4;
/** The default workload process: issues every `io` line that names no process (and opens processes). */
export const WORKLOAD_PID = 0x1f4;
export const WORKLOAD_IMAGE = 'fltsim-app.exe';
/**
 * The default user-mode program behind the `client` lines: a process of its own, so a filter that
 * ignores its own client's I/O (as scanners do) still sees the workload's.
 */
export const PROGRAM_PID = 0x1a8;
export const PROGRAM_IMAGE = 'fltsim-client.exe';
/** The parent of both defaults and of scenario processes that name none (explorer.exe on a desktop). */
const SHELL_PID = 0x2f0;
/** A process handle value meaning the caller's own process (ZwCurrentProcess()). */
export const CURRENT_PROCESS_HANDLE = -1;

/** The processes of one run, by id. */
export class ProcessTable {
  readonly system = new KProcess(SYSTEM_PID, 'System', '', 0, '', true);
  readonly workload = new KProcess(WORKLOAD_PID, WORKLOAD_IMAGE, `\\Device\\HarddiskVolume1\\Program Files\\fltsim\\${WORKLOAD_IMAGE}`, SHELL_PID, WORKLOAD_IMAGE, true);
  readonly program = new KProcess(PROGRAM_PID, PROGRAM_IMAGE, `\\Device\\HarddiskVolume1\\Program Files\\fltsim\\${PROGRAM_IMAGE}`, SHELL_PID, PROGRAM_IMAGE, true);
  private readonly byId = new Map<number, KProcess>([
    [SYSTEM_PID, this.system],
    [WORKLOAD_PID, this.workload],
    [PROGRAM_PID, this.program],
  ]);
  private readonly byName = new Map<string, KProcess>();

  /** Adds a scenario process; its pid may not be one the run already uses. */
  add(spec: ProcessSpec): KProcess {
    if (spec.id === SYSTEM_PID || spec.id === 0) throw new Error(`process "${spec.name}": pid ${spec.id} belongs to the System (or idle) process; choose another`);
    if (this.byName.has(spec.name.toLowerCase())) throw new Error(`process "${spec.name}" is declared twice`);
    const known = this.byId.get(spec.id);
    if (known !== undefined) throw new Error(`process "${spec.name}": pid ${spec.id} is already used by "${known.name}"`);
    const image = spec.image ?? `\\Device\\HarddiskVolume1\\${spec.name}`;
    const p = new KProcess(spec.id, spec.name, image, spec.parentId ?? SHELL_PID, spec.commandLine ?? `"${image}"`, spec.start === undefined);
    this.byId.set(spec.id, p);
    this.byName.set(spec.name.toLowerCase(), p);
    return p;
  }

  byPid(id: number): KProcess | undefined {
    return this.byId.get(id);
  }

  /** A scenario process, or a default one by its image name. */
  named(name: string): KProcess | undefined {
    const key = name.toLowerCase();
    return this.byName.get(key) ?? (key === this.workload.name ? this.workload : key === this.program.name ? this.program : undefined);
  }

  all(): KProcess[] {
    return [...this.byId.values()];
  }
}

/** The integer value of a HANDLE-typed C value (a process id, ZwCurrentProcess()). */
export function handleValue(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(BigInt.asIntN(64, v));
  if (v instanceof Ptr && v.alloc === null) return v.offset;
  return undefined;
}

/** The process a process handle names (ZwOpenProcess, ObOpenObjectByPointer, ZwCurrentProcess()); undefined when it names none. */
export function processOfHandle(h: unknown, current: KProcess): KProcess | undefined {
  if (handleValue(h) === CURRENT_PROCESS_HANDLE) return current;
  if (h instanceof KHandle && !h.closed && isKProcess(h.object)) return h.object;
  return undefined;
}
