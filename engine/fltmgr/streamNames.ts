// How a file name spells a named stream: pure, so the scenario checks can refuse a bad `file` line
// before a run, with the same rule the simulated file system applies when it opens one.

/** The only stream type a name may spell out: a data stream. */
const DATA_STREAM_TYPE = '$data';

/**
 * A name's file and stream parts: `\a.txt:s` and `\a.txt:s:$DATA` name the stream `s` of
 * `\a.txt`; `\a.txt` and `\a.txt::$DATA` its default stream (stream undefined). Undefined for a
 * name no stream can have: an empty stream name without a type, a type other than $DATA, a colon
 * before the last component, or a stream name holding a slash.
 */
export function splitStream(nameInVolume: string): { file: string; stream: string | undefined } | undefined {
  const slash = nameInVolume.lastIndexOf('\\');
  const colon = nameInVolume.indexOf(':');
  if (colon < 0) return { file: nameInVolume, stream: undefined };
  if (colon < slash) return undefined;
  const [stream, type, ...more] = nameInVolume.slice(colon + 1).split(':');
  if (more.length > 0 || stream!.includes('/')) return undefined;
  if (type !== undefined && type.toLowerCase() !== DATA_STREAM_TYPE) return undefined;
  if (stream === '' && type === undefined) return undefined;
  return { file: nameInVolume.slice(0, colon), stream: stream === '' ? undefined : stream };
}

/** Characters no name component may hold on NTFS or FAT: wildcards, quotes, pipes, and U+0000–U+001F. */
const FORBIDDEN_CHARS = '"*<>?|';

function forbiddenChar(part: string): string | undefined {
  for (const ch of part) if (ch.charCodeAt(0) < 0x20 || FORBIDDEN_CHARS.includes(ch)) return ch;
  return undefined;
}
/** The longest name component NTFS and FAT keep, in UTF-16 units. */
export const MAX_NAME_COMPONENT = 255;

/**
 * Why no file or stream can have `nameInVolume` (as the file system answers
 * STATUS_OBJECT_NAME_INVALID), or undefined when one can: a malformed stream part, a `.` or `..`
 * component (the I/O manager passes them through; only Win32 folds them), a forbidden character, or
 * a component longer than MAX_NAME_COMPONENT.
 */
export function nameProblem(nameInVolume: string): string | undefined {
  const split = splitStream(nameInVolume);
  if (split === undefined) return 'a colon may only start a stream of the last component: "a.txt:name" or "a.txt:name:$DATA" (a non-empty name, and no type but $DATA)';
  const parts = split.file.split('\\').filter((p) => p !== '');
  if (split.stream !== undefined) parts.push(split.stream);
  for (const part of parts) {
    if (part === '.' || part === '..') return `"${part}" is not a name: the file system does not fold "." and ".." (Win32 does, before the request)`;
    const bad = forbiddenChar(part);
    if (bad !== undefined) return `"${part}" holds ${bad < ' ' ? `the control character U+${bad.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}` : `'${bad}'`}, which no file name may hold`;
    if (part.length > MAX_NAME_COMPONENT) return `a name component is ${part.length} characters long; the file system keeps at most ${MAX_NAME_COMPONENT}`;
  }
  return undefined;
}
