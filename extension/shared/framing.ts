/**
 * The base-protocol framing shared by DAP and LSP (`Content-Length: N\r\n\r\n` then N bytes of
 * JSON), checked before the protocol libraries see it. @vscode/debugadapter and vscode-jsonrpc
 * trust their input: a header without a number, or a number larger than what ever comes, leaves them
 * waiting forever; a body that is not JSON can end the process. FrameFilter sits between stdin and
 * the library and passes on only well-formed frames whose body is a JSON object. Everything else is
 * reported to `onProblem` and skipped: after a bad header the stream resynchronises at the next
 * `Content-Length:` header, so one garbled message costs that message only.
 */
import { Transform, type TransformCallback } from 'node:stream';

/** No DAP or LSP message fltsim handles comes near this; a larger length is taken as garbage. */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/** Headers longer than this without their blank line are garbage too. */
const MAX_HEADER_BYTES = 8 * 1024;

const HEADER = Buffer.from('Content-Length:', 'ascii');
const END = Buffer.from('\r\n\r\n', 'ascii');

export class FrameFilter extends Transform {
  private buffer: Buffer = Buffer.alloc(0);
  /** Length of the body being read, or -1 while reading headers. */
  private length = -1;

  constructor(private readonly onProblem: (message: string) => void) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    try {
      this.drain();
    } catch (e) {
      // Nothing above should throw; if it does, drop what is buffered rather than wedge.
      this.onProblem(`the message stream could not be read (${(e as Error).message}); dropped ${this.buffer.length} bytes`);
      this.buffer = Buffer.alloc(0);
      this.length = -1;
    }
    done();
  }

  private drain(): void {
    for (;;) {
      if (this.length < 0) {
        const end = this.buffer.indexOf(END);
        if (end < 0) {
          if (this.buffer.length > MAX_HEADER_BYTES) this.resync(`a header of more than ${MAX_HEADER_BYTES} bytes without its blank line`);
          return;
        }
        const length = contentLength(this.buffer.subarray(0, end).toString('latin1'));
        if (typeof length === 'string') {
          this.resync(length, end + END.length);
          continue;
        }
        this.buffer = this.buffer.subarray(end + END.length);
        this.length = length;
      }
      if (this.buffer.length < this.length) return;
      const body = this.buffer.subarray(0, this.length);
      this.buffer = this.buffer.subarray(this.length);
      this.length = -1;
      this.deliver(body);
    }
  }

  private deliver(body: Buffer): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch (e) {
      this.onProblem(`a message body is not JSON (${(e as Error).message}); it was skipped`);
      return;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      this.onProblem('a message body is JSON but not an object; it was skipped');
      return;
    }
    this.push(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
  }

  /** Drops input up to the next `Content-Length:` header after `from`. */
  private resync(problem: string, from = 1): void {
    const next = this.buffer.indexOf(HEADER, from);
    const dropped = next < 0 ? this.buffer.length : next;
    this.onProblem(`${problem}; ${dropped} bytes were skipped to the next message`);
    this.buffer = next < 0 ? Buffer.alloc(0) : this.buffer.subarray(next);
  }
}

/** The body length a header block gives, or a description of what is wrong with it. */
function contentLength(headers: string): number | string {
  let value: string | undefined;
  for (const line of headers.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) return `a header line without ':' (${JSON.stringify(line.slice(0, 40))})`;
    if (line.slice(0, colon).trim().toLowerCase() === 'content-length') value = line.slice(colon + 1).trim();
  }
  if (value === undefined) return 'a message without a Content-Length header';
  if (!/^[0-9]{1,12}$/.test(value)) return `a Content-Length that is not a number (${JSON.stringify(value.slice(0, 40))})`;
  const n = Number(value);
  if (n > MAX_MESSAGE_BYTES) return `a Content-Length of ${n} bytes, over the ${MAX_MESSAGE_BYTES}-byte limit`;
  return n;
}
