/**
 * IRP_MJ_CREATE as the file system below the filters answers it: share access (shareAccess.ts:
 * STATUS_SHARING_VIOLATION), the dispositions FILE_SUPERSEDE … FILE_OVERWRITE_IF and the options
 * FILE_DIRECTORY_FILE, FILE_NON_DIRECTORY_FILE and FILE_DELETE_ON_CLOSE. A missing file gives
 * STATUS_OBJECT_NAME_NOT_FOUND, a missing folder on the way STATUS_OBJECT_PATH_NOT_FOUND.
 *
 * A name with a stream (`a.txt:s`, `a.txt:s:$DATA`) opens that named stream of the file, which has
 * its own bytes, size, share access and FsContext; creating it creates the file too when the file
 * is missing. `a.txt::$DATA` is the file's default stream, the file itself. Only file systems that
 * keep named streams (NTFS) accept such names; the others, malformed stream names and names no file
 * can have (`.` or `..` components, wildcards, control characters, components over 255
 * characters: streamNames.ts) get STATUS_OBJECT_NAME_INVALID.
 */
import { STATUS } from '../kernel/status';
import type { FltCallbackData } from './callbackData';
import { FILE_CREATE_OPTION, FILE_DISPOSITION, FILE_CREATED, FILE_OPENED, FILE_OVERWRITTEN, FILE_SUPERSEDED, FO } from './constants';
import { FILE_NOTIFY_CHANGE as CHANGE, FileAction } from './dirNotify';
import { fail, ok, type FsAnswer } from './fsAnswer';
import { nameChange } from './fsNaming';
import type { FsState } from './fsState';
import { FsNode, type FsVolume } from './fsTree';
import { nameProblem, splitStream } from './streamNames';
import { ALL_SHARE } from './shareAccess';
import { DEFAULT_DESIRED_ACCESS, type FileObject } from './structs';
import { hasNamedStreams } from './volumeInfo';

/** What a create asks for once its parameters are read. */
interface CreateAsk {
  disposition: number;
  options: number;
  access: number;
  share: number;
  wantDir: boolean;
  time: bigint;
}

/** The node a create opened or made, and what IoStatus.Information says it did. */
type Opened = { node: FsNode; information: number } | FsAnswer;

export function createFile(fs: FsState, data: FltCallbackData, fo: FileObject, vol: FsVolume): FsAnswer {
  const c = (data.Iopb.Parameters as { Create?: { Options: number; ShareAccess?: number; SecurityContext?: { DesiredAccess?: number } } }).Create;
  const options = (c?.Options ?? FILE_DISPOSITION.FILE_OPEN << 24) >>> 0;
  // What the parameters say when the request reaches the file system (a filter may have changed them).
  const ask: CreateAsk = {
    access: Number(c?.SecurityContext?.DesiredAccess ?? DEFAULT_DESIRED_ACCESS) >>> 0,
    share: Number(c?.ShareAccess ?? ALL_SHARE) & ALL_SHARE,
    disposition: options >>> 24,
    options: options & 0xffffff,
    wantDir: (options & FILE_CREATE_OPTION.FILE_DIRECTORY_FILE) !== 0,
    time: fs.time(),
  };
  // A filter above may have replaced FileName (IoReplaceFileObjectName) and passed the create on:
  // the file system opens the name the file object holds now.
  const name = fo.currentFileName() || fo.nameInVolume;
  const split = splitStream(name);
  if (split === undefined || nameProblem(name) !== undefined || (split.stream !== undefined && !hasNamedStreams(vol.fileSystem))) return fail(STATUS.STATUS_OBJECT_NAME_INVALID);
  const opened = split.stream === undefined ? openFile(fs, data, vol, split.file, ask) : openStream(fs, data, vol, split.file, split.stream, ask);
  if (!('node' in opened)) return opened;
  const node = opened.node;
  if ((ask.options & FILE_CREATE_OPTION.FILE_DELETE_ON_CLOSE) !== 0) {
    if (!vol.writable) return fail(STATUS.STATUS_MEDIA_WRITE_PROTECTED);
    fo.deleteOnClose = true;
    fo.Flags |= FO.DELETE_ON_CLOSE;
  }
  if (data.request.ignoreShareAccess !== true) fs.shares.grant(node, fo, ask.access, ask.share);
  fo.attach(node.stream);
  fo.openHandle = true;
  node.handles++;
  fo.Flags |= FO.FILE_OPEN | FO.HANDLE_CREATED;
  return ok(opened.information);
}

/** The file or folder `name` opened, or made when the disposition allows. */
function openFile(fs: FsState, data: FltCallbackData, vol: FsVolume, name: string, ask: CreateAsk): Opened {
  const node = fs.resolve(vol, name, ask.wantDir);
  if (node !== undefined) return openExisting(fs, data, vol, node, ask);
  const hit = vol.lookup(name);
  if (ask.disposition === FILE_DISPOSITION.FILE_OPEN || ask.disposition === FILE_DISPOSITION.FILE_OVERWRITE) {
    return fail('missing' in hit && hit.missing === 'path' ? STATUS.STATUS_OBJECT_PATH_NOT_FOUND : STATUS.STATUS_OBJECT_NAME_NOT_FOUND);
  }
  if (!('missing' in hit) || hit.parent === null) return fail(STATUS.STATUS_OBJECT_PATH_NOT_FOUND);
  if (!vol.writable) return fail(STATUS.STATUS_MEDIA_WRITE_PROTECTED);
  const tunnelled = fs.tunnel.arriving(hit.parent, hit.name, fs.now());
  const made = new FsNode(fs.newFileId(), hit.name, hit.parent, ask.wantDir, vol, ask.time);
  fs.takeTunnelled(data, made, hit.name, tunnelled);
  hit.parent.children!.set(made.name.toLowerCase(), made);
  vol.absent.delete(name.toLowerCase());
  fs.notify.changed(made, FileAction.ADDED, nameChange(made));
  return { node: made, information: FILE_CREATED };
}

/**
 * The named stream `stream` of the file `name`: opened, or made (with the file, when that is
 * missing too) when the disposition allows.
 */
function openStream(fs: FsState, data: FltCallbackData, vol: FsVolume, name: string, stream: string, ask: CreateAsk): Opened {
  // A named stream is data: never a folder, whatever it belongs to.
  if (ask.wantDir) return fail(STATUS.STATUS_NOT_A_DIRECTORY);
  const creates = ask.disposition !== FILE_DISPOSITION.FILE_OPEN && ask.disposition !== FILE_DISPOSITION.FILE_OVERWRITE;
  let file = fs.resolve(vol, name, false);
  if (file === undefined) {
    const made = openFile(fs, data, vol, name, { ...ask, disposition: creates ? FILE_DISPOSITION.FILE_CREATE : FILE_DISPOSITION.FILE_OPEN, options: 0 });
    if (!('node' in made)) return made;
    file = made.node;
  }
  if (file.deletePending) return fail(STATUS.STATUS_DELETE_PENDING);
  const node = file.namedStream(stream);
  if (node !== undefined) return openExisting(fs, data, vol, node, ask);
  if (!creates) return fail(STATUS.STATUS_OBJECT_NAME_NOT_FOUND);
  if (!vol.writable) return fail(STATUS.STATUS_MEDIA_WRITE_PROTECTED);
  const made = file.addStream(stream, ask.time);
  fs.notify.changed(made, FileAction.ADDED, nameChange(made));
  return { node: made, information: FILE_CREATED };
}

/** An existing file, folder or stream opened: share access, then what the disposition does to it. */
function openExisting(fs: FsState, data: FltCallbackData, vol: FsVolume, node: FsNode, ask: CreateAsk): Opened {
  if (node.deletePending) return fail(STATUS.STATUS_DELETE_PENDING);
  const { disposition, time } = ask;
  if (disposition === FILE_DISPOSITION.FILE_CREATE) return fail(STATUS.STATUS_OBJECT_NAME_COLLISION);
  if (ask.wantDir && !node.directory) return fail(STATUS.STATUS_NOT_A_DIRECTORY);
  if ((ask.options & FILE_CREATE_OPTION.FILE_NON_DIRECTORY_FILE) !== 0 && node.directory) return fail(STATUS.STATUS_FILE_IS_A_DIRECTORY);
  const shared = data.request.ignoreShareAccess === true ? STATUS.STATUS_SUCCESS : fs.shares.check(node, ask.access, ask.share);
  if (shared !== STATUS.STATUS_SUCCESS) return fail(shared);
  if (disposition !== FILE_DISPOSITION.FILE_SUPERSEDE && disposition !== FILE_DISPOSITION.FILE_OVERWRITE && disposition !== FILE_DISPOSITION.FILE_OVERWRITE_IF) {
    return { node, information: FILE_OPENED };
  }
  if (node.directory) return fail(STATUS.STATUS_INVALID_PARAMETER);
  if (!vol.writable) return fail(STATUS.STATUS_MEDIA_WRITE_PROTECTED);
  // A mapped view holds the file's pages: it cannot be cut short under it.
  if (node.mappedPast(0)) return fail(STATUS.STATUS_USER_MAPPED_FILE);
  const before = node.size;
  node.setSize(0);
  node.written = time;
  fs.notify.changed(node, FileAction.MODIFIED, CHANGE.LAST_WRITE | (before !== 0 ? CHANGE.SIZE : 0));
  return { node, information: disposition === FILE_DISPOSITION.FILE_SUPERSEDE ? FILE_SUPERSEDED : FILE_OVERWRITTEN };
}
