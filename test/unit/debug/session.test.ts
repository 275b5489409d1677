// The DAP session in this process, over in-memory streams: what it translates (capabilities, the
// client's line base, frames, variable handles, read-only rows, errors) on top of the Debuggee.
// test/protocol/dap.test.ts drives the same session as the shipped process.
import { mock, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { TRANSITION_FILTER_IDS, type ProjectFiles } from '../../../engine';
import { FltsimDebugSession } from '../../../extension/debug/session';
import { TRANSITION_FILTERS } from '../../../extension/debug/transitionFilters';
import { StreamDebugClient } from '../../protocol/dapHelpers';
import { DIR, SPIN, TALLY, TALLY_C, lineOf, memoryFiles, tallyScenario } from '../run/debuggeeFixture';

const SCENARIO = path.join(DIR, 'tally.fltsim');
const SPIN_SCENARIO = path.join(DIR, 'spin.fltsim');
const files = memoryFiles({ [SCENARIO]: tallyScenario(), [SPIN_SCENARIO]: 'driver "spin.c"\n' });

async function connect(linesStartAt1 = true, host: ProjectFiles = files): Promise<{ dc: DebugClient; initialized: DebugProtocol.InitializeResponse }> {
  const toSession = new PassThrough();
  const fromSession = new PassThrough();
  const session = new FltsimDebugSession(host);
  // As a server, shutdown() leaves this process alone.
  session.setRunAsServer(true);
  session.start(toSession, fromSession);
  const dc = new StreamDebugClient(fromSession, toSession);
  dc.defaultTimeout = 10_000;
  const initialized = await dc.initializeRequest({ adapterID: 'fltsim', linesStartAt1, columnsStartAt1: linesStartAt1, pathFormat: 'path' });
  return { dc, initialized };
}

async function launch(dc: DebugClient, scenario: string, configure: () => Promise<unknown> = async () => undefined): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await start(dc, scenario, configure);
  return stopped;
}

/** Launch and configuration, the way VS Code interleaves them. In-memory streams answer at once, so listen first. */
async function start(dc: DebugClient, scenario: string, configure: () => Promise<unknown> = async () => undefined): Promise<void> {
  const initialized = dc.waitForEvent('initialized');
  await Promise.all([
    dc.launch({ scenario } as DebugProtocol.LaunchRequestArguments),
    (async () => {
      await initialized;
      await configure();
      await dc.configurationDoneRequest();
    })(),
  ]);
}

test('initialize offers the engine transition filters with their labels; only the violation filter is on', async () => {
  const { dc, initialized } = await connect();
  try {
    const caps = initialized.body!;
    assert.equal(caps.supportsStepBack, true);
    assert.equal(caps.supportsSetVariable, true);
    assert.equal(caps.supportsTerminateRequest, true);
    assert.deepEqual(caps.exceptionBreakpointFilters!.map((f) => f.filter), [...TRANSITION_FILTER_IDS]);
    assert.deepEqual(caps.exceptionBreakpointFilters!.filter((f) => f.default).map((f) => f.filter), ['violation']);
    assert.ok(TRANSITION_FILTERS.every((f) => f.label.length > 0 && f.description.length > 0));
  } finally {
    await dc.stop();
  }
});

test('a client counting lines from 0 gets breakpoint and frame lines from 0', async () => {
  const { dc } = await connect(false);
  try {
    const line = lineOf(TALLY, 'n = Twice(n);');
    let set: DebugProtocol.SetBreakpointsResponse | undefined;
    const stop = await launch(dc, SCENARIO, async () => {
      set = await dc.setBreakpointsRequest({ source: { path: TALLY_C }, breakpoints: [{ line: line - 1 }] });
    });
    assert.deepEqual([set!.body.breakpoints[0].verified, set!.body.breakpoints[0].line], [true, line - 1]);
    assert.equal(set!.body.breakpoints[0].source?.path, TALLY_C);
    const st = await dc.stackTraceRequest({ threadId: stop.body.threadId! });
    assert.deepEqual([st.body.stackFrames[0].name, st.body.stackFrames[0].line], ['tally!PreRead', line - 1]);
    const kernel = st.body.stackFrames.find((f) => !f.source)!;
    assert.deepEqual([kernel.presentationHint, kernel.line], ['subtle', 0]);
    // A page of the stack: the client asked for one frame, the total says how many there are.
    const page = await dc.stackTraceRequest({ threadId: stop.body.threadId!, startFrame: 1, levels: 1 });
    assert.equal(page.body.stackFrames.length, 1);
    assert.equal(page.body.totalFrames, st.body.stackFrames.length);
    assert.equal(page.body.stackFrames[0].name, st.body.stackFrames[1].name);
  } finally {
    await dc.stop();
  }
});

test('variables carry the engine handles; rows no C expression names are read-only; set and evaluate errors are readable', async () => {
  const { dc } = await connect();
  try {
    const stop = await launch(dc, SCENARIO, () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'Twice' }] }));
    assert.equal(stop.body.reason, 'function breakpoint');
    const frame = (await dc.stackTraceRequest({ threadId: stop.body.threadId! })).body.stackFrames[0];
    const scopes = (await dc.scopesRequest({ frameId: frame.id })).body.scopes;
    const locals = (await dc.variablesRequest({ variablesReference: scopes.find((s) => s.name === 'Locals')!.variablesReference })).body.variables;
    const value = locals.find((v) => v.name === 'value')!;
    assert.deepEqual([value.value, value.type, value.evaluateName, value.presentationHint], ['1', 'LONG', 'value', undefined]);
    const thread = (await dc.variablesRequest({ variablesReference: scopes.find((s) => s.name === 'Thread')!.variablesReference })).body.variables;
    const irql = thread.find((v) => v.name === 'IRQL')!;
    assert.deepEqual(irql.presentationHint, { attributes: ['readOnly'] });
    const live = (await dc.variablesRequest({ variablesReference: scopes.find((s) => s.name === 'Callback Data')!.variablesReference })).body.variables.find((v) => v.name === 'Live')!;
    assert.equal(live.indexedVariables, 1);

    const localsRef = scopes.find((s) => s.name === 'Locals')!.variablesReference;
    const set = await dc.setVariableRequest({ variablesReference: localsRef, name: 'value', value: '20' });
    assert.deepEqual([set.body.value, set.body.type], ['20', 'LONG']);
    await assert.rejects(dc.setVariableRequest({ variablesReference: localsRef, name: 'value', value: 'nonsense' }), /cannot set value: .*nonsense/);
    await assert.rejects(dc.setVariableRequest({ variablesReference: 99_999, name: 'x', value: '1' }), /reference 99999 does not exist/);
    await assert.rejects(dc.setVariableRequest({ variablesReference: localsRef, name: 'nothere', value: '1' }), /'nothere' cannot be changed here/);
    const repl = await dc.evaluateRequest({ expression: 'value++', frameId: frame.id, context: 'repl' });
    assert.equal(repl.body.result, '20');
    await assert.rejects(dc.evaluateRequest({ expression: 'value++', frameId: frame.id, context: 'watch' }), /cannot change variables/);
    const hover = await dc.evaluateRequest({ expression: 'value', frameId: frame.id, context: 'hover' });
    assert.equal(hover.body.result, '21');
    // A stale reference (from before the next stop) is an error that says why, not an empty list
    // that would pass for "no variables".
    const next = dc.waitForEvent('stopped');
    await dc.nextRequest({ threadId: stop.body.threadId! });
    await next;
    await assert.rejects(dc.variablesRequest({ variablesReference: localsRef + 1000 }), /reference \d+ does not exist \(references last until the next stop\)/);
  } finally {
    await dc.stop();
  }
});

test('before a launch: commands fail with a reason, threads show a placeholder', async () => {
  const { dc } = await connect();
  try {
    await assert.rejects(dc.continueRequest({ threadId: 1 }), /no scenario is running/);
    await assert.rejects(dc.evaluateRequest({ expression: '1' }), /no scenario is running/);
    const threads = await dc.threadsRequest();
    assert.deepEqual(threads.body.threads.map((t) => t.name), ['starting']);
  } finally {
    await dc.stop();
  }
});

test('breakpoints sent before the launch wait for it however long the drivers take to compile (not a second)', async () => {
  // Reading the driver stands for a slow compile on a loaded machine: two seconds pass meanwhile,
  // so the one-second wait for a launch has run out before the Debuggee exists.
  mock.timers.enable({ apis: ['setTimeout'] });
  let slow = true;
  const host: ProjectFiles = { readFile: (p) => {
    if (p === TALLY_C && slow) {
      slow = false;
      mock.timers.tick(2000);
    }
    return files.readFile(p);
  } };
  const { dc } = await connect(true, host);
  try {
    const line = lineOf(TALLY, 'n = Twice(n);');
    const set = dc.setBreakpointsRequest({ source: { path: TALLY_C }, breakpoints: [{ line }] });
    await new Promise((r) => setImmediate(r));
    const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    const launched = dc.launchRequest({ scenario: SCENARIO } as DebugProtocol.LaunchRequestArguments);
    const [bp] = (await set).body.breakpoints;
    assert.deepEqual([bp!.verified, bp!.line, bp!.message], [true, line, undefined]);
    await dc.configurationDoneRequest();
    await launched;
    const stop = await stopped;
    assert.deepEqual([stop.body.reason, stop.body.hitBreakpointIds], ['breakpoint', [bp!.id]]);
  } finally {
    mock.timers.reset();
    await dc.stop();
  }
});

test('exceptionInfo names the rule of a violation stop; the launch line carries title and seed', async () => {
  const locked = path.join(DIR, 'locked.fltsim');
  const { dc } = await connect(true, memoryFiles({ [locked]: `scenario "locked worker"\n${tallyScenario('define LOCKED 1')}` }));
  try {
    const outputs: string[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => outputs.push(e.body.output));
    const stop = await launch(dc, locked);
    assert.equal(stop.body.reason, 'exception');
    const info = await dc.exceptionInfoRequest({ threadId: stop.body.threadId! });
    assert.equal(info.body.exceptionId, 'cpp-irql');
    assert.match(info.body.description ?? '', /^cpp-irql: FltCompletePendedPreOperation called at DISPATCH_LEVEL/);
    assert.ok(outputs.includes('fltsim: locked worker (seed 1)\n'), outputs.join(''));
  } finally {
    await dc.stop();
  }
});

test('pause reaches a loop that never ends; disconnect ends the slices', async () => {
  const { dc } = await connect();
  try {
    await start(dc, SPIN_SCENARIO);
    // While it runs, requests are answered between slices (the first slice starts the loader thread).
    let threads = await dc.threadsRequest();
    for (let i = 0; i < 100 && !threads.body.threads.some((t) => t.name === 'DriverEntry'); i++) {
      await new Promise((r) => setTimeout(r, 10));
      threads = await dc.threadsRequest();
    }
    const loader = threads.body.threads.find((t) => t.name === 'DriverEntry');
    assert.ok(loader, threads.body.threads.map((t) => t.name).join(', '));
    const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await dc.pauseRequest({ threadId: loader.id });
    const stop = await stopped;
    assert.equal(stop.body.reason, 'pause');
    const frame = (await dc.stackTraceRequest({ threadId: stop.body.threadId! })).body.stackFrames[0];
    assert.equal(frame.name, 'spin!DriverEntry');
    assert.ok([lineOf(SPIN, 'for (;;)'), lineOf(SPIN, 'Counter++;')].includes(frame.line));
    const counter = async () => Number((await dc.evaluateRequest({ expression: 'Counter' })).body.result);
    await dc.continueRequest({ threadId: stop.body.threadId! });
    const running = await counter();
    await new Promise((r) => setTimeout(r, 50));
    assert.ok((await counter()) > running, 'the loop runs between requests');
    await dc.disconnectRequest({});
    const after = await counter();
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(await counter(), after, 'a disconnected session takes no more steps');
  } finally {
    await dc.stop();
  }
});
