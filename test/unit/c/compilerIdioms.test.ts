/**
 * What MSVC gives C code beyond the standard and drivers lean on: __FUNCTION__ as a string literal
 * that joins its neighbours, and static_assert/_Static_assert checked while compiling.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadC } from '../interp/harness';
import { compileTranslationUnit } from '../../../engine/c/program';
import { compiledPrelude } from '../../../engine/c/prelude/compiled';
import { preludeHeaders } from '../../../engine/c/prelude';
import { loadCLanguage } from '../../../engine/c/treeSitter';
import { sizeOf } from '../../../engine/c/types';

test('__FUNCTION__ joins adjacent string literals, as in a logging macro; __FUNCTIONW__ is wide', async () => {
  const h = await loadC(`
#include <ntddk.h>
#define LOG_PREFIX(level) "[" level "] " __FUNCTION__ ": "
int prefixLength(void) { const char *p = LOG_PREFIX("warn"); return (int)strlen(p); }
int prefixChar(int i) { const char *p = LOG_PREFIX("warn"); return p[i]; }
int wideName(int i) { const WCHAR *w = __FUNCTIONW__; return w[i]; }
`);
  assert.deepEqual(h.diagnostics, []);
  assert.equal(h.call('prefixLength'), '[warn] prefixLength: '.length);
  assert.equal(h.call('prefixChar', 7), 'p'.charCodeAt(0), 'the function name follows "[warn] "');
  assert.equal(h.call('wideName', 1), 'i'.charCodeAt(0));
});

test('a name between string literals that is not a string macro is an error naming it', async () => {
  const h = await loadC(`
int f(void) { const char *p = "a" NOT_A_STRING "b"; return p[0]; }
`);
  assert.throws(() => h.call('f'), /'NOT_A_STRING' between string literals/);
});

test('static_assert and _Static_assert are checked at file scope and in blocks; a false one names its message', async () => {
  const ok = await loadC(`
#include <ntddk.h>
typedef unsigned char U8;
typedef signed long long I64;
typedef unsigned long long U64;
static_assert(sizeof(U8) == 1, "U8 is one byte");
_Static_assert(sizeof(void *) == 8, "x64 pointers");
static_assert((I64)-1 >> 1 < (I64)((U64)-1 >> 1), "arithmetic shift");
int g(void) { static_assert(sizeof(LARGE_INTEGER) == 8, "LI"); return 3; }
`);
  assert.deepEqual(ok.diagnostics, []);
  assert.equal(ok.call('g'), 3);
  const bad = await loadC(`
typedef unsigned short U16;
static_assert(sizeof(U16) == 4, "U16 is four bytes");
int h(void) { return 0; }
`);
  assert.ok(bad.diagnostics.some((d) => /^3: static assertion failed: U16 is four bytes$/.test(d)), bad.diagnostics.join('\n'));
});

test('a struct the built-in headers only name (struct _PEB behind PPEB) is defined by each driver file for itself', async () => {
  // The built-in headers are compiled once per process and shared by every file: a file that
  // completed their type would leak its definition into the next, which then saw its own as a
  // redefinition.
  await loadCLanguage();
  const prelude = compiledPrelude();
  const compile = (source: string) => compileTranslationUnit('/drv/x.c', { readFile: (p) => (p === '/drv/x.c' ? source : undefined), systemHeaders: preludeHeaders(), prelude });
  const first = compile(`
typedef struct _PEB { UCHAR Reserved[2]; UCHAR BeingDebugged; } PEB;
UCHAR debugged(PPEB p) { return p->BeingDebugged; }
`);
  assert.deepEqual(first.diagnostics, []);
  const second = compile(`
struct _PEB { ULONG Flags; PVOID Mutant; };
ULONG size(void) { return sizeof(*(PPEB)0); }
`);
  assert.deepEqual(second.diagnostics, [], 'the second file defines its own _PEB');
  const peb = second.structs.get('_PEB');
  assert.equal(peb && sizeOf(peb), 16, "the second file's _PEB has its own fields");
  const firstPeb = first.structs.get('_PEB');
  assert.equal(firstPeb && sizeOf(firstPeb), 3, "the first file's _PEB keeps its fields");
});

test('an empty __VA_ARGS__ takes the comma before it along, as MSVC does (and GNU for , ## __VA_ARGS__)', async () => {
  const h = await loadC(`
#include <ntddk.h>
static int Count(int n, ...) { return n; }
#define TRACE(fmt, ...) Count(1, fmt, __VA_ARGS__)
#define GNU_TRACE(fmt, ...) Count(2, fmt , ## __VA_ARGS__)
int noArgs(void) { return TRACE("text") * 10 + GNU_TRACE("text"); }
int withArgs(void) { return TRACE("%d %d", 1, 2) * 10 + GNU_TRACE("%d", 3); }
`);
  assert.deepEqual(h.diagnostics, []);
  assert.equal(h.call('noArgs'), 12);
  assert.equal(h.call('withArgs'), 12);
});

test('the compiler\'s own macros (_MSC_VER, _WIN32, _WIN64, _M_X64, _KERNEL_MODE) are defined before any header is included', async () => {
  const h = await loadC(`
#if defined(_MSC_VER) && defined(_WIN32) && defined(_WIN64) && defined(_M_X64) && defined(_KERNEL_MODE)
#  define SEEN_FIRST 1
#else
#  define SEEN_FIRST 0
#endif
#include <ntddk.h>
int seen(void) { return SEEN_FIRST * 10 + (_WIN32 == 1); }
`);
  assert.deepEqual(h.diagnostics, []);
  assert.equal(h.call('seen'), 11);
});

test('the SDK\'s shared type headers (<WinDef.h>, <minwindef.h>, <basetsd.h>) after <wdm.h> give their types, not an unknown header', async () => {
  const h = await loadC(`
#include <fltKernel.h>
#include <wdm.h>
#include <WinDef.h>
#include <minwindef.h>
#include <basetsd.h>
DWORD size(void) { BOOL b = TRUE; DWORD_PTR p = 0; return (DWORD)(sizeof(DWORD) + sizeof(p) + b); }
`);
  assert.deepEqual(h.diagnostics, []);
  assert.equal(h.call('size'), 13);
});

test('<guiddef.h> after the kernel headers gives GUID and IsEqualGUID, not an unknown header', async () => {
  const h = await loadC(`
#include <fltKernel.h>
#include <guiddef.h>
static const GUID A = { 0x12345678, 0x1234, 0x5678, { 1, 2, 3, 4, 5, 6, 7, 8 } };
int same(void) { GUID b = A; int eq = IsEqualGUID(&A, &b); b.Data4[7] = 9; return eq * 10 + IsEqualGUID(&A, &b); }
`);
  assert.deepEqual(h.diagnostics, []);
  assert.equal(h.call('same'), 10);
});

test('basetsd.h pointers to the sized integers (PUINT8, PINT64…) and <memory.h> are known', async () => {
  const h = await loadC(`
#include <fltKernel.h>
#include <memory.h>
UINT8 bytes[4] = { 1, 2, 3, 4 };
ULONG sum(void) { PUINT8 p = bytes; PINT64 q = NULL; PUINT16 w = (PUINT16)bytes; UINT8 copy[4]; memcpy(copy, p, 4); return copy[3] + (q == NULL) * 10 + w[0]; }
`);
  assert.deepEqual(h.diagnostics, []);
  assert.equal(h.call('sum'), 4 + 10 + 0x0201);
});

test('TIME_FIELDS: RtlTimeToTimeFields of the simulated clock (UTC, local = system) and RtlTimeFieldsToTime back; an impossible date is FALSE', async () => {
  const h = await loadC(`
#include <ntddk.h>
ULONG now(int which) {
  LARGE_INTEGER sys, local; TIME_FIELDS f;
  sys.QuadPart = 133485408000000000LL + 10000LL * (((13 * 60 + 5) * 60 + 9) * 1000 + 250);
  ExSystemTimeToLocalTime(&sys, &local);
  RtlTimeToTimeFields(&local, &f);
  switch (which) { case 0: return f.Year; case 1: return f.Month; case 2: return f.Day; case 3: return f.Hour; case 4: return f.Minute; case 5: return f.Second; case 6: return f.Milliseconds; default: return f.Weekday; }
}
ULONG roundTrip(CSHORT y, CSHORT m, CSHORT d) {
  TIME_FIELDS f = { 0 }, g; LARGE_INTEGER t;
  f.Year = y; f.Month = m; f.Day = d; f.Hour = 23; f.Minute = 59; f.Second = 58; f.Milliseconds = 7;
  if (!RtlTimeFieldsToTime(&f, &t)) return 0;
  RtlTimeToTimeFields(&t, &g);
  return g.Year * 10000 + g.Month * 100 + g.Day + (g.Hour == 23 && g.Minute == 59 && g.Second == 58 && g.Milliseconds == 7 ? 0 : 1000000000);
}
`);
  assert.deepEqual(h.diagnostics, []);
  // 133485408000000000 is 2024-01-01T00:00:00Z (a Monday) in 100 ns units since 1601.
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7].map((i) => h.call('now', i)), [2024, 1, 1, 13, 5, 9, 250, 1]);
  assert.equal(h.call('roundTrip', 2000, 2, 29), 20000229);
  assert.equal(h.call('roundTrip', 1601, 1, 1), 16010101);
  assert.equal(h.call('roundTrip', 2100, 12, 31), 21001231);
  assert.equal(h.call('roundTrip', 2023, 2, 29), 0, 'no 29 February in 2023');
  assert.equal(h.call('roundTrip', 2024, 13, 1), 0);
});

test('__DATE__, __TIME__ and __TIMESTAMP__ are string literals of the virtual clock\'s start, the same on every machine', async () => {
  const h = await loadC(`
#include <fltKernel.h>
CHAR Built[64];
void Run(void) { RtlStringCbPrintfA(Built, sizeof(Built), "%s %s|%s", __DATE__, __TIME__, __TIMESTAMP__); }
`, {});
  assert.deepEqual(h.diagnostics, []);
  h.call('Run');
  const chars = h.module.global('Built') as number[];
  assert.equal(String.fromCharCode(...chars.slice(0, chars.indexOf(0))), 'Jan  1 2020 00:00:00|Wed Jan  1 00:00:00 2020');
});

test('basetsd.h\'s pointer/integer conversions beyond the handle ones: PtrToUint, PtrToInt, IntToPtr, UintToPtr, LongToPtr, PtrToUshort', async () => {
  const h = await loadC(`
#include <fltKernel.h>
LONGLONG V[6];
void Run(void) {
    PVOID p = (PVOID)(ULONG_PTR)0x1234;
    V[0] = PtrToUint(p);
    V[1] = PtrToInt(IntToPtr(-5));
    V[2] = (LONGLONG)(ULONG_PTR)UintToPtr(7u);
    V[3] = (LONGLONG)(LONG_PTR)LongToPtr(-2);
    V[4] = PtrToUshort((PVOID)(ULONG_PTR)0x12345);
    V[5] = PtrToPtr32(p);
}
`);
  assert.deepEqual(h.diagnostics, []);
  h.call('Run');
  assert.deepEqual(h.module.global('V'), [0x1234, -5, 7, -2, 0x2345, 0x1234]);
});
