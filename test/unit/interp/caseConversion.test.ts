// The C run-time's case conversions (_strupr, _wcslwr, toupper…): in place, ASCII letters only, as
// the kernel's C locale does; a string without its NUL inside its buffer is still an out-of-bounds read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadC } from './harness';

const SOURCE = [
  '#include <ntifs.h>',
  'int up(void) { char s[16] = "notepad.exe"; char *r = _strupr(s); return r == s && strcmp(s, "NOTEPAD.EXE") == 0; }',
  'int low(void) { WCHAR s[16] = L"A.TXT"; _wcslwr(s); return wcscmp(s, L"a.txt") == 0; }',
  'int wup(void) { WCHAR s[8] = L"ab\\x00e9"; _wcsupr(s); return s[0] == L\'A\' && s[1] == L\'B\' && s[2] == 0xe9; }',
  'int chars(void) { return toupper(\'q\') * 1000 + tolower(\'Q\') + (toupper(\'1\') == \'1\') * 1000000; }',
  'int unterminated(void) { char s[3] = { \'a\', \'b\', \'c\' }; _strupr(s); return s[0]; }',
].join('\n');

test('case conversions change ASCII letters in place and return the string', async () => {
  const h = await loadC(SOURCE);
  assert.deepEqual(h.diagnostics, []);
  assert.equal(h.call('up'), 1);
  assert.equal(h.call('low'), 1);
  assert.equal(h.call('wup'), 1, 'letters outside ASCII are left as they are');
  assert.equal(h.call('chars'), 1_000_000 + 0x51 * 1000 + 0x71);
});

test('a string with no NUL in its buffer is read out of bounds, not converted past its end', async () => {
  const h = await loadC(SOURCE);
  assert.throws(() => h.call('unterminated'), /past its end|out of bounds/);
});
