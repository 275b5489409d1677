/**
 * Names inside the file system model: where a rename or link target lands, Windows wildcard
 * matching for directory queries, and which change-notification class a name change belongs to.
 */
import { unicodeStringText, type UnicodeString } from '../kernel/cvalues';
import { FILE_NOTIFY_CHANGE as CHANGE } from './dirNotify';
import type { FsNode } from './fsTree';

/** What kind of name change a file or folder's appearing or going is. */
export function nameChange(node: FsNode): number {
  return node.directory ? CHANGE.DIR_NAME : CHANGE.FILE_NAME;
}

/** The text of a directory query's FileName (a UNICODE_STRING), if it names anything. */
export function patternText(v: unknown): string | undefined {
  if (v === null || v === undefined || typeof v !== 'object') return undefined;
  const text = unicodeStringText(v as UnicodeString);
  return text === '' ? undefined : text;
}

/**
 * Where a rename or link target lands inside `volumeName`: a full `\Device\…` path on the same
 * volume, a `\??\C:\…` path, a path from the volume's root, or a bare name in the folder
 * `parentPath` (the source's). Undefined when the target is on another volume.
 */
export function renameTarget(fileName: string, parentPath: string, volumeName: string): string | undefined {
  const lower = fileName.toLowerCase();
  const vol = volumeName.toLowerCase();
  if (lower.startsWith('\\device\\')) return lower.startsWith(`${vol}\\`) ? fileName.slice(volumeName.length) : undefined;
  if (lower.startsWith('\\??\\')) return fileName.slice(fileName.indexOf(':') + 1);
  if (fileName.startsWith('\\')) return fileName;
  return `${parentPath === '\\' ? '' : parentPath}\\${fileName}`;
}

/** Windows wildcard matching, as FsRtlIsNameInExpression does it (case-insensitive): `*`, `?`. */
export function matches(pattern: string, name: string): boolean {
  const p = pattern.toUpperCase();
  const n = name.toUpperCase();
  if (p === '*' || p === '*.*') return true;
  const re = new RegExp(`^${[...p].map((c) => (c === '*' || c === '<' ? '.*' : c === '?' || c === '>' ? '.' : c === '"' ? '\\.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`, 's');
  return re.test(n);
}
