/**
 * User and kernel buffers, probing and structured exceptions in a scenario run: a filter
 * (test/fixtures/seh/prober.c, written for these tests) probes the buffers of a user-mode program's
 * requests the way careful filters do.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathRules, type ProjectFiles } from '../../../engine';
import { World } from '../../../engine/run/world';
import { STATUS } from '../../../engine/kernel/status';
import { MM_USER_PROBE_ADDRESS } from '../../../engine/memory/pointer';
import { runWorld } from '../worldRun';

const sources: Record<string, string> = { '/t/prober.c': readFileSync(path.resolve('test/fixtures/seh/prober.c'), 'utf8') };
const files: ProjectFiles = { readFile: (p) => sources[p], paths: pathRules('posix') };
const V = '\\Device\\HarddiskVolume1';

async function run(lines: string[]): Promise<World> {
  const text = ['driver "prober.c"', `volume "${V}"`, `file "${V}\\a.txt" content "hello, world"`, `file "${V}\\d" folder`, ...lines].join('\n');
  const world = await runWorld('/t/s.fltsim', text, files);
  return world;
}

const hex = (n: number) => `0x${(n >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;

test('a user-mode read hands the filter a user buffer: %p prints a user address, ProbeForWrite passes', async () => {
  const w = await run([`io #1 read "${V}\\a.txt" length 16 at 0`]);
  assert.equal(w.fault, undefined);
  assert.deepEqual(w.sim.violations.map((v) => v.rule), []);
  const [line, fin, probe] = w.sim.kernel.output;
  const m = /^major 3 buffer ([0-9A-F]{16}) system 0 kernel 0$/.exec(line ?? '');
  assert.ok(m, line);
  assert.ok(Number.parseInt(m[1]!, 16) < MM_USER_PROBE_ADDRESS && Number.parseInt(m[1]!, 16) > 0x10000, m[1]);
  assert.equal(fin, '  finally: depth 0 abnormal 0');
  assert.equal(probe, `  probe: ${hex(STATUS.STATUS_SUCCESS)} depth 0`);
  assert.equal(w.sim.result(1)?.status, STATUS.STATUS_SUCCESS);
});

test('a query-information buffer is a system buffer in pool: ProbeForWrite raises STATUS_ACCESS_VIOLATION, the __finally runs, the handler takes it', async () => {
  const w = await run([`io #1 query-info "${V}\\a.txt" class FileBasicInformation length 40 at 0`]);
  assert.equal(w.fault, undefined);
  assert.deepEqual(w.sim.violations.map((v) => v.rule), []);
  const [line, fin, probe] = w.sim.kernel.output;
  assert.match(line ?? '', /^major 5 buffer FFFF[0-9A-F]{12} system 1 kernel 1$/);
  assert.equal(fin, '  finally: depth 0 abnormal 1');
  assert.equal(probe, `  probe: ${hex(STATUS.STATUS_ACCESS_VIOLATION)} depth 0`);
});

test('a read the I/O manager buffered (system-buffer) carries a kernel buffer: the probe refuses it', async () => {
  const w = await run([`io #1 read "${V}\\a.txt" length 16 system-buffer at 0`]);
  assert.equal(w.fault, undefined);
  assert.match(w.sim.kernel.output[0] ?? '', /^major 3 buffer FFFF[0-9A-F]{12} system 1 kernel 1$/);
  assert.equal(w.sim.kernel.output[2], `  probe: ${hex(STATUS.STATUS_ACCESS_VIOLATION)} depth 0`);
});

test('ProbeForRead of a misaligned user address raises STATUS_DATATYPE_MISALIGNMENT', async () => {
  const w = await run([`io #1 write "${V}\\a.txt" data "abcdefgh" at 0`]);
  assert.equal(w.fault, undefined);
  assert.equal(w.sim.kernel.output[1], `  probe: ${hex(STATUS.STATUS_DATATYPE_MISALIGNMENT)} depth 0`);
});

test('ProbeForWrite with no __try around it is probe-outside-try; for a user buffer the run goes on', async () => {
  const w = await run([`io #1 query-dir "${V}\\d" length 256 at 0`]);
  assert.equal(w.fault, undefined);
  assert.deepEqual(w.sim.violations.map((v) => v.rule), ['probe-outside-try']);
  assert.match(w.sim.violations[0]!.message, /^ProbeForWrite in PreOp runs with no __try\/__except around it/);
});

test('ProbeForWrite of a kernel buffer with no handler stops the run: bug check 0x1E, at the probe\'s line', async () => {
  const w = await run([`io #1 query-dir "${V}\\d" length 256 system-buffer at 0`]);
  const f = w.fault;
  assert.ok(f);
  assert.equal(f.kind, 'unhandled-exception');
  assert.match(f.message, /^STATUS_ACCESS_VIOLATION raised: ProbeForWrite\(0xffff[0-9a-f]{12}, 256, 1\): a kernel-space address, not a user-mode buffer, and no __except handler took it: Windows stops with bug check 0x1E KMODE_EXCEPTION_NOT_HANDLED/);
  const line = sources['/t/prober.c']!.split('\n').findIndex((l) => l.includes('ProbeForWrite(buffer, length, alignment);')) + 1;
  assert.equal(f.line, line);
  assert.equal(w.end().kind, 'stopped');
});
