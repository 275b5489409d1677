/**
 * The I/O manager's side of a workload request: the thread that issues it (in the NT service's
 * frame), the reissue of a fast I/O request a filter disallowed as an IRP, the issuer's wait for a
 * synchronous request, and the re-open of a create that came back with STATUS_REPARSE. What
 * happens between issue and completion is the Dispatcher's (dispatch.ts).
 */
import { Trap, type Co } from '../kernel/coroutine';
import { kernelFrame } from '../kernel/kernel';
import { STATUS } from '../kernel/status';
import { PRIORITY, type KThread } from '../kernel/thread';
import type { FltCallbackData, IoRequest } from './callbackData';
import { IRP_MJ, majorName } from './constants';
import type { FilterManager } from './fltmgr';
import { opWord, type Requests } from './requests';
import { dosDrive } from './dosNames';

/** IO_STATUS_BLOCK.Information of a create that reparses to a new name, and how often the I/O manager follows one. */
const IO_REPARSE = 0;
const MAX_REPARSES = 32;

/** IoGetTopLevelIrp's answer for paging I/O and `top-level-irp` requests: non-NULL, opaque. */
export const TOP_LEVEL_IRP = Object.freeze({ kind: 'top-level IRP (FSRTL_MOD_WRITE_TOP_LEVEL_IRP)' });

const IO_CALL_DRIVER_FRAME = kernelFrame('IoCallDriver', 'nt');

const NT_SERVICE: Readonly<Record<number, string>> = {
  [IRP_MJ.CREATE]: 'NtCreateFile',
  [IRP_MJ.READ]: 'NtReadFile',
  [IRP_MJ.WRITE]: 'NtWriteFile',
  [IRP_MJ.CLEANUP]: 'NtClose',
  [IRP_MJ.CLOSE]: 'NtClose',
  [IRP_MJ.QUERY_INFORMATION]: 'NtQueryInformationFile',
  [IRP_MJ.SET_INFORMATION]: 'NtSetInformationFile',
  [IRP_MJ.DIRECTORY_CONTROL]: 'NtQueryDirectoryFile',
  [IRP_MJ.FLUSH_BUFFERS]: 'NtFlushBuffersFile',
  [IRP_MJ.FILE_SYSTEM_CONTROL]: 'NtFsControlFile',
  [IRP_MJ.DEVICE_CONTROL]: 'NtDeviceIoControlFile',
};

const NT_FRAMES: Readonly<Record<number, ReturnType<typeof kernelFrame>>> = Object.fromEntries(
  Object.entries(NT_SERVICE).map(([major, name]) => [major, kernelFrame(name, 'nt')]),
);

export class Issuer {
  constructor(
    private readonly fm: FilterManager,
    private readonly requests: Requests,
    /** The Dispatcher's pre-op walk, which sends a request down the filter stack. */
    private readonly runPre: (t: KThread, data: FltCallbackData) => Co<void> | undefined,
  ) {}

  /** Starts the issuing thread of a workload request now. */
  spawn(req: IoRequest): KThread {
    return this.fm.k.spawnLazy(`I/O #${req.id} (${opWord(req.major, req.minor)})`, 'io', PRIORITY.normal, this, this.issue, req);
  }

  /**
   * The body of a workload request's issuing thread: builds its callback data and sends it down,
   * at once; returns a generator for what has to wait (the thread runs it).
   */
  private issue(t: KThread, req: IoRequest): Co<void> | undefined {
    // The filter stack the operation goes down, which loading and unloading change.
    this.fm.k.touchObject(this.fm, false);
    t.frames.push(NT_FRAMES[req.major] ?? IO_CALL_DRIVER_FRAME);
    this.fm.touchRequest(req.id);
    t.process = req.process ?? (req.kernelMode ? null : this.fm.k.processes.workload);
    const data = this.requests.create(req, t, req.id);
    if (data.request.paging || data.request.topLevelIrp) t.topLevelIrp = TOP_LEVEL_IRP;
    data.note(this.fm.k, 'io-issue', `${data.label} ${majorName(data.major)} issued on ${data.request.path}${data.isFastIo ? ' (fast I/O)' : ''}`);
    const rest = this.runPre(t, data);
    return rest !== undefined ? this.issueRest(t, data, rest) : this.afterIssue(t, data);
  }

  private *issueRest(t: KThread, data: FltCallbackData, rest: Co<void>): Co<void> {
    yield* rest;
    const more = this.afterIssue(t, data);
    if (more !== undefined) yield* more;
  }

  /**
   * After the pre-ops of `data` ran: the I/O manager reissues a disallowed fast I/O request as an
   * IRP, and the issuer of a synchronous request waits for it to complete.
   */
  private afterIssue(t: KThread, data: FltCallbackData): Co<void> | undefined {
    if (data.state === 'done' && data.reissue) {
      data.reissue = false;
      const again = this.requests.reissueAsIrp(t, data);
      const rest = this.runPre(t, again);
      return rest !== undefined ? this.issueRest(t, again, rest) : this.afterIssue(t, again);
    }
    if (data.live && data.request.synchronous) {
      data.waiter = t;
      this.fm.k.beginWait(t, `I/O ${data.label} to complete`, null);
      return this.waitThenReparse(t, data);
    }
    return this.reparse(t, data);
  }

  private *waitThenReparse(t: KThread, data: FltCallbackData): Co<void> {
    yield Trap.Block;
    const more = this.reparse(t, data);
    if (more !== undefined) yield* more;
  }

  /**
   * A create that came back with STATUS_REPARSE and IO_REPARSE (a filter replaced the file
   * object's name, as simrep does): the I/O manager opens the new name, as a new create, up to 32
   * times.
   */
  private reparse(t: KThread, data: FltCallbackData): Co<void> | undefined {
    if (data.state !== 'done' || data.major !== IRP_MJ.CREATE || data.IoStatus.Status >>> 0 !== STATUS.STATUS_REPARSE || Number(data.IoStatus.Information) !== IO_REPARSE) return undefined;
    const k = this.fm.k;
    const count = (data.request.reparses ?? 0) + 1;
    const name = data.fileObject.currentFileName();
    if (count > MAX_REPARSES) {
      data.note(k, 'state', `${data.label} reparsed ${MAX_REPARSES} times; the I/O manager gives up (STATUS_REPARSE_POINT_NOT_RESOLVED)`);
      this.fm.results.setDone(data.request.id, data.id, STATUS.STATUS_REPARSE_POINT_NOT_RESOLVED, 0);
      return undefined;
    }
    const path = reparsePath(name, data.volume.name, this.fm.volumes);
    const req: IoRequest = { ...data.request, path, reparses: count };
    const again = this.requests.create(req, t, this.fm.freshId());
    this.fm.fs.reopenedAs(data.request.path, again.fileObject);
    again.note(k, 'io-issue', `${again.label} reopens I/O #${req.id} as ${path} after ${data.label} returned STATUS_REPARSE`);
    const rest = this.runPre(t, again);
    return rest !== undefined ? this.issueRest(t, again, rest) : this.afterIssue(t, again);
  }
}

/**
 * The full name a reparse reopens: a `\Device\…` name as it is, a drive-letter name (`\??\C:\…`,
 * as redirectors that ask their program for a DOS path write) on the volume the letter names, and
 * any other name on the volume of the create that reparsed.
 */
export function reparsePath(name: string, volumeName: string, volumes: readonly { name: string }[]): string {
  if (name.toLowerCase().startsWith('\\device\\')) return name;
  const dos = dosDrive(name);
  const lettered = dos !== undefined ? volumes[dos.index] : undefined;
  if (dos !== undefined && lettered !== undefined) return lettered.name + (dos.rest || '\\');
  return volumeName + (name.startsWith('\\') ? name : `\\${name}`);
}
