// MSVC's sized integer suffixes: `0i64` and `5ui64` did not parse (the C grammar reads i64 only after
// some digits); they are long long / unsigned long long, i32 and smaller are int.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadC } from '../interp/harness';

test('0i64, 5ui64, 0x10i64, 7i32 and 3ui8 parse and have their MSVC types', async () => {
  const h = await loadC([
    '#include <ntddk.h>',
    'LONGLONG Zero(void) { LARGE_INTEGER li; li.QuadPart = 0i64; return li.QuadPart; }',
    'int Sizes(void) { return (int)(sizeof(0i64) * 1000 + sizeof(5ui64) * 100 + sizeof(7i32) * 10 + sizeof(3ui8)); }',
    'ULONGLONG Big(void) { return 5ui64 << 40; }',
    'int Neg(void) { return (-1i64 < 0) + (0ui64 - 1 > 0) * 10; }',
    'LONGLONG Hex(void) { return 0x10i64 + 1000000i64; }',
  ].join('\n'));
  assert.deepEqual(h.diagnostics, []);
  assert.equal(Number(h.call('Zero')), 0);
  assert.equal(h.call('Sizes'), 8 * 1000 + 8 * 100 + 4 * 10 + 4);
  assert.equal(BigInt(h.call('Big') as number | bigint), 5n << 40n);
  assert.equal(h.call('Neg'), 11);
  assert.equal(Number(h.call('Hex')), 16 + 1000000);
});
