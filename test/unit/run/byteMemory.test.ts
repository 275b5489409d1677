/**
 * Byte memory through real scenario runs (issue 18 item 4): the C idioms drivers use on byte
 * buffers, and every memory error caught at its line and column. The drivers are fixtures written
 * for these tests (test/fixtures/bytes).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { prepareScenario } from '../../../engine';
import { World } from '../../../engine/run/world';
import { nodeFiles } from '../../../extension/shared/nodeFiles';
import { oneDriver, runWorld } from '../worldRun';

const dir = path.resolve('test/fixtures/bytes');

test('byte-level idioms: registry and volume-property buffers, a directory walk, unions, memset, pointer round trips', async () => {
  const prepared = await prepareScenario(path.join(dir, 'idioms.fltsim'), nodeFiles);
  assert.ok(prepared.ok, prepared.ok ? '' : prepared.diagnostics.map((d) => d.message).join('; '));
  const world = new World(prepared.prepared, {});
  world.run();
  assert.equal(world.fault, undefined);
  assert.deepEqual(world.sim.violations.map((v) => v.message), []);
  assert.deepEqual(world.sim.kernel.output, [
    // ZwQueryValueKey wrote KEY_VALUE_PARTIAL_INFORMATION into a UCHAR array on the stack.
    'registry dword=250 length=16 datalength=4',
    'registry string=Xyz first=X',
    // FLT_VOLUME_PROPERTIES (72 bytes on x64) with its name right behind it in the same buffer.
    'volume sector=512 name=\\Device\\HarddiskVolume1 tail=72',
    // FILE_BOTH_DIR_INFORMATION entries filled in C and walked with (PUCHAR)Entry + NextEntryOffset.
    'entry 0 a.txt 1000',
    'entry 1 report.docx 2000',
    'entry 2 z 3000',
    // 1.0f read as its bits; LARGE_INTEGER's QuadPart read as LowPart/HighPart.
    'union bits=3f800000 byte3=3f',
    'large low=fffffffe high=-1',
    // RtlFillMemory with 0xAB, read back as a ULONG and an exact 64-bit value.
    'memset id=abababab stamp=abababababababab',
    // Through ULONG_PTR and back; the address is a kernel one (0xffff…).
    'roundtrip id=141 same=1 high=ffff',
    'distance=64 elements=2',
    'containing id=42 offset=8',
    'flexible count=4 last=7 size=4',
    // The callback data's Parameters union: Read, Write and Others share storage.
    'parameters read=300 write=300 others=300 offset=4096',
  ]);
  assert.deepEqual(world.sim.result(1)?.status, 0);
});

const faultsC = readFileSync(path.join(dir, 'faults.c'), 'utf8');

async function runCase(n: number): Promise<World> {
  const files = oneDriver('faults.c', faultsC);
  const world = await runWorld('/t/f.fltsim', `driver "faults.c"\ndefine CASE ${n}\n`, files);
  return world;
}

/** Line and column of `text` in the fixture (1-based), so the expectations follow the source. */
function at(text: string): { line: number; column: number } {
  const lines = faultsC.split('\n');
  const line = lines.findIndex((l) => l.includes(text));
  assert.ok(line >= 0, `'${text}' is in faults.c`);
  return { line: line + 1, column: lines[line].indexOf(text) + 1 };
}

test('reading past the end of a stack buffer stops at the read, byte-exact', async () => {
  const w = await runCase(1);
  const where = at('*Tail;');
  assert.deepEqual({ line: w.fault?.line, column: w.fault?.column }, where);
  assert.equal(w.fault?.message, "'*Tail' reads 4 bytes at offset 14 of a 16-byte local 'Buffer' of PastTheEnd: past its end (only 2 left)");
});

test('a read through a pointer to freed pool stops there and names where it was freed', async () => {
  const w = await runCase(2);
  const freed = at('ExFreePoolWithTag(Ctx, TAG);');
  assert.deepEqual({ line: w.fault?.line, column: w.fault?.column }, at('Ctx->Flags;'));
  assert.equal(w.fault?.message, `'Ctx->Flags' reads 4 bytes at offset 4 of a 16-byte pool block #1 (tag 'Falt') after it was freed at /t/faults.c:${freed.line}:${freed.column} (use after free)`);
});

test('freeing a block twice is a pool-double-free violation at the second free', async () => {
  const w = await runCase(3);
  assert.equal(w.fault, undefined);
  const lines = faultsC.split('\n');
  const second = lines.findIndex((l, i) => l.includes('ExFreePoolWithTag(Block, TAG);') && lines[i - 1].includes('ExFreePoolWithTag(Block, TAG);')) + 1;
  assert.deepEqual(w.sim.violations.map((v) => [v.rule, v.location?.line, v.location?.column]), [['pool-double-free', second, 5]]);
  assert.match(w.sim.violations[0].message, new RegExp(`a second time; it was freed at /t/faults\\.c:${second - 1}$`));
});

test('reading a struct member nothing wrote is an uninitialized-read violation at that line; the run goes on with zeros', async () => {
  const w = await runCase(4);
  assert.equal(w.fault, undefined);
  const where = at('return Ctx.Count + Ctx.Flags;');
  assert.deepEqual(w.sim.violations.map((v) => [v.rule, v.location?.line, v.location?.column]), [['uninitialized-read', where.line, where.column]]);
  assert.match(w.sim.violations[0].message, /reads 4 bytes at offset 4 \(Ctx\.Flags\) of a 16-byte local 'Ctx' of Uninitialized before anything was written there/);
  assert.deepEqual(w.sim.kernel.output, ['result=1']);
});

test('a NULL dereference stops at the member access', async () => {
  const w = await runCase(5);
  assert.deepEqual({ line: w.fault?.line, column: w.fault?.column }, at('Ctx->Count;'));
  assert.match(w.fault?.message ?? '', /^NULL pointer dereference: 'Ctx' is NULL/);
});

test('freeing with a tag other than the allocation\'s is a pool-tag-mismatch violation at the free', async () => {
  const w = await runCase(6);
  const where = at('ExFreePoolWithTag(Block, BAD_TAG);');
  assert.deepEqual(w.sim.violations.map((v) => [v.rule, v.location?.line, v.location?.column]), [['pool-tag-mismatch', where.line, where.column]]);
  assert.match(w.sim.violations[0].message, /with tag ' Bad', allocated with 'Falt'/);
});

test('a pointer kept to a local of a function that returned is a use after return', async () => {
  const w = await runCase(7);
  assert.deepEqual({ line: w.fault?.line, column: w.fault?.column }, at('*Dangling();'));
  assert.match(w.fault?.message ?? '', /reads 4 bytes at offset 0 of a 4-byte local 'Local' of Dangling after the function that owned it returned \(use after return\)$/);
});
