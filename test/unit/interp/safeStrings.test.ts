// The safe string family (engine/interp/builtins/safeStrings.ts): ntstrsafe's RtlStringCb/Cch and
// RtlUnicodeString routines, and strsafe.h's HRESULT twins, with the truncation and parameter rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadC } from './harness';

/** A character array global as text, up to its terminator. */
function text(chars: unknown): string {
  const a = chars as number[];
  const end = a.indexOf(0);
  return String.fromCharCode(...(end < 0 ? a : a.slice(0, end)));
}

const OVERFLOW = 0x80000005 | 0;
const INVALID = 0xc000000d | 0;

test('RtlStringCch/Cb Copy, CopyN, Cat, CatN for char strings cut to the capacity and say so', async () => {
  const h = await loadC([
    '#include <fltKernel.h>',
    '#include <ntstrsafe.h>',
    'CHAR Out[64];',
    'NTSTATUS S[8];',
    'SIZE_T Len;',
    'void Run(void) {',
    '    CHAR b[8];',
    '    S[0] = RtlStringCchCopyA(b, 8, "abc");',
    '    S[1] = RtlStringCchCatA(b, 8, "defgh");',            // "abcdefg" cut at 7 chars
    '    RtlStringCbCopyA(Out, sizeof(Out), b);',
    '    S[2] = RtlStringCchCopyNA(b, 8, "xyzw", 2);',          // "xy"
    '    S[3] = RtlStringCchCatNA(b, 8, "123456", 3);',         // "xy123"
    '    RtlStringCbCatA(Out, sizeof(Out), "|");',
    '    RtlStringCbCatA(Out, sizeof(Out), b);',
    '    S[4] = RtlStringCchCopyA(b, 0, "a");',
    '    S[5] = RtlStringCchLengthA(Out, 64, &Len);',
    '    S[6] = RtlStringCchLengthA(Out, 5, NULL);',
    '    b[0] = \'q\'; RtlFillMemory(b, sizeof(b), \'q\');',
    '    S[7] = RtlStringCchCatA(b, 8, "z");',                  // no terminator within 8
    '}',
  ].join('\n'));
  assert.deepEqual(h.diagnostics, []);
  h.call('Run');
  assert.equal(text(h.module.global('Out')), 'abcdefg|xy123');
  assert.deepEqual(h.module.global('S'), [0, OVERFLOW, 0, 0, INVALID, 0, INVALID, INVALID]);
  assert.equal(Number(h.module.global('Len')), 13);
});

test('wide Cb routines count bytes; Printf formats; strsafe.h answers with HRESULTs', async () => {
  const h = await loadC([
    '#include <fltKernel.h>',
    '#include <strsafe.h>',
    'WCHAR Out[32];',
    'HRESULT H[4];',
    'NTSTATUS S[2];',
    'void Run(void) {',
    '    WCHAR w[6];',
    '    S[0] = RtlStringCbCopyNW(w, sizeof(w), L"abcdef", 4 * sizeof(WCHAR));', // "abcd"
    '    S[1] = RtlStringCchPrintfA((NTSTRSAFE_PSTR)Out, 4, "%d", 12345);',  // "123" cut
    '    H[0] = StringCchCopyW(Out, 32, w);',
    '    H[1] = StringCchCatW(Out, 6, L"xyz");',                              // "abcdx" cut
    '    H[2] = StringCbCopyA((STRSAFE_LPSTR)w, 0, "a");',
    '    H[3] = StringCchPrintfW(w, 6, L"%ws", L"ok");',
    '}',
  ].join('\n'));
  assert.deepEqual(h.diagnostics, []);
  h.call('Run');
  assert.deepEqual(h.module.global('S'), [0, OVERFLOW]);
  assert.deepEqual(h.module.global('H'), [0, 0x8007007a | 0, 0x80070057 | 0, 0]);
  assert.equal(text(h.module.global('Out')), 'abcdx');
});

test('RtlUnicodeString Init, Copy, Cat, CopyString, Printf fill a counted string without a terminator', async () => {
  const h = await loadC([
    '#include <fltKernel.h>',
    '#include <ntstrsafe.h>',
    'NTSTATUS S[5];',
    'USHORT L[5];',
    'WCHAR Out[16];',
    'void Run(void) {',
    '    UNICODE_STRING src, dst;',
    '    WCHAR buf[8];',
    '    S[0] = RtlUnicodeStringInit(&src, L"\\\\dir");',
    '    L[0] = src.Length;',
    '    RtlInitEmptyUnicodeString(&dst, buf, sizeof(buf));',
    '    S[1] = RtlUnicodeStringCopy(&dst, &src); L[1] = dst.Length;',
    '    S[2] = RtlUnicodeStringCatString(&dst, L"\\\\file"); L[2] = dst.Length;',  // 4 + 5 > 8: cut
    '    RtlCopyMemory(Out, dst.Buffer, dst.Length);',
    '    S[3] = RtlUnicodeStringPrintf(&dst, L"%d-%d", 1, 2); L[3] = dst.Length;',
    '    S[4] = RtlUnicodeStringInit(&src, NULL); L[4] = src.MaximumLength;',
    '}',
  ].join('\n'));
  assert.deepEqual(h.diagnostics, []);
  h.call('Run');
  assert.deepEqual(h.module.global('S'), [0, 0, OVERFLOW, 0, 0]);
  assert.deepEqual(h.module.global('L'), [8, 8, 16, 6, 0]);
  assert.equal(text(h.module.global('Out')), '\\dir\\fil');
});

test('RtlUnicodeStringToAnsiString into a buffer and allocated, RtlFreeAnsiString, RtlCompareString and RtlEqualString', async () => {
  const h = await loadC([
    '#include <fltKernel.h>',
    'CHAR Out[16];',
    'LONG R[8];',
    'void Run(void) {',
    '    UNICODE_STRING u = RTL_CONSTANT_STRING(L"Notepad.EXE");',
    '    ANSI_STRING a, b, small;',
    '    CHAR buf[32], tiny[4];',
    '    RtlInitEmptyAnsiString(&a, buf, sizeof(buf));',
    '    R[0] = RtlUnicodeStringToAnsiString(&a, &u, FALSE);',
    '    R[1] = a.Length;',
    '    RtlCopyMemory(Out, a.Buffer, a.Length + 1);',
    '    R[2] = RtlUnicodeStringToAnsiString(&b, &u, TRUE);',
    '    R[3] = RtlEqualString(&a, &b, FALSE) + 10 * RtlCompareString(&a, &b, FALSE);',
    '    RtlInitAnsiString(&small, "notepad.exe");',
    '    R[4] = RtlEqualString(&a, &small, TRUE) * 10 + RtlEqualString(&a, &small, FALSE);',
    '    R[5] = RtlCompareString(&small, &a, FALSE) > 0;',
    '    RtlFreeAnsiString(&b);',
    '    R[6] = b.Buffer == NULL && b.Length == 0;',
    '    RtlInitEmptyAnsiString(&small, tiny, sizeof(tiny));',
    '    R[7] = RtlUnicodeStringToAnsiString(&small, &u, FALSE) == STATUS_BUFFER_OVERFLOW && small.Length == 4;',
    '}',
  ].join('\n'));
  assert.deepEqual(h.diagnostics, []);
  h.call('Run');
  assert.equal(text(h.module.global('Out')), 'Notepad.EXE');
  assert.deepEqual(h.module.global('R'), [0, 11, 0, 1, 10, 1, 1, 1]);
  assert.deepEqual(h.violations, []);
});

test('RtlAnsiStringToUnicodeSize and RtlUnicodeStringToAnsiSize count the terminator', async () => {
  const h = await loadC([
    '#include <fltKernel.h>',
    'ULONG Run(void) { ANSI_STRING a; UNICODE_STRING u = RTL_CONSTANT_STRING(L"abcd"); RtlInitAnsiString(&a, "abc"); return RtlAnsiStringToUnicodeSize(&a) * 100 + RtlUnicodeStringToAnsiSize(&u); }',
  ].join('\n'));
  assert.deepEqual(h.diagnostics, []);
  assert.equal(h.call('Run'), 8 * 100 + 5);
});

test('RtlStringCb/Cch Copy and Cat UnicodeString take a counted source into a terminated buffer', async () => {
  const h = await loadC([
    '#include <fltKernel.h>',
    '#include <ntstrsafe.h>',
    'WCHAR Out[8];',
    'WCHAR Small[4];',
    'NTSTATUS S[4];',
    'void Run(void) {',
    '    UNICODE_STRING src = RTL_CONSTANT_STRING(L"abcde");',
    '    src.Length = 3 * sizeof(WCHAR);',                                     // "abc": the count, not the terminator
    '    S[0] = RtlStringCbCopyUnicodeString(Out, sizeof(Out), &src);',
    '    S[1] = RtlStringCchCatUnicodeString(Out, 8, &src);',                  // "abcabc"
    '    S[2] = RtlStringCchCopyUnicodeString(Small, 4, &src);',               // "abc" fills it with the terminator
    '    S[3] = RtlStringCbCatUnicodeString(Small, sizeof(Small), &src);',     // no room: cut, overflow
    '}',
  ].join('\n'));
  assert.deepEqual(h.diagnostics, []);
  h.call('Run');
  assert.deepEqual(h.module.global('S'), [0, 0, 0, OVERFLOW]);
  assert.equal(text(h.module.global('Out')), 'abcabc');
  assert.equal(text(h.module.global('Small')), 'abc');
});

test('RtlUnicodeStringValidate(Ex) answers a status for each malformed counted string instead of stopping; RtlCopyBytes copies', async () => {
  const h = await loadC([
    '#include <fltKernel.h>',
    '#include <ntstrsafe.h>',
    'NTSTATUS S[8];',
    'CHAR Copied[4];',
    'void Run(void) {',
    '    WCHAR buf[4];',
    '    UNICODE_STRING u;',
    '    RtlInitEmptyUnicodeString(&u, buf, sizeof(buf));',
    '    S[0] = RtlUnicodeStringValidate(&u);',
    '    u.Length = 3;',                       // odd
    '    S[1] = RtlUnicodeStringValidate(&u);',
    '    u.Length = 10;',                      // longer than MaximumLength
    '    S[2] = RtlUnicodeStringValidate(&u);',
    '    u.Length = 0; u.Buffer = NULL;',      // no buffer but a capacity
    '    S[3] = RtlUnicodeStringValidate(&u);',
    '    S[4] = RtlUnicodeStringValidate(NULL);',
    '    S[5] = RtlUnicodeStringValidateEx(NULL, STRSAFE_IGNORE_NULLS);',
    '    S[6] = RtlUnicodeStringValidateEx(&u, STRSAFE_NO_TRUNCATION);',  // not a flag Validate takes
    '    RtlCopyBytes(Copied, "abc", 4);',
    '}',
  ].join('\n'));
  assert.deepEqual(h.diagnostics, []);
  h.call('Run');
  assert.deepEqual(h.module.global('S'), [0, INVALID, INVALID, INVALID, INVALID, 0, INVALID, 0]);
  assert.equal(text(h.module.global('Copied')), 'abc');
});
