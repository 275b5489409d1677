/**
 * Workload requests: applying defaults, and building the FLT_CALLBACK_DATA (flags, Iopb,
 * parameters, file object). The dispatcher starts the issuing thread, named like `I/O #2 (read)`.
 *
 * Defaults: length 4096, offset 0; reads and writes are asynchronous unless `synchronous`, every
 * other operation (and all fast I/O) is synchronous unless `async`; requests come from user mode.
 */
import type { KProcess } from '../kernel/processes';
import type { KThread } from '../kernel/thread';
import { FltCallbackData, type IoRequest } from './callbackData';
import { FILE_OPEN, FLTFL_CALLBACK_DATA, IRP_FLAGS, IRP_MJ, IRP_MN_NOTIFY_CHANGE_DIRECTORY, IRP_MN_QUERY_DIRECTORY, majorName, parseMajor, SL_WATCH_TREE } from './constants';
import type { FilterManager } from './fltmgr';
import { FILE_NOTIFY_CHANGE } from './dirNotify';
import { setInformationBytes } from './fileinfo';
import { FltIoParameterBlock } from './structs';
import { alwaysSystemBuffered } from './bufferSpace';

/** A workload I/O as callers write it; everything but `major` and `path` has a default. */
export interface IoRequestInput {
  /** The `#N` of the request; the next free number when absent. */
  id?: number;
  /** `read`, `IRP_MJ_READ`, `query-info`, or the major function code. */
  major: number | string;
  minor?: number;
  path: string;
  length?: number;
  offset?: number;
  /** Flags as an object, or the scenario's flag words (`fastio`, `system-buffer`, …). */
  flags?: IoFlags | readonly string[];
  /** Virtual tick at which the request is issued. */
  at?: number;
  /** FILE_INFORMATION_CLASS for query/set information and directory queries. */
  infoClass?: number;
  /** FSCTL or IOCTL code. */
  code?: number;
  /** A create that opens its file in this transaction (Simulation.io takes its name). */
  transaction?: object | string;
  /** A create's disposition (`open`, `FILE_CREATE`, or the number) and options (FILE_* bits). */
  disposition?: number;
  createOptions?: number;
  /** A create's ACCESS_MASK (FILE_GENERIC_READ | FILE_GENERIC_WRITE when absent) and FILE_SHARE_* bits (all three when absent). */
  desiredAccess?: number;
  shareAccess?: number;
  /** What the request's buffer holds: a write's data, the set-information structure, a control request's input. */
  data?: Uint8Array;
  /** A control request's output buffer length; `length` when absent. */
  outputLength?: number;
  /** A directory query's pattern (`*.txt`). */
  pattern?: string;
  /**
   * A directory change notification (`notify-dir`): its FILE_NOTIFY_CHANGE_* bits, and whether it
   * watches the folder's whole tree.
   */
  notify?: { completionFilter: number; watchTree?: boolean };
  /** What a set-information request's structure says: a rename or link target, replace, delete. */
  setInfo?: SetInfoInput;
  /** The process that issues it (Simulation.io takes a scenario process's name). */
  process?: KProcess | string;
}

export interface SetInfoInput {
  target?: string;
  replace?: boolean;
  delete?: boolean;
}

export interface IoFlags {
  fastio?: boolean;
  paging?: boolean;
  nocache?: boolean;
  synchronous?: boolean;
  async?: boolean;
  systemBuffer?: boolean;
  topLevelIrp?: boolean;
  kernelMode?: boolean;
}

const OP_WORDS: Readonly<Record<number, string>> = {
  [IRP_MJ.CREATE]: 'create', [IRP_MJ.READ]: 'read', [IRP_MJ.WRITE]: 'write', [IRP_MJ.CLEANUP]: 'cleanup', [IRP_MJ.CLOSE]: 'close',
  [IRP_MJ.QUERY_INFORMATION]: 'query-info', [IRP_MJ.SET_INFORMATION]: 'set-info', [IRP_MJ.DIRECTORY_CONTROL]: 'query-dir',
  [IRP_MJ.FLUSH_BUFFERS]: 'flush', [IRP_MJ.FILE_SYSTEM_CONTROL]: 'fsctl', [IRP_MJ.DEVICE_CONTROL]: 'ioctl',
};

/** `read` for IRP_MJ_READ, `notify-dir` for a change notification, the IRP_MJ_ name otherwise. */
export function opWord(major: number, minor?: number): string {
  if (major === IRP_MJ.DIRECTORY_CONTROL && minor === IRP_MN_NOTIFY_CHANGE_DIRECTORY) return 'notify-dir';
  return OP_WORDS[major] ?? majorName(major);
}

function flagsOf(f: IoRequestInput['flags']): IoFlags {
  if (f === undefined) return {};
  if (!Array.isArray(f)) return f as IoFlags;
  const words = new Set(f as readonly string[]);
  return {
    fastio: words.has('fastio'),
    paging: words.has('paging'),
    nocache: words.has('nocache'),
    // Neither word: the operation's default (reads and writes asynchronous, the rest synchronous).
    synchronous: words.has('synchronous') ? true : undefined,
    async: words.has('async'),
    systemBuffer: words.has('system-buffer'),
    topLevelIrp: words.has('top-level-irp'),
    kernelMode: words.has('kernel-mode'),
  };
}

/**
 * Applies defaults; throws with a message naming the field when the input cannot be a request.
 * `transaction` and `process` are the input's, resolved to the run's objects by the caller (passed
 * beside the input rather than in a copy of it: every explored schedule normalises its workload).
 */
export function normalizeRequest(input: IoRequestInput, id: number, transaction = input.transaction, process = input.process): IoRequest {
  const notifyWord = input.major === 'notify-dir';
  const major = notifyWord ? IRP_MJ.DIRECTORY_CONTROL : parseMajor(input.major);
  if (major === undefined || major < 0 || major > 255) throw new Error(`io #${id}: '${String(input.major)}' is not an operation; use read, write, create, cleanup, close, query-info, set-info, query-dir, notify-dir, flush, fsctl, ioctl or an IRP_MJ_ name`);
  const notify = input.notify ?? (notifyWord || input.minor === IRP_MN_NOTIFY_CHANGE_DIRECTORY ? { completionFilter: FILE_NOTIFY_CHANGE.FILE_NAME | FILE_NOTIFY_CHANGE.DIR_NAME } : undefined);
  if (notify !== undefined && major !== IRP_MJ.DIRECTORY_CONTROL) throw new Error(`io #${id}: a change notification is a directory control request, not ${majorName(major)}`);
  if (typeof input.path !== 'string' || input.path.length === 0) throw new Error(`io #${id}: a path is required`);
  const f = flagsOf(input.flags);
  const rw = major === IRP_MJ.READ || major === IRP_MJ.WRITE;
  const fastio = !!f.fastio;
  const synchronous = fastio || (f.synchronous ?? (f.async ? false : !rw));
  const req: IoRequest = {
    id,
    major,
    minor: input.minor ?? (notify !== undefined ? IRP_MN_NOTIFY_CHANGE_DIRECTORY : major === IRP_MJ.DIRECTORY_CONTROL ? IRP_MN_QUERY_DIRECTORY : 0),
    path: input.path,
    length: input.length ?? 4096,
    offset: input.offset ?? 0,
    fastio,
    paging: !!f.paging,
    nocache: !!f.nocache || !!f.paging,
    synchronous,
    systemBuffer: !!f.systemBuffer,
    topLevelIrp: !!f.topLevelIrp,
    kernelMode: !!f.kernelMode || !!f.paging,
    infoClass: input.infoClass ?? 0,
    code: input.code ?? 0,
    at: input.at ?? 0,
  };
  // Optional members only when present, in this order (every explored schedule normalises its
  // workload again, so no temporary objects per member).
  if (major === IRP_MJ.CREATE) {
    req.createOptions = (((input.disposition ?? FILE_OPEN) & 0xff) << 24 | ((input.createOptions ?? 0) & 0xffffff)) >>> 0;
    if (input.desiredAccess !== undefined) req.desiredAccess = input.desiredAccess >>> 0;
    if (input.shareAccess !== undefined) req.shareAccess = input.shareAccess & 0x7;
  }
  if (input.data !== undefined) req.data = input.data;
  if (input.outputLength !== undefined) req.outputLength = input.outputLength;
  if (input.pattern !== undefined) req.pattern = input.pattern;
  if (notify !== undefined) {
    req.completionFilter = notify.completionFilter >>> 0;
    req.watchTree = notify.watchTree ?? false;
  }
  if (input.setInfo !== undefined) req.setInfo = input.setInfo;
  if (typeof transaction === 'object' && transaction !== null) req.transaction = transaction;
  if (typeof process === 'object') req.process = process;
  return req;
}

export class Requests {
  constructor(private readonly fm: FilterManager) {}

  /** Builds the callback data of a request, issued by thread `t`. */
  create(req: IoRequest, t: KThread, id: number): FltCallbackData {
    const fm = this.fm;
    const { volume, nameInVolume } = fm.locate(req.path);
    const fo = fm.fs.fileObjectFor(req.path, volume.name, nameInVolume, req.major === IRP_MJ.CREATE, req.synchronous, req.major === IRP_MJ.DIRECTORY_CONTROL);
    if (req.major === IRP_MJ.CREATE && req.transaction !== undefined) fo.transaction = req.transaction;
    // The I/O manager copies some operations' buffers into a system buffer whatever the program
    // passed (bufferSpace.ts says which); the scenario's `system-buffer` flag makes the others so too.
    const systemBuffer = req.systemBuffer || (!req.fastio && alwaysSystemBuffered(req));
    let irpFlags = 0;
    if (!req.fastio) {
      if (req.paging) irpFlags |= IRP_FLAGS.IRP_PAGING_IO;
      if (req.nocache) irpFlags |= IRP_FLAGS.IRP_NOCACHE;
      if (req.synchronous) irpFlags |= req.paging ? IRP_FLAGS.IRP_SYNCHRONOUS_PAGING_IO : IRP_FLAGS.IRP_SYNCHRONOUS_API;
      if (systemBuffer) irpFlags |= IRP_FLAGS.IRP_BUFFERED_IO;
      if (req.major === IRP_MJ.CREATE) irpFlags |= IRP_FLAGS.IRP_CREATE_OPERATION;
      else if (req.major === IRP_MJ.READ) irpFlags |= IRP_FLAGS.IRP_READ_OPERATION;
      else if (req.major === IRP_MJ.WRITE) irpFlags |= IRP_FLAGS.IRP_WRITE_OPERATION;
      else if (req.major === IRP_MJ.CLOSE) irpFlags |= IRP_FLAGS.IRP_CLOSE_OPERATION;
    }
    let flags: number = req.fastio ? FLTFL_CALLBACK_DATA.FAST_IO_OPERATION : FLTFL_CALLBACK_DATA.IRP_OPERATION;
    if (systemBuffer) flags |= FLTFL_CALLBACK_DATA.SYSTEM_BUFFER;
    const source = req.setInfo !== undefined && req.data === undefined ? { ...req, data: setInformationBytes(fm.k.marshal, req.infoClass, req.setInfo) } : req;
    const iopb = new FltIoParameterBlock(req.major, req.minor, irpFlags, fo, source, req.createOptions ?? FILE_OPEN << 24);
    if (req.watchTree === true) iopb.OperationFlags = SL_WATCH_TREE;
    const data = new FltCallbackData(id, req, t, flags, iopb, fo, volume, fm.k.log);
    fm.live.add(data);
    return data;
  }

  /** The I/O manager's retry of a disallowed fast I/O request, as an IRP with a new callback data. */
  reissueAsIrp(t: KThread, old: FltCallbackData): FltCallbackData {
    const req: IoRequest = { ...old.request, fastio: false };
    const data = this.create(req, t, this.fm.freshId());
    data.note(this.fm.k, 'io-issue', `${data.label} reissues I/O #${req.id} as an IRP after fast I/O was disallowed`);
    return data;
  }
}
