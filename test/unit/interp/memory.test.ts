/**
 * Interpreted C on byte memory (engine/memory): C source in, values out. Each test is an idiom real
 * drivers use or an error they must get at its line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadC, type Harness } from './harness';
import { CRuntimeError } from '../../../engine/interp/errors';

function failure(h: Harness, name: string, ...args: unknown[]): CRuntimeError {
  try {
    h.call(name, ...args);
  } catch (err) {
    if (err instanceof CRuntimeError) return err;
    throw err;
  }
  assert.fail(`${name} returned instead of stopping with an error`);
}

test('pointers survive a trip through ULONG_PTR arithmetic, exactly, with kernel addresses', async () => {
  const h = await loadC(`
#include <ntddk.h>
ULONG Values[4] = { 10, 20, 30, 40 };
ULONG step(void) {
  ULONG_PTR a = (ULONG_PTR)&Values[0];
  a += 2 * sizeof(ULONG);
  return *(PULONG)a;
}
ULONG high(void) { return (ULONG)((ULONG_PTR)&Values[0] >> 32); }
ULONG aligned(void) { return ((ULONG_PTR)&Values[1] & 3) == 0 && ((ULONG_PTR)&Values[1] & ~(ULONG_PTR)3) == (ULONG_PTR)&Values[1]; }
`);
  assert.deepEqual(h.diagnostics, []);
  assert.equal(h.call('step'), 30);
  assert.equal(h.call('high'), 0xffffa000, 'the address is in the kernel half of x64');
  assert.equal(h.call('aligned'), 1);
});

test('64-bit values past 2^53 are exact in arithmetic, comparisons and memory', async () => {
  const h = await loadC(`
#include <ntddk.h>
ULONGLONG Big = 0xABABABABABABABABull;
int check(void) {
  ULONGLONG x = Big;
  ULONGLONG y = x + 1;
  LONGLONG s = (LONGLONG)x;
  return (y - x == 1) + 2 * (x > 0x8000000000000000ull) + 4 * (s < 0) + 8 * ((x ^ y) == 0x7) + 16 * ((ULONG)(x >> 40) == 0xABABAB);
}
ULONGLONG shifted(void) { return Big << 4; }
`);
  assert.equal(h.call('check'), 31);
  assert.equal(h.call('shifted'), 0xbababababababab0n, 'shifts wrap at 64 bits');
});

test('bit-fields pack into their unit as MSVC does and read back through a union', async () => {
  const h = await loadC(`
#include <ntddk.h>
typedef union _BITS {
  struct { ULONG Low : 4; ULONG Mid : 8; ULONG High : 20; } Fields;
  ULONG Raw;
} BITS;
ULONG pack(void) { BITS b; b.Raw = 0; b.Fields.Low = 0xF; b.Fields.Mid = 0x12; b.Fields.High = 0xABCDE; return b.Raw; }
ULONG unpack(ULONG raw) { BITS b; b.Raw = raw; return b.Fields.Mid; }
ULONG overflow(void) { BITS b; b.Raw = 0; b.Fields.Low = 0x1F; return b.Raw; }
`);
  assert.equal(h.call('pack'), 0xabcde12f);
  assert.equal(h.call('unpack', 0x00000ab0), 0xab);
  assert.equal(h.call('overflow'), 0xf, 'a 5-bit value in a 4-bit field keeps its low bits, the neighbours untouched');
});

test('memcpy copies pointers with their provenance; a byte-by-byte copy still leads back to the same object', async () => {
  const h = await loadC(`
#include <ntddk.h>
typedef struct _NODE { ULONG Value; struct _NODE *Next; } NODE;
NODE A = { 7, NULL }, B, C;
ULONG viaMemcpy(void) { NODE n = { 1, &A }; RtlCopyMemory(&B, &n, sizeof(n)); return B.Next->Value; }
ULONG viaBytes(void) {
  NODE n = { 2, &A };
  PUCHAR s = (PUCHAR)&n, d = (PUCHAR)&C;
  ULONG i;
  for (i = 0; i < sizeof(NODE); i++) d[i] = s[i];
  return C.Next->Value;
}
`);
  assert.equal(h.call('viaMemcpy'), 7);
  assert.equal(h.call('viaBytes'), 7);
});

test('structs pass and return by value as copies', async () => {
  const h = await loadC(`
#include <ntddk.h>
typedef struct _PAIR { ULONG A; ULONG B; } PAIR;
PAIR swap(PAIR p) { ULONG t = p.A; p.A = p.B; p.B = t; return p; }
ULONG run(void) {
  PAIR x = { 1, 2 };
  PAIR y = swap(x);
  return x.A * 1000 + x.B * 100 + y.A * 10 + y.B;
}
`);
  assert.equal(h.call('run'), 1221);
});

test('casts the grammar reads as arithmetic regroup by C precedence', async () => {
  const h = await loadC(`
#include <ntddk.h>
typedef struct _REC { ULONG A; ULONG B; ULONGLONG C; } REC;
REC Recs[3];
LONG_PTR distance(void) { return (PCHAR)&Recs[2] - (PCHAR)&Recs[0]; }
ULONG negate(void) { ULONG x = 5; return (ULONG)-x + 10; }
ULONG deref(void) { ULONG v = 9; PULONG p = &v; return (ULONG)*p * 2; }
ULONG bytes(void) { Recs[1].B = 77; return *(PULONG)((PUCHAR)&Recs[1] + 4); }
`);
  assert.deepEqual(h.diagnostics, []);
  assert.equal(h.call('distance'), 32);
  assert.equal(h.call('negate'), 5);
  assert.equal(h.call('deref'), 18);
  assert.equal(h.call('bytes'), 77);
});

test('a parenthesised value the grammar reads as a cast type (`x == (v) && (n) == 4`, uthash style) is a value, with C precedence', async () => {
  const h = await loadC(`
#include <ntddk.h>
ULONG both(ULONG hv, ULONG n) { return hv == (hv) && (n) == 4; }
ULONG masked(ULONG hv, ULONG n) { ULONG b; b = 0; b += (hv) & (n); return b; }
ULONG chained(ULONG hv, ULONG n) { return 1 == (hv) && (n) == 4 || (n) == 9; }
ULONG cast(ULONG n) { ULONG x = n; return (ULONG)-x + n; }
`);
  assert.deepEqual(h.diagnostics, []);
  assert.equal(h.call('both', 7, 4), 1);
  assert.equal(h.call('both', 7, 5), 0);
  assert.equal(h.call('masked', 7, 4), 4);
  assert.equal(h.call('chained', 1, 4), 1);
  assert.equal(h.call('chained', 2, 9), 1);
  assert.equal(h.call('chained', 2, 4), 0);
  assert.equal(h.call('cast', 3), 0);
});

test('a string literal is read-only; writing it stops at the write', async () => {
  const h = await loadC(`
#include <ntddk.h>
void poke(void) {
  PCHAR s = "abc";
  s[1] = 'X';
}
`);
  const e = failure(h, 'poke');
  assert.equal(e.kind, 'read-only');
  assert.equal(e.loc?.line, 5);
  assert.match(e.message, /writes 1 byte at offset 1 of a 4-byte string literal "abc", which is read-only/);
});

test('a handle cannot be dereferenced, and an integer that was never an address cannot be either', async () => {
  const h = await loadC(`
#include <ntddk.h>
ULONG wild(void) { PULONG p = (PULONG)(ULONG_PTR)0x12345678; return *p; }
ULONG subtract(void) { ULONG a, b; return (ULONG)(&a - &b); }
`);
  const e = failure(h, 'wild');
  assert.equal(e.kind, 'bad-pointer');
  assert.match(e.message, /reads 4 bytes at address 0x0000000012345678, which no allocation holds/);
  assert.equal(failure(h, 'subtract').kind, 'bad-pointer');
});

test('a local whose address is never taken stays out of memory; one whose address is taken lives in an allocation freed on return', async () => {
  const h = await loadC(`
#include <ntddk.h>
PULONG Kept;
ULONG keep(void) { ULONG v = 3; Kept = &v; return v; }
ULONG later(void) { return *Kept; }
`);
  assert.equal(h.call('keep'), 3);
  const e = failure(h, 'later');
  assert.equal(e.kind, 'use-after-free');
  assert.match(e.message, /local 'v' of keep after the function that owned it returned \(use after return\)/);
});

test('a kernel routine that reads past the driver\'s buffer faults at the call, naming the routine', async () => {
  const h = await loadC(`
#include <ntddk.h>
LONG run(void) {
  UCHAR small[4];
  UNICODE_STRING s;
  s.Buffer = (PWCH)small; s.Length = 8; s.MaximumLength = 8;
  return RtlCompareUnicodeString(&s, &s, TRUE);
}
`);
  const e = failure(h, 'run');
  assert.equal(e.kind, 'out-of-bounds');
  assert.equal(e.loc?.line, 7);
  assert.equal(e.message, "RtlCompareUnicodeString: reads 8 bytes at offset 0 of a 4-byte local 'small' of run: past its end (only 4 left)");
});
