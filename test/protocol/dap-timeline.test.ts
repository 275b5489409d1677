// The adapter's own requests for the timeline view, over stdio as VS Code sends them through
// DebugSession.customRequest: the timeline at a stop, going to an event's moment, a story.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { launchToStop, startClient, topFrame } from './dapHelpers';

const CSQ = 'samples/cbdq-cancel/cancel.fltsim';
const CSQ_C = 'samples/cbdq-cancel/csqfilter.c';

interface Ev { seq: number; kind: string; data: number; detail: string; file?: string; line?: number; lane: number; marker?: string }

test('fltsimTimeline at a stop, fltsimGoToEvent back to the cbdq insert of #2 (its line, reason goto), fltsimExplain #1', async () => {
  const dc = await startClient();
  try {
    const lines = readFileSync(CSQ_C, 'utf8').split('\n');
    const complete = lines.findIndex((l) => l.includes('FltCompletePendedPreOperation(Data, FLT_PREOP_SUCCESS_NO_CALLBACK')) + 1;
    assert.ok(complete > 0);
    const stop = await launchToStop(dc, CSQ, { lineBreakpoints: [{ file: CSQ_C, breakpoints: [{ line: complete }] }] });
    assert.equal(stop.body.reason, 'breakpoint');
    const t = (await dc.customRequest('fltsimTimeline')).body as { now: number; events: Ev[]; lanes: { id: number; name: string }[] };
    assert.equal(t.now, t.events[t.events.length - 1]!.seq);
    assert.ok(t.lanes.some((l) => l.name === 'Cancel I/O #1'));
    const insert2 = t.events.find((e) => e.kind === 'cbdq-insert' && e.data === 2)!;
    assert.equal(insert2.marker, 'cbdq-insert');
    assert.equal(insert2.line, lines.findIndex((l) => l.includes('= FltCbdqInsertIo(')) + 1);

    const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await dc.customRequest('fltsimGoToEvent', { seq: insert2.seq });
    const there = await stopped;
    assert.equal(there.body.reason, 'goto');
    const frame = await topFrame(dc, there.body.threadId);
    assert.equal(frame.line, insert2.line);
    assert.equal(frame.name, 'csqfilter!PreReadWrite');
    const after = (await dc.customRequest('fltsimTimeline', { maxEvents: 5 })).body as { now: number; events: Ev[]; dropped: number };
    assert.ok(after.now < insert2.seq);
    assert.equal(after.events.length, 5);
    assert.equal(after.events[4]!.seq, t.events[t.events.length - 1]!.seq, 'the known future is still there');

    const story = (await dc.customRequest('fltsimExplain', { data: 1 })).body as { markdown: string };
    assert.match(story.markdown, /^# #1 — Cancel a read while it waits in a cancel-safe queue\n/);
    assert.match(story.markdown, /```mermaid\nsequenceDiagram\n/);

    await assert.rejects(dc.customRequest('fltsimGoToEvent', { seq: 10_000 }), /there is no event 10000 in this run/);
    await assert.rejects(dc.customRequest('fltsimExplain', { data: 5 }), /no callback data #5 in this run \(it has #1, #2\)/);
    await assert.rejects(dc.customRequest('fltsimTimeline', { maxEvents: -1 }), /maxEvents must be a positive integer/);
    // An argument echoed back as JSON keeps its braces (the adapter library reads {name} as a placeholder).
    await assert.rejects(dc.customRequest('fltsimTimeline', { maxEvents: { n: 5 } }), /maxEvents must be a positive integer \(got \{"n":5\}\)/);
    await assert.rejects(dc.customRequest('fltsimNope'), /fltsim does not know the request 'fltsimNope'/);
  } finally {
    await dc.stop();
  }
});
