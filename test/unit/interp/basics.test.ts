import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadC } from './harness';
import { CRuntimeError } from '../../../engine/interp/errors';
import { Trap } from '../../../engine';

test('arithmetic wraps to the C type: ULONG, UCHAR, signed overflow and 64-bit', async () => {
  const h = await loadC(`
#include <ntddk.h>
ULONG u(void) { ULONG x = 0; x = x - 1; return x; }
UCHAR c(void) { UCHAR b = 250; b += 10; return b; }
LONG s(void) { LONG v = 0x7fffffff; v++; return v; }
LONGLONG big(void) { LONGLONG q = 150000000; return -q * 2; }
ULONG shifts(void) { return (1u << 31) >> 30; }
int divs(void) { return (-7 / 2) * 10 + (-7 % 2); }
`);
  assert.deepEqual(h.diagnostics, []);
  assert.equal(h.call('u'), 0xffffffff);
  assert.equal(h.call('c'), 4);
  assert.equal(h.call('s'), -2147483648);
  assert.equal(h.call('big'), -300000000);
  assert.equal(h.call('shifts'), 2);
  assert.equal(h.call('divs'), -31);
});

test('control flow: loops, switch with fallthrough and default, goto cleanup', async () => {
  const h = await loadC(`
int loops(int n) {
  int sum = 0, i;
  for (i = 0; i < n; i++) { if (i == 2) continue; if (i == 6) break; sum += i; }
  while (n > 0) { n--; sum++; }
  do { sum += 100; } while (0);
  return sum;
}
int sw(int v) {
  int r = 0;
  switch (v) { case 1: r += 1; case 2: r += 2; break; case 3: { r = 30; break; } default: r = -1; }
  return r;
}
int cleanup(int fail) {
  int steps = 0;
  steps += 1;
  if (fail) goto Cleanup;
  steps += 10;
Cleanup:
  steps += 100;
  return steps;
}
`);
  assert.equal(h.call('loops', 8), 1 + 3 + 4 + 5 + 8 + 100);
  assert.equal(h.call('sw', 1), 3);
  assert.equal(h.call('sw', 2), 2);
  assert.equal(h.call('sw', 3), 30);
  assert.equal(h.call('sw', 9), -1);
  assert.equal(h.call('cleanup', 1), 101);
  assert.equal(h.call('cleanup', 0), 111);
});

test('structs, pointers to fields, arrays of structs and CONTAINING_RECORD', async () => {
  const h = await loadC(`
#include <ntddk.h>
typedef struct _ITEM { ULONG Id; LIST_ENTRY Link; ULONG Values[3]; } ITEM, *PITEM;
ITEM Items[3];
LIST_ENTRY Head;
ULONG run(void) {
  ULONG i, total = 0;
  PLIST_ENTRY e;
  InitializeListHead(&Head);
  for (i = 0; i < 3; i++) { Items[i].Id = i + 1; Items[i].Values[i] = 10 * (i + 1); InsertTailList(&Head, &Items[i].Link); }
  RemoveEntryList(&Items[1].Link);
  for (e = Head.Flink; e != &Head; e = e->Flink) {
    PITEM it = CONTAINING_RECORD(e, ITEM, Link);
    total = total * 10 + it->Id;
  }
  return total;
}
ULONG ptrs(void) {
  PITEM p = &Items[0];
  PULONG v = &p->Values[0];
  p++;
  *v = 7;
  return p->Id * 100 + Items[0].Values[0] + (ULONG)(&Items[2] - &Items[0]);
}
`);
  assert.deepEqual(h.diagnostics, []);
  assert.equal(h.call('run'), 13, 'list holds items 1 and 3 after removing 2');
  assert.equal(h.call('ptrs'), 200 + 7 + 2);
});

test('initializers: designated, nested, brace elision, strings, and function pointers in tables', async () => {
  const h = await loadC(`
#include <ntddk.h>
typedef struct _POINT { int X; int Y; } POINT;
typedef struct _SHAPE { POINT P[2]; const char *Name; int (*Area)(int); } SHAPE;
static int Square(int s) { return s * s; }
SHAPE Shapes[] = {
  { { {1, 2}, {3, 4} }, "first", Square },
  { 5, 6, 7, 8, "second", NULL },
  { .Name = "third", .P[1].Y = 9 },
};
WCHAR Wide[] = L"abc";
int run(void) {
  return Shapes[0].P[1].X * 1000 + Shapes[1].P[1].Y * 100 + Shapes[2].P[1].Y * 10 + Shapes[0].Area(2)
    + (int)(sizeof(Shapes) / sizeof(Shapes[0])) * 100000 + (int)wcslen(Wide) * 1000000;
}
const char *name(int i) { return Shapes[i].Name; }
`);
  assert.deepEqual(h.diagnostics, []);
  assert.equal(h.call('run'), 3 * 1000000 + 3 * 100000 + 3000 + 800 + 90 + 4);
});

test('DbgPrint formats like the kernel: %wZ, %ws, %x, %08X, %p, %I64d', async () => {
  const h = await loadC(`
#include <ntddk.h>
void run(void) {
  UNICODE_STRING s;
  RtlInitUnicodeString(&s, L"\\\\Device\\\\a.txt");
  DbgPrint("name=%wZ ws=%ws x=%x X=%08X d=%d i64=%I64d c=%c s=%s\\n", &s, L"wide", 255, 0xBEEF, -5, (LONGLONG)1 << 40, 'Q', "narrow");
}
`);
  h.call('run');
  assert.deepEqual(h.output, ['name=\\Device\\a.txt ws=wide x=ff X=0000BEEF d=-5 i64=1099511627776 c=Q s=narrow\n']);
});

test('failed assertions and uninitialized reads are violations with the line; NULL dereference stops with a clear error', async () => {
  const h = await loadC(`
#include <ntddk.h>
typedef struct _CTX { ULONG Count; } CTX, *PCTX;
int run(int x) {
  int y;
  NT_ASSERT(x > 5);
  return y + x;
}
ULONG crash(PCTX Ctx) { return Ctx->Count; }
`);
  assert.equal(h.call('run', 1), 1);
  assert.deepEqual(h.violations.map((v) => [v.rule, v.line]), [['assert', 6], ['uninitialized-read', 7]]);
  assert.match(h.violations[0].message, /x > 5/);
  assert.throws(() => h.call('crash', null), (e: unknown) => e instanceof CRuntimeError && e.kind === 'null-dereference' && e.loc?.line === 9 && /'Ctx' is NULL/.test(e.message));
});

test('calls to routines nobody models stop the run at the call, naming the routine and what to do', async () => {
  const h = await loadC(`
#include <ntddk.h>
NTSTATUS HelperNobodyWrote(ULONG x);
NTSTATUS run(void) { return HelperNobodyWrote(3); }
`);
  assert.throws(() => h.call('run'), (e: unknown) => e instanceof CRuntimeError && e.kind === 'not-modelled' && e.loc?.line === 4 && /HelperNobodyWrote/.test(e.message) && !!e.hint);
});

test('a runaway loop hits the step budget with a message naming the function', async () => {
  const h = await loadC('int spin(void) { int i = 0; while (1) { i++; } return i; }\n', {}, 10000);
  assert.throws(() => h.call('spin'), (e: unknown) => e instanceof CRuntimeError && e.kind === 'step-budget' && /spin/.test(e.message));
});

test('a loop with an empty body passes a statement boundary each iteration and counts against the budget', async () => {
  for (const loop of ['for (;;) { }', 'while (1) { }', 'do { } while (1);']) {
    const h = await loadC(`int spin(void) {\n    ${loop}\n    return 0;\n}\n`, {}, 1000);
    assert.throws(() => h.call('spin'), (e: unknown) => e instanceof CRuntimeError && e.kind === 'step-budget', loop);
    // A debugger gets control back at every iteration: the loop yields a statement trap each time round.
    const fresh = await loadC(`int spin(void) {\n    ${loop}\n    return 0;\n}\n`, {}, 1000);
    const co = fresh.interp.functionValue('test', 'spin')!.call() as Generator<unknown>;
    let stops = 0;
    for (let i = 0; i < 100; i++) if (co.next().value === Trap.Stmt) stops++;
    assert.equal(stops, 100, loop);
  }
});

test('interlocked operations and memcpy/memset on structs and wide buffers', async () => {
  const h = await loadC(`
#include <ntddk.h>
typedef struct _S { LONG Count; WCHAR Name[8]; } S;
S A, B;
LONG run(void) {
  LONG before;
  A.Count = 5;
  RtlCopyMemory(A.Name, L"abc", 4 * sizeof(WCHAR));
  RtlCopyMemory(&B, &A, sizeof(S));
  RtlZeroMemory(&A, sizeof(A));
  before = InterlockedExchange(&B.Count, 40);
  InterlockedIncrement(&B.Count);
  return before * 1000 + B.Count + (LONG)wcslen(B.Name) * 100 + A.Count;
}
`);
  assert.equal(h.call('run'), 5 * 1000 + 41 + 300);
});
