// The run timeline built from real runs of our own C fixtures: lanes and their IRQL, callback and
// work item spans, callback data lives, links, markers; the Chrome trace made from it; a story.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import {
  explainData, explanationMarkdown, explanationMermaid, explanationText, prepareScenarioText, runScenario, toChromeTrace, type RunTimeline, type TimelineEvent,
} from '../../../../engine';
import { DIR, memoryFiles, tallyScenario } from '../debuggeeFixture';
import { checkTrace } from './traceFormat';

async function timelineOf(scenario: string, maxEvents?: number): Promise<RunTimeline> {
  const prepared = await prepareScenarioText(path.join(DIR, 'test.fltsim'), scenario, memoryFiles());
  assert.ok(prepared.ok, prepared.ok ? '' : prepared.diagnostics.map((d) => d.message).join('\n'));
  const run = runScenario(prepared.prepared);
  assert.equal(run.report.passed, true, JSON.stringify(run.report.expectations));
  return run.timelineModel({ maxEvents });
}

// The locked variant completes under its spin lock on purpose (the IRQL band shows it), so it says so.
const LOCKED = tallyScenario('define LOCKED 1\nexpect violation cpp-irql');
const locked = () => timelineOf(LOCKED);

function laneNamed(t: RunTimeline, name: string) {
  const lane = t.lanes.find((l) => l.name === name);
  assert.ok(lane, `a lane named ${name} among ${t.lanes.map((l) => l.name).join(', ')}`);
  return lane;
}

function only(t: RunTimeline, pred: (e: TimelineEvent) => boolean, what: string): TimelineEvent {
  const found = t.events.filter(pred);
  assert.equal(found.length, 1, `exactly one ${what}: ${found.map((e) => e.detail).join(' | ')}`);
  return found[0]!;
}

/** The IRQL a lane's band shows at `seq`. */
function bandAt(t: RunTimeline, laneId: number, seq: number): number {
  const lane = t.lanes.find((l) => l.id === laneId)!;
  let irql = lane.irql[0]!.irql;
  for (const c of lane.irql) if (c.seq <= seq) irql = c.irql;
  return irql;
}

test('one lane per thread with its role; every event sits on its thread\'s lane', async () => {
  const t = await locked();
  assert.equal(laneNamed(t, 'I/O #1 (read)').role, 'io');
  assert.equal(laneNamed(t, 'I/O #2 (read)').role, 'io');
  assert.equal(laneNamed(t, 'Delayed worker 1').role, 'worker');
  assert.equal(laneNamed(t, 'Critical worker 1').role, 'worker');
  assert.equal(laneNamed(t, 'Completion (DPC)').role, 'completion');
  assert.equal(laneNamed(t, 'DriverEntry').role, 'system');
  assert.equal(laneNamed(t, 'I/O #1 (read)').exited, true);
  assert.deepEqual(t.lanes.map((l) => l.id), [...t.lanes.map((l) => l.id)].sort((a, b) => a - b));
  for (const e of t.events) {
    const lane = t.lanes.find((l) => l.id === e.lane)!;
    assert.ok(e.seq >= lane.first && e.seq <= lane.last, `event ${e.seq} inside its lane's range`);
  }
  assert.equal(t.now, t.events[t.events.length - 1]!.seq);
  assert.equal(t.dropped, 0);
});

test('IRQL band: the spin lock in the worker raises it to DISPATCH_LEVEL and its release lowers it, each at its own event', async () => {
  const t = await locked();
  const worker = laneNamed(t, 'Delayed worker 1');
  const locks = t.events.filter((e) => e.lane === worker.id && e.kind === 'lock');
  assert.equal(locks.length, 2, 'one acquisition per read');
  const lowers = t.events.filter((e) => e.lane === worker.id && e.kind === 'irql');
  assert.equal(lowers.length, 2);
  assert.match(lowers[0]!.detail, /^KeReleaseSpinLock DISPATCH_LEVEL -> PASSIVE_LEVEL$/);
  assert.deepEqual(worker.irql.map((c) => c.irql), [0, 2, 0, 2, 0]);
  assert.deepEqual(worker.irql.slice(1).map((c) => c.seq), [locks[0]!.seq, lowers[0]!.seq, locks[1]!.seq, lowers[1]!.seq]);
  // The completion made under the lock happened at DISPATCH_LEVEL, and the band says so.
  const complete = t.events.find((e) => e.lane === worker.id && e.kind === 'complete')!;
  assert.equal(complete.irql, 2);
  // The band agrees with every event's own IRQL on every lane.
  for (const e of t.events) assert.equal(bandAt(t, e.lane, e.seq), e.irql, `band of lane ${e.lane} at ${e.seq} (${e.detail})`);
});

test('spans: a pre-op runs from its call to its pend, a work item routine from start to end; markers on the transitions', async () => {
  const t = await locked();
  const io1 = laneNamed(t, 'I/O #1 (read)');
  const pre = t.spans.filter((s) => s.lane === io1.id);
  assert.equal(pre.length, 1);
  assert.equal(pre[0]!.kind, 'pre-op');
  assert.equal(pre[0]!.label, 'PreRead(#1) in tally');
  assert.equal(pre[0]!.data, 1);
  const pend = only(t, (e) => e.kind === 'pend' && e.data === 1, 'pend of #1');
  assert.equal(pre[0]!.start, only(t, (e) => e.kind === 'pre-op' && e.data === 1, 'pre-op of #1').seq);
  assert.equal(pre[0]!.end, pend.seq);
  assert.equal(pend.marker, 'pend');
  assert.equal(pend.lane, io1.id);
  const worker = laneNamed(t, 'Delayed worker 1');
  const routines = t.spans.filter((s) => s.lane === worker.id);
  assert.deepEqual(routines.map((s) => [s.kind, s.item, s.depth]), [['work-item', 1, 0], ['work-item', 2, 0]]);
  for (const s of routines) {
    const end = t.events.find((e) => e.seq === s.end)!;
    assert.equal(end.kind, 'workitem-end');
    assert.equal(end.item, s.item);
  }
  const queued = t.events.filter((e) => e.kind === 'workitem-queue');
  assert.deepEqual(queued.map((e) => [e.marker, e.item, e.file?.endsWith('tally.c'), typeof e.line]), [['workitem-queue', 1, true, 'number'], ['workitem-queue', 2, true, 'number']]);
  assert.equal(t.events.find((e) => e.kind === 'complete')!.marker, 'complete');
  assert.equal(t.events.find((e) => e.kind === 'lock')!.marker, undefined);
});

test('links: each pend to the completion that resumes it, each work item from its queueing to its start', async () => {
  const t = await locked();
  const io1 = laneNamed(t, 'I/O #1 (read)');
  const worker = laneNamed(t, 'Delayed worker 1');
  const at = (seq: number) => t.events.find((e) => e.seq === seq)!;
  const pends = t.flows.filter((f) => f.kind === 'pend');
  assert.deepEqual(pends.map((f) => f.data), [1, 2]);
  // With seed 1 the worker completes #1 before PreRead returns PENDING: the link runs from that
  // completion to the pend that takes it up, forward in time as every link does.
  assert.deepEqual([at(pends[0]!.from).kind, at(pends[0]!.from).lane, at(pends[0]!.to).kind, at(pends[0]!.to).lane], ['complete', worker.id, 'pend', io1.id]);
  const items = t.flows.filter((f) => f.kind === 'work-item');
  assert.deepEqual(items.map((f) => [f.item, at(f.from).kind, at(f.from).lane, at(f.to).kind, at(f.to).lane]), [[1, 'workitem-queue', io1.id, 'workitem-start', worker.id], [2, 'workitem-queue', laneNamed(t, 'I/O #2 (read)').id, 'workitem-start', worker.id]]);
  for (const f of t.flows) assert.ok(f.from < f.to);
});

test('callback data lives: from issue to done, the lanes visited in order', async () => {
  const t = await locked();
  assert.deepEqual(t.lives.map((l) => l.label), ['#1', '#2']);
  const one = t.lives[0]!;
  assert.equal(one.summary, '#1 IRP_MJ_READ issued on \\Device\\HarddiskVolume1\\a.txt');
  assert.match(one.outcome!, /^#1 done: STATUS_SUCCESS/);
  assert.equal(t.events.find((e) => e.seq === one.issued)!.kind, 'io-issue');
  assert.equal(t.events.find((e) => e.seq === one.done)!.kind, 'io-done');
  assert.deepEqual(one.lanes.slice(0, 2), [laneNamed(t, 'I/O #1 (read)').id, laneNamed(t, 'Delayed worker 1').id]);
  assert.deepEqual(one.events, t.events.filter((e) => e.data === 1).map((e) => e.seq));
});

test('a cap on events keeps the newest and counts the dropped; a life whose issue was dropped has issued null', async () => {
  const full = await locked();
  const last = full.events[full.events.length - 1]!.seq;
  const one = full.lives[0]!;
  const keep = last - one.issued!; // everything after #1's issue
  const t = await timelineOf(LOCKED, keep);
  assert.equal(t.events.length, keep);
  assert.equal(t.dropped, last - keep);
  assert.equal(t.events[0]!.seq, one.issued! + 1);
  assert.equal(t.lives[0]!.issued, null);
  assert.equal(t.lives[0]!.done, one.done);
});

test('the Chrome trace is valid trace-event JSON: a named track per thread, spans, instants, pend and work item arrows, IRQL counters', async () => {
  const t = await locked();
  const trace = JSON.parse(JSON.stringify(toChromeTrace(t)));
  const s = checkTrace(trace);
  assert.deepEqual(s.problems, []);
  assert.match(s.processName!, /^fltsim: .*test\.fltsim$/);
  for (const lane of t.lanes) assert.equal(s.threads.get(lane.id), lane.name);
  const tid = (name: string) => laneNamed(t, name).id;
  assert.ok(s.slices.some((x) => x.tid === tid('I/O #1 (read)') && x.name === 'PreRead(#1) in tally' && x.cat === 'pre-op'));
  assert.equal(s.slices.filter((x) => x.tid === tid('Delayed worker 1') && x.cat === 'work-item').length, 2);
  assert.ok(s.instants.some((x) => x.cat === 'pend' && x.tid === tid('I/O #1 (read)')));
  assert.deepEqual(s.flows.filter((f) => f.cat === 'pend').map((f) => [f.fromTid, f.toTid]), [[tid('Delayed worker 1'), tid('I/O #1 (read)')], [tid('Delayed worker 1'), tid('I/O #2 (read)')]]);
  assert.equal(s.flows.filter((f) => f.cat === 'work-item').length, 2);
  assert.deepEqual(s.asyncs.map((a) => a.id), ['data1', 'data2']);
  assert.deepEqual(s.counters.get('IRQL Delayed worker 1')!.map((c) => c.value), [0, 2, 0, 2, 0]);
});

test('the checker rejects broken traces (so the test above can fail)', () => {
  assert.match(checkTrace({}).problems.join(), /traceEvents/);
  const broken = {
    traceEvents: [
      { name: 'thread_name', ph: 'M', pid: 1, tid: 1, args: { name: 'a' } },
      { name: 'x', ph: 'X', pid: 1, tid: 1, ts: 0, dur: 5 },
      { name: 'y', ph: 'X', pid: 1, tid: 1, ts: 3, dur: 5 },
      { name: 'f', ph: 's', pid: 1, tid: 2, ts: 1, id: 'a', cat: 'c' },
      { name: 'g', ph: 'b', pid: 1, tid: 1, ts: 1, id: 'b', cat: 'c' },
    ],
  };
  const problems = checkTrace(broken).problems.join('\n');
  assert.match(problems, /overlaps "x" without nesting/);
  assert.match(problems, /flow c\/a never ends/);
  assert.match(problems, /async c\/b never ends/);
  assert.match(problems, /thread 2 has events but no thread_name/);
});

test('explain: the story of one callback data in order, with hand-offs between threads, as text, Mermaid and Markdown', async () => {
  const t = await locked();
  const r = explainData(t, 1);
  assert.ok(r.ok);
  const x = r.explanation;
  assert.deepEqual(x.threads, ['I/O #1 (read)', 'Delayed worker 1', 'Completion (DPC)']);
  const kinds = x.steps.map((s) => s.kind);
  // The work item queued in its pre-op and where it started are part of its story.
  assert.deepEqual(kinds.slice(0, 4), ['io-issue', 'pre-op', 'workitem-queue', 'workitem-start']);
  const start = x.steps[3]!;
  assert.deepEqual(start.from, { thread: 'I/O #1 (read)', seq: x.steps[2]!.seq, kind: 'work-item' });
  const complete = x.steps.find((s) => s.kind === 'complete')!;
  assert.equal(complete.thread, 'Delayed worker 1');
  assert.equal(complete.irql, 'DISPATCH_LEVEL');
  // Completing under the spin lock breaks cpp-irql: the violation is part of #1's story, just before the call that made it.
  const violation = x.steps[x.steps.indexOf(complete) - 1]!;
  assert.equal(violation.kind, 'violation');
  assert.match(violation.detail, /^cpp-irql: FltCompletePendedPreOperation called at DISPATCH_LEVEL/);
  assert.deepEqual([violation.thread, violation.irql, violation.file, violation.line], [complete.thread, 'DISPATCH_LEVEL', complete.file, complete.line]);
  assert.equal(x.steps.filter((s) => s.kind === 'violation').length, 1, 'only the violation of #1\'s own completion');
  // The worker completed #1 before PreRead returned: the pend takes that completion up.
  const pend = x.steps.find((s) => s.kind === 'pend')!;
  assert.ok(pend.seq > complete.seq);
  assert.deepEqual(pend.from, { thread: 'Delayed worker 1', seq: complete.seq, kind: 'pend' });
  assert.deepEqual(x.steps.map((s) => s.seq), [...x.steps.map((s) => s.seq)].sort((a, b) => a - b));
  assert.ok(!x.steps.some((s) => s.detail.includes('#2')), 'nothing of #2');

  const text = explanationText(x);
  assert.match(text, /^#1: #1 IRP_MJ_READ issued on /);
  assert.match(text, /Delayed worker 1 +DISPATCH_LEVEL +FltCompletePendedPreOperation\(#1, FLT_PREOP_SUCCESS_NO_CALLBACK\) +.*tally\.c:\d+/);
  assert.match(text, /I\/O #1 \(read\) +PASSIVE_LEVEL +PreRead pended #1 \(FLT_PREOP_PENDING\) +\(takes up the completion made earlier on Delayed worker 1\)/);
  assert.match(text, /Delayed worker 1 +DISPATCH_LEVEL +violation cpp-irql: FltCompletePendedPreOperation called at DISPATCH_LEVEL/);
  const mermaid = explanationMermaid(x);
  assert.match(mermaid, /\n {2}Note over T2: violation cpp-irql: FltCompletePendedPreOperation called at DISPATCH_LEVEL#59; /);
  assert.match(mermaid, /^sequenceDiagram\n {2}participant T1 as I\/O #35;1 \(read\)\n {2}participant T2 as Delayed worker 1\n {2}participant T3 as Completion \(DPC\)\n/);
  assert.match(mermaid, /\n {2}T1->>T2: Worker\(WI#35;1\) starts in DelayedWorkQueue \[\d+ ms, PASSIVE_LEVEL\]\n/);
  assert.match(mermaid, /\n {2}Note over T2: FltCompletePendedPreOperation\(#35;1, FLT_PREOP_SUCCESS_NO_CALLBACK\) \[\d+ ms, DISPATCH_LEVEL\]\n/);
  assert.match(mermaid, /\n {2}T2->>T1: PreRead pended #35;1 \(FLT_PREOP_PENDING\) \[\d+ ms, PASSIVE_LEVEL\]\n/);
  for (const line of mermaid.split('\n').filter((l) => l.includes(': '))) {
    assert.doesNotMatch(line.slice(line.indexOf(': ') + 2).replace(/#\d+;/g, ''), /[#;<>]/, `message text is escaped: ${line}`);
  }
  const md = explanationMarkdown(x, 'Tally');
  assert.match(md, /^# #1 — Tally\n/);
  assert.match(md, /\n\| 1 \| 0 \| I\/O #1 \(read\) \| PASSIVE_LEVEL \| #1 IRP_MJ_READ issued on \\\\Device\\\\HarddiskVolume1\\\\a\.txt \| {2}\|\n/);
  assert.match(md, /\n```mermaid\nsequenceDiagram\n[\s\S]*\n```\n$/);
  assert.match(md, /\| Delayed worker 1 \| DISPATCH_LEVEL \| \*\*violation\*\* cpp-irql: FltCompletePendedPreOperation called at DISPATCH_LEVEL; /);

  const missing = explainData(t, 9);
  assert.deepEqual(missing, { ok: false, message: 'no callback data #9 in this run (it has #1, #2)' });
});
