// The counted string routines (strncmp, _wcsnicmp…) read at most N characters: a UNICODE_STRING's
// buffer, which has no terminating NUL, may be compared up to its length without reading past it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadC } from './harness';

const SOURCE = [
  '#include <ntifs.h>',
  // Exactly 8 characters in an 8-character pool block: no NUL after them.
  'static WCHAR *eight(void) { WCHAR *p = ExAllocatePoolWithTag(NonPagedPool, 16, \'tseT\'); RtlCopyMemory(p, L"\\\\Secret\\\\", 16); return p; }',
  'int wn(void) { WCHAR *p = eight(); int r = _wcsnicmp(L"\\\\SECRET\\\\x", p, 8); ExFreePool(p); return r; }',
  'int wn2(void) { WCHAR *p = eight(); int r = wcsncmp(L"\\\\Secret\\\\", p, 8) + 10 * wcsncmp(L"\\\\Secreu", p, 7); ExFreePool(p); return r; }',
  'SIZE_T wl(void) { WCHAR *p = eight(); SIZE_T r = wcsnlen(p, 8); ExFreePool(p); return r; }',
  'int an(void) { char *p = ExAllocatePoolWithTag(NonPagedPool, 4, \'tseT\'); RtlCopyMemory(p, "abcd", 4); int r = strncmp("abcdX", p, 4) + 10 * _strnicmp("ABCE", p, 4); SIZE_T n = strnlen(p, 4); ExFreePool(p); return r + 100 * (int)n; }',
  'int stop(void) { WCHAR a[2] = { L\'x\', 0 }; return _wcsnicmp(a, L"xyz", 3); }',
  'int past(void) { WCHAR *p = eight(); int r = _wcsnicmp(L"\\\\SECRET\\\\x", p, 9); ExFreePool(p); return r; }',
].join('\n');

test('n-limited string compares and lengths stay inside a buffer with no terminating NUL', async () => {
  const h = await loadC(SOURCE);
  assert.deepEqual(h.diagnostics, []);
  assert.equal(h.call('wn'), 0, 'the first 8 characters are equal without regard to case');
  assert.equal(h.call('wn2'), 10, 'equal for 8; "\\Secreu" sorts after "\\Secret"');
  assert.equal(h.call('wl'), 8);
  assert.equal(h.call('an'), 410, 'strncmp 0, _strnicmp("ABCE","abcd") > 0, strnlen 4');
  assert.equal(h.call('stop'), -1, 'a NUL before N ends the compare: "x" sorts before "xyz"');
});

test('reading the 9th character of an 8-character block is still out of bounds', async () => {
  const h = await loadC(SOURCE);
  assert.throws(() => h.call('past'), /past its end/);
});
