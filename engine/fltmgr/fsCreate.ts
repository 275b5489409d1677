/**
 * IRP_MJ_CREATE as the file system below the filters answers it: share access (shareAccess.ts:
 * STATUS_SHARING_VIOLATION), the dispositions FILE_SUPERSEDE … FILE_OVERWRITE_IF and the options
 * FILE_DIRECTORY_FILE, FILE_NON_DIRECTORY_FILE and FILE_DELETE_ON_CLOSE. A missing file gives
 * STATUS_OBJECT_NAME_NOT_FOUND, a missing folder on the way STATUS_OBJECT_PATH_NOT_FOUND.
 */
import { STATUS } from '../kernel/status';
import type { FltCallbackData } from './callbackData';
import { FILE_CREATE_OPTION, FILE_DISPOSITION, FILE_CREATED, FILE_OPENED, FILE_OVERWRITTEN, FILE_SUPERSEDED, FO } from './constants';
import { FILE_NOTIFY_CHANGE as CHANGE, FileAction } from './dirNotify';
import { fail, ok, type FsAnswer } from './fsAnswer';
import { nameChange } from './fsNaming';
import type { FsState } from './fsState';
import { FsNode, type FsVolume } from './fsTree';
import { ALL_SHARE } from './shareAccess';
import { DEFAULT_DESIRED_ACCESS, type FileObject } from './structs';

export function createFile(fs: FsState, data: FltCallbackData, fo: FileObject, vol: FsVolume): FsAnswer {
  const c = (data.Iopb.Parameters as { Create?: { Options: number; ShareAccess?: number; SecurityContext?: { DesiredAccess?: number } } }).Create;
  const options = (c?.Options ?? FILE_DISPOSITION.FILE_OPEN << 24) >>> 0;
  // What the parameters say when the request reaches the file system (a filter may have changed them).
  const access = Number(c?.SecurityContext?.DesiredAccess ?? DEFAULT_DESIRED_ACCESS) >>> 0;
  const share = Number(c?.ShareAccess ?? ALL_SHARE) & ALL_SHARE;
  const disposition = options >>> 24;
  const opts = options & 0xffffff;
  const wantDir = (opts & FILE_CREATE_OPTION.FILE_DIRECTORY_FILE) !== 0;
  // A filter above may have replaced FileName (IoReplaceFileObjectName) and passed the create on:
  // the file system opens the name the file object holds now.
  const name = fo.currentFileName() || fo.nameInVolume;
  const time = fs.time();
  let node = fs.resolve(vol, name, wantDir);
  let information: number;
  if (node !== undefined && node.deletePending) return fail(STATUS.STATUS_DELETE_PENDING);
  if (node === undefined) {
    if (disposition === FILE_DISPOSITION.FILE_OPEN || disposition === FILE_DISPOSITION.FILE_OVERWRITE) {
      const hit = vol.lookup(name);
      return fail('missing' in hit && hit.missing === 'path' ? STATUS.STATUS_OBJECT_PATH_NOT_FOUND : STATUS.STATUS_OBJECT_NAME_NOT_FOUND);
    }
    const hit = vol.lookup(name);
    if (!('missing' in hit) || hit.parent === null) return fail(STATUS.STATUS_OBJECT_PATH_NOT_FOUND);
    if (!vol.writable) return fail(STATUS.STATUS_MEDIA_WRITE_PROTECTED);
    const tunnelled = fs.tunnel.arriving(hit.parent, hit.name, fs.now());
    node = new FsNode(fs.newFileId(), hit.name, hit.parent, wantDir, vol, time);
    fs.takeTunnelled(data, node, hit.name, tunnelled);
    hit.parent.children!.set(node.name.toLowerCase(), node);
    vol.absent.delete(name.toLowerCase());
    information = FILE_CREATED;
    fs.notify.changed(node, FileAction.ADDED, nameChange(node));
  } else {
    if (disposition === FILE_DISPOSITION.FILE_CREATE) return fail(STATUS.STATUS_OBJECT_NAME_COLLISION);
    if (wantDir && !node.directory) return fail(STATUS.STATUS_NOT_A_DIRECTORY);
    if ((opts & FILE_CREATE_OPTION.FILE_NON_DIRECTORY_FILE) !== 0 && node.directory) return fail(STATUS.STATUS_FILE_IS_A_DIRECTORY);
    const shared = data.request.ignoreShareAccess === true ? STATUS.STATUS_SUCCESS : fs.shares.check(node, access, share);
    if (shared !== STATUS.STATUS_SUCCESS) return fail(shared);
    information = FILE_OPENED;
    if (disposition === FILE_DISPOSITION.FILE_SUPERSEDE || disposition === FILE_DISPOSITION.FILE_OVERWRITE || disposition === FILE_DISPOSITION.FILE_OVERWRITE_IF) {
      if (node.directory) return fail(STATUS.STATUS_INVALID_PARAMETER);
      if (!vol.writable) return fail(STATUS.STATUS_MEDIA_WRITE_PROTECTED);
      // A mapped view holds the file's pages: it cannot be cut short under it.
      if (node.mappedPast(0)) return fail(STATUS.STATUS_USER_MAPPED_FILE);
      const before = node.size;
      node.setSize(0);
      node.written = time;
      information = disposition === FILE_DISPOSITION.FILE_SUPERSEDE ? FILE_SUPERSEDED : FILE_OVERWRITTEN;
      fs.notify.changed(node, FileAction.MODIFIED, CHANGE.LAST_WRITE | (before !== 0 ? CHANGE.SIZE : 0));
    }
  }
  if ((opts & FILE_CREATE_OPTION.FILE_DELETE_ON_CLOSE) !== 0) {
    if (!vol.writable) return fail(STATUS.STATUS_MEDIA_WRITE_PROTECTED);
    fo.deleteOnClose = true;
    fo.Flags |= FO.DELETE_ON_CLOSE;
  }
  if (data.request.ignoreShareAccess !== true) fs.shares.grant(node, fo, access, share);
  fo.attach(node.stream);
  fo.openHandle = true;
  node.handles++;
  fo.Flags |= FO.FILE_OPEN | FO.HANDLE_CREATED;
  return ok(information);
}
