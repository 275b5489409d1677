/**
 * The expression compiler (engine/interp/compileExpr.ts), checked at the level of C: source in,
 * values out. Nothing here looks at how values are stored, so the tests hold whatever memory model
 * sits under the interpreter.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadC, type Harness } from './harness';
import { CRuntimeError } from '../../../engine/interp/errors';

/** Calls `name` and returns the CRuntimeError it stops with. */
function failure(h: Harness, name: string, ...args: unknown[]): CRuntimeError {
  try {
    h.call(name, ...args);
  } catch (err) {
    if (err instanceof CRuntimeError) return err;
    throw err;
  }
  assert.fail(`${name} returned instead of stopping with an error`);
}

test('the usual arithmetic conversions: signed against unsigned, promotion of narrow types, division of a negative by an unsigned', async () => {
  const h = await loadC(`
#include <ntddk.h>
int mixedCompare(void) { return -1 < 1u; }
int charPlusOne(void) { char c = 'A'; return c + 1; }
int narrowSum(void) { UCHAR a = 200, b = 100; return a + b; }
UCHAR narrowResult(void) { UCHAR c = 200; return c * 2; }
unsigned int negativeOverUnsigned(void) { int a = -6; unsigned int b = 4; return a / b; }
int remainders(void) { return (-7) % 3 * 10 + 7 % -3; }
int arithmeticShift(void) { int x = -16; return x >> 2; }
`);
  assert.deepEqual(h.diagnostics, []);
  assert.equal(h.call('mixedCompare'), 0, '-1 becomes UINT_MAX against an unsigned operand');
  assert.equal(h.call('charPlusOne'), 66);
  assert.equal(h.call('narrowSum'), 300, 'UCHAR operands are promoted to int before adding');
  assert.equal(h.call('narrowResult'), 144, 'the result wraps when stored back into a UCHAR');
  assert.equal(h.call('negativeOverUnsigned'), 1073741822);
  assert.equal(h.call('remainders'), -9, 'the remainder takes the sign of the dividend');
  assert.equal(h.call('arithmeticShift'), -4);
});

test('64-bit unsigned values wrap and shift across the top bit', async () => {
  const h = await loadC(`
#include <ntddk.h>
int wrapsToMax(void) { ULONGLONG x = 0; x = x - 1; return x == 0xFFFFFFFFFFFFFFFFull; }
ULONGLONG topBit(void) { ULONGLONG x = 0x8000000000000000ull; return x >> 63; }
LONGLONG product(void) { LONGLONG a = 3000000000; return a * 3; }
`);
  assert.equal(h.call('wrapsToMax'), 1);
  assert.equal(h.call('topBit'), 1);
  assert.equal(h.call('product'), 9000000000);
});

test('casts truncate and reinterpret: wider to narrower, unsigned to signed, floating to integer', async () => {
  const h = await loadC(`
#include <ntddk.h>
int narrowing(void) { return (UCHAR)0x1ff; }
LONG reinterpret(void) { return (LONG)0xffffffffu; }
int truncation(void) { double d = 3.9; return (int)d * 10 + (int)-2.5; }
ULONG negativeToUnsigned(void) { return (ULONG)-1; }
`);
  assert.equal(h.call('narrowing'), 0xff);
  assert.equal(h.call('reinterpret'), -1);
  assert.equal(h.call('truncation'), 28, 'conversion to int rounds toward zero');
  assert.equal(h.call('negativeToUnsigned'), 0xffffffff);
});

test('unary operators: minus, complement and logical not', async () => {
  const h = await loadC(`
int unaries(int a) { return -a * 1000 + ~a * 10 + !a + !0 * 100; }
`);
  assert.equal(h.call('unaries', 5), -5000 - 60 + 0 + 100);
  assert.equal(h.call('unaries', 0), 0 - 10 + 1 + 100);
});

test('&&, || and ?: evaluate only the operand they need; the comma operator yields its right side', async () => {
  const h = await loadC(`
int evaluated;
int touch(int v) { evaluated++; return v; }
int andOr(void) { evaluated = 0; return (0 && touch(1)) * 100 + (1 || touch(1)) * 10 + (1 && touch(2)); }
int countAfterAndOr(void) { andOr(); return evaluated; }
int pick(int v) { evaluated = 0; return v ? touch(10) : touch(20); }
int countAfterPick(int v) { pick(v); return evaluated; }
int comma(void) { int a = 1; int b = (a++, a * 10); return b; }
`);
  assert.equal(h.call('andOr'), 11, 'a true && yields 1, not its right operand');
  assert.equal(h.call('countAfterAndOr'), 1, 'only the right side of the last && ran');
  assert.equal(h.call('pick', 1), 10);
  assert.equal(h.call('pick', 0), 20);
  assert.equal(h.call('countAfterPick', 1), 1, 'one arm of ?: runs, never both');
  assert.equal(h.call('comma'), 20);
});

test('increments through pointers: *p++, *++p and (*p)-- read and write the right elements', async () => {
  const h = await loadC(`
int walk(void) {
  int a[3] = { 10, 20, 30 };
  int *p = a;
  int x = *p++;
  int y = *++p;
  int z = (*p)--;
  return x * 10000 + y * 100 + z + a[2];
}
int distance(void) { int a[5]; int *p = &a[4]; int *q = &a[1]; return (int)(p - q) * 10 + (p > q); }
`);
  assert.equal(h.call('walk'), 10 * 10000 + 30 * 100 + 30 + 29);
  assert.equal(h.call('distance'), 31, 'pointer difference counts elements, and later elements compare greater');
});

test('compound assignment on fields reached by index, pointer arithmetic and ->', async () => {
  const h = await loadC(`
typedef struct _PAIR { int a; int b; } PAIR;
int fields(void) {
  PAIR arr[2];
  PAIR *p = arr;
  arr[1].a = 6;
  p[1].a <<= 2;
  (p + 1)->a |= 1;
  arr[1].a -= 3;
  return arr[1].a;
}
int access(void) { PAIR v; PAIR *pv = &v; pv->a = 5; (*pv).b = 2; return *&v.a * 10 + v.b; }
int literal(void) { PAIR v = (PAIR){ 3, 4 }; return v.a * 10 + v.b; }
`);
  assert.equal(h.call('fields'), 22);
  assert.equal(h.call('access'), 52);
  assert.equal(h.call('literal'), 34);
});

test('a scalar compound literal read as a value is its content; its address is a writable object', async () => {
  const h = await loadC(`
int value(void) { unsigned long b = (unsigned long){ 6 }; int c = (int){ 7 }; return (int)b * 10 + c; }
int address(void) { int *p = &(int){ 4 }; *p += 1; return *p; }
`);
  assert.equal(h.call('value'), 67);
  assert.equal(h.call('address'), 5);
});

test('sizeof and FIELD_OFFSET follow the x64 layout of the types', async () => {
  const h = await loadC(`
#include <ntddk.h>
typedef struct _SMALL { int a; char b; } SMALL;
typedef struct _WIDE { LONGLONG q; char c; } WIDE;
int scalars(void) { return sizeof(ULONG) * 100 + sizeof(PVOID) * 10 + sizeof(char); }
int structs(void) { return sizeof(SMALL) * 100 + sizeof(WIDE); }
int arrayCount(void) { int a[7]; return sizeof(a) / sizeof(a[0]); }
int offset(void) { return FIELD_OFFSET(WIDE, c); }
int literals(void) { WCHAR w[] = L"ab"; return sizeof(w) * 100 + sizeof("hey"); }
`);
  assert.equal(h.call('scalars'), 4 * 100 + 8 * 10 + 1);
  assert.equal(h.call('structs'), 8 * 100 + 16, 'structs are padded to the alignment of their widest member');
  assert.equal(h.call('arrayCount'), 7);
  assert.equal(h.call('offset'), 8);
  assert.equal(h.call('literals'), 6 * 100 + 4, 'string literals count their terminating NUL');
});

test('string literals and wide strings read by index; __FUNCTION__ names the function', async () => {
  const h = await loadC(`
#include <ntddk.h>
int narrow(void) { const char *s = "hey"; return s[2]; }
int wide(void) { WCHAR s[] = L"ab"; return s[1]; }
int whoAmI(void) { const char *n = __FUNCTION__; return n[0] * 1000 + n[4]; }
`);
  assert.equal(h.call('narrow'), 'y'.charCodeAt(0));
  assert.equal(h.call('wide'), 'b'.charCodeAt(0));
  assert.equal(h.call('whoAmI'), 'w'.charCodeAt(0) * 1000 + 'm'.charCodeAt(0));
});

test('calls through function pointers, from a variable and from a table, with and without *', async () => {
  const h = await loadC(`
int twice(int x) { return 2 * x; }
int plusOne(int x) { return x + 1; }
int viaTable(int i, int v) {
  int (*table[2])(int) = { twice, plusOne };
  int (*f)(int) = table[i];
  return f(v) * 100 + (*f)(v);
}
`);
  assert.equal(h.call('viaTable', 0, 5), 1010);
  assert.equal(h.call('viaTable', 1, 5), 606);
});

test('run-time faults stop at their line with what went wrong: division by zero, NULL dereference, NULL call, index out of bounds', async () => {
  const h = await loadC(`
typedef struct _PAIR { int a; int b; } PAIR;
int divide(int d) { return 10 / d; }
int nullField(void) {
  PAIR *p = 0;
  return p->a;
}
int nullCall(void) {
  int (*f)(int) = 0;
  return f(1);
}
int outOfBounds(int i) {
  int a[3] = { 0 };
  return a[i];
}
`);
  assert.equal(h.call('divide', 5), 2);
  const div = failure(h, 'divide', 0);
  assert.equal(div.kind, 'division-by-zero');
  assert.equal(div.loc?.line, 3);
  const field = failure(h, 'nullField');
  assert.equal(field.kind, 'null-dereference');
  assert.equal(field.loc?.line, 6);
  assert.match(field.message, /'p' is NULL/);
  const call = failure(h, 'nullCall');
  assert.equal(call.kind, 'null-dereference');
  assert.equal(call.loc?.line, 10);
  assert.equal(h.call('outOfBounds', 2), 0);
  const oob = failure(h, 'outOfBounds', 3);
  assert.equal(oob.kind, 'out-of-bounds');
  assert.equal(oob.loc?.line, 14);
  assert.match(oob.message, /index 3 is outside an array of 3/);
});

test('a name that is declared nowhere is reported at its line when the function runs, and the rest of the file still runs', async () => {
  const h = await loadC(`
int fine(void) { return 1; }
int broken(void) {
  return nosuch + 1;
}
`);
  assert.equal(h.call('fine'), 1);
  const e = failure(h, 'broken');
  assert.equal(e.kind, 'undefined-name');
  assert.equal(e.loc?.line, 4);
  assert.match(e.message, /'nosuch' is not declared/);
});

test('a member access on a name declared nowhere says the name is not declared (not that "->" is applied to an int)', async () => {
  const h = await loadC(`
struct s { int a; };
int viaArrow(void) {
  return nosuch->a;
}
int viaDot(void) {
  return
    other.a;
}
`);
  const arrow = failure(h, 'viaArrow');
  assert.equal(arrow.kind, 'undefined-name');
  assert.equal(arrow.loc?.line, 4);
  assert.match(arrow.message, /'nosuch' is not declared/);
  const dot = failure(h, 'viaDot');
  assert.equal(dot.kind, 'undefined-name');
  assert.equal(dot.loc?.line, 8);
  assert.match(dot.message, /'other' is not declared/);
});
