// A small LSP client for the protocol tests and the server benchmark: starts dist/server.js as a
// process, speaks JSON-RPC over stdio as VS Code does, records every publishDiagnostics, and
// answers the requests a server sends to its client (workspace/configuration, registrations).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

export const SERVER = join(__dirname, '..', '..', 'dist', 'server.js');

export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }
export interface Diagnostic {
  range: Range;
  severity?: number;
  code?: string | number;
  codeDescription?: { href: string };
  source?: string;
  message: string;
  relatedInformation?: { location: { uri: string; range: Range }; message: string }[];
}
export interface Published { uri: string; version?: number; diagnostics: Diagnostic[] }
export interface ContentChange { range?: Range; text: string }

export interface StartOptions {
  initializationOptions?: Record<string, unknown>;
  capabilities?: Record<string, unknown>;
  /** Answers `workspace/configuration`; one value per requested item. */
  configuration?: (item: { scopeUri?: string; section?: string }) => unknown;
  /** Node options for the server process (`--expose-gc`) and extra environment. */
  execArgv?: string[];
  /** The workspace folders the client reports in `initialize`. */
  workspaceFolders?: { uri: string; name: string }[];
  env?: Record<string, string>;
}

export function fileUri(path: string): string {
  return pathToFileURL(path).href;
}

export function range(sl: number, sc: number, el: number, ec: number): Range {
  return { start: { line: sl, character: sc }, end: { line: el, character: ec } };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class LspClient {
  readonly published: Published[] = [];
  readonly logs: { type: number; message: string }[] = [];
  readonly configurationRequests: unknown[] = [];
  private waiters: (() => void)[] = [];
  /** The server's answer to initialize. */
  initializeResult: unknown;

  private constructor(private readonly proc: ChildProcess, readonly conn: MessageConnection) {}

  static async start(options: StartOptions = {}): Promise<LspClient> {
    const proc = spawn(process.execPath, [...(options.execArgv ?? []), SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ...options.env } });
    // A write racing with the server's exit must not surface as an unhandled error in the test.
    proc.stdin!.on('error', () => undefined);
    const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const client = new LspClient(proc, conn);
    conn.onNotification('textDocument/publishDiagnostics', (p: Published) => {
      client.published.push(p);
      for (const w of client.waiters.splice(0)) w();
    });
    conn.onNotification('window/logMessage', (p: { type: number; message: string }) => client.logs.push(p));
    conn.onRequest('workspace/configuration', (p: { items: { scopeUri?: string; section?: string }[] }) => {
      client.configurationRequests.push(p);
      return p.items.map((item) => options.configuration?.(item) ?? null);
    });
    conn.onRequest('client/registerCapability', () => null);
    conn.listen();
    client.initializeResult = await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      ...(options.workspaceFolders ? { workspaceFolders: options.workspaceFolders } : {}),
      capabilities: options.capabilities ?? {},
      initializationOptions: options.initializationOptions,
    });
    conn.sendNotification('initialized', {});
    return client;
  }

  /** A marker for `diagnostics`: only publishes after it count. */
  mark(): number {
    return this.published.length;
  }

  /** The first publish for `uri` after `since` that satisfies `accept`. */
  async diagnostics(uri: string, since: number, accept: (p: Published) => boolean = () => true, timeoutMs = 10_000): Promise<Published> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.published.slice(since).find((p) => p.uri === uri && accept(p));
      if (hit) return hit;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching publishDiagnostics for ${uri} within ${timeoutMs} ms; got ${JSON.stringify(this.published.slice(since))}; server log: ${JSON.stringify(this.logs)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  open(uri: string, languageId: string, text: string, version = 1): void {
    this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  change(uri: string, version: number, changes: ContentChange[]): void {
    this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
  }

  close(uri: string): void {
    this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  changeConfiguration(settings: unknown = null): void {
    this.conn.sendNotification('workspace/didChangeConfiguration', { settings });
  }

  request<T = any>(method: string, params: unknown): Promise<T> {
    return this.conn.sendRequest(method, params) as Promise<T>;
  }

  /** Shuts the server down as a client does (shutdown, exit), then waits for the process to end. */
  async stop(): Promise<void> {
    const ended = new Promise<void>((resolve) => {
      if (!this.alive) resolve();
      else this.proc.once('exit', () => resolve());
    });
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), delay(2000)]);
      await this.conn.sendNotification('exit');
    } catch {
      // The process may already be gone; it is killed below either way.
    }
    await Promise.race([ended, delay(2000)]);
    if (this.alive) this.proc.kill();
    this.conn.dispose();
  }

  /** The server process's id (for /proc measurements). */
  get pid(): number {
    return this.proc.pid!;
  }

  /** Whether the server process is still running. */
  get alive(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }
}
