// The Debuggee showing and changing byte memory: struct, array and address-taken locals, a pointer
// into pool memory, and values set through their C names landing in the bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { Debuggee, prepareScenarioText } from '../../../engine';
import { DIR, lineOf, memoryFiles, stopped, top } from './debuggeeFixture';

const BYTES_C = path.join(DIR, 'bytes.c');
const BYTES = `#include <fltKernel.h>

typedef struct _PAIR { ULONG A; USHORT B; UCHAR Name[4]; } PAIR;

static VOID Bump(PULONG p) { *p += 1; }

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    PAIR pair;
    ULONG values[4] = { 1, 2, 3 };
    ULONG count = 7;
    PVOID block = ExAllocatePoolWithTag(NonPagedPool, 16, 'gaTT');
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    pair.A = 10;
    Bump(&count);
    DbgPrint("pair %lu values %lu count %lu\\n", pair.A, values[3], count);
    ExFreePoolWithTag(block, 'gaTT');
    block = ExAllocatePoolWithTag(NonPagedPool, 8, 'gaTT');
    DbgPrint("later %p\\n", block);
    ExFreePoolWithTag(block, 'gaTT');
    return STATUS_UNSUCCESSFUL;
}
`;
const PRINT = lineOf(BYTES, 'DbgPrint("pair');

async function stopAtPrint(): Promise<{ d: Debuggee; output: string[]; threadId: number; index: number }> {
  const prepared = await prepareScenarioText(path.join(DIR, 'bytes.fltsim'), 'driver "bytes.c"\n', memoryFiles({ [BYTES_C]: BYTES }));
  assert.ok(prepared.ok, prepared.ok ? '' : prepared.diagnostics.map((x) => x.message).join('; '));
  const output: string[] = [];
  const d = new Debuggee(prepared.prepared, { output: (text) => output.push(text) });
  d.setLineBreakpoints(BYTES_C, [{ line: PRINT }]);
  d.start(false);
  const stop = stopped(d.runToStop());
  return { d, output, threadId: stop.threadId, index: top(d, stop).index };
}

test('locals in memory show their fields, elements and pointees; nothing written reads as not yet assigned', async () => {
  const { d, output, threadId, index } = await stopAtPrint();
  const [locals] = d.scopes(threadId, index);
  const rows = new Map(d.variables(locals!.handle).map((r) => [r.name, r]));
  assert.equal(rows.get('count')!.value, '8', 'an address-taken local reads from its allocation');
  const pair = rows.get('pair')!;
  const fields = new Map(d.variables(pair.handle).map((r) => [r.name, r.value]));
  assert.equal(fields.get('A'), '10 (0xa)');
  assert.equal(fields.get('B'), '<not yet assigned>', 'a member nothing wrote');
  const values = rows.get('values')!;
  assert.equal(values.indexedCount, 4);
  assert.deepEqual(d.variables(values.handle, { filter: 'indexed', start: 0, count: 4 }).map((r) => r.value), ['1', '2', '3', '0']);
  assert.match(rows.get('block')!.value, /^0xffffa[0-9a-f]{11} \(pool block #1 \(tag 'TTag'\), 16 bytes\)$/);
  const watched = d.evaluate('pair.B + 1', { threadId });
  assert.ok(watched.ok, 'a watch may read bytes nothing wrote');
  d.continue();
  d.runToStop();
  assert.deepEqual(output.filter((o) => o.includes('violation')), [], 'looking at memory is not the driver reading it');
});

test('set value on a struct member writes its bytes: the driver sees it', async () => {
  const { d, output, threadId, index } = await stopAtPrint();
  const [locals] = d.scopes(threadId, index);
  const pair = d.variables(locals!.handle).find((r) => r.name === 'pair')!;
  assert.deepEqual(d.setValue(pair.handle, 'A', '40 + 2'), { ok: true, value: '42 (0x2a)', type: 'ULONG' });
  assert.deepEqual(d.setValue(locals!.handle, 'count', '100'), { ok: true, value: '100 (0x64)', type: 'ULONG' });
  d.continue();
  d.runToStop();
  assert.ok(output.includes('pair 42 values 0 count 100\n'), output.join(''));
});

test('what a debugger evaluates leaves the run as it was: later addresses and output are the same', async () => {
  const plain = await stopAtPrint();
  plain.d.continue();
  plain.d.runToStop();
  const looked = await stopAtPrint();
  for (const text of ['"a string only the watch has"', '(ULONG_PTR)&count', '(PVOID)(ULONG_PTR)&pair', 'sizeof(PAIR) + pair.B']) {
    const r = looked.d.evaluate(text, { threadId: looked.threadId });
    assert.ok(r.ok, `${text}: ${r.ok ? '' : r.message}`);
  }
  looked.d.continue();
  looked.d.runToStop();
  const later = (out: string[]) => out.find((o) => o.startsWith('later '));
  assert.match(later(plain.output) ?? '', /^later FFFFA[0-9A-F]{11}\n$/);
  assert.equal(later(looked.output), later(plain.output));
  assert.deepEqual(looked.output, plain.output);
});
