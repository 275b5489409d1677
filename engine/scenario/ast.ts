/**
 * The typed result of parsing a `.fltsim` file. Every statement keeps where it came from (1-based
 * line and columns, end column exclusive) so the debugger, the run report and the editor can point
 * at the user's own text.
 */
import type { NtStatus } from '../kernel/status';
import type { LimitName } from '../limits';
import type { CreateAccess, CreateDisposition, FileSystemWord, ShareMode, IoFlag, IoOp, IoState, IrpMajor, NotifyChange, RegistryOpWord, RunStopReason } from './vocabulary';
import type { RegistryData } from '../kernel/registryTree';

/** A stretch of one line: 1-based line and column; `endColumn` is the column just past the end. */
export interface Span {
  line: number;
  column: number;
  endColumn: number;
}

interface StatementBase extends Span {
  /** The source line without its comment, trimmed: what reports print for this statement. */
  text: string;
}

export interface TitleStatement extends StatementBase {
  kind: 'scenario';
  title: string;
}

/** What a `driver` line names: a Visual Studio project, a folder of .c files, or .c files. */
export type DriverSourceKind = 'vcxproj' | 'folder' | 'files';

export interface DriverPath {
  /** As written, relative to the scenario file's folder. */
  path: string;
  span: Span;
}

export interface DriverStatement extends StatementBase {
  kind: 'driver';
  source: DriverSourceKind;
  /** Every path on the line (one for a project or a folder; one or more C files). */
  paths: DriverPath[];
  /** The first path, as written. */
  path: string;
  pathSpan: Span;
  /**
   * The driver's name as far as the line tells (the `counting` in `expect calls counting!PreRead 0`):
   * the project or folder name, or the first file's name. Running reads the project and may refine
   * it (a .vcxproj's ProjectName; for C files, the one that defines DriverEntry).
   */
  module: string;
  /** Names this driver may turn out to have before its files are read (each file's name for C files). */
  moduleCandidates: string[];
  /** Absent when the line gives none; the run then picks one. */
  altitude?: number;
}

export interface DefineStatement extends StatementBase {
  kind: 'define';
  name: string;
  nameSpan: Span;
  /** The replacement text as written; `1` when the line gives none, as with `-D NAME`. */
  value: string;
}

export interface IoStatement extends StatementBase {
  kind: 'io';
  id: number;
  idSpan: Span;
  op: IoOp;
  major: IrpMajor;
  path: string;
  pathSpan: Span;
  /** Virtual tick at which the request is issued (`at T`); 0 when not given. */
  time: number;
  /** Buffer length in bytes (`length N`); absent when not given. */
  length?: number;
  /** Byte offset into the file (`offset N`); absent when not given. */
  offset?: number;
  /** FSCTL or IOCTL control code (`code N`). */
  code?: number;
  /** FILE_INFORMATION_CLASS name (`class FileBasicInformation`). */
  infoClass?: string;
  /** The transaction a create opens its file in (`transaction "T1"`). */
  transaction?: string;
  /** In the order written, without repeats. */
  flags: IoFlag[];
  /** A create's disposition (`disposition open-if`). */
  disposition?: CreateDisposition;
  /** The access a create asks for (`access read`). */
  access?: CreateAccess;
  /** What a create shares with other opens (`share none`). */
  share?: ShareMode;
  /** A write's data (`data "text"`, UTF-8). */
  data?: string;
  /** A write's data written as byte parts (`data hex "00 ff" ulong 7`), instead of `data`. */
  dataBytes?: number[];
  /** A control request's input buffer (`input ulong 1 wide "a.txt"`): its bytes, and so its length. */
  input?: number[];
  /** A control request's output buffer length (`output 512`). */
  output?: number;
  /** A rename's or link's target (`to "\\Device\\HarddiskVolume1\\new.txt"`). */
  target?: string;
  /** A directory query's pattern (`pattern "*.txt"`). */
  pattern?: string;
  /** What a change notification watches for (`changes file-name size`), in the order written. */
  changes?: NotifyChange[];
  /** The scenario process that issues it (`process "notepad.exe"`); the default workload process when absent. */
  process?: string;
  processSpan?: Span;
}

export interface CancelStatement extends StatementBase {
  kind: 'cancel';
  io: number;
  ioSpan: Span;
  time: number;
}

export interface UnloadStatement extends StatementBase {
  kind: 'unload';
  /** The driver to unload; absent means every driver. */
  module?: string;
  moduleSpan?: Span;
  time: number;
}

export type Expectation =
  | { what: 'status'; io: number; ioSpan: Span; status: NtStatus; statusText: string }
  | { what: 'state'; io: number; ioSpan: Span; state: IoState }
  /** Request `io` is issued and still not complete when the run ends: the scenario leaves it outstanding on purpose. */
  | { what: 'pending'; io: number; ioSpan: Span }
  | { what: 'calls'; module?: string; func: string; count: number; targetSpan: Span }
  | { what: 'violation'; rule: string; ruleSpan: Span }
  | { what: 'no-violation'; rule: string; ruleSpan: Span }
  | { what: 'no-violations' }
  | { what: 'output'; output: string }
  /** DriverEntry of `module` (of every driver when absent) returned `status`. */
  | { what: 'load'; module?: string; moduleSpan?: Span; status: NtStatus; statusText: string }
  /** The run ends with a thread blocked forever. */
  | { what: 'deadlock' }
  /** The run ends with work nothing finished: filter-issued I/O or a queued work item (engine/fltmgr/hanging.ts). */
  | { what: 'hanging' }
  /** The run stops before its end (driver code failed or a limit ran out), for `reason` when given. */
  | { what: 'stop'; reason?: RunStopReason; reasonSpan?: Span }
  /** `expect #N granted A`: the access an `open-process` line ended up with. */
  | { what: 'granted'; io: number; ioSpan: Span; access: number }
  /** `expect process "x.exe" denied|started|exited`: how a scenario process's life went. */
  | { what: 'process'; process: string; processSpan: Span; outcome: ProcessOutcome }
  /** `expect registry "\\REGISTRY\\…" [ "Name" ] exists|absent|<type> <data>`: the registry's contents at the end. */
  | { what: 'registry'; key: string; keySpan: Span; name?: string; state: 'exists' | 'absent' | RegistryValue };

export type ProcessOutcome = 'started' | 'denied' | 'exited';

/** The expectations about how the run ends rather than what it did: they make an abnormal end wanted. */
export type OutcomeExpectation = 'load' | 'deadlock' | 'hanging' | 'stop';

export type ExpectStatement = StatementBase & { kind: 'expect' } & Expectation;

export interface SeedStatement extends StatementBase {
  kind: 'seed';
  seed: number;
}

export interface ProcessorsStatement extends StatementBase {
  kind: 'processors';
  count: number;
}

export interface WorkersStatement extends StatementBase {
  kind: 'workers';
  delayed?: number;
  critical?: number;
}

export interface FileStatement extends StatementBase {
  kind: 'file';
  path: string;
  pathSpan: Span;
  /** `size N`: the file's size (its content is zeros past what `content` or `from` gives). */
  size?: number;
  /** `content "text"`: the file's bytes, the text in UTF-8. */
  content?: string;
  /** `from "local/file.bin"`: the file's bytes are those of a local file, relative to the scenario. */
  from?: string;
  fromSpan?: Span;
  /** `folder`: a folder rather than a file. */
  folder?: boolean;
}

/** An `attach` line: a manual attachment (as `fltmc attach`) of a driver's filter to a volume. */
export interface AttachStatement extends StatementBase {
  kind: 'attach';
  module: string;
  moduleSpan: Span;
  volume: string;
  volumeSpan: Span;
  time: number;
}

/** A `volume` line: a volume below the filters and its properties. */
export interface VolumeStatement extends StatementBase {
  kind: 'volume';
  /** `\Device\HarddiskVolume2`. */
  name: string;
  nameSpan: Span;
  fileSystem?: FileSystemWord;
  sectorSize?: number;
  readonly: boolean;
  removable: boolean;
}

/** When a `client … reply` applies: to every message, or to those that match. */
export interface ClientMatch {
  /** The message's first ULONG (little-endian) equals this. */
  kind?: number;
  /** The message contains these bytes. */
  contains?: number[];
}

/** A piece of a `then send` line's bytes. */
export type ClientPayloadPart = { bytes: number[] } | { message: { offset: number; length: number } } | { verdict: true };

/** What a `client … then` line makes the program do after each reply it gives (to the messages `match` picks). */
export type ClientStepStatement =
  | { step: 'send'; parts: ClientPayloadPart[]; output: number }
  | { step: 'scan-section'; outputOffset: number; find: number[]; infected: number[]; clean: number[]; /** Ticks the view stays mapped before the bytes are searched. */ delay: number };

/** A `client "\\Port" …` line: the user-mode program's side of a communication port. */
export type ClientStatement = StatementBase & { kind: 'client'; port: string; portSpan: Span } & (
    /** `process`: the scenario process the program runs in (the default client program process when absent). */
    | { action: 'connect'; time: number; context?: number[]; process?: string; processSpan?: Span }
    | { action: 'send'; time: number; data: number[]; output: number }
    | { action: 'disconnect'; time: number }
    /** `reply: null` is `no-reply`: the program never answers matching messages. */
    | { action: 'reply'; reply: number[] | null; match: ClientMatch; delay: number }
    | { action: 'ignore-messages' }
    | { action: 'then'; step: ClientStepStatement; match: ClientMatch }
  );

/** A `transaction "T1" commit|rollback at T` line. */
export interface TransactionStatement extends StatementBase {
  kind: 'transaction';
  name: string;
  nameSpan: Span;
  outcome: 'commit' | 'rollback';
  time: number;
}

export interface LimitStatement extends StatementBase {
  kind: 'limit';
  name: LimitName;
  nameSpan: Span;
  value: number;
}

/** A registry value's type and data as a scenario writes it (`dword 1`, `string "fast"`, `multi-string "a" "b"`…). */
export type RegistryValue = RegistryData;

/**
 * A `registry` line that sets the registry up before the run: a value every driver reads under its
 * service key and Parameters subkey (`registry "Name" dword 1`), a key (`registry "\REGISTRY\…"`),
 * or a value in a key (`registry "\REGISTRY\…" "Name" dword 1`).
 */
export interface RegistryStatement extends StatementBase {
  kind: 'registry';
  /** The key path (\REGISTRY\…); absent for a value of every driver's service key. */
  key?: string;
  keySpan?: Span;
  /** `volatile`: the key lives until the machine restarts. */
  volatile: boolean;
  /** Absent on a line that declares a key alone. */
  name?: string;
  nameSpan?: Span;
  value?: RegistryValue;
}

/** A registry operation the program does: `registry #N set-value "\REGISTRY\…" "Name" dword 1 at 5`. */
export interface RegistryOpStatement extends StatementBase {
  kind: 'registry-op';
  id: number;
  idSpan: Span;
  op: RegistryOpWord;
  path: string;
  pathSpan: Span;
  /** The value a set-value, query-value or delete-value names. */
  name?: string;
  nameSpan?: Span;
  /** A set-value's data. */
  value?: RegistryValue;
  /** A create-key's `volatile`. */
  volatile: boolean;
  process?: string;
  processSpan?: Span;
  time: number;
}

/** `process "notepad.exe" pid 1200 …`: a user process of the scenario. */
export interface ProcessStatement extends StatementBase {
  kind: 'process';
  name: string;
  nameSpan: Span;
  pid: number;
  image?: string;
  parent?: string;
  parentSpan?: Span;
  commandLine?: string;
  /** Tick it starts at (notify routines run); absent: it runs from before the drivers load. */
  start?: number;
  exit?: number;
}

/** `open-process #N "notepad.exe" access all by "x.exe" at T`: a handle open ObRegisterCallbacks callbacks see. */
export interface OpenProcessStatement extends StatementBase {
  kind: 'open-process';
  id: number;
  idSpan: Span;
  target: string;
  targetSpan: Span;
  access: number;
  opener?: string;
  openerSpan?: Span;
  kernelHandle: boolean;
  time: number;
}

export type Statement =
  | ProcessStatement
  | OpenProcessStatement
  | TitleStatement
  | DriverStatement
  | DefineStatement
  | IoStatement
  | CancelStatement
  | UnloadStatement
  | ExpectStatement
  | SeedStatement
  | ProcessorsStatement
  | WorkersStatement
  | FileStatement
  | VolumeStatement
  | AttachStatement
  | RegistryStatement
  | RegistryOpStatement
  | ClientStatement
  | TransactionStatement
  | LimitStatement;

export interface Scenario {
  /** From the `scenario "..."` line; absent when the file has none. */
  title?: string;
  /** Every statement that parsed, in source order. */
  statements: Statement[];
  drivers: DriverStatement[];
  defines: DefineStatement[];
  ios: IoStatement[];
  cancels: CancelStatement[];
  unloads: UnloadStatement[];
  expectations: ExpectStatement[];
  files: FileStatement[];
  volumes: VolumeStatement[];
  attaches: AttachStatement[];
  registry: RegistryStatement[];
  /** The program's registry operations (`registry #N …`). */
  registryOps: RegistryOpStatement[];
  /** The user-mode program's lines, in source order. */
  clients: ClientStatement[];
  /** How the scenario's transactions end. */
  transactions: TransactionStatement[];
  processes: ProcessStatement[];
  processOpens: OpenProcessStatement[];
  seed?: number;
  processors?: number;
  workers: { delayed?: number; critical?: number };
  /** From `limit` lines; the first line for a name wins. */
  limits: Partial<Record<LimitName, number>>;
}

export type DiagnosticSeverity = 'error' | 'warning';

/** Stable identifiers of the problems the scenario checks report; tests and tools match on these. */
export type ScenarioDiagnosticCode =
  | 'unknown-keyword'
  | 'unknown-operation'
  | 'unknown-option'
  | 'unknown-expectation'
  | 'unknown-status'
  | 'unknown-state'
  | 'unknown-io'
  | 'unknown-process'
  | 'unknown-module'
  | 'unknown-volume'
  | 'unknown-rule'
  | 'missing-string'
  | 'missing-value'
  | 'unterminated-string'
  | 'bad-number'
  | 'bad-name'
  | 'malformed-rule-id'
  | 'unexpected-token'
  | 'duplicate'
  | 'flag-not-applicable'
  | 'option-not-applicable'
  | 'conflicting-flags'
  | 'no-driver'
  | 'bad-driver'
  | 'cancel-before-issue'
  | 'contradiction'
  | 'missing-file'
  /** A driver path found only by ignoring case, on a file system that tells case apart. */
  | 'file-case'
  | 'outside-workspace';

export interface ScenarioDiagnostic extends Span {
  severity: DiagnosticSeverity;
  code: ScenarioDiagnosticCode;
  message: string;
  /** What to write instead, in a sentence. */
  hint: string;
}

/** What a run assumes when an `io` line leaves them out. */
export const IO_DEFAULTS = {
  /** Bytes transferred by read and write, and the buffer size of the other buffered operations. */
  length: 4096,
  offset: 0,
} as const;
