// Hex display, Debug Console completions, breakpoint locations, restart and loaded sources, through
// the real adapter process; and every capability the adapter announces is served.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { launchToStop, startClient, stepAndWait, topFrame } from './dapHelpers';

const SCENARIO = 'test/fixtures/debugger/watch.fltsim';
const DRIVER = 'test/fixtures/debugger/watch.c';

function lineOf(text: string): number {
  const i = readFileSync(DRIVER, 'utf8').split('\n').findIndex((l) => l.includes(text));
  assert.ok(i >= 0, `'${text}' in ${DRIVER}`);
  return i + 1;
}

test('format.hex shows integers in hex in Variables and evaluate, in the width of their type; names stay names', async () => {
  const dc = await startClient();
  try {
    const stop = await launchToStop(dc, SCENARIO, { lineBreakpoints: [{ file: DRIVER, breakpoints: [{ line: lineOf('sum = CountTo(4);') }] }] });
    const frame = await topFrame(dc, stop.body.threadId);
    const plain = await dc.evaluateRequest({ expression: 'gLimit', frameId: frame.id, context: 'watch' });
    assert.equal(plain.body.result, '2');
    const hex = await dc.evaluateRequest({ expression: 'gLimit', frameId: frame.id, context: 'watch', format: { hex: true } });
    assert.equal(hex.body.result, '0x2');
    const minus = await dc.evaluateRequest({ expression: '(LONG)-2', frameId: frame.id, context: 'watch', format: { hex: true } });
    assert.equal(minus.body.result, '0xfffffffe');
    const status = await dc.evaluateRequest({ expression: 'STATUS_ACCESS_DENIED', frameId: frame.id, context: 'watch', format: { hex: true } });
    assert.match(status.body.result, /^STATUS_ACCESS_DENIED \(0xC0000022\)$/);
    const scopes = await dc.scopesRequest({ frameId: frame.id });
    const globals = scopes.body.scopes.find((s) => s.name === 'Globals')!;
    const rows = await dc.variablesRequest({ variablesReference: globals.variablesReference, format: { hex: true } });
    assert.equal(rows.body.variables.find((v) => v.name === 'gReads')!.value, '0x1');
  } finally {
    await dc.stop();
  }
});

async function complete(dc: DebugClient, frameId: number, text: string): Promise<DebugProtocol.CompletionItem[]> {
  const r = (await dc.customRequest('completions', { frameId, text, column: text.length + 1 })) as DebugProtocol.CompletionsResponse;
  return r.body.targets;
}

test('completions offer locals and globals by prefix, and the fields after . and ->', async () => {
  const dc = await startClient();
  try {
    const stop = await launchToStop(dc, SCENARIO, { lineBreakpoints: [{ file: DRIVER, breakpoints: [{ line: lineOf('buffer[3] = 7;') }] }] });
    const frame = await topFrame(dc, stop.body.threadId);
    const g = await complete(dc, frame.id, 'gR');
    assert.deepEqual(g.map((c) => c.label), ['gReads']);
    assert.deepEqual({ type: g[0]!.type, detail: g[0]!.detail, start: g[0]!.start, length: g[0]!.length }, { type: 'variable', detail: 'ULONG', start: 1, length: 2 });
    const names = (await complete(dc, frame.id, '')).map((c) => c.label);
    for (const n of ['Data', 'FltObjects', 'buffer', 'sum', 'gFilter', 'gLimit', 'gTag']) assert.ok(names.includes(n), `${n} in ${names.join(', ')}`);
    const iopb = await complete(dc, frame.id, 'Data->Iopb->Ma');
    assert.deepEqual(iopb.map((c) => c.label), ['MajorFunction']);
    assert.equal(iopb[0]!.start, 'Data->Iopb->'.length + 1);
    assert.equal(iopb[0]!.type, 'field');
    const io = (await complete(dc, frame.id, 'x + Data->IoStatus.')).map((c) => c.label);
    assert.deepEqual(io.filter((l) => l === 'Status' || l === 'Information'), ['Information', 'Status']);
    assert.deepEqual(await complete(dc, frame.id, 'NoSuch->'), []);
  } finally {
    await dc.stop();
  }
});

test('breakpointLocations lists the lines of a range where a statement starts', async () => {
  const dc = await startClient();
  try {
    await launchToStop(dc, SCENARIO, { functionBreakpoints: [{ name: 'WatchPreRead' }] });
    const from = lineOf('static ULONG CountTo');
    const to = lineOf('return total;');
    const r = (await dc.customRequest('breakpointLocations', { source: { path: path.resolve(DRIVER) }, line: from, endLine: to })) as DebugProtocol.BreakpointLocationsResponse;
    assert.deepEqual(r.body.breakpoints.map((b) => b.line), [lineOf('ULONG total = 0;'), lineOf('for (i = 0; i < n; i++)'), lineOf('total += i;'), to]);
    const blank = (await dc.customRequest('breakpointLocations', { source: { path: path.resolve(DRIVER) }, line: 1 })) as DebugProtocol.BreakpointLocationsResponse;
    assert.deepEqual(blank.body.breakpoints, []);
  } finally {
    await dc.stop();
  }
});

test('restart runs the scenario again from the start and keeps the breakpoints; values set in the old run are gone', async () => {
  const dc = await startClient();
  try {
    const first = await launchToStop(dc, SCENARIO, { functionBreakpoints: [{ name: 'WatchPreRead' }] });
    const frame = await topFrame(dc, first.body.threadId);
    await dc.evaluateRequest({ expression: 'gLimit = 9', frameId: frame.id, context: 'repl' });
    const second = await stepAndWait(dc, () => dc.continueRequest({ threadId: first.body.threadId! }));
    assert.equal((await dc.evaluateRequest({ expression: 'gReads', frameId: (await topFrame(dc, second.body.threadId)).id, context: 'watch' })).body.result, '1');
    const again = await stepAndWait(dc, () => dc.customRequest('restart', {}));
    assert.equal(again.body.reason, 'function breakpoint');
    const top = await topFrame(dc, again.body.threadId);
    assert.equal(top.name, 'watch!WatchPreRead');
    assert.equal((await dc.evaluateRequest({ expression: 'gReads', frameId: top.id, context: 'watch' })).body.result, '0');
    assert.equal((await dc.evaluateRequest({ expression: 'gLimit', frameId: top.id, context: 'watch' })).body.result, '2');
  } finally {
    await dc.stop();
  }
});

test('loadedSources lists the driver files, headers included', async () => {
  const dc = await startClient();
  try {
    await launchToStop(dc, 'samples/cbdq-cancel/cancel.fltsim', { stopOnEntry: true });
    const r = (await dc.customRequest('loadedSources', {})) as DebugProtocol.LoadedSourcesResponse;
    const names = r.body.sources.map((s) => s.name).sort();
    assert.ok(names.includes('csqfilter.c'), names.join(', '));
    for (const s of r.body.sources) assert.ok(path.isAbsolute(s.path ?? ''), `${s.name} has a path`);
  } finally {
    await dc.stop();
  }
});

/** A request that exercises each announced capability (the capability's own request, answered with success). */
const SERVED: Record<string, (dc: DebugClient, frameId: number, threadId: number) => Promise<unknown>> = {
  supportsConfigurationDoneRequest: async () => undefined, // launchToStop sends it
  supportsFunctionBreakpoints: (dc) => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'CountTo' }] }),
  supportsConditionalBreakpoints: (dc) => dc.setBreakpointsRequest({ source: { path: path.resolve(DRIVER) }, breakpoints: [{ line: lineOf('total += i;'), condition: 'i == 2' }] }),
  supportsHitConditionalBreakpoints: (dc) => dc.setBreakpointsRequest({ source: { path: path.resolve(DRIVER) }, breakpoints: [{ line: lineOf('total += i;'), hitCondition: '2' }] }),
  supportsLogPoints: (dc) => dc.setBreakpointsRequest({ source: { path: path.resolve(DRIVER) }, breakpoints: [{ line: lineOf('total += i;'), logMessage: 'i={i}' }] }),
  supportsEvaluateForHovers: (dc, frameId) => dc.evaluateRequest({ expression: 'gLimit', frameId, context: 'hover' }),
  supportsSetVariable: async (dc, frameId) => {
    const scopes = await dc.scopesRequest({ frameId });
    return dc.setVariableRequest({ variablesReference: scopes.body.scopes.find((s) => s.name === 'Globals')!.variablesReference, name: 'gLimit', value: '3' });
  },
  supportsStepBack: (dc, _f, threadId) => stepAndWait(dc, () => dc.stepBackRequest({ threadId })),
  supportsTerminateRequest: async () => undefined, // the last request of the test
  supportsExceptionInfoRequest: (dc, _f, threadId) => dc.exceptionInfoRequest({ threadId }),
  supportsDelayedStackTraceLoading: (dc, _f, threadId) => dc.stackTraceRequest({ threadId, startFrame: 0, levels: 1 }),
  supportsDataBreakpoints: (dc, frameId) => dc.customRequest('dataBreakpointInfo', { name: 'gReads', frameId }),
  supportsDataBreakpointBytes: (dc) => dc.customRequest('setDataBreakpoints', { breakpoints: [] }),
  supportsReadMemoryRequest: async (dc, frameId) => dc.customRequest('readMemory', { memoryReference: (await dc.evaluateRequest({ expression: 'gTag', frameId, context: 'watch' })).body.memoryReference, count: 8 }),
  supportsWriteMemoryRequest: async (dc, frameId) => dc.customRequest('writeMemory', { memoryReference: (await dc.evaluateRequest({ expression: 'gTag', frameId, context: 'watch' })).body.memoryReference, offset: 6, data: 'AA==' }),
  supportsValueFormattingOptions: (dc, frameId) => dc.evaluateRequest({ expression: 'gLimit', frameId, context: 'watch', format: { hex: true } }),
  supportsCompletionsRequest: (dc, frameId) => dc.customRequest('completions', { frameId, text: 'g', column: 2 }),
  supportsBreakpointLocationsRequest: (dc) => dc.customRequest('breakpointLocations', { source: { path: path.resolve(DRIVER) }, line: 1, endLine: 100 }),
  supportsLoadedSourcesRequest: (dc) => dc.customRequest('loadedSources', {}),
  supportsRestartRequest: (dc) => stepAndWait(dc, () => dc.customRequest('restart', {})),
};

test('every capability the adapter announces is served by a request that succeeds', async () => {
  const dc = new DebugClient(process.execPath, path.resolve('dist/debugAdapter.js'), 'fltsim');
  dc.defaultTimeout = 15000;
  await dc.start();
  try {
    const init = await dc.initializeRequest({ adapterID: 'fltsim', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    const announced = Object.entries(init.body ?? {}).filter(([k, v]) => k.startsWith('supports') && v === true).map(([k]) => k);
    const unserved = announced.filter((k) => !(k in SERVED));
    assert.deepEqual(unserved, [], 'each announced capability has a request in SERVED');
    let stop = await launchToStop(dc, SCENARIO, { functionBreakpoints: [{ name: 'WatchPreRead' }] });
    for (const k of announced) {
      const frame = await topFrame(dc, stop.body.threadId);
      const r = await SERVED[k]!(dc, frame.id, stop.body.threadId!);
      // Requests that run the debuggee (step back, restart) answer with the stop they lead to.
      if ((r as DebugProtocol.Event | undefined)?.event === 'stopped') stop = r as DebugProtocol.StoppedEvent;
    }
    await dc.terminateRequest();
  } finally {
    await dc.stop();
  }
});
