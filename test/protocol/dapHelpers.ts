// Drives dist/debugAdapter.js over stdio with @vscode/debugadapter-testsupport, as VS Code does.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

/** A DebugClient over streams the caller provides (an adapter it spawned itself, or a session in this process). */
export class StreamDebugClient extends DebugClient {
  constructor(input: Readable, output: Writable) {
    super('unused', 'unused', 'fltsim');
    this.connect(input, output);
  }
}

export async function startClient(): Promise<DebugClient> {
  const dc = new DebugClient(process.execPath, path.resolve('dist/debugAdapter.js'), 'fltsim');
  dc.defaultTimeout = 15000;
  await dc.start();
  await dc.initializeRequest({ adapterID: 'fltsim', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  return dc;
}

export interface LaunchSetup {
  functionBreakpoints?: DebugProtocol.FunctionBreakpoint[];
  lineBreakpoints?: { file: string; breakpoints: DebugProtocol.SourceBreakpoint[] }[];
  filters?: string[];
  stopOnEntry?: boolean;
  seed?: number;
  /** A replay file from fltsim explore. */
  replay?: string;
}

/** Launches a scenario with the given breakpoints and returns the first stop. */
export async function launchToStop(dc: DebugClient, scenario: string, setup: LaunchSetup = {}): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await Promise.all([
    dc.launch({ scenario: path.resolve(scenario), stopOnEntry: setup.stopOnEntry, seed: setup.seed, replay: setup.replay } as DebugProtocol.LaunchRequestArguments),
    (async () => {
      await dc.waitForEvent('initialized');
      if (setup.functionBreakpoints) await dc.setFunctionBreakpointsRequest({ breakpoints: setup.functionBreakpoints });
      for (const l of setup.lineBreakpoints ?? []) await dc.setBreakpointsRequest({ source: { path: path.resolve(l.file) }, breakpoints: l.breakpoints });
      await dc.setExceptionBreakpointsRequest({ filters: setup.filters ?? ['violation'] });
      await dc.configurationDoneRequest();
    })(),
  ]);
  return stopped;
}

export async function topFrame(dc: DebugClient, threadId: number | undefined): Promise<DebugProtocol.StackFrame> {
  assert.ok(threadId !== undefined, 'the stop names a thread');
  const st = await dc.stackTraceRequest({ threadId });
  assert.ok(st.body.stackFrames.length > 0, 'the stopped thread has frames');
  return st.body.stackFrames[0];
}

/** Scope name → variables (name → value), for a frame. */
export async function scopeValues(dc: DebugClient, frameId: number): Promise<Map<string, Map<string, DebugProtocol.Variable>>> {
  const out = new Map<string, Map<string, DebugProtocol.Variable>>();
  const scopes = await dc.scopesRequest({ frameId });
  for (const s of scopes.body.scopes) {
    const vars = await dc.variablesRequest({ variablesReference: s.variablesReference });
    out.set(s.name, new Map(vars.body.variables.map((v) => [v.name, v])));
  }
  return out;
}

export async function children(dc: DebugClient, v: DebugProtocol.Variable, start?: number, count?: number): Promise<Map<string, DebugProtocol.Variable>> {
  assert.ok(v.variablesReference > 0, `${v.name} can be expanded`);
  const r = await dc.variablesRequest({ variablesReference: v.variablesReference, start, count });
  return new Map(r.body.variables.map((x) => [x.name, x]));
}

/** Sends a request that resumes execution and waits for the stop it leads to (listening first). */
export async function stepAndWait(dc: DebugClient, request: () => Promise<unknown>): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await request();
  return stopped;
}

/** Sends DAP requests to a fresh adapter process and collects every message until it goes quiet. */
export async function rawSession(requests: { command: string; arguments: unknown }[]): Promise<DebugProtocol.ProtocolMessage[]> {
  const { spawn } = await import('node:child_process');
  const proc = spawn(process.execPath, [path.resolve('dist/debugAdapter.js')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const messages: DebugProtocol.ProtocolMessage[] = [];
  let buffer = Buffer.alloc(0);
  proc.stdout.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const header = buffer.indexOf('\r\n\r\n');
      if (header < 0) return;
      const length = Number(/Content-Length: (\d+)/.exec(buffer.subarray(0, header).toString())?.[1]);
      if (buffer.length < header + 4 + length) return;
      messages.push(JSON.parse(buffer.subarray(header + 4, header + 4 + length).toString()));
      buffer = buffer.subarray(header + 4 + length);
    }
  });
  let seq = 1;
  for (const r of requests) {
    const body = JSON.stringify({ seq: seq++, type: 'request', ...r });
    proc.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }
  await new Promise((r) => setTimeout(r, 1500));
  proc.kill();
  return messages;
}
