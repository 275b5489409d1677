/**
 * Bytes on an io line (engine/scenario/payload.ts): a control request's `input` and `output`, a
 * write's `data` as byte parts, the field-sized parts (uchar, ushort, ulong, ulonglong) also on
 * client lines, and a clear error for each bad form.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario, type IoStatement } from '../../../engine/scenario';

function io(line: string): IoStatement {
  const r = parseScenario(`driver "d.c"\n${line}\n`);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  return r.scenario.statements.find((s) => s.kind === 'io') as IoStatement;
}

function errors(line: string): [string, number, string][] {
  return parseScenario(`driver "d.c"\n${line}\n`).diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.column, d.message]);
}

test('an ioctl\'s input is its parts laid out in order, little-endian, and its output length is its own', () => {
  const s = io('io #1 ioctl "\\??\\Cdo" code 0x222003 input uchar 1 ushort 0x203 ulong 0x4050607 ulonglong 0x1122334455667788 wide "A" "b" hex "ff" zeros 2 output 64 at 3');
  assert.deepEqual(s.input, [1, 3, 2, 7, 6, 5, 4, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x41, 0, 0x62, 0xff, 0, 0]);
  assert.equal(s.output, 64);
  assert.equal(s.time, 3);
  assert.equal(s.length, undefined);
  assert.deepEqual(io('io #1 fsctl "\\Device\\HarddiskVolume1\\a.txt" code 0x90000 output 0').output, 0);
});

test('a write\'s data is text as before, or byte parts', () => {
  const text = io('io #1 write "\\Device\\HarddiskVolume1\\a.txt" data "héllo" at 1');
  assert.equal(text.data, 'héllo');
  assert.equal(text.dataBytes, undefined);
  const bytes = io('io #1 write "\\Device\\HarddiskVolume1\\a.txt" data "MZ" ulong 0 hex "90 90" offset 4 at 1');
  assert.deepEqual(bytes.dataBytes, [0x4d, 0x5a, 0, 0, 0, 0, 0x90, 0x90]);
  assert.equal(bytes.offset, 4);
  assert.equal(bytes.data, undefined);
});

test('bad bytes, bytes where none belong, and length with input or output are errors at the word', () => {
  const line = (rest: string) => `io #1 ioctl "\\??\\Cdo" code 1 ${rest}`;
  assert.deepEqual(errors(line('input')), [['missing-value', 30, "missing bytes after 'input'"]]);
  assert.deepEqual(errors(line('input uchar 256')), [['bad-number', 42, 'UCHAR value 256 is out of range']]);
  assert.deepEqual(errors(line('input ushort 0x10000')), [['bad-number', 43, 'USHORT value 0x10000 is out of range']]);
  assert.deepEqual(errors(line('input ulonglong 0x10000000000000000')), [['bad-number', 46, 'ULONGLONG value 0x10000000000000000 is out of range']]);
  assert.deepEqual(errors(line('input hex "0g"')), [['bad-number', 40, '"0g" is not a sequence of hex bytes']]);
  assert.deepEqual(errors(line('input ulong 1 banana')), [['unexpected-token', 44, "unexpected 'banana' in the bytes after 'input'"]]);
  assert.deepEqual(errors(line('length 8 input ulong 1')), [['contradiction', 30, "'length' cannot be combined with 'input'"]]);
  assert.deepEqual(errors(line('output 4 length 8')), [['contradiction', 39, "'length' cannot be combined with 'output'"]]);
  assert.deepEqual(errors('io #1 read "\\Device\\HarddiskVolume1\\a.txt" input ulong 1'), [['option-not-applicable', 44, "'input' does not apply to read"]]);
  assert.deepEqual(errors('io #1 write "\\Device\\HarddiskVolume1\\a.txt" output 4'), [['option-not-applicable', 45, "'output' does not apply to write"]]);
});

test('client lines take the field-sized parts too', () => {
  const r = parseScenario('driver "d.c"\nclient "\\P" send ushort 1 uchar 2 output 8 at 1\n');
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  const c = r.scenario.statements.find((s) => s.kind === 'client') as unknown as { data: number[] };
  assert.deepEqual(c.data, [1, 0, 2]);
});
