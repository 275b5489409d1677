// RtlTimeToSecondsSince1970/1980 and back (engine/c/prelude/timefields.ts), as monitors stamp events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadC } from './harness';

test('system time converts to seconds since 1970 and 1980 and back; out of range is FALSE', async () => {
  const h = await loadC(`
#include <ntddk.h>
LONGLONG back1970(ULONG s) { LARGE_INTEGER t; RtlSecondsSince1970ToTime(s, &t); return t.QuadPart; }
LONGLONG back1980(ULONG s) { LARGE_INTEGER t; RtlSecondsSince1980ToTime(s, &t); return t.QuadPart; }
LONGLONG since1970(LONGLONG ticks) { LARGE_INTEGER t; ULONG s = 7; t.QuadPart = ticks; return RtlTimeToSecondsSince1970(&t, &s) ? (LONGLONG)s : -1 - (LONGLONG)s; }
LONGLONG since1980(LONGLONG ticks) { LARGE_INTEGER t; ULONG s = 7; t.QuadPart = ticks; return RtlTimeToSecondsSince1980(&t, &s) ? (LONGLONG)s : -1 - (LONGLONG)s; }
`);
  assert.deepEqual(h.diagnostics, []);
  const epoch1970 = 116444736000000000n;
  const epoch1980 = 119600064000000000n;
  assert.equal(BigInt(h.call('back1970', 0) as number | bigint), epoch1970);
  assert.equal(BigInt(h.call('back1980', 0) as number | bigint), epoch1980);
  assert.equal(BigInt(h.call('since1970', epoch1970 + 86400n * 10000000n + 5n) as number | bigint), 86400n, 'a day later, the 100 ns rest cut off');
  assert.equal(BigInt(h.call('since1980', epoch1970) as number | bigint), -8n, 'before the epoch: FALSE, the output untouched');
  assert.equal(BigInt(h.call('since1970', epoch1970 + 0x100000000n * 10000000n) as number | bigint), -8n, 'past 32 bits of seconds: FALSE');
});
