// A debug adapter or language server process spoken to byte by byte: requests with any arguments,
// malformed frames, signals. Every message it sends is collected; `request` waits for the answer.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

export interface Message {
  seq?: number;
  id?: number;
  type?: string;
  command?: string;
  event?: string;
  request_seq?: number;
  success?: boolean;
  message?: string;
  body?: Record<string, unknown>;
  result?: unknown;
  error?: { code: number; message: string };
  method?: string;
  params?: Record<string, unknown>;
}

export class RawProcess {
  readonly proc: ChildProcess;
  readonly messages: Message[] = [];
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private buffer = Buffer.alloc(0);
  private seq = 1;
  private readonly waiters: { test: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];

  constructor(script: string, args: string[] = []) {
    this.proc = spawn(process.execPath, [path.resolve(script), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => resolve({ code, signal })));
    this.proc.stdout!.on('data', (chunk: Buffer) => this.read(chunk));
    this.proc.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    // A process that died makes writes fail; the test asserts on that, not on EPIPE.
    this.proc.stdin!.on('error', () => undefined);
  }

  private read(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const header = this.buffer.indexOf('\r\n\r\n');
      if (header < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, header).toString())?.[1]);
      if (this.buffer.length < header + 4 + length) return;
      const m = JSON.parse(this.buffer.subarray(header + 4, header + 4 + length).toString()) as Message;
      this.buffer = this.buffer.subarray(header + 4 + length);
      this.messages.push(m);
      for (const w of [...this.waiters]) {
        if (w.test(m)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(m);
        }
      }
    }
  }

  /** Writes bytes as they are. */
  raw(bytes: string | Buffer): void {
    this.proc.stdin!.write(bytes);
  }

  /** Frames a body (any text) with a correct Content-Length. */
  frame(body: string): void {
    this.raw(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  /** The first message (already received or still to come) that passes `test`, or a rejection after `ms`. */
  waitFor(test: (m: Message) => boolean, ms = 15_000, what = 'a message'): Promise<Message> {
    const seen = this.messages.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const w = { test, resolve: (m: Message) => { clearTimeout(timer); resolve(m); } };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        reject(new Error(`no ${what} within ${ms} ms; stderr: ${this.stderr}`));
      }, ms);
      this.waiters.push(w);
    });
  }

  /** A DAP request; resolves with its response. */
  request(command: string, args?: unknown, ms?: number): Promise<Message> {
    const seq = this.seq++;
    this.frame(JSON.stringify({ seq, type: 'request', command, ...(args === undefined ? {} : { arguments: args }) }));
    return this.waitFor((m) => m.type === 'response' && m.request_seq === seq, ms, `response to ${command} #${seq}`);
  }

  /** A JSON-RPC request (LSP); resolves with its response. */
  call(method: string, params?: unknown, ms?: number): Promise<Message> {
    const id = this.seq++;
    this.frame(JSON.stringify({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) }));
    return this.waitFor((m) => m.id === id && (m.result !== undefined || m.error !== undefined), ms, `response to ${method} #${id}`);
  }

  notify(method: string, params?: unknown): void {
    this.frame(JSON.stringify({ jsonrpc: '2.0', method, ...(params === undefined ? {} : { params }) }));
  }

  event(name: string, ms?: number, after = 0): Promise<Message> {
    return this.waitFor((m) => m.type === 'event' && m.event === name && (m.seq ?? 0) > after, ms, `${name} event`);
  }

  /** Resolves with the exit, or rejects if the process is still there after `ms`. */
  exitWithin(ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return Promise.race([this.exited, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the process was still running after ${ms} ms`)), ms))]);
  }

  kill(): void {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGKILL');
  }
}

export const ADAPTER = 'dist/debugAdapter.js';
export const SERVER = 'dist/server.js';

/** initialize, launch, configurationDone; resolves when the launch is answered. */
export async function launched(a: RawProcess, scenario: string, extra: Record<string, unknown> = {}): Promise<Message> {
  await a.request('initialize', { adapterID: 'fltsim', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
  const launch = a.request('launch', { scenario, ...extra });
  await a.request('configurationDone');
  return launch;
}
