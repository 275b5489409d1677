/**
 * The words of the scenario language in one place. The parser, the diagnostics' "did you mean"
 * suggestions, the docs and the grammar test all read these tables, so a new operation or flag is
 * added here once.
 */
import { C_ERROR_KINDS, type CErrorKind } from '../interp/errors';

/** Statement keywords: the first word of every line that is not blank or a comment. */
export const STATEMENT_KEYWORDS = [
  'scenario',
  'driver',
  'define',
  'io',
  'cancel',
  'unload',
  'expect',
  'seed',
  'processors',
  'workers',
  'file',
  'volume',
  'attach',
  'registry',
  'client',
  'transaction',
  'limit',
  'process',
  'open-process',
] as const;
export type StatementKeyword = (typeof STATEMENT_KEYWORDS)[number];

/** Operations an `io` line can issue, with the IRP major function the filters see. */
export const IO_OPS = {
  create: 'IRP_MJ_CREATE',
  read: 'IRP_MJ_READ',
  write: 'IRP_MJ_WRITE',
  cleanup: 'IRP_MJ_CLEANUP',
  close: 'IRP_MJ_CLOSE',
  'query-info': 'IRP_MJ_QUERY_INFORMATION',
  'set-info': 'IRP_MJ_SET_INFORMATION',
  'query-dir': 'IRP_MJ_DIRECTORY_CONTROL',
  'notify-dir': 'IRP_MJ_DIRECTORY_CONTROL',
  flush: 'IRP_MJ_FLUSH_BUFFERS',
  fsctl: 'IRP_MJ_FILE_SYSTEM_CONTROL',
  ioctl: 'IRP_MJ_DEVICE_CONTROL',
} as const;
export type IoOp = keyof typeof IO_OPS;
export type IrpMajor = (typeof IO_OPS)[IoOp];
export const IO_OP_NAMES = Object.keys(IO_OPS) as IoOp[];

/** Operations that carry a data buffer, so `length` and `system-buffer` mean something. */
const BUFFERED: readonly IoOp[] = ['read', 'write', 'query-info', 'set-info', 'query-dir', 'notify-dir', 'fsctl', 'ioctl'];

export const IO_FLAG_NAMES = [
  'fastio', 'paging', 'nocache', 'synchronous', 'async', 'system-buffer', 'top-level-irp',
  // create options, and what a set-information request asks for
  'directory', 'non-directory', 'delete-on-close', 'delete', 'replace',
  // a change notification that watches the folder's whole tree
  'watch-tree',
] as const;
export type IoFlag = (typeof IO_FLAG_NAMES)[number];

interface FlagInfo {
  /** Operations the flag may be given on. */
  ops: readonly IoOp[] | 'all';
  /** Flags that cannot be combined with this one. */
  excludes: readonly IoFlag[];
}

/**
 * Flags on an `io` line. Each changes how the request reaches the filters; the engine maps them to
 * the real bits (FLTFL_CALLBACK_DATA_FAST_IO_OPERATION, IRP_PAGING_IO, IRP_NOCACHE, FO_SYNCHRONOUS_IO,
 * a non-NULL TopLevelIrp, a system buffer instead of a user buffer).
 */
export const IO_FLAGS: Readonly<Record<IoFlag, FlagInfo>> = {
  fastio: { ops: ['read', 'write', 'query-info', 'ioctl'], excludes: ['paging', 'async'] },
  paging: { ops: ['read', 'write'], excludes: ['fastio'] },
  nocache: { ops: ['create', 'read', 'write'], excludes: [] },
  synchronous: { ops: 'all', excludes: ['async'] },
  async: { ops: 'all', excludes: ['synchronous', 'fastio'] },
  'system-buffer': { ops: BUFFERED, excludes: [] },
  'top-level-irp': { ops: 'all', excludes: [] },
  directory: { ops: ['create'], excludes: ['non-directory'] },
  'non-directory': { ops: ['create'], excludes: ['directory'] },
  'delete-on-close': { ops: ['create'], excludes: [] },
  delete: { ops: ['set-info'], excludes: ['replace'] },
  replace: { ops: ['set-info'], excludes: ['delete'] },
  'watch-tree': { ops: ['notify-dir'], excludes: [] },
};

/** Options of an `io` line that take a value. */
export const IO_OPTION_NAMES = ['length', 'offset', 'at', 'code', 'class', 'disposition', 'access', 'share', 'data', 'input', 'output', 'to', 'pattern', 'transaction', 'changes', 'process'] as const;
export type IoOption = (typeof IO_OPTION_NAMES)[number];

export const IO_OPTIONS: Readonly<Record<IoOption, { ops: readonly IoOp[] | 'all' }>> = {
  length: { ops: BUFFERED },
  offset: { ops: ['read', 'write'] },
  at: { ops: 'all' },
  code: { ops: ['fsctl', 'ioctl'] },
  class: { ops: ['query-info', 'set-info', 'query-dir'] },
  disposition: { ops: ['create'] },
  access: { ops: ['create'] },
  share: { ops: ['create'] },
  data: { ops: ['write'] },
  input: { ops: ['fsctl', 'ioctl'] },
  output: { ops: ['fsctl', 'ioctl'] },
  to: { ops: ['set-info'] },
  pattern: { ops: ['query-dir'] },
  transaction: { ops: ['create'] },
  changes: { ops: ['notify-dir'] },
  process: { ops: 'all' },
};

/**
 * What a change notification watches for (`changes file-name size`), as FILE_NOTIFY_CHANGE_* bits;
 * `name` is file-name and dir-name together. Without `changes`, a notification watches names.
 */
export const NOTIFY_CHANGES = {
  'file-name': 0x1, 'dir-name': 0x2, name: 0x3, attributes: 0x4, size: 0x8, 'last-write': 0x10, 'last-access': 0x20,
  creation: 0x40, ea: 0x80, security: 0x100, 'stream-name': 0x200, 'stream-size': 0x400, 'stream-write': 0x800,
} as const;
export type NotifyChange = keyof typeof NOTIFY_CHANGES;
export const NOTIFY_CHANGE_NAMES = Object.keys(NOTIFY_CHANGES) as NotifyChange[];

/** Create dispositions an `io … create` line can give (`disposition open-if`), as FILE_* values. */
export const CREATE_DISPOSITIONS = { supersede: 0, open: 1, create: 2, 'open-if': 3, overwrite: 4, 'overwrite-if': 5 } as const;
export type CreateDisposition = keyof typeof CREATE_DISPOSITIONS;
export const CREATE_DISPOSITION_NAMES = Object.keys(CREATE_DISPOSITIONS) as CreateDisposition[];

/**
 * The access an `io … create` line asks for (`access read`), as ACCESS_MASK values: FILE_GENERIC_READ,
 * FILE_GENERIC_WRITE, both (the default), DELETE with FILE_READ_ATTRIBUTES, FILE_READ_ATTRIBUTES
 * with SYNCHRONIZE (which share access ignores), FILE_ALL_ACCESS.
 */
export const CREATE_ACCESS = { read: 0x120089, write: 0x120116, 'read-write': 0x12019f, delete: 0x10080, attributes: 0x100080, all: 0x1f01ff } as const;
export type CreateAccess = keyof typeof CREATE_ACCESS;
export const CREATE_ACCESS_NAMES = Object.keys(CREATE_ACCESS) as CreateAccess[];

/** What an `io … create` line shares with other opens (`share read`), as FILE_SHARE_* bits; `all` is the default. */
export const SHARE_MODES = { none: 0, read: 1, write: 2, delete: 4, 'read-write': 3, 'read-delete': 5, 'write-delete': 6, all: 7 } as const;
export type ShareMode = keyof typeof SHARE_MODES;
export const SHARE_MODE_NAMES = Object.keys(SHARE_MODES) as ShareMode[];

/** File systems a `volume` line can give (`fs ntfs`). */
export const FILE_SYSTEM_WORDS = ['ntfs', 'refs', 'fat', 'exfat', 'cdfs', 'udfs'] as const;
export type FileSystemWord = (typeof FILE_SYSTEM_WORDS)[number];

/** Words of a `volume` line after its name. */
export const VOLUME_OPTION_NAMES = ['fs', 'sector', 'readonly', 'removable'] as const;

/** Words of a `file` line after its path. */
export const FILE_OPTION_NAMES = ['size', 'content', 'from', 'folder'] as const;

export function appliesTo(ops: readonly IoOp[] | 'all', op: IoOp): boolean {
  return ops === 'all' || ops.includes(op);
}

/** Words that may follow `expect`, besides an io reference `#N`. */
export const EXPECT_WORDS = ['calls', 'violation', 'no', 'output', 'load', 'deadlock', 'hanging', 'stop', 'process', 'registry'] as const;

/**
 * Why a run can stop before its end, as `expect stop <reason>` names it: the kinds of C error the
 * interpreter reports (step-budget and stack-overflow are the `steps` and `depth` limits). Errors
 * inside fltsim itself (`internal`) are never an expected outcome.
 */
export const STOP_REASONS = C_ERROR_KINDS.filter((k): k is Exclude<CErrorKind, 'internal'> => k !== 'internal');
export type RunStopReason = (typeof STOP_REASONS)[number];

/** What may follow `expect #N`. */
export const EXPECT_IO_WORDS = ['status', 'state', 'pending', 'granted'] as const;

/**
 * States an I/O can end a run in, from the callback data lifecycle: still `issued` (never reached a
 * filter), held in a pre-operation, `pended` by a filter, sitting `queued` in a cancel-safe queue,
 * held by the file system (`in-fs`: a change notification waiting for a change), `completed`/`cancelled`
 * but not yet through the post-operations, `post-pended` by a post-operation, or `done`.
 */
export const IO_STATES = ['issued', 'pre-op', 'pended', 'queued', 'removed', 'in-fs', 'completed', 'cancelled', 'post-op', 'post-pended', 'done'] as const;
export type IoState = (typeof IO_STATES)[number];

/** Value types of a `registry` line (REG_DWORD, REG_QWORD, REG_SZ, REG_EXPAND_SZ, REG_MULTI_SZ, REG_BINARY, REG_NONE). */
export const REGISTRY_TYPES = ['dword', 'qword', 'string', 'expand-string', 'multi-string', 'binary', 'none'] as const;
export type RegistryType = (typeof REGISTRY_TYPES)[number];

/** Operations a `registry #N` line makes the program do. */
export const REGISTRY_OPS = ['create-key', 'open-key', 'set-value', 'query-value', 'delete-value', 'delete-key'] as const;
export type RegistryOpWord = (typeof REGISTRY_OPS)[number];

/** System work queues a `workers` line can size. */
export const WORKER_QUEUES = ['delayed', 'critical'] as const;
export type WorkerQueue = (typeof WORKER_QUEUES)[number];

/** Rule ids are lowercase words joined by hyphens: `cpp-bad-status`, `assert`. */
export const RULE_ID_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** A C identifier: function names in `expect calls`, macro names in `define`. */
export const C_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A module name as derived from a driver file name (the name without its extension). */
export const MODULE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/**
 * What a `client` line makes the scenario's user-mode program do on a communication port: timed
 * actions (connect, send, disconnect) and how it answers the driver's messages (reply, no-reply,
 * ignore-messages).
 */
export const CLIENT_ACTIONS = ['connect', 'send', 'disconnect', 'reply', 'no-reply', 'ignore-messages', 'then'] as const;
export type ClientActionWord = (typeof CLIENT_ACTIONS)[number];

/** What the user program does after a reply (`client … then <step>`). */
export const CLIENT_STEPS = ['send', 'scan-section'] as const;
export type ClientStepWord = (typeof CLIENT_STEPS)[number];

/** Parts only a `then send` line's bytes may use: bytes of the message answered, and the last scan's verdict. */
export const FOLLOW_UP_PAYLOAD_WORDS = ['message', 'verdict'] as const;

/** Parts bytes on a line are written with (payload.ts); a bare quoted string is its ASCII bytes. */
export const PAYLOAD_WORDS = ['hex', 'uchar', 'ushort', 'ulong', 'ulonglong', 'wide', 'zeros'] as const;
export type PayloadWord = (typeof PAYLOAD_WORDS)[number];

/** How a `transaction` line ends a transaction. */
export const TRANSACTION_OUTCOMES = ['commit', 'rollback'] as const;
export type TransactionOutcome = (typeof TRANSACTION_OUTCOMES)[number];
