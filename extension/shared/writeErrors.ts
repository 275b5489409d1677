/**
 * Why a file could not be written, as a user reads it. Node's own text ("ENOENT: no such file or
 * directory, open '…'") names the system call and repeats the path the caller already names.
 */
export function whyNotWritten(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOENT':
      return 'its folder does not exist';
    case 'ENOTDIR':
    case 'EEXIST': // mkdir -p over a file
      return 'a part of its path is a file, not a folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the file system is read-only';
    case 'EISDIR':
      return 'that is a folder; give a file name';
    case 'ENOSPC':
    case 'EDQUOT':
      return 'the disk is full';
    case 'ENAMETOOLONG':
      return 'the name is longer than the file system allows';
    default:
      return e.code ? `the system refused it (${e.code})` : String(e.message ?? err);
  }
}
