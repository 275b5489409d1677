/**
 * The fuzz property over the debug adapter process: a session of random DAP requests with random
 * arguments (well-formed ones with small ids that often name something real, JSON of any shape, none
 * at all), sometimes a garbled frame, against dist/debugAdapter.js running a sample, a runaway
 * driver, a mutated driver or nothing. Every request is answered within its bound, nothing a user
 * sees carries an internal error, the process outlives everything but `disconnect`, and exits
 * promptly on it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { ADAPTER, RawProcess } from '../protocol/adapterProcess';
import { internalErrorIn } from './internalErrors';
import { GENERIC_WORKLOAD, mutatedC, SCENARIO_CORPUS, type MutatedC } from './inputs';

export const REQUEST_BOUND_MS = 15_000;
const EXIT_BOUND_MS = 5_000;

const COMMANDS = [
  'threads', 'stackTrace', 'scopes', 'variables', 'setVariable', 'evaluate', 'continue', 'next', 'stepIn', 'stepOut', 'stepBack',
  'reverseContinue', 'pause', 'setBreakpoints', 'setFunctionBreakpoints', 'setExceptionBreakpoints', 'exceptionInfo', 'configurationDone',
  'terminate', 'launch', 'initialize', 'attach', 'restart', 'source', 'loadedSources', 'goto', 'completions', 'disassemble', 'nonsense',
  'readMemory', 'writeMemory', 'dataBreakpointInfo', 'setDataBreakpoints',
] as const;

/** Memory references and data ids of every shape: real-looking addresses, the ends of the range, not numbers at all. */
const MEMORY_REFERENCES = ['0x0', '0x1000', '0xffff800000001000', '0xffffffffffffffff', '0x10000000000000000', '-1', '18446744073709551615', 'abc', '', '0x', `0x${'f'.repeat(40)}`, 'Data', 'ghost:1', '1e3'];
const DATA_IDS = ['', 'x', '0x1000/4', 'local:1:0:x', 'address:0xffff800000001000:8', 'address:-1:0', 'address:0x0:99999999', '{"a":1}', '\u0000'];
const BASE64 = ['', 'AAAA', '////', '!!!', 'QUJD=', 'A'.repeat(4000)];
const offsetOrCount = fc.oneof(fc.integer({ min: -5, max: 64 }), fc.constantFrom(2 ** 31, 2 ** 53, -(2 ** 53), 1.5, Number.MAX_SAFE_INTEGER));

const EXPRESSIONS = ['1 + 1', 'Data', 'Data->Iopb->MajorFunction', 'x = 5', 'value++', '(ULONGLONG)-1', '99999999999999999999999', '1e400', '*(PULONG)0', 'sizeof(FLT_CALLBACK_DATA)', ')(', '"str"', 'L"w"', '{ 1 }', '&&', ''];

const id = fc.integer({ min: 0, max: 40 });
const bigId = fc.oneof(id, fc.integer({ min: 1000, max: 2 ** 31 - 1 }), fc.constantFrom(-1, 1.5, 2 ** 53));

function wellFormed(command: string, sourcePath: string): fc.Arbitrary<unknown> {
  switch (command) {
    case 'stackTrace': return fc.record({ threadId: bigId, startFrame: fc.nat(5), levels: fc.nat(50) }, { requiredKeys: ['threadId'] });
    case 'scopes': return fc.record({ frameId: bigId });
    case 'variables': return fc.record({ variablesReference: bigId, filter: fc.constantFrom('indexed', 'named'), start: fc.nat(10), count: fc.nat(200) }, { requiredKeys: ['variablesReference'] });
    case 'setVariable': return fc.record({ variablesReference: bigId, name: fc.constantFrom('x', 'n', 'value', 'Status', 'Length'), value: fc.constantFrom(...EXPRESSIONS) });
    case 'evaluate': return fc.record({ expression: fc.constantFrom(...EXPRESSIONS), frameId: bigId, context: fc.constantFrom('repl', 'watch', 'hover') }, { requiredKeys: ['expression'] });
    case 'setBreakpoints': return fc.record({ source: fc.record({ path: fc.constantFrom(sourcePath, '/nowhere.c', '') }, { requiredKeys: [] }), breakpoints: fc.array(fc.record({ line: fc.integer({ min: -2, max: 400 }), condition: fc.constantFrom(...EXPRESSIONS), hitCondition: fc.constantFrom('2', '>1', 'x') }, { requiredKeys: ['line'] }), { maxLength: 4 }) }, { requiredKeys: ['source'] });
    case 'setFunctionBreakpoints': return fc.record({ breakpoints: fc.array(fc.record({ name: fc.constantFrom('DriverEntry', 'PreRead', 'Nope', ''), condition: fc.constantFrom(...EXPRESSIONS) }, { requiredKeys: ['name'] }), { maxLength: 3 }) });
    case 'setExceptionBreakpoints': return fc.record({ filters: fc.array(fc.constantFrom('violation', 'pend', 'complete', 'unload', 'bogus'), { maxLength: 4 }) });
    case 'launch': return fc.record({ scenario: fc.constantFrom('/nowhere.fltsim', ''), seed: fc.oneof(fc.nat(), fc.constant(2 ** 40)) }, { requiredKeys: [] });
    case 'initialize': return fc.record({ adapterID: fc.constant('fltsim') });
    case 'readMemory': return fc.record({ memoryReference: fc.constantFrom(...MEMORY_REFERENCES), offset: offsetOrCount, count: offsetOrCount }, { requiredKeys: ['memoryReference'] });
    case 'writeMemory': return fc.record({ memoryReference: fc.constantFrom(...MEMORY_REFERENCES), offset: offsetOrCount, data: fc.constantFrom(...BASE64), allowPartial: fc.boolean() }, { requiredKeys: ['memoryReference'] });
    case 'dataBreakpointInfo': return fc.record({ variablesReference: bigId, name: fc.constantFrom('x', 'Data', 'Status', '0x1000', '', '[0]'), frameId: bigId, asAddress: fc.boolean(), bytes: offsetOrCount }, { requiredKeys: ['name'] });
    case 'setDataBreakpoints': return fc.record({ breakpoints: fc.array(fc.record({ dataId: fc.constantFrom(...DATA_IDS), accessType: fc.constantFrom('read', 'write', 'readWrite', 'execute', ''), condition: fc.constantFrom(...EXPRESSIONS), hitCondition: fc.constantFrom('2', '>1', 'x', '') }, { requiredKeys: ['dataId'] }), { maxLength: 3 }) });
    default: return fc.record({ threadId: bigId });
  }
}

export interface DapRequest {
  command: string;
  args: unknown;
  /** Send this garbled frame just before the request. */
  garbage?: string;
  /** Milliseconds to let the run go on before the request. */
  waitMs: number;
}

export interface DapSession {
  target: 'sample' | 'spin' | 'mutated' | 'missing';
  sample: number;
  mutated: MutatedC;
  stopOnEntry: boolean;
  requests: DapRequest[];
}

const GARBAGE = ['Content-Length: abc\r\n\r\n{}', 'Content-Length: 5\r\n\r\nnope!', 'X: y\r\n\r\n', 'Content-Length: 99999999999\r\n\r\n', 'Content-Length: 2\r\n\r\n[]'];

export const dapSession: fc.Arbitrary<DapSession> = fc.record({
  target: fc.constantFrom('sample', 'sample', 'spin', 'mutated', 'missing'),
  sample: fc.nat(SCENARIO_CORPUS.length - 1),
  mutated: mutatedC,
  stopOnEntry: fc.boolean(),
  requests: fc.array(
    fc.constantFrom(...COMMANDS).chain((command) => fc.record({
      command: fc.constant(command),
      args: fc.oneof({ weight: 6, arbitrary: wellFormed(command, '/fz/d.c') }, { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) }, { weight: 1, arbitrary: fc.constant(undefined) }),
      garbage: fc.option(fc.constantFrom(...GARBAGE), { freq: 12, nil: undefined }),
      waitMs: fc.constantFrom(0, 0, 0, 5, 40),
    })),
    { minLength: 1, maxLength: 22 },
  ),
}) as fc.Arbitrary<DapSession>;

const SPIN = '#include <fltKernel.h>\nvolatile LONG Spins;\nNTSTATUS DriverEntry(PDRIVER_OBJECT D, PUNICODE_STRING R) {\n    for (;;) {\n        Spins++;\n    }\n}\n';

/** The scenario a session launches, written to a fresh folder; the breakpoint path points at its driver. */
function scenarioFor(s: DapSession): { scenario: string; driver: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'fltsim-fuzz-dap-'));
  if (s.target === 'sample') {
    const sample = SCENARIO_CORPUS[s.sample]!;
    for (const [name, text] of Object.entries(sample.drivers)) writeFileSync(path.join(dir, name), text);
    writeFileSync(path.join(dir, 's.fltsim'), sample.text);
    return { scenario: path.join(dir, 's.fltsim'), driver: path.join(dir, Object.keys(sample.drivers)[0]!) };
  }
  const text = s.target === 'spin' ? SPIN : s.mutated.text;
  writeFileSync(path.join(dir, 'd.c'), text);
  writeFileSync(path.join(dir, 's.fltsim'), `driver "d.c"\n${GENERIC_WORKLOAD}\n`);
  return { scenario: s.target === 'missing' ? path.join(dir, 'missing.fltsim') : path.join(dir, 's.fltsim'), driver: path.join(dir, 'd.c') };
}

/** What the user could see in a message: a response's error, an output event's text. */
function shown(m: { type?: string; message?: string; event?: string; body?: Record<string, unknown> }): string {
  if (m.type === 'response') return m.message ?? '';
  if (m.type === 'event' && m.event === 'output') return String(m.body?.output ?? '');
  if (m.type === 'event' && m.event === 'stopped') return `${String(m.body?.text ?? '')} ${String(m.body?.description ?? '')}`;
  return '';
}

export async function checkDapSession(s: DapSession): Promise<void> {
  const { scenario, driver } = scenarioFor(s);
  const inputText = `${s.target === 'mutated' ? s.mutated.text : ''} ${JSON.stringify(s.requests)}`;
  const a = new RawProcess(ADAPTER);
  try {
    const answer = async (command: string, args: unknown) => {
      const started = performance.now();
      const r = await a.request(command, args, REQUEST_BOUND_MS);
      const ms = performance.now() - started;
      if (ms > REQUEST_BOUND_MS) throw new Error(`${command} took ${Math.round(ms)} ms`);
      return r;
    };
    await answer('initialize', { adapterID: 'fltsim', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
    const launch = a.request('launch', { scenario, stopOnEntry: s.stopOnEntry }, REQUEST_BOUND_MS);
    await answer('setBreakpoints', { source: { path: driver }, breakpoints: [{ line: 10 }] });
    await answer('configurationDone', {});
    await launch;
    for (const r of s.requests) {
      if (r.waitMs > 0) await new Promise((res) => setTimeout(res, r.waitMs));
      if (r.garbage) a.raw(r.garbage);
      const args = r.command === 'setBreakpoints' && typeof r.args === 'object' && r.args !== null && (r.args as { source?: { path?: string } }).source?.path === '/fz/d.c'
        ? { ...(r.args as object), source: { path: driver } }
        : r.args;
      await answer(r.command, args);
      if (a.proc.exitCode !== null || a.proc.signalCode !== null) throw new Error(`the adapter exited (${a.proc.exitCode ?? a.proc.signalCode}) after ${r.command}; stderr: ${a.stderr.slice(0, 500)}`);
    }
    for (const m of a.messages) {
      const text = shown(m);
      const hit = text && internalErrorIn(text, inputText);
      if (hit) throw new Error(`internal error reached the user in a DAP ${m.type} ${m.command ?? m.event ?? ''}: '${hit}' in ${JSON.stringify(text.slice(0, 300))}`);
    }
    const stderrHit = internalErrorIn(a.stderr, inputText);
    if (stderrHit) throw new Error(`internal error on the adapter's stderr: '${stderrHit}' in ${a.stderr.slice(0, 500)}`);
    await answer('disconnect', {});
    const exit = await a.exitWithin(EXIT_BOUND_MS);
    if (exit.code !== 0) throw new Error(`the adapter exited with ${exit.code ?? exit.signal} on disconnect`);
  } finally {
    a.kill();
  }
}
