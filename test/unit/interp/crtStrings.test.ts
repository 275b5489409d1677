// The C run-time's string routines kernel drivers link (wcsrchr, strcpy, wcsncpy_s, atoi…): results
// as the CRT gives them, the secure forms' error codes, and overflows caught at the destination.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadC } from './harness';

const SOURCE = [
  '#include <ntifs.h>',
  'int last(void) { WCHAR p[32] = L"\\\\dir\\\\sub\\\\a.txt"; WCHAR *s = wcsrchr(p, L\'\\\\\'); return (int)(s - p) * 100 + (wcschr(p, L\'x\') - p); }',
  'int none(void) { char s[8] = "abc"; return strchr(s, \'z\') == NULL && strrchr(s, 0) == s + 3; }',
  'int copycat(void) { WCHAR b[16]; wcscpy(b, L"abc"); wcscat(b, L"de"); char c[8]; strcpy(c, "x"); strcat(c, "yz"); return wcscmp(b, L"abcde") == 0 && strcmp(c, "xyz") == 0; }',
  'int ncpy(void) { char b[6] = "zzzzz"; strncpy(b, "ab", 4); return b[0] == \'a\' && b[2] == 0 && b[3] == 0 && b[4] == \'z\'; }',
  'int secure(void) { WCHAR b[4]; int ok = wcscpy_s(b, 4, L"abc") == 0 && wcscmp(b, L"abc") == 0;',
  '  int range = wcscpy_s(b, 4, L"abcd"); int emptied = b[0] == 0;',
  '  int trunc = wcsncpy_s(b, 4, L"abcdef", _TRUNCATE); int cut = wcscmp(b, L"abc") == 0;',
  '  WCHAR c[8] = L"ab"; int cat = wcscat_s(c, 8, L"cd") == 0 && wcscmp(c, L"abcd") == 0;',
  '  return ok && range == ERANGE && emptied && trunc == STRUNCATE && cut && cat && wcscpy_s(NULL, 4, L"a") == EINVAL; }',
  'int numbers(void) { char *end; long v = strtol("  -0x1fZ", &end, 0); return atoi("42abc") == 42 && v == -31 && *end == \'Z\' && strtoul("777", NULL, 8) == 511 && abs(-5) == 5; }',
  'int printed(void) { WCHAR b[32]; int n = swprintf(b, L"%d-%ws", 7, L"x"); return n == 3 && wcscmp(b, L"7-x") == 0; }',
  'int overflow(void) { char b[4]; strcpy(b, "toolong"); return b[0]; }',
].join('\n');

test('string search, copy and concatenation routines give the CRT\'s results', async () => {
  const h = await loadC(SOURCE);
  assert.deepEqual(h.diagnostics, []);
  assert.equal(h.call('last'), 8 * 100 + 12, 'wcsrchr finds the last backslash; wcschr\'s "x" is the one in .txt');
  assert.equal(h.call('none'), 1);
  assert.equal(h.call('copycat'), 1);
  assert.equal(h.call('ncpy'), 1, 'strncpy pads a short source with NULs up to the count and writes no further');
  assert.equal(h.call('printed'), 1);
});

test('the secure forms return EINVAL, ERANGE or STRUNCATE and empty the destination on failure', async () => {
  const h = await loadC(SOURCE);
  assert.equal(h.call('secure'), 1);
});

test('strtol, strtoul and atoi parse as the CRT does, end pointer included', async () => {
  const h = await loadC(SOURCE);
  assert.equal(h.call('numbers'), 1);
});

test('strcpy past the destination\'s end is an out-of-bounds write at the call', async () => {
  const h = await loadC(SOURCE);
  assert.throws(() => h.call('overflow'), /out of bounds|past its end/);
});
