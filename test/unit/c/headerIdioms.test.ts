// Idioms third-party driver headers use at file scope: compile-time layout checks and GUID constants.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadC } from '../interp/harness';

test('static_assert and _Static_assert are checked at compile time, at file scope and in a function', async () => {
  const h = await loadC([
    '#include <ntifs.h>',
    'typedef struct _HDR { ULONG Magic; ULONGLONG Size; UCHAR Pad[16]; } HDR;',
    'static_assert(sizeof(HDR) == 32, "HDR is 32 bytes");',
    '_Static_assert(FIELD_OFFSET(HDR, Pad) == 16, "Pad at 16");',
    'static_assert(sizeof(HDR) == 24, "HDR shrank");',
    'int f(void) { static_assert(sizeof(LARGE_INTEGER) == 8, "li"); _Static_assert(1 == 2, "never"); return 7; }',
  ].join('\n'));
  assert.deepEqual(h.diagnostics, [
    '5: static assertion failed: HDR shrank',
    '6: static assertion failed: never',
  ]);
});

test('a static assertion that holds runs as nothing; the function around it still runs', async () => {
  const h = await loadC([
    '#include <ntifs.h>',
    'static_assert(sizeof(PVOID) == 8, "x64");',
    'int f(void) { int n = 1; static_assert(sizeof(int) == 4, "int"); return n + 6; }',
  ].join('\n'));
  assert.deepEqual(h.diagnostics, []);
  assert.equal(h.call('f'), 7);
});

test('DEFINE_GUID gives a GUID constant the driver can read and compare', async () => {
  const h = await loadC([
    '#include <ntifs.h>',
    '#include <initguid.h>',
    'DEFINE_GUID(GUID_MY_ECP, 0x1915fa3, 0x58e8, 0x4aaf, 0x8a, 0x31, 0xb1, 0x0c, 0x7e, 0x2f, 0x6d, 0x90);',
    'ULONG d1(void) { return GUID_MY_ECP.Data1; }',
    'ULONG last(void) { return GUID_MY_ECP.Data4[7]; }',
    'ULONG same(void) { GUID g = GUID_MY_ECP; return IsEqualGUID(&g, &GUID_MY_ECP); }',
  ].join('\n'));
  assert.deepEqual(h.diagnostics, []);
  assert.equal(h.call('d1'), 0x1915fa3);
  assert.equal(h.call('last'), 0x90);
  assert.equal(h.call('same'), 1);
});
