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
