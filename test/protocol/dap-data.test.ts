// Data breakpoints and the memory view through the real adapter process (dist/debugAdapter.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { launchToStop, scopeValues, startClient, stepAndWait, topFrame } from './dapHelpers';

const SCENARIO = 'test/fixtures/debugger/watch.fltsim';
const DRIVER = 'test/fixtures/debugger/watch.c';

function lineOf(text: string): number {
  const i = readFileSync(DRIVER, 'utf8').split('\n').findIndex((l) => l.includes(text));
  assert.ok(i >= 0, `'${text}' in ${DRIVER}`);
  return i + 1;
}

async function scopeRef(dc: DebugClient, frameId: number, name: string): Promise<number> {
  const scopes = await dc.scopesRequest({ frameId });
  const s = scopes.body.scopes.find((x) => x.name === name);
  assert.ok(s, `scope ${name}`);
  return s.variablesReference;
}

async function setData(dc: DebugClient, dataId: string, accessType: DebugProtocol.DataBreakpointAccessType, more: Partial<DebugProtocol.DataBreakpoint> = {}): Promise<DebugProtocol.Breakpoint> {
  const r = await dc.customRequest('setDataBreakpoints', { breakpoints: [{ dataId, accessType, ...more }] });
  return (r.body as DebugProtocol.SetDataBreakpointsResponse['body']).breakpoints[0]!;
}

async function dataInfo(dc: DebugClient, args: DebugProtocol.DataBreakpointInfoArguments): Promise<DebugProtocol.DataBreakpointInfoResponse['body']> {
  return (await dc.customRequest('dataBreakpointInfo', args)).body as DebugProtocol.DataBreakpointInfoResponse['body'];
}

async function continueTo(dc: DebugClient, threadId: number): Promise<DebugProtocol.StoppedEvent> {
  return stepAndWait(dc, () => dc.continueRequest({ threadId }));
}

test('a write data breakpoint on a global from the Variables view stops after the write, says who wrote what, and survives reverse continue', async () => {
  const dc = await startClient();
  try {
    const first = await launchToStop(dc, SCENARIO, { functionBreakpoints: [{ name: 'WatchPreRead' }] });
    const frame = await topFrame(dc, first.body.threadId);
    const globals = await scopeRef(dc, frame.id, 'Globals');
    const info = await dataInfo(dc, { variablesReference: globals, name: 'gReads' });
    assert.ok(info.dataId, info.description);
    assert.match(info.description, /^gReads \(4 bytes at 0xffff[0-9a-f]{12}\)$/);
    assert.deepEqual(info.accessTypes, ['write', 'read', 'readWrite']);
    await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
    const bp = await setData(dc, info.dataId, 'write');
    assert.equal(bp.verified, true);

    const hit1 = await continueTo(dc, first.body.threadId!);
    assert.equal(hit1.body.reason, 'data breakpoint');
    assert.deepEqual(hit1.body.hitBreakpointIds, [bp.id]);
    assert.match(hit1.body.description ?? '', new RegExp(`^gReads written at watch\\.c:${lineOf('gReads++')} by '.+' \\(thread ${hit1.body.threadId}\\): 0 \\(0x0\\) → 1 \\(0x1\\)`));
    // Like WinDbg after `ba w4`, the thread stands at the statement after the one that wrote.
    assert.equal((await topFrame(dc, hit1.body.threadId)).line, lineOf('if (gReads > gLimit)'));

    const hit2 = await continueTo(dc, hit1.body.threadId!);
    assert.equal(hit2.body.reason, 'data breakpoint');
    assert.match(hit2.body.description ?? '', /gReads written at watch\.c:\d+ by .*: 1 \(0x1\) → 2 \(0x2\)/);

    // Going back replays the run: the watch is found again and the earlier write is where it stops.
    const back = await stepAndWait(dc, () => dc.customRequest('reverseContinue', { threadId: hit2.body.threadId }));
    assert.equal(back.body.reason, 'data breakpoint');
    assert.match(back.body.description ?? '', /gReads written at watch\.c:\d+ by .*: 0 \(0x0\) → 1 \(0x1\) \(\d+ ms, going backwards\)$/);
    const ev = await dc.evaluateRequest({ expression: 'gReads', frameId: (await topFrame(dc, back.body.threadId)).id, context: 'watch' });
    assert.equal(ev.body.result, '1');
    const again = await continueTo(dc, back.body.threadId!);
    assert.match(again.body.description ?? '', /gReads written at watch\.c:\d+ by .*: 1 \(0x1\) → 2 \(0x2\)/);
  } finally {
    await dc.stop();
  }
});

test('a read data breakpoint stops where the driver reads the global, with its value; a hit condition skips the first reads', async () => {
  const dc = await startClient();
  try {
    const first = await launchToStop(dc, SCENARIO, { functionBreakpoints: [{ name: 'WatchPreRead' }] });
    const frame = await topFrame(dc, first.body.threadId);
    const info = await dataInfo(dc, { name: 'gLimit', frameId: frame.id });
    assert.ok(info.dataId, info.description);
    await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
    await setData(dc, info.dataId, 'read', { hitCondition: '2' });
    const hit = await continueTo(dc, first.body.threadId!);
    assert.equal(hit.body.reason, 'data breakpoint');
    assert.match(hit.body.description ?? '', new RegExp(`^gLimit read at watch\\.c:${lineOf('if (gReads > gLimit)')} by 'I/O #2 \\(read\\)' \\(thread ${hit.body.threadId}\\): 2 \\(0x2\\)`));
    // The second read is the second request's: gReads is 2 there.
    const ev = await dc.evaluateRequest({ expression: 'gReads', frameId: (await topFrame(dc, hit.body.threadId)).id, context: 'watch' });
    assert.equal(ev.body.result, '2');
  } finally {
    await dc.stop();
  }
});

test('a register local is watched for writes only, stops on each change, and its watch ends when its frame returns', async () => {
  const dc = await startClient();
  try {
    const first = await launchToStop(dc, SCENARIO, { lineBreakpoints: [{ file: DRIVER, breakpoints: [{ line: lineOf('total += i') }] }] });
    const frame = await topFrame(dc, first.body.threadId);
    const locals = await scopeRef(dc, frame.id, 'Locals');
    const info = await dataInfo(dc, { variablesReference: locals, name: 'total' });
    assert.ok(info.dataId, info.description);
    assert.deepEqual(info.accessTypes, ['write']);
    const refused = await setData(dc, info.dataId, 'read');
    assert.equal(refused.verified, false);
    assert.match(refused.message ?? '', /address is never taken.*only writes/);
    await dc.setBreakpointsRequest({ source: { path: path.resolve(DRIVER) }, breakpoints: [] });
    const bp = await setData(dc, info.dataId, 'write');
    assert.equal(bp.verified, true);
    const seen: string[] = [];
    let stop = first;
    for (let i = 0; i < 3; i++) {
      stop = await continueTo(dc, stop.body.threadId!);
      assert.equal(stop.body.reason, 'data breakpoint');
      seen.push(/: (.*) \(\d+ ms\)$/.exec(stop.body.description ?? '')![1]!);
      assert.match(stop.body.description ?? '', new RegExp(`^total written at watch\\.c:${lineOf('total += i')} by `));
    }
    // 0 + 0 changes nothing, so the first stop is i = 1.
    assert.deepEqual(seen, ['0 (0x0) → 1 (0x1)', '1 (0x1) → 3 (0x3)', '3 (0x3) → 6 (0x6)']);
    const ended = dc.waitForEvent('breakpoint') as Promise<DebugProtocol.BreakpointEvent>;
    const next = dc.waitForEvent('stopped').catch(() => undefined);
    await dc.continueRequest({ threadId: stop.body.threadId! });
    const e = await ended;
    assert.equal(e.body.reason, 'changed');
    assert.equal(e.body.breakpoint.id, bp.id);
    assert.equal(e.body.breakpoint.verified, false);
    assert.match(e.body.breakpoint.message ?? '', /total is gone: its frame has returned/);
    void next;
  } finally {
    await dc.stop();
  }
});

test('the kernel model writing through a pointer is a write too: FltRegisterFilter filling gFilter', async () => {
  const dc = await startClient();
  try {
    const entry = await launchToStop(dc, SCENARIO, { stopOnEntry: true });
    const frame = await topFrame(dc, entry.body.threadId);
    const info = await dataInfo(dc, { name: 'gFilter', frameId: frame.id });
    assert.ok(info.dataId, info.description);
    await setData(dc, info.dataId, 'write');
    const hit = await continueTo(dc, entry.body.threadId!);
    assert.equal(hit.body.reason, 'data breakpoint');
    assert.match(hit.body.description ?? '', new RegExp(`^gFilter written at watch\\.c:${lineOf('status = FltRegisterFilter')} by 'DriverEntry' \\(thread \\d+\\): 0x0{16} → 0xffff[0-9a-f]{12}`));
  } finally {
    await dc.stop();
  }
});

test('memory: a pointer has a memoryReference, readMemory shows its bytes and says where they end, an address data breakpoint, writeMemory is kept across step back, freed memory is unreadable', async () => {
  const dc = await startClient();
  try {
    const first = await launchToStop(dc, SCENARIO, { lineBreakpoints: [{ file: DRIVER, breakpoints: [{ line: lineOf('buffer[3] = 7;') }] }] });
    const threadId = first.body.threadId!;
    const frame = await topFrame(dc, threadId);
    const locals = await scopeValues(dc, frame.id);
    const buffer = locals.get('Locals')!.get('buffer')!;
    assert.match(buffer.memoryReference ?? '', /^0xffff[0-9a-f]{12}$/);
    const ev = await dc.evaluateRequest({ expression: 'buffer', frameId: frame.id, context: 'watch' });
    assert.equal(ev.body.memoryReference, buffer.memoryReference);
    const gTag = locals.get('Globals')!.get('gTag')!;
    assert.match(gTag.memoryReference ?? '', /^0xffff/, 'an array has a memoryReference');

    const read = (await dc.customRequest('readMemory', { memoryReference: buffer.memoryReference, offset: 0, count: 64 })).body as NonNullable<DebugProtocol.ReadMemoryResponse['body']>;
    assert.equal(read.address, buffer.memoryReference);
    assert.deepEqual([...Buffer.from(read.data!, 'base64')], new Array(16).fill(0xab));
    assert.ok((read.unreadableBytes ?? 0) > 0, 'the bytes after the 16-byte block are not readable');
    const tag = (await dc.customRequest('readMemory', { memoryReference: gTag.memoryReference, count: 6 })).body as NonNullable<DebugProtocol.ReadMemoryResponse['body']>;
    assert.equal(Buffer.from(tag.data!, 'base64').toString('latin1'), 'fltsim');

    // WinDbg's `ba w1 <address>`: one byte of the block by address.
    const address = `0x${(BigInt(buffer.memoryReference!) + 3n).toString(16)}`;
    const info = await dataInfo(dc, { name: address, asAddress: true, bytes: 1 });
    assert.ok(info.dataId, info.description);
    assert.equal(info.description, `1 byte at ${address} (1 byte at ${address})`);
    const bp = await setData(dc, info.dataId, 'write');
    const hit = await stepAndWait(dc, () => dc.continueRequest({ threadId }));
    assert.equal(hit.body.reason, 'data breakpoint');
    assert.match(hit.body.description ?? '', new RegExp(`^1 byte at ${address} written at watch\\.c:${lineOf('buffer[3] = 7;')} by .*: ab → 07`));

    // Edit the next byte in the memory view: the sum the driver computes sees it.
    const memoryEvent = dc.waitForEvent('memory') as Promise<DebugProtocol.MemoryEvent>;
    const invalidated = dc.waitForEvent('invalidated') as Promise<DebugProtocol.InvalidatedEvent>;
    const wrote = (await dc.customRequest('writeMemory', { memoryReference: buffer.memoryReference, offset: 4, data: Buffer.from([1]).toString('base64') })).body as NonNullable<DebugProtocol.WriteMemoryResponse['body']>;
    assert.equal(wrote.bytesWritten, 1);
    assert.deepEqual((await memoryEvent).body, { memoryReference: buffer.memoryReference, offset: 4, count: 1 });
    assert.deepEqual((await invalidated).body.areas, ['variables']);
    await stepAndWait(dc, () => dc.nextRequest({ threadId }));
    const sumAt = async (): Promise<string> => (await dc.evaluateRequest({ expression: 'sum', frameId: (await topFrame(dc, threadId)).id, context: 'watch' })).body.result;
    assert.equal(await sumAt(), '8');
    // Back and forward again: the replay writes the byte again at the same step.
    await stepAndWait(dc, () => dc.stepBackRequest({ threadId }));
    await stepAndWait(dc, () => dc.nextRequest({ threadId }));
    assert.equal(await sumAt(), '8');

    // Freeing the block ends the watch; its bytes are then unreadable, not zeros.
    const ended = dc.waitForEvent('breakpoint') as Promise<DebugProtocol.BreakpointEvent>;
    await stepAndWait(dc, () => dc.nextRequest({ threadId }));
    const e = await ended;
    assert.equal(e.body.breakpoint.id, bp.id);
    assert.equal(e.body.breakpoint.verified, false);
    assert.match(e.body.breakpoint.message ?? '', /was freed/);
    const gone = (await dc.customRequest('readMemory', { memoryReference: buffer.memoryReference, count: 16 })).body as NonNullable<DebugProtocol.ReadMemoryResponse['body']>;
    assert.equal(gone.data ?? '', '');
    assert.equal(gone.unreadableBytes, 16);
    const refused = await dc.customRequest('writeMemory', { memoryReference: buffer.memoryReference, data: 'AQ==' }).then(() => undefined, (err: Error) => err.message);
    assert.match(refused ?? '', /freed/);
  } finally {
    await dc.stop();
  }
});

test('dataBreakpointInfo refuses what cannot be watched, with why', async () => {
  const dc = await startClient();
  try {
    const first = await launchToStop(dc, SCENARIO, { functionBreakpoints: [{ name: 'WatchPreRead' }] });
    const frame = await topFrame(dc, first.body.threadId);
    const thread = await scopeRef(dc, frame.id, 'Thread');
    const irql = await dataInfo(dc, { variablesReference: thread, name: 'IRQL' });
    assert.equal(irql.dataId, null);
    assert.match(irql.description, /fltsim's view of the run/);
    const nowhere = await dataInfo(dc, { name: '0x10', asAddress: true, bytes: 4 });
    assert.equal(nowhere.dataId, null);
    assert.match(nowhere.description, /nothing the run can read is at 0x0000000000000010/);
    const unknown = await dataInfo(dc, { name: 'NoSuchName', frameId: frame.id });
    assert.equal(unknown.dataId, null);
    assert.match(unknown.description, /NoSuchName/);
    const stale = await setData(dc, 'bogus', 'write');
    assert.equal(stale.verified, false);
    // The memory view at an address nothing holds, or with a reference fltsim never gave: honest answers, no crash.
    const low = (await dc.customRequest('readMemory', { memoryReference: '0x10', count: 32 })).body as NonNullable<DebugProtocol.ReadMemoryResponse['body']>;
    assert.deepEqual(low, { address: '0x0000000000000010', unreadableBytes: 32 });
    const garbage = await dc.customRequest('readMemory', { memoryReference: 'gReads', count: 4 }).then(() => undefined, (err: Error) => err.message);
    assert.match(garbage ?? '', /not a memory reference/);
    const huge = await dc.customRequest('readMemory', { memoryReference: '0x10', count: 1 << 30 }).then(() => undefined, (err: Error) => err.message);
    assert.match(huge ?? '', /at most/);
    const threads = await dc.threadsRequest();
    assert.ok(threads.body.threads.length > 0, 'the adapter still answers');
  } finally {
    await dc.stop();
  }
});
