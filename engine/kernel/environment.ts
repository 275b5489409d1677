/**
 * Environment strings for REG_EXPAND_SZ data: `%NAME%` replaced by the variable's value (names
 * compared without case), as RtlExpandEnvironmentStrings does; a name with no value, and a lone `%`,
 * stay as written. RtlQueryRegistryValues expands against the Environment block its caller passes
 * (`NAME=value` strings, each NUL-terminated, an empty one last), else against the system's
 * variables below: those a service sees on a default installation on drive C:.
 */
import { readCString } from '../memory/strings';
import type { Ptr } from '../memory/pointer';

export const SYSTEM_ENVIRONMENT: ReadonlyMap<string, string> = new Map([
  ['SYSTEMROOT', 'C:\\Windows'],
  ['WINDIR', 'C:\\Windows'],
  ['SYSTEMDRIVE', 'C:'],
  ['PROGRAMFILES', 'C:\\Program Files'],
  ['PROGRAMFILES(X86)', 'C:\\Program Files (x86)'],
  ['PROGRAMDATA', 'C:\\ProgramData'],
  ['COMMONPROGRAMFILES', 'C:\\Program Files\\Common Files'],
  ['ALLUSERSPROFILE', 'C:\\ProgramData'],
  ['COMSPEC', 'C:\\Windows\\system32\\cmd.exe'],
  ['TEMP', 'C:\\Windows\\TEMP'],
  ['TMP', 'C:\\Windows\\TEMP'],
  ['OS', 'Windows_NT'],
]);

/** `text` with every `%NAME%` that `env` defines replaced. */
export function expandEnvironment(text: string, env: ReadonlyMap<string, string>): string {
  return text.replace(/%([^%]+)%/g, (whole, name: string) => env.get(name.toUpperCase()) ?? whole);
}

/** The variables of an environment block (`NAME=value\0…\0\0`, WCHARs); at most `limit` strings are read. */
export function environmentBlock(block: Ptr, limit = 4096): Map<string, string> {
  const env = new Map<string, string>();
  let p = block;
  for (let i = 0; i < limit; i++) {
    const s = readCString(p, 2);
    if (s === '') break;
    // A leading '=' belongs to the name (the per-drive "=C:" entries).
    const eq = s.indexOf('=', 1);
    if (eq > 0) env.set(s.slice(0, eq).toUpperCase(), s.slice(eq + 1));
    p = p.add((s.length + 1) * 2);
  }
  return env;
}
