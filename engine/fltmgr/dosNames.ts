/**
 * Drive letters as the object manager's DOS device names give them: `\??\C:` (also
 * `\DosDevices\C:`, `\GLOBAL??\C:`) names the scenario's first volume, `D:` the second, and so on.
 * `\SystemRoot`, the object manager's link to the Windows folder, is `\Windows` on the first volume
 * (Windows goes through `\Device\BootDevice`; fltsim skips that hop, its own choice).
 */

/** `C:` for the volume at `index` in the scenario's list. */
export function dosNameOfVolume(index: number): string {
  return `${String.fromCharCode(0x43 + Math.max(0, index))}:`;
}

const DOS_PREFIX = /^\\(?:\?\?|dosdevices|global\?\?)\\(?:global\\)?/i;
const SYSTEM_ROOT = /^\\SystemRoot(?=\\|$)/i;
/** Where `\SystemRoot` points on the first volume. */
export const SYSTEM_ROOT_FOLDER = '\\Windows';

/**
 * A name through a drive letter (`\??\C:\dir\x.txt`, `\DosDevices\D:`) or `\SystemRoot`: the index
 * of the volume the letter names (C: the first) and the rest of the name (`\dir\x.txt`, '' for the
 * drive itself; `\Windows\…` through `\SystemRoot`).
 */
export function dosDrive(name: string): { index: number; rest: string } | undefined {
  const root = SYSTEM_ROOT.exec(name);
  if (root !== null) return { index: 0, rest: SYSTEM_ROOT_FOLDER + name.slice(root[0].length) };
  const m = DOS_PREFIX.exec(name);
  if (m === null) return undefined;
  const after = name.slice(m[0].length);
  if (!/^[a-z]:(?:\\|$)/i.test(after)) return undefined;
  return { index: after.toUpperCase().charCodeAt(0) - 0x43, rest: after.slice(2) };
}
