/**
 * Share access as a file system keeps it for each file (what IoCheckShareAccess,
 * IoUpdateShareAccess and IoRemoveShareAccess do on Windows): every open that asked for read,
 * write or delete access counts as a reader, writer or deleter, and as sharing what its ShareAccess
 * allowed. A new open fails with STATUS_SHARING_VIOLATION when it wants access an earlier open does
 * not share, or refuses to share access an earlier open holds. An open that asks for none of the
 * three (attributes only) neither checks nor counts. The counts drop at the open's cleanup.
 */
import { STATUS } from '../kernel/status';
import type { FsNode } from './fsTree';
import type { FileObject } from './structs';

/** ACCESS_MASK bits that count as reading, writing and deleting for share access. */
export const ACCESS_BITS = Object.freeze({ FILE_READ_DATA: 0x1, FILE_WRITE_DATA: 0x2, FILE_APPEND_DATA: 0x4, FILE_EXECUTE: 0x20, DELETE: 0x10000 });
/** FILE_SHARE_* bits of a create's ShareAccess. */
export const FILE_SHARE = Object.freeze({ READ: 0x1, WRITE: 0x2, DELETE: 0x4 });
/** FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE: what a create shares unless its caller says otherwise. */
export const ALL_SHARE = 0x7;
/** FltCreateFile's Flags bit that skips the share-access check (and counts the open nowhere). */
export const IO_IGNORE_SHARE_ACCESS_CHECK = 0x0800;

interface Counts {
  open: number;
  readers: number;
  writers: number;
  deleters: number;
  sharedRead: number;
  sharedWrite: number;
  sharedDelete: number;
}

/** What one open counted for, to take back at its cleanup. */
interface Grant {
  node: FsNode;
  read: boolean;
  write: boolean;
  delete: boolean;
  share: number;
}

export class ShareAccessTable {
  private readonly counts = new WeakMap<FsNode, Counts>();
  private readonly grants = new WeakMap<FileObject, Grant>();

  /**
   * Whether an open of `node` asking `desiredAccess` and sharing `shareAccess` is allowed next to
   * the opens it has: STATUS_SUCCESS or STATUS_SHARING_VIOLATION. Nothing is recorded (`grant` does
   * that once the create succeeds), so a create that fails later leaves no trace.
   */
  check(node: FsNode, desiredAccess: number, shareAccess: number): number {
    const want = wanted(desiredAccess);
    const c = this.counts.get(node);
    if (want === null || c === undefined || c.open === 0) return STATUS.STATUS_SUCCESS;
    const conflict = (want.read && c.sharedRead < c.open) || (want.write && c.sharedWrite < c.open) || (want.delete && c.sharedDelete < c.open)
      || (c.readers > 0 && (shareAccess & FILE_SHARE.READ) === 0)
      || (c.writers > 0 && (shareAccess & FILE_SHARE.WRITE) === 0)
      || (c.deleters > 0 && (shareAccess & FILE_SHARE.DELETE) === 0);
    return conflict ? STATUS.STATUS_SHARING_VIOLATION : STATUS.STATUS_SUCCESS;
  }

  /** Records the open `fo` of `node` that `check` allowed. */
  grant(node: FsNode, fo: FileObject, desiredAccess: number, shareAccess: number): void {
    const want = this.describe(fo, desiredAccess, shareAccess);
    if (want === null) return;
    let c = this.counts.get(node);
    if (c === undefined) this.counts.set(node, (c = { open: 0, readers: 0, writers: 0, deleters: 0, sharedRead: 0, sharedWrite: 0, sharedDelete: 0 }));
    const g: Grant = { node, ...want, share: shareAccess };
    this.add(c, g, 1);
    this.grants.set(fo, g);
  }

  /**
   * Sets the file object's ReadAccess … SharedDelete as IoSetShareAccess would for this open,
   * without counting it; the share-access kinds it asked for (null: none).
   */
  describe(fo: FileObject, desiredAccess: number, shareAccess: number): { read: boolean; write: boolean; delete: boolean } | null {
    const want = wanted(desiredAccess);
    fo.setShareAccess(want?.read ?? false, want?.write ?? false, want?.delete ?? false, shareAccess);
    return want;
  }

  /** The open `fo` is cleaned up: what it counted for no longer blocks others. */
  close(fo: FileObject): void {
    const g = this.grants.get(fo);
    if (g === undefined) return;
    this.grants.delete(fo);
    const c = this.counts.get(g.node);
    if (c !== undefined) this.add(c, g, -1);
  }

  private add(c: Counts, g: Grant, n: number): void {
    c.open += n;
    if (g.read) c.readers += n;
    if (g.write) c.writers += n;
    if (g.delete) c.deleters += n;
    if (g.share & FILE_SHARE.READ) c.sharedRead += n;
    if (g.share & FILE_SHARE.WRITE) c.sharedWrite += n;
    if (g.share & FILE_SHARE.DELETE) c.sharedDelete += n;
  }
}

/** The share-access kinds an ACCESS_MASK asks for; null for none of them (an attributes-only open). */
function wanted(desiredAccess: number): { read: boolean; write: boolean; delete: boolean } | null {
  const read = (desiredAccess & (ACCESS_BITS.FILE_READ_DATA | ACCESS_BITS.FILE_EXECUTE)) !== 0;
  const write = (desiredAccess & (ACCESS_BITS.FILE_WRITE_DATA | ACCESS_BITS.FILE_APPEND_DATA)) !== 0;
  const del = (desiredAccess & ACCESS_BITS.DELETE) !== 0;
  return read || write || del ? { read, write, delete: del } : null;
}
