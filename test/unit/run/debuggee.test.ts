// The Debuggee without any protocol: commands, stops, frames, scopes, evaluation, set value and
// going back, all synchronous.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { DIR, NULL_DEREF, SPIN, SPIN_C, TALLY, TALLY_C, lineOf, open, scopeRows, stopped, tallyScenario, top } from './debuggeeFixture';

const TWICE_CALL = lineOf(TALLY, 'n = Twice(n);');
const INCREMENT = lineOf(TALLY, 'n = InterlockedIncrement(&Seen);');
const PRINT = lineOf(TALLY, 'DbgPrint("tally: read');

test('stopOnEntry stops at the first statement of DriverEntry on the loader thread; kernel frames carry no source', async () => {
  const { debuggee: d } = await open(tallyScenario());
  d.start(true);
  const stop = stopped(d.runToStop());
  assert.equal(stop.reason, 'entry');
  assert.match(stop.description, /^Paused on entry \(0 ms\)$/);
  assert.deepEqual(d.threads().find((t) => t.id === stop.threadId), { id: stop.threadId, name: 'DriverEntry' });
  const frames = d.frames(stop.threadId);
  assert.equal(frames[0]!.name, 'tally!DriverEntry');
  assert.deepEqual(frames[0]!.source, { file: TALLY_C, line: lineOf(TALLY, 'UNREFERENCED_PARAMETER(RegistryPath);'), column: frames[0]!.source!.column });
  assert.ok(frames.length > 1 && frames.slice(1).every((f) => f.source === undefined), frames.map((f) => f.name).join(' < '));
  assert.deepEqual(frames.map((f) => f.index), [...frames.keys()].map((i) => frames.length - 1 - i), 'indexes count from the outermost frame');
});

test('line breakpoints move to the next statement; files without driver code, unknown functions and bad hit counts are not verified', async () => {
  const { debuggee: d } = await open(tallyScenario());
  const blank = lineOf(TALLY, 'LONG doubled = value * 2;') + 1;
  const [moved, comment] = d.setLineBreakpoints(TALLY_C, [{ line: blank }, { line: 1 }]);
  assert.deepEqual([moved!.verified, moved!.line], [true, blank + 1]);
  assert.equal(moved!.file, TALLY_C);
  assert.deepEqual([comment!.verified, comment!.line], [true, lineOf(TALLY, 'LONG doubled')], 'line 1 moves to the first statement below it');
  const [elsewhere] = d.setLineBreakpoints(path.join(DIR, 'other.c'), [{ line: 3 }]);
  assert.equal(elsewhere!.verified, false);
  assert.equal(elsewhere!.message, 'no driver code of this scenario is in this file');
  const [past] = d.setLineBreakpoints(TALLY_C, [{ line: 10_000 }]);
  assert.deepEqual([past!.verified, past!.message], [false, 'no statement on or after this line']);
  const [badHits] = d.setLineBreakpoints(TALLY_C, [{ line: TWICE_CALL, hitCondition: 'often' }]);
  assert.equal(badHits!.verified, false);
  assert.match(badHits!.message ?? '', /hit count 'often' is not understood/);
  const [fn, qualified, unknown] = d.setFunctionBreakpoints([{ name: 'Worker' }, { name: 'TALLY!Twice' }, { name: 'Nope' }]);
  assert.deepEqual([fn!.verified, fn!.line], [true, lineOf(TALLY, 'PFLT_CALLBACK_DATA data = (PFLT_CALLBACK_DATA)Context;')]);
  assert.deepEqual([qualified!.verified, qualified!.line], [true, lineOf(TALLY, 'LONG doubled')], 'module names compare without case');
  assert.deepEqual([unknown!.verified, unknown!.message], [false, "no driver function named 'Nope' in this scenario"]);
  assert.deepEqual(d.executableLines(TALLY_C).includes(TWICE_CALL), true);
  assert.deepEqual(d.executableLines(path.join(DIR, 'other.c')), []);
});

test('a line breakpoint stops in PreRead; step in enters Twice, step out returns, step over stays in the frame', async () => {
  const { debuggee: d } = await open(tallyScenario());
  d.setLineBreakpoints(TALLY_C, [{ line: TWICE_CALL }]);
  d.start(false);
  const stop = stopped(d.runToStop());
  assert.equal(stop.reason, 'breakpoint');
  assert.equal(stop.description, 'Paused on breakpoint (0 ms)');
  assert.equal(d.threads().find((t) => t.id === stop.threadId)?.name, 'I/O #1 (read)');
  assert.deepEqual([top(d, stop).name, top(d, stop).line], ['tally!PreRead', TWICE_CALL]);
  d.setLineBreakpoints(TALLY_C, []);

  d.step(stop.threadId, 'in');
  const inside = stopped(d.runToStop());
  assert.equal(inside.reason, 'step');
  assert.deepEqual([top(d, inside).name, top(d, inside).line], ['tally!Twice', lineOf(TALLY, 'LONG doubled')]);
  assert.equal(scopeRows(d, inside).get('Locals')!.get('value'), '1');

  d.step(inside.threadId, 'out');
  const back = stopped(d.runToStop());
  assert.deepEqual([top(d, back).name, top(d, back).line], ['tally!PreRead', PRINT]);
  assert.equal(scopeRows(d, back).get('Locals')!.get('n'), '2');

  d.step(back.threadId, 'over');
  const over = stopped(d.runToStop());
  assert.deepEqual([top(d, over).name, top(d, over).line], ['tally!PreRead', PRINT + 1]);
});

test('conditions and hit counts choose the hit; a logpoint prints its interpolation without stopping', async () => {
  const conditional = await open(tallyScenario());
  conditional.debuggee.setLineBreakpoints(TALLY_C, [{ line: TWICE_CALL, condition: 'n == 2' }]);
  conditional.debuggee.start(false);
  const c = stopped(conditional.debuggee.runToStop());
  assert.deepEqual(conditional.debuggee.evaluate('n', { threadId: c.threadId }), { ok: true, value: '2', type: 'LONG', handle: 0, indexedCount: undefined, hexValue: '0x2' });
  assert.equal(conditional.debuggee.threads().find((t) => t.id === c.threadId)?.name, 'I/O #2 (read)');

  const counted = await open(tallyScenario());
  const [bp] = counted.debuggee.setLineBreakpoints(TALLY_C, [{ line: TWICE_CALL, hitCondition: '== 2' }]);
  counted.debuggee.start(false);
  const h = stopped(counted.debuggee.runToStop());
  assert.deepEqual(h.hitBreakpointIds, [bp!.id]);
  assert.equal(counted.debuggee.evaluate('Seen', { threadId: h.threadId }).ok && (counted.debuggee.evaluate('Seen', { threadId: h.threadId }) as { value: string }).value, '2');

  const logged = await open(tallyScenario());
  logged.debuggee.setLineBreakpoints(TALLY_C, [{ line: PRINT, logMessage: 'about to print {n} (seen {Seen}) {nope}' }]);
  logged.debuggee.start(false);
  assert.deepEqual(logged.debuggee.runToStop(), { kind: 'terminated' });
  const console = logged.output.filter((o) => o.category === 'console').map((o) => o.text);
  assert.ok(console.some((t) => /^about to print 2 \(seen 1\) <[^>]*nope[^>]*>\n$/.test(t)), console.join(''));
  assert.ok(console.some((t) => /^about to print 4 \(seen 2\)/.test(t)), console.join(''));
  const stdout = logged.output.filter((o) => o.category === 'stdout').map((o) => o.text);
  assert.deepEqual(stdout, ['tally: read 2\n', 'tally: read 4\n']);
  assert.ok(console.some((t) => t === '✓ expect calls Worker 2\n'), console.join(''));
  assert.ok(console.some((t) => /^Run finished at \d+ ms after \d+ steps: PASS {2}3 expectations hold\n$/.test(t)), console.join(''));
});

test('evaluate reads locals and globals in the chosen frame, refuses calls and (outside the console) assignments', async () => {
  const { debuggee: d, output } = await open(tallyScenario());
  d.setFunctionBreakpoints([{ name: 'Twice' }]);
  d.start(false);
  const stop = stopped(d.runToStop());
  const [inner, caller] = d.frames(stop.threadId);
  assert.equal(caller!.name, 'tally!PreRead');
  const value = d.evaluate('value + 40', { threadId: stop.threadId, frameIndex: inner!.index });
  assert.equal(value.ok && value.value, '41');
  const n = d.evaluate('n', { threadId: stop.threadId, frameIndex: caller!.index });
  assert.equal(n.ok && n.value, '1', 'the caller frame sees its own locals');
  const data = d.evaluate('Data', { threadId: stop.threadId, frameIndex: caller!.index });
  assert.ok(data.ok && data.handle > 0, 'a pointer to a struct expands');
  const fields = d.variables(data.ok ? data.handle : 0);
  assert.equal(fields.find((f) => f.name === 'Iopb')?.evaluateName, 'Data->Iopb');
  const missing = d.evaluate('noSuchName + 1', { threadId: stop.threadId });
  assert.ok(!missing.ok && /noSuchName/.test(missing.message));
  const call = d.evaluate('Twice(3)', { threadId: stop.threadId });
  assert.ok(!call.ok && /cannot call/.test(call.message));
  const write = d.evaluate('value = 5', { threadId: stop.threadId });
  assert.ok(!write.ok && /cannot assign/.test(write.message));
  const repl = d.evaluate('value = 5', { threadId: stop.threadId, allowAssignment: true });
  assert.equal(repl.ok && repl.value, '5');
  d.continue();
  assert.equal(stopped(d.runToStop()).reason, 'function breakpoint');
  assert.equal((d.evaluate('Seen') as { value: string }).value, '2');
  assert.ok(output.some((o) => o.text === 'tally: read 10\n'), 'the value set in the console made the first read print 10');
});

test('set value changes a local through its C name; the change is replayed when stepping back and forward again', async () => {
  const { debuggee: d, output } = await open(tallyScenario());
  d.setLineBreakpoints(TALLY_C, [{ line: TWICE_CALL }]);
  d.start(false);
  const stop = stopped(d.runToStop());
  d.setLineBreakpoints(TALLY_C, []);
  const [locals] = d.scopes(stop.threadId, top(d, stop).index);
  assert.equal(locals!.name, 'Locals');
  const rows = d.variables(locals!.handle);
  assert.deepEqual(rows.map((r) => [r.name, r.evaluateName, r.editable]), ['Data', 'FltObjects', 'CompletionContext', 'n', 'item'].map((name) => [name, name, true]), 'scalars (pointers included) named by C can be set');
  assert.deepEqual(d.setValue(locals!.handle, 'n', '10 * 2'), { ok: true, value: '20', type: 'LONG' });
  assert.deepEqual(d.setValue(locals!.handle, 'nope', '1'), { ok: false, message: "'nope' cannot be changed here" });
  const bad = d.setValue(locals!.handle, 'n', 'what');
  assert.ok(!bad.ok && /^cannot set n: .*what/.test(bad.message));

  d.stepBack(stop.threadId);
  const back = stopped(d.runToStop());
  assert.equal(back.reason, 'step');
  assert.match(back.description, /^Paused on step back \(0 ms\)$/);
  assert.equal(top(d, back).line, INCREMENT);
  assert.equal(scopeRows(d, back).get('Locals')!.get('n'), '<not yet assigned>');

  d.step(back.threadId, 'over');
  const again = stopped(d.runToStop());
  assert.equal(top(d, again).line, TWICE_CALL);
  assert.equal(scopeRows(d, again).get('Locals')!.get('n'), '20', 'the value set at this step is set again');
  d.step(again.threadId, 'over');
  stopped(d.runToStop());
  d.step(again.threadId, 'over');
  stopped(d.runToStop());
  assert.ok(output.some((o) => o.text === 'tally: read 40\n'), output.map((o) => o.text).join(''));
});

test('step back from the first statement stays at the start of the run; handles of an older stop are gone', async () => {
  const { debuggee: d } = await open(tallyScenario());
  d.start(true);
  const entry = stopped(d.runToStop());
  const scopes = d.scopes(entry.threadId, top(d, entry).index);
  assert.deepEqual(scopes.map((s) => s.name), ['Locals', 'Globals', 'Thread', 'Callback Data', 'Queues', 'Filters']);
  d.stepBack(entry.threadId);
  const same = stopped(d.runToStop());
  assert.equal(same.description, 'Paused at the start of the run');
  assert.equal(top(d, same).line, top(d, entry).line);
  assert.deepEqual(d.variables(scopes[0]!.handle), [], 'the stop made new handles');
  assert.ok(d.generation > 0);
});

test('reverse continue goes back to the previous breakpoint hit, then to the start of the run', async () => {
  const { debuggee: d } = await open(tallyScenario());
  const [bp] = d.setFunctionBreakpoints([{ name: 'Worker' }]);
  d.start(false);
  const first = stopped(d.runToStop());
  const firstTime = scopeRows(d, first).get('Thread')!.get('Virtual time');
  const firstStep = scopeRows(d, first).get('Thread')!.get('Step');
  d.continue();
  const second = stopped(d.runToStop());
  assert.equal(scopeRows(d, second).get('Thread')!.get('Virtual time'), '1 ms');
  d.reverseContinue();
  const back = stopped(d.runToStop());
  assert.equal(back.reason, 'function breakpoint');
  assert.deepEqual(back.hitBreakpointIds, [bp!.id]);
  assert.match(back.description, /going backwards/);
  assert.equal(scopeRows(d, back).get('Thread')!.get('Virtual time'), firstTime);
  assert.equal(scopeRows(d, back).get('Thread')!.get('Step'), firstStep, 'the very step of the first hit');
  d.reverseContinue();
  const start = stopped(d.runToStop());
  assert.deepEqual([start.reason, start.description], ['entry', 'Paused at the start of the run']);
  assert.equal(top(d, start).name, 'tally!DriverEntry');
  // Forward again: the breakpoint's hit count was recounted by the replay, so it stops at the first hit.
  d.continue();
  assert.equal(scopeRows(d, stopped(d.runToStop())).get('Thread')!.get('Step'), firstStep);
});

test('transition filters stop at the transition; unknown ids are reported; the violation filter is on by default', async () => {
  const pend = await open(tallyScenario());
  assert.deepEqual(pend.debuggee.setTransitionFilters(['pend', 'bogus']), [true, false]);
  pend.debuggee.start(false);
  const p = stopped(pend.debuggee.runToStop());
  assert.equal(p.reason, 'exception');
  assert.match(p.text ?? '', /^PreRead pended #1 \(FLT_PREOP_PENDING\)/);
  assert.match(p.description, /^PreRead pended #1 .*\(\d+ ms\)$/);

  const locked = await open(tallyScenario('define LOCKED 1'));
  locked.debuggee.start(false);
  const v = stopped(locked.debuggee.runToStop());
  assert.equal(v.reason, 'exception');
  assert.match(v.text ?? '', /^cpp-irql: FltCompletePendedPreOperation called at DISPATCH_LEVEL/);
  assert.ok(locked.output.some((o) => o.category === 'stderr' && /violation cpp-irql/.test(o.text)), 'the violation is printed too');
  assert.equal(scopeRows(locked.debuggee, v).get('Thread')!.get('IRQL'), 'DISPATCH_LEVEL (2)');
  assert.match(scopeRows(locked.debuggee, v).get('Thread')!.get('Locks held') ?? '', /spin lock/);
});

test('a driver fault stops with its message; going forward then ends the run, going back does not', async () => {
  const { debuggee: d, output } = await open('driver "null.c"\n');
  d.start(false);
  const fault = stopped(d.runToStop());
  assert.deepEqual([fault.reason, fault.description], ['exception', 'driver code failed']);
  assert.match(fault.text ?? '', /NULL/);
  assert.ok(output.some((o) => o.category === 'stderr' && o.text.startsWith(`The run stopped at ${path.join(DIR, 'null.c')}:${lineOf(NULL_DEREF, '*p = 1;')}`)), output.map((o) => o.text).join(''));
  assert.equal(d.ended, true);
  d.stepBack(fault.threadId);
  const back = stopped(d.runToStop());
  assert.equal(back.reason, 'step');
  assert.equal(d.ended, false);
  d.continue();
  assert.equal(stopped(d.runToStop()).reason, 'exception');
  // From the fault, reverse continue with no breakpoint goes back to the start of the run.
  d.reverseContinue();
  const start = stopped(d.runToStop());
  assert.deepEqual([start.reason, start.description], ['entry', 'Paused at the start of the run']);
  assert.equal(top(d, start).line, lineOf(NULL_DEREF, 'PULONG p = NULL;'));
  d.continue();
  assert.equal(stopped(d.runToStop()).reason, 'exception');
  d.continue();
  assert.deepEqual(d.runToStop(), { kind: 'terminated' });
});

test('a loop that never ends runs until paused (no statement budget under a debugger), and can be continued', async () => {
  const { debuggee: d } = await open('driver "spin.c"\n');
  d.start(false);
  assert.deepEqual(d.advance(50_000), { kind: 'running' });
  assert.deepEqual(d.advance(50_000), { kind: 'running' });
  d.pause();
  const stop = stopped(d.advance(50_000));
  assert.equal(stop.reason, 'pause');
  assert.match(stop.description, /^Paused \(0 ms\)$/);
  const frame = top(d, stop);
  assert.equal(frame.name, 'spin!DriverEntry');
  assert.ok([lineOf(SPIN, 'for (;;)'), lineOf(SPIN, 'Counter++;')].includes(frame.line!), `paused in the loop (line ${frame.line})`);
  const counter = d.evaluate('Counter');
  assert.ok(counter.ok && Number(counter.value) > 10_000, JSON.stringify(counter));
  d.continue();
  assert.deepEqual(d.advance(10_000), { kind: 'running' });
  assert.deepEqual(d.advance(0), { kind: 'running' }, 'no steps, still under way');

  const budgeted = await open('driver "spin.c"\n', { stepBudget: 1000 });
  budgeted.debuggee.start(false);
  const fault = stopped(budgeted.debuggee.runToStop());
  assert.equal(fault.reason, 'exception');
  assert.match(fault.text ?? '', /more than 1,000 statements/);
  assert.equal(SPIN_C, path.join(DIR, 'spin.c'));
});

test('scopes show the thread, the callback data in hand, the queues and the filters as rows with handles', async () => {
  const { debuggee: d } = await open(tallyScenario());
  d.setFunctionBreakpoints([{ name: 'Worker' }]);
  d.start(false);
  const stop = stopped(d.runToStop());
  const scopes = d.scopes(stop.threadId, top(d, stop).index);
  const byName = new Map(scopes.map((s) => [s.name, s.handle]));
  const thread = new Map(d.variables(byName.get('Thread')!).map((v) => [v.name, v]));
  assert.equal(thread.get('IRQL')!.value, 'PASSIVE_LEVEL (0)');
  assert.equal(thread.get('Serves')!.value, 'DelayedWorkQueue');
  assert.equal(thread.get('IRQL')!.editable, false);
  const data = new Map(d.variables(byName.get('Callback Data')!).map((v) => [v.name, v]));
  // The worker's Context local holds the operation (as a PVOID): its fields get C paths through a cast.
  const given = data.get('In hand')!;
  assert.match(given.value, /^#1 IRP_MJ_READ /);
  const struct = d.variables(given.handle).find((v) => v.name === 'FLT_CALLBACK_DATA')!;
  assert.equal(struct.evaluateName, '*((PFLT_CALLBACK_DATA)Context)');
  const ioStatus = d.variables(struct.handle).find((v) => v.name === 'IoStatus')!;
  const status = d.variables(ioStatus.handle).find((v) => v.name === 'Status')!;
  assert.deepEqual([status.evaluateName, status.editable], ['(*((PFLT_CALLBACK_DATA)Context)).IoStatus.Status', true]);
  assert.deepEqual(d.setValue(ioStatus.handle, 'Status', 'STATUS_ACCESS_DENIED'), { ok: true, value: 'STATUS_ACCESS_DENIED (0xC0000022)', type: 'NTSTATUS' });
  const live = data.get('Live')!;
  assert.equal(live.indexedCount, 1);
  const [first] = d.variables(live.handle, { filter: 'indexed', start: 0, count: 1 });
  assert.match(first!.value, /^#1 IRP_MJ_READ /);
  const fields = new Map(d.variables(first!.handle).map((v) => [v.name, v.value]));
  assert.equal(fields.get('MajorFunction'), 'IRP_MJ_READ');
  const filters = d.variables(byName.get('Filters')!);
  assert.deepEqual(filters.map((f) => f.name), ['tally']);
  const queues = d.variables(byName.get('Queues')!).map((q) => q.name);
  assert.ok(queues.includes('DelayedWorkQueue') && queues.includes('Completion context'), queues.join(', '));
  // A row that no C expression names cannot be set.
  assert.deepEqual(d.setValue(byName.get('Thread')!, 'IRQL', 'PASSIVE_LEVEL'), { ok: false, message: "'IRQL' cannot be changed here" });
});

test('runs are the same with or without a debugger in between: stopping at every statement reaches the same end', async () => {
  const free = await open(tallyScenario());
  free.debuggee.start(false);
  assert.deepEqual(free.debuggee.runToStop(), { kind: 'terminated' });
  const stepped = await open(tallyScenario());
  const lines = stepped.debuggee.executableLines(TALLY_C);
  assert.ok(stepped.debuggee.setLineBreakpoints(TALLY_C, lines.map((line) => ({ line }))).every((b) => b.verified));
  stepped.debuggee.start(false);
  let p = stepped.debuggee.runToStop();
  let stops = 0;
  while (p.kind === 'stopped') {
    stops++;
    stepped.debuggee.continue();
    p = stepped.debuggee.runToStop();
  }
  assert.equal(p.kind, 'terminated');
  assert.ok(stops > 30, `${stops} stops`);
  const summary = (o: { text: string }[]) => o.filter((x) => x.text.startsWith('Run finished')).map((x) => x.text);
  assert.equal(summary(free.output).length, 1);
  assert.deepEqual(summary(stepped.output), summary(free.output));
  assert.deepEqual(stepped.output.filter((o) => o.category === 'stdout'), free.output.filter((o) => o.category === 'stdout'));
});

test('the debugger words the verdict as fltsim run does: a stop nobody expected leaves every expectation unchecked', async () => {
  const { debuggee: d, output } = await open('driver "null.c"\nexpect no violations\n');
  d.start(false);
  stopped(d.runToStop());
  const lines = output.map((o) => o.text);
  assert.ok(lines.includes('– expect no violations   — not checked: the run stopped before its end\n'), lines.join(''));
  assert.ok(lines.some((t) => /^✗ the run stopped before its end \(null-dereference\)/.test(t)), lines.join(''));
  assert.ok(lines.some((t) => /^Run stopped at 0 ms after \d+ steps: FAIL {2}the run did not end as expected, 1 not checked\n$/.test(t)), lines.join(''));
  assert.ok(!lines.some((t) => t.startsWith('✓')), 'nothing after a stop passes');
});

test('a scenario that sets limit steps gets that limit under the debugger too, with the knob named', async () => {
  const { debuggee: d, output } = await open('driver "spin.c"\nlimit steps 1000\nexpect stop step-budget\n');
  d.start(false);
  const s = stopped(d.runToStop());
  assert.equal(s.reason, 'exception');
  assert.match(s.text ?? '', /more than 1,000 statements.*`limit steps N` in the scenario/);
  assert.ok(output.some((o) => /^Run stopped at \d+ ms after \d+ steps: PASS {2}1 expectation holds\n$/.test(o.text)), output.map((o) => o.text).join(''));
});
