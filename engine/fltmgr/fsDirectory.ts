/**
 * IRP_MJ_DIRECTORY_CONTROL as the file system answers it. Directory queries return
 * FILE_*_DIRECTORY_INFORMATION entries chained by NextEntryOffset, resuming where the previous
 * query on the handle stopped; a change notification with nothing to report yet is pended and
 * completed when a change comes, at cleanup, or when it is cancelled (dirNotify.ts).
 */
import { STATUS } from '../kernel/status';
import type { FltCallbackData } from './callbackData';
import { IRP_MN_QUERY_DIRECTORY, SL_RESTART_SCAN, SL_RETURN_SINGLE_ENTRY, SL_WATCH_TREE } from './constants';
import type { DirectoryNotify } from './dirNotify';
import { directoryEntries } from './fileinfo';
import { fail, ok, type FsAnswer } from './fsAnswer';
import { matches, patternText } from './fsNaming';
import type { FsState } from './fsState';
import type { FsNode } from './fsTree';
import type { FileObject } from './structs';

export function queryDirectory(fs: FsState, data: FltCallbackData, fo: FileObject, node: FsNode): FsAnswer {
  if (data.Iopb.MinorFunction !== IRP_MN_QUERY_DIRECTORY) return ok(0);
  if (!node.directory) return fail(STATUS.STATUS_INVALID_PARAMETER);
  const q = (data.Iopb.Parameters as { DirectoryControl?: { QueryDirectory: { Length: number; FileName: unknown; FileInformationClass: number; DirectoryBuffer: unknown } } }).DirectoryControl!.QueryDirectory;
  const flags = data.Iopb.OperationFlags;
  const first = fo.dirCursor === undefined;
  if (first || (flags & SL_RESTART_SCAN) !== 0) {
    const pattern = patternText(q.FileName) ?? fo.dirPattern ?? '*';
    fo.dirPattern = pattern;
    const names = [...node.children!.values()].sort((a, b) => (a.name.toUpperCase() < b.name.toUpperCase() ? -1 : 1));
    const entries: { name: string; node: FsNode }[] = node.parent !== null ? [{ name: '.', node }, { name: '..', node: node.parent }] : [];
    for (const n of names) entries.push({ name: n.name, node: n });
    fo.dirCursor = { entries: entries.filter((e) => matches(pattern, e.name)), next: 0 };
  }
  const cursor = fo.dirCursor!;
  if (cursor.next >= cursor.entries.length) {
    return fail(cursor.entries.length === 0 && first ? STATUS.STATUS_NO_SUCH_FILE : STATUS.STATUS_NO_MORE_FILES);
  }
  const single = (flags & SL_RETURN_SINGLE_ENTRY) !== 0;
  const r = directoryEntries(fs.layouts(), q.FileInformationClass, cursor.entries.slice(cursor.next, single ? cursor.next + 1 : undefined), Number(q.Length));
  if (r === 'invalid-class') return fail(STATUS.STATUS_INVALID_INFO_CLASS);
  if (r.count === 0) {
    // Not even the first entry fits: its fixed part and as much of the name as fits, and the
    // entry stays for the next query.
    if (r.bytes.length === 0) return fail(STATUS.STATUS_INFO_LENGTH_MISMATCH);
    fs.store(q.DirectoryBuffer, 0, r.bytes);
    return { status: STATUS.STATUS_BUFFER_OVERFLOW, information: r.bytes.length };
  }
  cursor.next += r.count;
  fs.store(q.DirectoryBuffer, 0, r.bytes);
  return ok(r.bytes.length);
}

/** IRP_MN_NOTIFY_CHANGE_DIRECTORY on a folder handle: answered at once, or pended. */
export function notifyChange(fs: FsState, data: FltCallbackData): ReturnType<DirectoryNotify['request']> {
  const fo = data.fileObject;
  const node = fs.nodeOf(fo, fs.volume(data.volume.name), true);
  if (node === undefined) return fail(STATUS.STATUS_OBJECT_NAME_NOT_FOUND);
  if (node.removed) return fail(STATUS.STATUS_DELETE_PENDING);
  const n = (data.Iopb.Parameters as { DirectoryControl?: { NotifyDirectory?: { Length: number; CompletionFilter: number; DirectoryBuffer: unknown } } }).DirectoryControl?.NotifyDirectory;
  if (n === undefined) return fail(STATUS.STATUS_INVALID_PARAMETER);
  return fs.notify.request(data, fo, node, {
    length: Number(n.Length),
    completionFilter: Number(n.CompletionFilter),
    watchTree: (data.Iopb.OperationFlags & SL_WATCH_TREE) !== 0,
    buffer: n.DirectoryBuffer,
  });
}
