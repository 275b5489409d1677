// The Debuggee's timeline and "go to this point in time": the picture at a stop, the known future
// after going back, going back and forward to an event's moment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TALLY, TALLY_C, lineOf, open, stopped, tallyScenario, top } from './debuggeeFixture';

const WORKER_FREE = lineOf(TALLY, 'FltFreeGenericWorkItem(WorkItem);');

test('the timeline at a stop ends at the stop; going to an earlier event stops on its line with the state before it, and keeps the known future', async () => {
  const { debuggee: d, output } = await open(tallyScenario());
  d.setLineBreakpoints(TALLY_C, [{ line: WORKER_FREE, hitCondition: '2' }]);
  d.start(false);
  const atBreak = stopped(d.runToStop());
  assert.equal(top(d, atBreak).line, WORKER_FREE);
  const t = d.timeline();
  assert.equal(t.now, t.events[t.events.length - 1]!.seq, 'nothing past the stop is known yet');
  assert.equal(t.title, null);
  const queue2 = t.events.find((e) => e.kind === 'workitem-queue' && e.item === 2)!;
  assert.equal(queue2.file, TALLY_C);
  assert.equal(queue2.line, lineOf(TALLY, 'FltQueueGenericWorkItem(item'));

  assert.equal(d.goToEvent(queue2.seq), undefined);
  const there = stopped(d.runToStop());
  assert.equal(there.reason, 'goto');
  assert.match(there.description, /^Paused before "FltQueueGenericWorkItem\(WI#2, Worker, DelayedWorkQueue\)" \(1 ms\)$/);
  assert.equal(d.threads().find((x) => x.id === there.threadId)?.name, 'I/O #2 (read)');
  assert.deepEqual([top(d, there).name, top(d, there).line], ['tally!PreRead', queue2.line], 'the statement that queues it, not yet run');
  const before = d.evaluate('Seen', { threadId: there.threadId });
  assert.deepEqual(before.ok && before.value, '2');
  const back = d.timeline();
  assert.ok(back.now < queue2.seq, `now ${back.now} is before the event ${queue2.seq}`);
  assert.deepEqual(back.events.map((e) => [e.seq, e.detail]), t.events.map((e) => [e.seq, e.detail]), 'the future stays in view');
  assert.equal(output.filter((o) => o.text.startsWith('tally: read')).length, 2, 'replaying repeats no output');

  // Forward to the second completion: the breakpoint in Worker on the way does not stop it.
  const [inWorker] = d.setLineBreakpoints(TALLY_C, [{ line: lineOf(TALLY, 'PFLT_CALLBACK_DATA data = (PFLT_CALLBACK_DATA)Context;') }]);
  assert.equal(inWorker!.verified, true);
  const complete2 = t.events.find((e) => e.kind === 'complete' && e.data === 2)!;
  assert.equal(d.goToEvent(complete2.seq), undefined);
  const later = stopped(d.runToStop());
  assert.equal(later.reason, 'goto');
  assert.equal(d.threads().find((x) => x.id === later.threadId)?.name, 'Delayed worker 1');
  assert.equal(top(d, later).line, complete2.line);
  assert.ok(d.timeline().now < complete2.seq && d.timeline().now >= queue2.seq);
});

test('goToEvent refuses events the run does not have', async () => {
  const { debuggee: d } = await open(tallyScenario());
  d.start(true);
  stopped(d.runToStop());
  const total = d.timeline().events.length;
  assert.equal(d.goToEvent(0), `there is no event 0 in this run (it has events 1 to ${total})`);
  assert.equal(d.goToEvent(total + 5), `there is no event ${total + 5} in this run (it has events 1 to ${total})`);
  assert.equal(d.goToEvent(1.5), `there is no event 1.5 in this run (it has events 1 to ${total})`);
  assert.equal(d.running, false, 'nothing was started');
});

test('a value set in the past drops the known future: the run may now go another way', async () => {
  const { debuggee: d } = await open(tallyScenario());
  d.setLineBreakpoints(TALLY_C, [{ line: WORKER_FREE, hitCondition: '2' }]);
  d.start(false);
  stopped(d.runToStop());
  const t = d.timeline();
  const issue2 = t.events.find((e) => e.kind === 'workitem-queue' && e.item === 2)!;
  assert.equal(d.goToEvent(issue2.seq), undefined);
  const there = stopped(d.runToStop());
  assert.ok(d.timeline().events.length > d.timeline().now, 'the future is known');
  const set = d.evaluate('Seen = 40', { threadId: there.threadId, allowAssignment: true });
  assert.ok(set.ok);
  const after = d.timeline();
  assert.equal(after.events[after.events.length - 1]!.seq, after.now, 'nothing past the present is shown once the past changed');
  assert.match(d.goToEvent(t.events[t.events.length - 1]!.seq) ?? '', /^there is no event \d+ in this run/);
});
