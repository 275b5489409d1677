/**
 * IRP_MJ_SET_INFORMATION as the file system answers it: basic attributes, end of file and
 * allocation, position, disposition (the file goes at its last cleanup), and rename and link, which
 * move or add names (with tunneling and change notifications).
 */
import { LargeInteger } from '../kernel/cvalues';
import { STATUS } from '../kernel/status';
import type { FltCallbackData } from './callbackData';
import { FILE_ATTRIBUTE, FILE_DISPOSITION_FLAG, FILE_INFORMATION_CLASS as FIC } from './constants';
import { FILE_NOTIFY_CHANGE as CHANGE, FileAction } from './dirNotify';
import { readLinkInformation } from './fileinfo';
import { fail, ok, type FsAnswer } from './fsAnswer';
import { nameChange, renameTarget } from './fsNaming';
import type { FsState } from './fsState';
import { FsNode, type FsVolume } from './fsTree';
import { shortNameOf } from './shortNames';
import type { FileObject } from './structs';

export function setInformation(fs: FsState, data: FltCallbackData, fo: FileObject, node: FsNode, vol: FsVolume): FsAnswer {
  const s = (data.Iopb.Parameters as { SetFileInformation?: { Length: number; FileInformationClass: number; InfoBuffer: unknown } }).SetFileInformation!;
  const cls = s.FileInformationClass;
  const length = Number(s.Length);
  const bytes = fs.load(s.InfoBuffer, length);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (at: number) => (at + 4 <= bytes.length ? dv.getUint32(at, true) : 0);
  const changes = cls !== FIC.FilePositionInformation;
  if (changes && !vol.writable) return fail(STATUS.STATUS_MEDIA_WRITE_PROTECTED);
  switch (cls) {
    case FIC.FileBasicInformation:
      if (length < 40) return fail(STATUS.STATUS_INFO_LENGTH_MISMATCH);
      if (u32(32) !== 0) {
        const before = node.attributes;
        node.attributes = (u32(32) & ~FILE_ATTRIBUTE.NORMAL) | (node.directory ? FILE_ATTRIBUTE.DIRECTORY : 0);
        if (node.attributes !== before) fs.notify.changed(node, FileAction.MODIFIED, CHANGE.ATTRIBUTES);
      }
      return ok(0);
    case FIC.FileEndOfFileInformation:
    case FIC.FileAllocationInformation: {
      if (length < 8) return fail(STATUS.STATUS_INFO_LENGTH_MISMATCH);
      const size = Number(dv.getBigInt64(0, true));
      if (node.directory || size < 0) return fail(STATUS.STATUS_INVALID_PARAMETER);
      if (size < node.size && node.mappedPast(size)) return fail(STATUS.STATUS_USER_MAPPED_FILE);
      const before = node.size;
      if (cls === FIC.FileEndOfFileInformation || size < node.size) node.setSize(size);
      node.written = fs.time();
      if (node.size !== before) fs.notify.changed(node, FileAction.MODIFIED, CHANGE.SIZE);
      return ok(0);
    }
    case FIC.FilePositionInformation:
      if (length < 8) return fail(STATUS.STATUS_INFO_LENGTH_MISMATCH);
      fo.CurrentByteOffset = new LargeInteger(Number(dv.getBigInt64(0, true)));
      return ok(0);
    case FIC.FileDispositionInformation:
    case FIC.FileDispositionInformationEx: {
      if (length < (cls === FIC.FileDispositionInformation ? 1 : 4)) return fail(STATUS.STATUS_INFO_LENGTH_MISMATCH);
      const flags = cls === FIC.FileDispositionInformation ? (bytes[0] !== 0 ? FILE_DISPOSITION_FLAG.DELETE : 0) : u32(0);
      const del = (flags & FILE_DISPOSITION_FLAG.DELETE) !== 0;
      if (del && node.parent === null) return fail(STATUS.STATUS_CANNOT_DELETE);
      if (del && node.directory && node.children!.size > 0) return fail(STATUS.STATUS_DIRECTORY_NOT_EMPTY);
      // As MmFlushImageSection(MmFlushForDelete) answers while views of the file are mapped.
      if (del && node.mappedViews > 0) return fail(STATUS.STATUS_CANNOT_DELETE);
      if ((flags & FILE_DISPOSITION_FLAG.ON_CLOSE) !== 0) fo.deleteOnClose = del;
      else node.deletePending = del;
      return ok(0);
    }
    case FIC.FileRenameInformation:
    case FIC.FileRenameInformationEx:
    case FIC.FileLinkInformation:
    case FIC.FileLinkInformationEx:
      return renameOrLink(fs, data, node, vol, cls, bytes);
    default:
      return fail(STATUS.STATUS_INVALID_INFO_CLASS);
  }
}

function renameOrLink(fs: FsState, data: FltCallbackData, node: FsNode, vol: FsVolume, cls: number, bytes: Uint8Array): FsAnswer {
  const info = readLinkInformation(fs.layouts(), bytes);
  if (info === undefined) return fail(STATUS.STATUS_INFO_LENGTH_MISMATCH);
  // Renaming a named stream (to another stream name of the same file) is not modelled.
  if (node.base !== null) return fail(STATUS.STATUS_INVALID_PARAMETER);
  const target = renameTarget(info.fileName, node.parent!.path, data.volume.name);
  if (target === undefined) return fail(STATUS.STATUS_NOT_SAME_DEVICE);
  const link = cls === FIC.FileLinkInformation || cls === FIC.FileLinkInformationEx;
  if (link && node.directory) return fail(STATUS.STATUS_FILE_IS_A_DIRECTORY);
  const hit = vol.lookup(target);
  if ('node' in hit && hit.node === node) return ok(0);
  if (!('node' in hit) && hit.parent === null) return fail(STATUS.STATUS_OBJECT_PATH_NOT_FOUND);
  if ('node' in hit) {
    if (!info.replace) return fail(STATUS.STATUS_OBJECT_NAME_COLLISION);
    if (hit.node.directory || hit.node.handles > 0) return fail(STATUS.STATUS_ACCESS_DENIED);
    fs.remove(hit.node);
  }
  const after = vol.lookup(target) as { parent: FsNode; name: string };
  const parent = after.parent;
  if (link) {
    // A hard link: the same content under a second name (fltsim keeps one name per file; the
    // link is a copy that shares the file id).
    const copy = new FsNode(node.id, after.name, parent, false, vol, fs.time());
    copy.write(0, node.read(0, node.size), fs.time());
    parent.children!.set(after.name.toLowerCase(), copy);
    fs.notify.changed(copy, FileAction.ADDED, CHANGE.FILE_NAME);
    return ok(0);
  }
  // Within one folder a rename reports the old and the new name; across folders, a removal
  // from the old one and an addition to the new one.
  const sameFolder = node.parent === parent;
  for (const f of fs.nameLost) f(node);
  fs.tunnel.departed(node, shortNameOf(node), fs.now());
  const tunnelled = fs.tunnel.arriving(parent, after.name, fs.now());
  fs.notify.changed(node, sameFolder ? FileAction.RENAMED_OLD_NAME : FileAction.REMOVED, nameChange(node));
  node.parent!.children!.delete(node.name.toLowerCase());
  node.name = after.name;
  node.parent = parent;
  for (const s of node.namedStreams) {
    s.parent = parent;
    s.name = after.name;
  }
  fs.takeTunnelled(data, node, after.name, tunnelled);
  parent.children!.set(node.name.toLowerCase(), node);
  fs.notify.changed(node, sameFolder ? FileAction.RENAMED_NEW_NAME : FileAction.ADDED, nameChange(node));
  return ok(0);
}
