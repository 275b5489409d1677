// The debug adapter as VS Code runs it: dist/debugAdapter.js as a process over stdio.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { children, launchToStop, rawSession, scopeValues, startClient, stepAndWait, topFrame } from './dapHelpers';

const PEND = 'samples/pend-generic-workitem/with-callback.fltsim';
const CSQ = 'samples/cbdq-cancel/cancel.fltsim';
const CSQ_C = 'samples/cbdq-cancel/csqfilter.c';

/** 1-based line of the first line containing `text` after the line containing `after`. */
function lineOf(file: string, text: string, after?: string): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  const from = after ? lines.findIndex((l) => l.includes(after)) : 0;
  const i = lines.findIndex((l, n) => n >= from && l.includes(text));
  assert.ok(i >= 0, `'${text}' in ${file}`);
  return i + 1;
}

test('a function breakpoint stops in the worker routine: thread, IRQL, callback data and an evaluated expression', async () => {
  const dc = await startClient();
  try {
    const stop = await launchToStop(dc, PEND, { functionBreakpoints: [{ name: 'pendfilter!ReadWorker' }] });
    assert.equal(stop.body.reason, 'function breakpoint');
    const threads = await dc.threadsRequest();
    assert.equal(threads.body.threads.find((t) => t.id === stop.body.threadId)?.name, 'Delayed worker 1');
    const frame = await topFrame(dc, stop.body.threadId);
    assert.equal(frame.name, 'pendfilter!ReadWorker');
    assert.equal(frame.source?.name, 'pendfilter.c');
    assert.equal(frame.line, lineOf('samples/pend-generic-workitem/pendfilter.c', 'PPEND_CONTEXT context = (PPEND_CONTEXT)Context;', 'ReadWorker(_In_'));
    const scopes = await scopeValues(dc, frame.id);
    assert.deepEqual([...scopes.keys()], ['Locals', 'Globals', 'Thread', 'Callback Data', 'Queues', 'Filters']);
    assert.equal(scopes.get('Thread')!.get('IRQL')!.value, 'PASSIVE_LEVEL (0)');
    assert.equal(scopes.get('Thread')!.get('Serves')!.value, 'DelayedWorkQueue');
    assert.equal(scopes.get('Locals')!.get('Context')!.type, 'PVOID');
    const live = await children(dc, scopes.get('Callback Data')!.get('Live')!);
    const op = await children(dc, live.get('#1')!);
    assert.equal(op.get('MajorFunction')!.value, 'IRP_MJ_READ');
    // The delayed worker preempts the issuing thread as soon as the item is queued, so the worker runs
    // before PreRead has returned FLT_PREOP_PENDING: the documented race the Filter Manager tolerates.
    assert.equal(op.get('State')!.value, 'pre-op (pendfilter)');
    const ev = await dc.evaluateRequest({ expression: '((PPEND_CONTEXT)Context)->Data->Iopb->Parameters.Read.Length', frameId: frame.id, context: 'watch' });
    assert.equal(ev.body.result, '4096 (0x1000)');
    // Two steps later the local holds the callback data, which becomes the operation "in hand".
    await stepAndWait(dc, () => dc.nextRequest({ threadId: stop.body.threadId! }));
    await stepAndWait(dc, () => dc.nextRequest({ threadId: stop.body.threadId! }));
    const after = await scopeValues(dc, (await topFrame(dc, stop.body.threadId)).id);
    assert.match(after.get('Callback Data')!.get('In hand')!.value, /^#1 IRP_MJ_READ pre-op/);
    assert.match(after.get('Locals')!.get('data')!.value, /^0xffff[0-9a-f]{12} \{#1 IRP_MJ_READ pre-op\}$/);
  } finally {
    await dc.stop();
  }
});

const TRANSITIONS: { filter: string; scenario: string; description: RegExp }[] = [
  { filter: 'pend', scenario: PEND, description: /^PreRead pended #1 \(FLT_PREOP_PENDING\)/ },
  { filter: 'complete', scenario: PEND, description: /^FltCompletePendedPreOperation\(#1, FLT_PREOP_SUCCESS_WITH_CALLBACK\)/ },
  { filter: 'workitem-queue', scenario: PEND, description: /^FltQueueGenericWorkItem\(WI#1, ReadWorker, DelayedWorkQueue\)/ },
  { filter: 'workitem-start', scenario: PEND, description: /^ReadWorker\(WI#1\) starts in DelayedWorkQueue/ },
  { filter: 'cbdq-insert', scenario: CSQ, description: /^FltCbdqInsertIo\(#1\) into cbdq#1/ },
  { filter: 'cbdq-remove', scenario: CSQ, description: /^CsqRemoveIo\(#1\) out of cbdq#1 .*cancellation/ },
  { filter: 'cancel', scenario: CSQ, description: /^IoCancelIrp\(#1\)/ },
  { filter: 'unload', scenario: 'samples/cbdq-cancel/teardown-drain.fltsim', description: /unload|Unload|FltUnregisterFilter/ },
  { filter: 'violation', scenario: 'samples/irql-bug/bug.fltsim', description: /^cpp-irql: FltCompletePendedPreOperation called at DISPATCH_LEVEL/ },
];

for (const t of TRANSITIONS) {
  test(`the '${t.filter}' transition filter stops with a description naming the transition`, async () => {
    const dc = await startClient();
    try {
      const stop = await launchToStop(dc, t.scenario, { filters: [t.filter] });
      assert.equal(stop.body.reason, 'exception');
      assert.match(stop.body.description ?? '', t.description);
      const info = await dc.exceptionInfoRequest({ threadId: stop.body.threadId! });
      assert.match(info.body.description ?? '', t.description);
    } finally {
      await dc.stop();
    }
  });
}

test('a line breakpoint in the cbdq cancel routine stops on the cancelling thread with the kernel routine on the stack', async () => {
  const dc = await startClient();
  try {
    const line = lineOf(CSQ_C, 'PQUEUE_ENTRY entry = (PQUEUE_ENTRY)Data->QueueContext[0];', 'VOID CsqCompleteCanceledIo');
    const stop = await launchToStop(dc, CSQ, { lineBreakpoints: [{ file: CSQ_C, breakpoints: [{ line }] }] });
    assert.equal(stop.body.reason, 'breakpoint');
    assert.equal(stop.body.description, 'Paused on breakpoint (2 ms)', 'VS Code shows the description; it carries the virtual time');
    const threads = await dc.threadsRequest();
    assert.equal(threads.body.threads.find((t) => t.id === stop.body.threadId)?.name, 'Cancel I/O #1');
    const st = await dc.stackTraceRequest({ threadId: stop.body.threadId! });
    assert.equal(st.body.stackFrames[0].name, 'csqfilter!CsqCompleteCanceledIo');
    assert.equal(st.body.stackFrames[0].line, line);
    assert.ok(st.body.stackFrames.some((f) => f.name === 'nt!NtCancelIoFileEx'), st.body.stackFrames.map((f) => f.name).join(' < '));
    const scopes = await scopeValues(dc, st.body.stackFrames[0].id);
    assert.match(scopes.get('Callback Data')!.get('In hand')!.value, /^#1 IRP_MJ_READ/);
    const cbdq = scopes.get('Queues')!.get('cbdq#1 (csqfilter)')!;
    assert.match(cbdq.value, /^enabled, 1 queued, spin lock/);
    assert.equal(cbdq.indexedVariables, 1, 'the cancelled read has left the queue; #2 waits');
  } finally {
    await dc.stop();
  }
});

test('an unverifiable line breakpoint says why; a breakpoint on a blank line moves to the next statement', async () => {
  const dc = await startClient();
  try {
    const started = dc.waitForEvent('initialized');
    const launched = dc.launch({ scenario: path.resolve(CSQ), stopOnEntry: true } as DebugProtocol.LaunchRequestArguments);
    await started;
    const blank = lineOf(CSQ_C, 'PINSTANCE_CONTEXT ctx = CONTAINING_RECORD(Queue, INSTANCE_CONTEXT, Cbdq);', 'VOID CsqAcquire') - 2;
    const r = await dc.setBreakpointsRequest({ source: { path: path.resolve(CSQ_C) }, breakpoints: [{ line: blank }, { line: 1 }] });
    assert.equal(r.body.breakpoints[0].verified, true);
    assert.equal(r.body.breakpoints[0].line, blank + 2);
    const other = await dc.setBreakpointsRequest({ source: { path: path.resolve('samples/two-filters/blocker.c') }, breakpoints: [{ line: 10 }] });
    assert.equal(other.body.breakpoints[0].verified, false);
    assert.match(other.body.breakpoints[0].message ?? '', /no driver code of this scenario/);
    await dc.configurationDoneRequest();
    await launched;
  } finally {
    await dc.stop();
  }
});

test('step back returns to the previous line with the previous values', async () => {
  const dc = await startClient();
  try {
    const stop = await launchToStop(dc, PEND, { functionBreakpoints: [{ name: 'ReadWorker' }] });
    const thread = stop.body.threadId!;
    const first = await topFrame(dc, thread);
    await stepAndWait(dc, () => dc.nextRequest({ threadId: thread }));
    await stepAndWait(dc, () => dc.nextRequest({ threadId: thread }));
    const third = await topFrame(dc, thread);
    assert.match((await scopeValues(dc, third.id)).get('Locals')!.get('data')!.value, /IRP_MJ_READ/);
    const back = await stepAndWait(dc, () => dc.stepBackRequest({ threadId: thread }));
    assert.equal(back.body.reason, 'step');
    const second = await topFrame(dc, thread);
    assert.equal(second.line, lineOf('samples/pend-generic-workitem/pendfilter.c', 'PFLT_CALLBACK_DATA data = context->Data;'));
    assert.ok(second.line < third.line);
    assert.equal((await scopeValues(dc, second.id)).get('Locals')!.get('data')!.value, '<not yet assigned>');
    await stepAndWait(dc, () => dc.stepBackRequest({ threadId: thread }));
    assert.equal((await topFrame(dc, thread)).line, first.line);
    // Forward again from the past: the same values come back.
    await stepAndWait(dc, () => dc.nextRequest({ threadId: thread }));
    await stepAndWait(dc, () => dc.nextRequest({ threadId: thread }));
    assert.match((await scopeValues(dc, (await topFrame(dc, thread)).id)).get('Locals')!.get('data')!.value, /IRP_MJ_READ/);
  } finally {
    await dc.stop();
  }
});

test('reverse continue goes back to the previous breakpoint hit', async () => {
  const dc = await startClient();
  try {
    const stop = await launchToStop(dc, 'samples/pend-generic-workitem/no-callback.fltsim', { functionBreakpoints: [{ name: 'ReadWorker' }] });
    const firstTime = (await scopeValues(dc, (await topFrame(dc, stop.body.threadId)).id)).get('Thread')!.get('Virtual time')!.value;
    const second = await stepAndWait(dc, () => dc.continueRequest({ threadId: stop.body.threadId! }));
    assert.equal((await scopeValues(dc, (await topFrame(dc, second.body.threadId)).id)).get('Thread')!.get('Virtual time')!.value, '1 ms');
    const back = await stepAndWait(dc, () => dc.reverseContinueRequest({ threadId: second.body.threadId! }));
    assert.equal(back.body.reason, 'function breakpoint');
    assert.equal((await scopeValues(dc, (await topFrame(dc, back.body.threadId)).id)).get('Thread')!.get('Virtual time')!.value, firstTime);
  } finally {
    await dc.stop();
  }
});

test('a conditional breakpoint stops only when its C condition holds; a hit count skips early hits', async () => {
  const dc = await startClient();
  try {
    const line = lineOf(CSQ_C, 'PQUEUE_ENTRY entry = (PQUEUE_ENTRY)Data->QueueContext[0];', 'FinishQueuedOperation(_In_');
    const stop = await launchToStop(dc, 'samples/cbdq-cancel/peek-context.fltsim', {
      lineBreakpoints: [{ file: CSQ_C, breakpoints: [{ line, condition: 'Data->Iopb->MajorFunction == IRP_MJ_READ', hitCondition: '2' }] }],
    });
    assert.equal(stop.body.reason, 'breakpoint');
    const frame = await topFrame(dc, stop.body.threadId);
    const ev = await dc.evaluateRequest({ expression: '((PQUEUE_ENTRY)Data->QueueContext[0])->Number', frameId: frame.id, context: 'watch' });
    assert.equal(ev.body.result, '3', 'the second read (#3) — writes were drained first and the first read is hit 1');
    const major = await dc.evaluateRequest({ expression: 'Data->Iopb->MajorFunction', frameId: frame.id, context: 'hover' });
    assert.equal(major.body.result, '3');
  } finally {
    await dc.stop();
  }
});

test('a logpoint prints its {expression} interpolation and does not stop', async () => {
  const dc = await startClient();
  try {
    const line = lineOf(CSQ_C, 'PQUEUE_ENTRY entry = (PQUEUE_ENTRY)Data->QueueContext[0];', 'FinishQueuedOperation(_In_');
    const outputs: string[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => outputs.push(e.body.output));
    const terminated = dc.waitForEvent('terminated');
    await Promise.all([
      dc.launch({ scenario: path.resolve(CSQ) } as DebugProtocol.LaunchRequestArguments),
      (async () => {
        await dc.waitForEvent('initialized');
        await dc.setBreakpointsRequest({ source: { path: path.resolve(CSQ_C) }, breakpoints: [{ line, logMessage: 'finishing major {Data->Iopb->MajorFunction} of #{((PQUEUE_ENTRY)Data->QueueContext[0])->Number}' }] });
        await dc.configurationDoneRequest();
      })(),
    ]);
    await terminated;
    assert.ok(outputs.includes('finishing major 3 of #2\n'), outputs.join(''));
    assert.ok(outputs.some((o) => o.startsWith('✓ expect #1 status STATUS_CANCELLED')), 'expectations are reported at the end');
  } finally {
    await dc.stop();
  }
});

test('step in enters a callback the kernel routine calls; step out returns to the caller', async () => {
  const dc = await startClient();
  try {
    const insertLine = lineOf(CSQ_C, 'status = FltCbdqInsertIo(&ctx->Cbdq, Data, &entry->IoContext, NULL);');
    const stop = await launchToStop(dc, CSQ, { lineBreakpoints: [{ file: CSQ_C, breakpoints: [{ line: insertLine }] }] });
    const thread = stop.body.threadId!;
    await stepAndWait(dc, () => dc.stepInRequest({ threadId: thread }));
    const st = await dc.stackTraceRequest({ threadId: thread });
    assert.deepEqual(st.body.stackFrames.slice(0, 3).map((f) => f.name), ['csqfilter!CsqAcquire', 'fltmgr!FltCbdqInsertIo', 'csqfilter!PreReadWrite']);
    const irql = (await scopeValues(dc, st.body.stackFrames[0].id)).get('Thread')!.get('IRQL')!.value;
    assert.equal(irql, 'PASSIVE_LEVEL (0)', 'CsqAcquire has not taken the spin lock yet');
    await stepAndWait(dc, () => dc.stepOutRequest({ threadId: thread }));
    const out = await topFrame(dc, thread);
    assert.equal(out.name, 'csqfilter!PreReadWrite');
    assert.ok(out.line > insertLine, `back in PreReadWrite after the insert (line ${out.line})`);
  } finally {
    await dc.stop();
  }
});

test('set a local from the Variables view and assign one from the Debug Console', async () => {
  const dc = await startClient();
  try {
    const line = lineOf('samples/pend-generic-workitem/pendfilter.c', 'return FLT_PREOP_PENDING;');
    const stop = await launchToStop(dc, PEND, { lineBreakpoints: [{ file: 'samples/pend-generic-workitem/pendfilter.c', breakpoints: [{ line }] }] });
    const frame = await topFrame(dc, stop.body.threadId);
    const scopes = await dc.scopesRequest({ frameId: frame.id });
    const locals = scopes.body.scopes.find((s) => s.name === 'Locals')!;
    const set = await dc.setVariableRequest({ variablesReference: locals.variablesReference, name: 'status', value: 'STATUS_ACCESS_DENIED' });
    assert.equal(set.body.value, 'STATUS_ACCESS_DENIED (0xC0000022)');
    const repl = await dc.evaluateRequest({ expression: 'status = 0', frameId: frame.id, context: 'repl' });
    assert.equal(repl.body.result, 'STATUS_SUCCESS (0x00000000)');
    await assert.rejects(dc.evaluateRequest({ expression: 'status = 1', frameId: frame.id, context: 'watch' }), /cannot assign/);
    await assert.rejects(dc.evaluateRequest({ expression: 'FltAllocateGenericWorkItem()', frameId: frame.id, context: 'watch' }), /cannot call/);
    await assert.rejects(dc.evaluateRequest({ expression: 'noSuchName + 1', frameId: frame.id, context: 'watch' }), /noSuchName/);
    // A field of the callback data, through its C path.
    const ctx = (await scopeValues(dc, frame.id)).get('Locals')!.get('Data')!;
    const data = await children(dc, ctx);
    const iopb = await children(dc, data.get('Iopb')!);
    assert.equal(iopb.get('MajorFunction')!.value, 'IRP_MJ_READ (3)');
    const setField = await dc.setVariableRequest({ variablesReference: ctx.variablesReference, name: 'RequestorMode', value: '0' });
    assert.equal(setField.body.value, '0');
  } finally {
    await dc.stop();
  }
});

test('large cbdq contents page through indexed variables', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'fltsim-dap-'));
  copyFileSync(CSQ_C, path.join(dir, 'csqfilter.c'));
  const ios = Array.from({ length: 300 }, (_, i) => `io #${i + 1} read "\\Device\\HarddiskVolume1\\f${i}.bin" length 16 at 1`).join('\n');
  writeFileSync(path.join(dir, 'many.fltsim'), `driver "csqfilter.c"\n${ios}\n`);
  const dc = await startClient();
  try {
    const line = lineOf(CSQ_C, 'data = NextToComplete(ctx);');
    const stop = await launchToStop(dc, path.join(dir, 'many.fltsim'), { lineBreakpoints: [{ file: path.join(dir, 'csqfilter.c'), breakpoints: [{ line }] }] });
    const frame = await topFrame(dc, stop.body.threadId);
    const queue = (await scopeValues(dc, frame.id)).get('Queues')!.get('cbdq#1 (csqfilter)')!;
    assert.equal(queue.indexedVariables, 300);
    const all = await dc.variablesRequest({ variablesReference: queue.variablesReference, filter: 'indexed', start: 0, count: 300 });
    const page = await dc.variablesRequest({ variablesReference: queue.variablesReference, filter: 'indexed', start: 100, count: 50 });
    assert.equal(page.body.variables.length, 50);
    assert.equal(page.body.variables[0].name, '[100]');
    assert.deepEqual(page.body.variables.map((v) => v.value), all.body.variables.slice(100, 150).map((v) => v.value));
    const ids = all.body.variables.map((v) => /^#(\d+) IRP_MJ_READ queued/.exec(v.value)?.[1]);
    assert.equal(new Set(ids).size, 300, 'every queued read appears once');
  } finally {
    await dc.stop();
  }
});

test('pause stops a long run on the thread that is running', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'fltsim-dap-'));
  writeFileSync(path.join(dir, 'spin.c'), [
    '#include <fltKernel.h>',
    'volatile LONG Counter;',
    'NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath) {',
    '    LONG i;',
    '    UNREFERENCED_PARAMETER(DriverObject);',
    '    UNREFERENCED_PARAMETER(RegistryPath);',
    '    for (i = 0; i < 500000; i++) {',
    '        Counter++;',
    '    }',
    '    return STATUS_SUCCESS;',
    '}',
  ].join('\n'));
  writeFileSync(path.join(dir, 'spin.fltsim'), 'driver "spin.c"\n');
  const dc = await startClient();
  try {
    const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await Promise.all([
      dc.launch({ scenario: path.join(dir, 'spin.fltsim') } as DebugProtocol.LaunchRequestArguments),
      (async () => {
        await dc.waitForEvent('initialized');
        await dc.configurationDoneRequest();
      })(),
    ]);
    await dc.pauseRequest({ threadId: 0 });
    const stop = await stopped;
    assert.equal(stop.body.reason, 'pause');
    const frame = await topFrame(dc, stop.body.threadId);
    assert.equal(frame.name, 'spin!DriverEntry');
    const counter = await dc.evaluateRequest({ expression: 'Counter', frameId: frame.id, context: 'watch' });
    assert.ok(Number(counter.body.result) < 500000, `paused before the loop ended (Counter = ${counter.body.result})`);
  } finally {
    await dc.stop();
  }
});

test('stopOnEntry stops at the first statement of DriverEntry', async () => {
  const dc = await startClient();
  try {
    const stop = await launchToStop(dc, PEND, { stopOnEntry: true });
    assert.equal(stop.body.reason, 'entry');
    const frame = await topFrame(dc, stop.body.threadId);
    assert.equal(frame.name, 'pendfilter!DriverEntry');
  } finally {
    await dc.stop();
  }
});

test('bad launch input ends the session with a readable error, never a hang', async () => {
  const dc = await startClient();
  try {
    await assert.rejects(dc.launchRequest({ scenario: '/nope/missing.fltsim' } as DebugProtocol.LaunchRequestArguments), /cannot read the scenario file '\/nope\/missing\.fltsim'/);
  } finally {
    await dc.stop();
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'fltsim-dap-'));
  writeFileSync(path.join(dir, 'broken.c'), '#include <fltKernel.h>\nNTSTATUS DriverEntry(PDRIVER_OBJECT D, PUNICODE_STRING R) {\n    return NOT_A_TYPE x;\n}\n');
  writeFileSync(path.join(dir, 'broken.fltsim'), 'driver "broken.c"\n');
  const dc2 = await startClient();
  try {
    await assert.rejects(dc2.launchRequest({ scenario: path.join(dir, 'broken.fltsim') } as DebugProtocol.LaunchRequestArguments), /broken\.c:3:\d+: error: the C parser could not read 'x'/);
  } finally {
    await dc2.stop();
  }
  // A launch configuration without "scenario", spoken as raw DAP messages.
  const raw = await rawSession([
    { command: 'initialize', arguments: { adapterID: 'fltsim', pathFormat: 'path' } },
    { command: 'launch', arguments: {} },
  ]);
  const launch = raw.find((m) => m.type === 'response' && (m as DebugProtocol.Response).command === 'launch') as DebugProtocol.Response | undefined;
  assert.equal(launch?.success, false);
  assert.match(launch?.message ?? '', /needs "scenario": the path of a \.fltsim file/);
  assert.ok(raw.some((m) => m.type === 'event' && (m as DebugProtocol.Event).event === 'terminated'), 'the session ends');
});

test('a breakpoint in the second file of a multi-file driver (.vcxproj) is verified and hit, with the driver\'s globals in scope', async () => {
  const dc = await startClient();
  const util = 'test/fixtures/projects/threefile/driver/util.c';
  const line = lineOf(util, 'Ctx->Reads += 1;');
  try {
    const stop = await launchToStop(dc, 'test/fixtures/projects/threefile/threefile.fltsim', { lineBreakpoints: [{ file: util, breakpoints: [{ line }] }] });
    assert.equal(stop.body.reason, 'breakpoint');
    const frame = await topFrame(dc, stop.body.threadId);
    assert.equal(frame.name, 'ThreeFile!TfRecord');
    assert.equal(frame.source?.path, path.resolve(util));
    assert.equal(frame.line, line);
    const stack = await dc.stackTraceRequest({ threadId: stop.body.threadId! });
    assert.deepEqual(stack.body.stackFrames.slice(0, 2).map((f) => [f.name, f.source?.name]), [['ThreeFile!TfRecord', 'util.c'], ['ThreeFile!TfPreRead', 'ops.c']]);
    // The context was built in main.c; gReads is util.c's global, shared through an extern in tf.h.
    const magic = await dc.evaluateRequest({ expression: 'Ctx->Magic', frameId: frame.id, context: 'watch' });
    assert.equal(magic.body.result, '32639 (0x7f7f)');
    const reads = await dc.evaluateRequest({ expression: 'gReads', frameId: frame.id, context: 'watch' });
    assert.equal(reads.body.result, '1');
    // The breakpoint is verified at that line (set again while stopped, as an editor does on a change).
    const again = await dc.setBreakpointsRequest({ source: { path: path.resolve(util) }, breakpoints: [{ line }] });
    assert.deepEqual(again.body.breakpoints.map((b) => [b.verified, b.line]), [[true, line]]);
  } finally {
    await dc.stop();
  }
});

test('a misspelt rule id in the scenario fails the launch with the position and the id it resembles', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'fltsim-dap-'));
  copyFileSync('samples/irql-bug/lockedcomplete.c', path.join(dir, 'lockedcomplete.c'));
  writeFileSync(path.join(dir, 'typo.fltsim'), 'driver "lockedcomplete.c"\nio #1 read "\\Device\\HarddiskVolume1\\a.txt" at 0\nexpect no violation cpp-irqll\n');
  const dc = await startClient();
  try {
    await assert.rejects(
      dc.launchRequest({ scenario: path.join(dir, 'typo.fltsim') } as DebugProtocol.LaunchRequestArguments),
      /typo\.fltsim:3:21: error: unknown rule id 'cpp-irqll' — did you mean 'cpp-irql'\?/,
    );
  } finally {
    await dc.stop();
  }
});
