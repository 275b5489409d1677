// The debug adapter never dies on a request: arguments of the wrong shape, threads, frames and
// references that do not exist, malformed frames on stdin, runaway drivers, SIGTERM. Each test
// speaks to dist/debugAdapter.js as its own process, byte by byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ADAPTER, launched, RawProcess, type Message } from './adapterProcess';

const dir = mkdtempSync(path.join(tmpdir(), 'fltsim-dap-robust-'));
const ENTRY = 'NTSTATUS DriverEntry(PDRIVER_OBJECT D, PUNICODE_STRING R)';

function scenario(name: string, driver: string, lines = ''): string {
  writeFileSync(path.join(dir, `${name}.c`), `#include <fltKernel.h>\n${driver}`);
  writeFileSync(path.join(dir, `${name}.fltsim`), `driver "${name}.c"\n${lines}`);
  return path.join(dir, `${name}.fltsim`);
}

const SPIN = scenario('spin', `volatile LONG Spins;\n${ENTRY} {\n    for (;;) {\n        Spins++;\n    }\n}\n`);

async function withAdapter(body: (a: RawProcess) => Promise<void>): Promise<void> {
  const a = new RawProcess(ADAPTER);
  try {
    await body(a);
  } finally {
    a.kill();
  }
}

function failed(r: Message, pattern: RegExp): void {
  assert.equal(r.success, false, JSON.stringify(r));
  assert.match(r.message ?? '', pattern);
}

test('setBreakpoints without a source, or with a source that is not a file, is refused and the adapter lives on', () => withAdapter(async (a) => {
  await a.request('initialize', { adapterID: 'fltsim' });
  failed(await a.request('setBreakpoints', {}), /^setBreakpoints: arguments\.source is required$/);
  failed(await a.request('setBreakpoints', { source: { sourceReference: 4 }, breakpoints: [{ line: 3 }] }), /arguments\.source\.path is required/);
  failed(await a.request('setBreakpoints', { source: { path: '/x.c' }, breakpoints: [{ line: 'three' }] }), /arguments\.breakpoints\[0\]\.line must be integer/);
  failed(await a.request('setFunctionBreakpoints'), /^setFunctionBreakpoints: arguments\.breakpoints is required$/);
  failed(await a.request('setFunctionBreakpoints', { breakpoints: [{}] }), /arguments\.breakpoints\[0\]\.name is required/);
  failed(await a.request('next'), /arguments\.threadId is required/);
  failed(await a.request('variables', { variablesReference: -1 }), /variablesReference must be >= 0/);
  failed(await a.request('launch', { scenario: SPIN, seed: 2 ** 32 }), /"seed" must be a whole number from 0 to 4294967295/);
  assert.equal((await a.request('threads')).success, true, 'still answering');
  assert.equal(a.proc.exitCode, null);
}));

test('threads, frames and references that do not exist are errors; next on one never runs the scenario away', () => withAdapter(async (a) => {
  const file = scenario('pair', `volatile LONG Count;\n${ENTRY} {\n    Count = 1;\n    Count = 2;\n    return STATUS_SUCCESS;\n}\n`);
  await launched(a, file, { stopOnEntry: true });
  const stop = await a.event('stopped');
  const thread = Number(stop.body!.threadId);
  failed(await a.request('next', { threadId: 999 }), /^next: thread 999 does not exist/);
  failed(await a.request('stepIn', { threadId: 999 }), /thread 999 does not exist/);
  failed(await a.request('stepBack', { threadId: 999 }), /thread 999 does not exist/);
  failed(await a.request('stackTrace', { threadId: 999 }), /^stackTrace: thread 999 does not exist/);
  failed(await a.request('scopes', { frameId: 4242 }), /^scopes: frame 4242 does not exist/);
  failed(await a.request('variables', { variablesReference: 4242 }), /^variables: reference 4242 does not exist/);
  failed(await a.request('setVariable', { variablesReference: 4242, name: 'x', value: '1' }), /reference 4242 does not exist/);
  failed(await a.request('evaluate', { expression: 'Count', frameId: 4242 }), /frame 4242 does not exist/);
  assert.ok(!a.messages.some((m) => m.event === 'terminated'), 'the refused next did not run the scenario to its end');
  // The real thread still steps.
  const next = a.event('stopped', 15_000, stop.seq);
  assert.equal((await a.request('next', { threadId: thread })).success, true);
  assert.equal((await next).body!.reason, 'step');
}));

test('setVariable with a number no C type holds is refused instead of storing a wrapped value', () => withAdapter(async (a) => {
  const file = scenario('setvar', `${ENTRY} {\n    LONG n = 5;\n    n = n + 1;\n    return STATUS_SUCCESS;\n}\n`);
  await launched(a, file, { stopOnEntry: true });
  const stop = await a.event('stopped');
  const threadId = Number(stop.body!.threadId);
  const stepped = a.event('stopped', 15_000, stop.seq);
  await a.request('next', { threadId });
  await stepped;
  const frames = await a.request('stackTrace', { threadId });
  const frameId = Number((frames.body!.stackFrames as { id: number }[])[0]!.id);
  const scopes = await a.request('scopes', { frameId });
  const locals = (scopes.body!.scopes as { name: string; variablesReference: number }[]).find((s) => s.name === 'Locals')!;
  failed(await a.request('setVariable', { variablesReference: locals.variablesReference, name: 'n', value: '99999999999999999999999' }), /the integer constant '99999999999999999999999' does not fit in 64 bits/);
  failed(await a.request('setVariable', { variablesReference: locals.variablesReference, name: 'n', value: '1e400' }), /too large for a double/);
  const ok = await a.request('setVariable', { variablesReference: locals.variablesReference, name: 'n', value: '0x7fffffff' });
  assert.equal(ok.body!.value, '2147483647');
}));

test('an undeclared name in a global initializer: launch answers, and the run stops at the line instead of the adapter exiting', () => withAdapter(async (a) => {
  const file = scenario('globinit', `int Counter = NoSuchName + 1;\n${ENTRY} { return STATUS_SUCCESS; }\n`);
  const launch = await launched(a, file);
  assert.equal(launch.success, true, JSON.stringify(launch));
  const stop = await a.event('stopped');
  assert.equal(stop.body!.reason, 'exception');
  assert.match(String(stop.body!.text), /'NoSuchName' is not declared/);
  await a.waitFor((m) => m.event === 'output' && /globinit\.c:2/.test(String(m.body?.output)), 5000, 'the stop with its line in the console');
  assert.equal(a.proc.exitCode, null);
}));

test('malformed frames are reported on stderr and skipped; the next good request is answered', () => withAdapter(async (a) => {
  await a.request('initialize', { adapterID: 'fltsim' });
  a.raw('Content-Length: abc\r\n\r\n{"seq":90,"type":"request","command":"threads"}');
  a.frame('this is not JSON');
  a.frame('[1, 2, 3]');
  a.raw('Content-Type: application/json\r\n\r\n{"seq":91}');
  a.raw('Content-Length: 99999999999\r\n\r\n');
  const threads = await a.request('threads');
  assert.equal(threads.success, true);
  // stderr is another pipe: wait until the last problem has come through it too.
  for (let i = 0; i < 50 && !/over the/.test(a.stderr); i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(a.messages.filter((m) => m.type === 'response' && (m.request_seq === 90 || m.request_seq === 91)).length, 0, 'nothing was made up for the bad frames');
  for (const problem of [/a Content-Length that is not a number \("abc"\)/, /a message body is not JSON/, /JSON but not an object/, /a message without a Content-Length header/, /a Content-Length of 99999999999 bytes, over the/]) {
    assert.match(a.stderr, problem);
  }
  assert.ok(a.messages.some((m) => m.event === 'output' && /a message body is not JSON/.test(String(m.body?.output))), 'the Debug Console hears it too');
  assert.equal(a.proc.exitCode, null);
}));

test('a body shorter than its Content-Length, then the stream closing: the adapter exits instead of waiting forever', () => withAdapter(async (a) => {
  await a.request('initialize', { adapterID: 'fltsim' });
  a.raw('Content-Length: 500\r\n\r\n{"seq":5,');
  a.proc.stdin!.end();
  const exit = await a.exitWithin(5000);
  assert.equal(exit.code, 0);
}));

// How fast a pause lands is a speed target measured by `npm run bench` (adapter.bench.ts); here only
// that every pause stops the loop, each within the event's hang guard.
test('pause stops a runaway loop, five times in a row, each stop reported as a pause', async (t) => withAdapter(async (a) => {
  await launched(a, SPIN);
  await new Promise((r) => setTimeout(r, 300));
  const figures: number[] = [];
  let last = 0;
  for (let i = 0; i < 5; i++) {
    const stopped = a.event('stopped', 10_000, last);
    const sent = performance.now();
    await a.request('pause', { threadId: 1 });
    const stop = await stopped;
    figures.push(performance.now() - sent);
    assert.equal(stop.body!.reason, 'pause');
    last = stop.seq ?? 0;
    await a.request('continue', { threadId: 1 });
    await new Promise((r) => setTimeout(r, 100));
  }
  t.diagnostic(`pause latency over 5 pauses: ${figures.map((f) => f.toFixed(1)).join(', ')} ms (not asserted: see the bench)`);
  assert.equal(figures.length, 5);
}));

/** Children of a process, from /proc (Linux). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('SIGTERM while a runaway driver runs: the adapter exits at once and leaves no process behind', () => withAdapter(async (a) => {
  await launched(a, SPIN);
  await new Promise((r) => setTimeout(r, 300));
  const pid = a.proc.pid!;
  const children = childrenOf(pid);
  a.proc.kill('SIGTERM');
  // exitWithin is the hang guard: a process that ignored SIGTERM would never exit.
  const exit = await a.exitWithin(10_000);
  assert.equal(exit.signal, 'SIGTERM');
  assert.equal(alive(pid), false);
  for (const c of children) assert.equal(alive(c), false, `child ${c} is gone too`);
}));

test('disconnect while a runaway driver runs ends the process promptly', () => withAdapter(async (a) => {
  await launched(a, SPIN);
  await new Promise((r) => setTimeout(r, 300));
  await a.request('disconnect', {});
  const exit = await a.exitWithin(10_000);
  assert.equal(exit.code, 0);
}));

test('an empty do-while in DriverEntry: threads is answered while it runs, pause stops it in the loop, disconnect ends the process', () => withAdapter(async (a) => {
  const file = scenario('dowhile', `${ENTRY} {\n    do { } while (1);\n}\n`);
  await launched(a, file);
  await new Promise((r) => setTimeout(r, 300));
  // The loop never ends, so an answer at all shows the adapter serves requests while it runs.
  const threads = await a.request('threads');
  assert.equal(threads.success, true);
  const stopped = a.event('stopped', 5000);
  await a.request('pause', { threadId: 1 });
  const stop = await stopped;
  assert.equal(stop.body!.reason, 'pause');
  const trace = await a.request('stackTrace', { threadId: stop.body!.threadId });
  assert.equal(trace.success, true);
  const top = (trace.body!.stackFrames as { name: string; line: number }[])[0]!;
  assert.deepEqual([top.name, top.line], ['dowhile!DriverEntry', 3], 'paused on the loop');
  await a.request('continue', { threadId: stop.body!.threadId });
  await a.request('disconnect', {});
  const exit = await a.exitWithin(2000);
  assert.equal(exit.code, 0);
}));

test('driver output with terminal escapes reaches the Debug Console as visible text', () => withAdapter(async (a) => {
  const file = scenario('escapes', `${ENTRY} {\n    DbgPrint("\\x1b[2J\\x1b]0;owned\\x07 hello\\n");\n    return STATUS_SUCCESS;\n}\n`);
  await launched(a, file);
  const out = await a.waitFor((m) => m.event === 'output' && /hello/.test(String(m.body?.output)), 15_000, 'the DbgPrint line');
  const text = String(out.body!.output);
  assert.ok(![...text].some((c) => c.charCodeAt(0) < 0x20 && c !== '\n' && c !== '\t'), JSON.stringify(text));
  assert.match(text, /\\x1b\[2J\\x1b\]0;owned\\x07 hello/);
}));

test('a launch whose driver lies outside the workspace folder warns in the Debug Console, and still runs', () => withAdapter(async (a) => {
  const file = scenario('outside', `${ENTRY} { return STATUS_SUCCESS; }\n`, 'expect no violations\n');
  const ws = path.join(dir, 'ws');
  const launch = await launched(a, file, { workspaceFolder: ws });
  assert.equal(launch.success, true);
  const warn = await a.waitFor((m) => m.event === 'output' && /outside-workspace|outside the workspace folder/.test(String(m.body?.output)), 10_000, 'the warning');
  assert.equal(warn.body!.category, 'stderr');
  assert.match(String(warn.body!.output), /warning: driver "outside\.c" reads .*outside\.c, outside the workspace folder .*ws/);
  await a.event('terminated');
}));

test('the scenario and driver deleted mid-session: the session goes on from what it compiled, restart included; a new launch says the file is gone', () => withAdapter(async (a) => {
  const sub = mkdtempSync(path.join(dir, 'vanish-'));
  writeFileSync(path.join(sub, 'v.c'), `#include <fltKernel.h>\nvolatile LONG Count;\n${ENTRY} {\n    Count = 1;\n    Count = 2;\n    return STATUS_FLT_NOT_INITIALIZED;\n}\n`);
  const file = path.join(sub, 'v.fltsim');
  writeFileSync(file, 'driver "v.c"\nexpect load STATUS_FLT_NOT_INITIALIZED\n');
  await launched(a, file, { stopOnEntry: true });
  const stop = await a.event('stopped');
  rmSync(sub, { recursive: true, force: true });
  const bp = await a.request('setBreakpoints', { source: { path: path.join(sub, 'v.c') }, breakpoints: [{ line: 5 }] });
  assert.equal(bp.success, true);
  // Restart runs the build it compiled again, from the start (stopOnEntry as launched), and says why.
  const restarted = a.event('stopped', 15_000, stop.seq);
  const said = a.waitFor((m) => m.type === 'event' && m.event === 'output' && /can no longer be read/.test(String(m.body?.output)), 15_000, 'the note on the files that are gone');
  assert.equal((await a.request('restart', {})).success, true);
  assert.equal((await said).body!.output, 'fltsim: v.fltsim, v.c can no longer be read; the restart runs the build this session compiled.\n');
  const entry = await restarted;
  assert.equal(entry.body!.reason, 'entry');
  const hit = a.event('stopped', 15_000, entry.seq);
  assert.equal((await a.request('continue', { threadId: Number(entry.body!.threadId) })).success, true);
  assert.equal((await hit).body!.reason, 'breakpoint');
  const again = new RawProcess(ADAPTER);
  try {
    await again.request('initialize', { adapterID: 'fltsim', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
    failed(await again.request('launch', { scenario: file }), /cannot read the scenario file .*v\.fltsim': it does not exist/);
  } finally {
    again.kill();
  }
}));
