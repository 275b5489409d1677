/**
 * The numbers of fltKernel.h, wdm.h and ntifs.h that the Filter Manager model and the C prelude
 * share. Values are the WDK's; the C prelude (engine/c/prelude) must agree with this module.
 */

/** IRP major function codes, and the Filter Manager's own codes for non-IRP operations. */
export const IRP_MJ = {
  CREATE: 0x00,
  CREATE_NAMED_PIPE: 0x01,
  CLOSE: 0x02,
  READ: 0x03,
  WRITE: 0x04,
  QUERY_INFORMATION: 0x05,
  SET_INFORMATION: 0x06,
  QUERY_EA: 0x07,
  SET_EA: 0x08,
  FLUSH_BUFFERS: 0x09,
  QUERY_VOLUME_INFORMATION: 0x0a,
  SET_VOLUME_INFORMATION: 0x0b,
  DIRECTORY_CONTROL: 0x0c,
  FILE_SYSTEM_CONTROL: 0x0d,
  DEVICE_CONTROL: 0x0e,
  INTERNAL_DEVICE_CONTROL: 0x0f,
  SHUTDOWN: 0x10,
  LOCK_CONTROL: 0x11,
  CLEANUP: 0x12,
  CREATE_MAILSLOT: 0x13,
  QUERY_SECURITY: 0x14,
  SET_SECURITY: 0x15,
  POWER: 0x16,
  SYSTEM_CONTROL: 0x17,
  DEVICE_CHANGE: 0x18,
  QUERY_QUOTA: 0x19,
  SET_QUOTA: 0x1a,
  PNP: 0x1b,
  // Filter Manager codes ((UCHAR)-1 … (UCHAR)-20)
  ACQUIRE_FOR_SECTION_SYNCHRONIZATION: 0xff,
  RELEASE_FOR_SECTION_SYNCHRONIZATION: 0xfe,
  ACQUIRE_FOR_MOD_WRITE: 0xfd,
  RELEASE_FOR_MOD_WRITE: 0xfc,
  ACQUIRE_FOR_CC_FLUSH: 0xfb,
  RELEASE_FOR_CC_FLUSH: 0xfa,
  QUERY_OPEN: 0xf9,
  FAST_IO_CHECK_IF_POSSIBLE: 0xf3,
  NETWORK_QUERY_OPEN: 0xf2,
  MDL_READ: 0xf1,
  MDL_READ_COMPLETE: 0xf0,
  PREPARE_MDL_WRITE: 0xef,
  MDL_WRITE_COMPLETE: 0xee,
  VOLUME_MOUNT: 0xed,
  VOLUME_DISMOUNT: 0xec,
  /** Terminates the FLT_OPERATION_REGISTRATION array. */
  OPERATION_END: 0x80,
} as const;

export type IrpMajorName = keyof typeof IRP_MJ;

const MAJOR_NAMES = new Map<number, string>();
for (const [name, value] of Object.entries(IRP_MJ)) if (!MAJOR_NAMES.has(value)) MAJOR_NAMES.set(value, `IRP_MJ_${name}`);

/** `IRP_MJ_READ` for 3. */
export function majorName(major: number): string {
  return MAJOR_NAMES.get(major) ?? `IRP_MJ_0x${major.toString(16)}`;
}

/** The scenario's operation words. A Map, made once: every explored schedule parses its workload again. */
const SHORT_MAJORS: ReadonlyMap<string, number> = new Map([
  ['create', IRP_MJ.CREATE], ['read', IRP_MJ.READ], ['write', IRP_MJ.WRITE], ['cleanup', IRP_MJ.CLEANUP], ['close', IRP_MJ.CLOSE],
  ['query-info', IRP_MJ.QUERY_INFORMATION], ['set-info', IRP_MJ.SET_INFORMATION], ['query-dir', IRP_MJ.DIRECTORY_CONTROL],
  ['flush', IRP_MJ.FLUSH_BUFFERS], ['fsctl', IRP_MJ.FILE_SYSTEM_CONTROL], ['ioctl', IRP_MJ.DEVICE_CONTROL],
]);

/** Accepts `read`, `IRP_MJ_READ`, `query-info`, or a number. */
export function parseMajor(text: string | number): number | undefined {
  if (typeof text === 'number') return text;
  const t = text.trim();
  const short = SHORT_MAJORS.get(t);
  if (short !== undefined) return short;
  const name = t.toUpperCase().replace(/^IRP_MJ_/, '') as IrpMajorName;
  if (name in IRP_MJ) return IRP_MJ[name];
  return /^(0x[0-9a-f]+|\d+)$/i.test(t) ? Number(t) : undefined;
}

/** FLT_PREOP_CALLBACK_STATUS. */
export enum FltPreopStatus {
  FLT_PREOP_SUCCESS_WITH_CALLBACK = 0,
  FLT_PREOP_SUCCESS_NO_CALLBACK = 1,
  FLT_PREOP_PENDING = 2,
  FLT_PREOP_DISALLOW_FASTIO = 3,
  FLT_PREOP_COMPLETE = 4,
  FLT_PREOP_SYNCHRONIZE = 5,
  FLT_PREOP_DISALLOW_FSFILTER_IO = 6,
}

/** FLT_POSTOP_CALLBACK_STATUS. */
export enum FltPostopStatus {
  FLT_POSTOP_FINISHED_PROCESSING = 0,
  FLT_POSTOP_MORE_PROCESSING_REQUIRED = 1,
  FLT_POSTOP_DISALLOW_FSFILTER_IO = 2,
}

export function preopName(v: unknown): string {
  return typeof v === 'number' && FltPreopStatus[v] ? FltPreopStatus[v]! : `invalid status ${String(v)}`;
}

export function postopName(v: unknown): string {
  return typeof v === 'number' && FltPostopStatus[v] ? FltPostopStatus[v]! : `invalid status ${String(v)}`;
}

/** FLT_CALLBACK_DATA.Flags. */
export const FLTFL_CALLBACK_DATA = {
  REISSUE_MASK: 0x0000ffff,
  IRP_OPERATION: 0x00000001,
  FAST_IO_OPERATION: 0x00000002,
  FS_FILTER_OPERATION: 0x00000004,
  SYSTEM_BUFFER: 0x00000008,
  GENERATED_IO: 0x00010000,
  REISSUED_IO: 0x00020000,
  DRAINING_IO: 0x00040000,
  POST_OPERATION: 0x00080000,
  NEW_SYSTEM_BUFFER: 0x00100000,
  DIRTY: 0x80000000,
} as const;

/** FLT_REGISTRATION.Flags. */
export const FLTFL_REGISTRATION = {
  DO_NOT_SUPPORT_SERVICE_STOP: 0x1,
  SUPPORT_NPFS_MSFS: 0x2,
  SUPPORT_DAX_VOLUME: 0x4,
  SUPPORT_WCOS: 0x8,
} as const;

/** FLT_OPERATION_REGISTRATION.Flags. */
export const FLTFL_OPERATION_REGISTRATION = {
  SKIP_PAGING_IO: 0x1,
  SKIP_CACHED_IO: 0x2,
  SKIP_NON_DASD_IO: 0x4,
  SKIP_NON_CACHED_NON_PAGING_IO: 0x8,
} as const;

export const FLTFL_POST_OPERATION_DRAINING = 0x1;
export const FLTFL_FILTER_UNLOAD_MANDATORY = 0x1;

export const FLTFL_INSTANCE_SETUP = {
  AUTOMATIC_ATTACHMENT: 0x1,
  MANUAL_ATTACHMENT: 0x2,
  NEWLY_MOUNTED_VOLUME: 0x4,
  DETACHED_VOLUME: 0x8,
} as const;

export const FLTFL_INSTANCE_TEARDOWN = {
  MANUAL: 0x1,
  FILTER_UNLOAD: 0x2,
  MANDATORY_FILTER_UNLOAD: 0x4,
  VOLUME_DISMOUNT: 0x8,
  INTERNAL_ERROR: 0x10,
} as const;

/** FLT_CONTEXT_TYPE. */
export const FLT_CONTEXT = {
  VOLUME: 0x0001,
  INSTANCE: 0x0002,
  FILE: 0x0004,
  STREAM: 0x0008,
  STREAMHANDLE: 0x0010,
  TRANSACTION: 0x0020,
  SECTION: 0x0040,
  ALL: 0x007f,
  END: 0xffff,
} as const;

export function contextTypeName(type: number): string {
  switch (type) {
    case FLT_CONTEXT.VOLUME: return 'FLT_VOLUME_CONTEXT';
    case FLT_CONTEXT.INSTANCE: return 'FLT_INSTANCE_CONTEXT';
    case FLT_CONTEXT.FILE: return 'FLT_FILE_CONTEXT';
    case FLT_CONTEXT.STREAM: return 'FLT_STREAM_CONTEXT';
    case FLT_CONTEXT.STREAMHANDLE: return 'FLT_STREAMHANDLE_CONTEXT';
    case FLT_CONTEXT.TRANSACTION: return 'FLT_TRANSACTION_CONTEXT';
    case FLT_CONTEXT.SECTION: return 'FLT_SECTION_CONTEXT';
    default: return `context type 0x${type.toString(16)}`;
  }
}

/** FLT_SET_CONTEXT_OPERATION. */
export const FLT_SET_CONTEXT_REPLACE_IF_EXISTS = 0;
export const FLT_SET_CONTEXT_KEEP_IF_EXISTS = 1;

/** FLT_REGISTRATION.Version values, and the size of FLT_REGISTRATION on x64 for each. */
export const FLT_REGISTRATION_VERSION_0200 = 0x0200;
export const FLT_REGISTRATION_VERSION_0201 = 0x0201;
export const FLT_REGISTRATION_VERSION_0202 = 0x0202;
export const FLT_REGISTRATION_VERSION_0203 = 0x0203;
export const FLT_REGISTRATION_VERSION = FLT_REGISTRATION_VERSION_0203;
/** sizeof(FLT_REGISTRATION) on x64 with FLT_REGISTRATION_VERSION (0x0203). */
export const FLT_REGISTRATION_SIZE = 112;
/**
 * Each version adds callbacks at the end: 0x0201 TransactionNotificationCallback, 0x0202
 * NormalizeNameComponentExCallback, 0x0203 SectionNotificationCallback (8 bytes each on x64).
 */
export const FLT_REGISTRATION_SIZES: Readonly<Record<number, number>> = {
  [FLT_REGISTRATION_VERSION_0200]: 88,
  [FLT_REGISTRATION_VERSION_0201]: 96,
  [FLT_REGISTRATION_VERSION_0202]: 104,
  [FLT_REGISTRATION_VERSION_0203]: 112,
};
/** sizeof(FLT_RELATED_OBJECTS) on x64. */
export const FLT_RELATED_OBJECTS_SIZE = 48;

/** WORK_QUEUE_TYPE. */
export enum WorkQueueType {
  CriticalWorkQueue = 0,
  DelayedWorkQueue = 1,
  HyperCriticalWorkQueue = 2,
  NormalWorkQueue = 3,
  BackgroundWorkQueue = 4,
  RealTimeWorkQueue = 5,
  SuperCriticalWorkQueue = 6,
  MaximumWorkQueue = 7,
  CustomPriorityWorkQueue = 32,
}

/** IRP flags (Iopb->IrpFlags). */
export const IRP_FLAGS = {
  IRP_NOCACHE: 0x1,
  IRP_PAGING_IO: 0x2,
  IRP_MOUNT_COMPLETION: 0x2,
  IRP_SYNCHRONOUS_API: 0x4,
  IRP_ASSOCIATED_IRP: 0x8,
  IRP_BUFFERED_IO: 0x10,
  IRP_DEALLOCATE_BUFFER: 0x20,
  IRP_INPUT_OPERATION: 0x40,
  IRP_SYNCHRONOUS_PAGING_IO: 0x40,
  IRP_CREATE_OPERATION: 0x80,
  IRP_READ_OPERATION: 0x100,
  IRP_WRITE_OPERATION: 0x200,
  IRP_CLOSE_OPERATION: 0x400,
  IRP_DEFER_IO_COMPLETION: 0x800,
} as const;

/** FILE_OBJECT.Flags. */
export const FO = {
  FILE_OPEN: 0x1,
  SYNCHRONOUS_IO: 0x2,
  ALERTABLE_IO: 0x4,
  NO_INTERMEDIATE_BUFFERING: 0x8,
  WRITE_THROUGH: 0x10,
  SEQUENTIAL_ONLY: 0x20,
  CACHE_SUPPORTED: 0x40,
  HANDLE_CREATED: 0x40000,
  CLEANUP_COMPLETE: 0x4000,
  DELETE_ON_CLOSE: 0x10000,
  FILE_OPEN_CANCELLED: 0x200000,
  /** A create of the volume itself (DASD open): no file name, no related file object. */
  VOLUME_OPEN: 0x400000,
} as const;

/** IO_STATUS_BLOCK.Information values of a successful create. */
export const FILE_SUPERSEDED = 0;
export const FILE_OPENED = 1;
export const FILE_CREATED = 2;

/** Create dispositions (the high byte of Parameters.Create.Options). */
export const FILE_OPEN = 1;

export const KernelMode = 0;
export const UserMode = 1;

/** Device and file system types passed to InstanceSetupCallback. */
export const FILE_DEVICE_DISK_FILE_SYSTEM = 0x8;
export const FLT_FSTYPE_NTFS = 2;

/** FLT_FILE_NAME_OPTIONS formats. */
export const FLT_FILE_NAME_NORMALIZED = 0x01;
export const FLT_FILE_NAME_OPENED = 0x02;
export const FLT_FILE_NAME_SHORT = 0x03;
/** NamesParsed after FltParseFileNameInformation: final component, extension, stream, parent folder. */
export const FLTFL_FILE_NAME_PARSED_ALL = 0x0f;

/** FILE_INFORMATION_CLASS values the file system answers (and the scenario's `class` names). */
export const FILE_INFORMATION_CLASS = {
  FileDirectoryInformation: 1, FileFullDirectoryInformation: 2, FileBothDirectoryInformation: 3, FileBasicInformation: 4,
  FileStandardInformation: 5, FileInternalInformation: 6, FileEaInformation: 7, FileAccessInformation: 8, FileNameInformation: 9,
  FileRenameInformation: 10, FileLinkInformation: 11, FileNamesInformation: 12, FileDispositionInformation: 13,
  FilePositionInformation: 14, FileModeInformation: 16, FileAlignmentInformation: 17, FileAllInformation: 18,
  FileAllocationInformation: 19, FileEndOfFileInformation: 20, FileStreamInformation: 22,
  FileNetworkOpenInformation: 34, FileAttributeTagInformation: 35, FileIdBothDirectoryInformation: 37,
  FileIdFullDirectoryInformation: 38, FileValidDataLengthInformation: 39, FileNormalizedNameInformation: 48,
  FileIdInformation: 59, FileIdExtdDirectoryInformation: 60, FileIdExtdBothDirectoryInformation: 63,
  FileDispositionInformationEx: 64, FileRenameInformationEx: 65, FileLinkInformationEx: 72,
} as const;
export type FileInformationClassName = keyof typeof FILE_INFORMATION_CLASS;

/** Create dispositions (Parameters.Create.Options >> 24) and what a successful create reports. */
export const FILE_DISPOSITION = { FILE_SUPERSEDE: 0, FILE_OPEN: 1, FILE_CREATE: 2, FILE_OPEN_IF: 3, FILE_OVERWRITE: 4, FILE_OVERWRITE_IF: 5 } as const;
export const FILE_OVERWRITTEN = 3;
export const FILE_EXISTS = 4;
export const FILE_DOES_NOT_EXIST = 5;

/** Create options (the low 24 bits of Parameters.Create.Options). */
export const FILE_CREATE_OPTION = {
  FILE_DIRECTORY_FILE: 0x1,
  FILE_WRITE_THROUGH: 0x2,
  FILE_SYNCHRONOUS_IO_ALERT: 0x10,
  FILE_SYNCHRONOUS_IO_NONALERT: 0x20,
  FILE_NON_DIRECTORY_FILE: 0x40,
  FILE_DELETE_ON_CLOSE: 0x1000,
  FILE_OPEN_BY_FILE_ID: 0x2000,
  FILE_OPEN_REPARSE_POINT: 0x200000,
} as const;

/** FILE_ATTRIBUTE_* bits the file system reports. */
export const FILE_ATTRIBUTE = { READONLY: 0x1, HIDDEN: 0x2, SYSTEM: 0x4, DIRECTORY: 0x10, ARCHIVE: 0x20, NORMAL: 0x80 } as const;

/** FILE_DISPOSITION_INFORMATION_EX flags. */
export const FILE_DISPOSITION_FLAG = { DELETE: 0x1, POSIX_SEMANTICS: 0x2, ON_CLOSE: 0x8 } as const;

/** IRP_MN_ codes of IRP_MJ_DIRECTORY_CONTROL, and the SL_ flags of a directory query (Iopb->OperationFlags). */
export const IRP_MN_QUERY_DIRECTORY = 0x1;
export const IRP_MN_NOTIFY_CHANGE_DIRECTORY = 0x2;
export const SL_RESTART_SCAN = 0x1;
export const SL_RETURN_SINGLE_ENTRY = 0x2;
/** IRP_MN_NOTIFY_CHANGE_DIRECTORY: watch the whole tree below the folder (the same bit as SL_RESTART_SCAN, another minor). */
export const SL_WATCH_TREE = 0x1;
export const SL_INDEX_SPECIFIED = 0x4;

/** FLT_FILESYSTEM_TYPE values of the file systems a scenario volume can have. */
export const FLT_FSTYPE = { RAW: 1, NTFS: 2, FAT: 3, CDFS: 4, UDFS: 5, EXFAT: 22, REFS: 28 } as const;

/** DEVICE_TYPE values of volumes, and DeviceCharacteristics bits. */
export const FILE_DEVICE_CD_ROM_FILE_SYSTEM = 0x3;
export const FILE_DEVICE_DISK = 0x7;
export const FILE_REMOVABLE_MEDIA = 0x1;
export const FILE_READ_ONLY_DEVICE = 0x2;

/**
 * The FSCTLs the oplock package answers (FILE_DEVICE_FILE_SYSTEM, METHOD_BUFFERED, FILE_ANY_ACCESS).
 * Kept here, not in oplocks.ts, so the file system can recognise them without importing the package.
 */
export const OPLOCK_FSCTL = Object.freeze({
  REQUEST_OPLOCK_LEVEL_1: 0x90000,
  REQUEST_OPLOCK_LEVEL_2: 0x90004,
  REQUEST_BATCH_OPLOCK: 0x90008,
  OPLOCK_BREAK_ACKNOWLEDGE: 0x9000c,
  OPBATCH_ACK_CLOSE_PENDING: 0x90010,
  OPLOCK_BREAK_NOTIFY: 0x90014,
  OPLOCK_BREAK_ACK_NO_2: 0x90050,
  REQUEST_FILTER_OPLOCK: 0x9005c,
});
