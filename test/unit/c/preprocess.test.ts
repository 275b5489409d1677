import { test } from 'node:test';
import assert from 'node:assert/strict';
import { posix } from 'node:path';
import { preprocess, type PreprocessOptions } from '../../../engine/c/preprocess';

function options(files: Record<string, string>, extra: Partial<PreprocessOptions> = {}): PreprocessOptions {
  return {
    readFile: (p) => files[p],
    dirname: posix.dirname,
    join: posix.join,
    systemHeaders: new Map([['fltkernel.h', '#define FLT_PREOP_PENDING 2\ntypedef int NTSTATUS;\n']]),
    ...extra,
  };
}

test('object- and function-like macros expand, with # and ##', () => {
  const r = preprocess('/d/a.c', options({
    '/d/a.c': '#define TWICE(x) ((x) + (x))\n#define STR(x) #x\n#define CAT(a, b) a##b\nint v = TWICE(3);\nchar *s = STR(hello world);\nint CAT(my, Var) = 1;\n',
  }));
  assert.deepEqual(r.diagnostics, []);
  assert.match(r.text, /int v = \(\( 3 \) \+ \( 3 \)\)|int v = \(\(3\) \+ \(3\)\)/);
  assert.match(r.text, /char \*s = "hello world";/);
  assert.match(r.text, /int myVar = 1;/);
});

test('a macro does not expand inside its own expansion', () => {
  const r = preprocess('/d/a.c', options({ '/d/a.c': '#define foo foo + 1\nint x = foo;\n' }));
  assert.match(r.text, /int x = foo \+ 1;/);
});

test('#if/#elif/#else pick one branch and #ifdef sees scenario defines', () => {
  const src = [
    '#if MODE == 1', 'int one;', '#elif MODE == 2 && defined(EXTRA)', 'int two;', '#else', 'int other;', '#endif',
    '#ifndef MISSING', 'int notMissing;', '#endif', '#if 0', '#error never', '#endif',
  ].join('\n');
  const r = preprocess('/d/a.c', options({ '/d/a.c': src }, { defines: new Map([['MODE', '2'], ['EXTRA', '']]) }));
  assert.deepEqual(r.diagnostics, []);
  assert.match(r.text, /int two;/);
  assert.doesNotMatch(r.text, /int one;|int other;/);
  assert.match(r.text, /int notMissing;/);
});

test('local includes resolve next to the including file; system headers come from the prelude', () => {
  const r = preprocess('/d/src/a.c', options({
    '/d/src/a.c': '#include <fltKernel.h>\n#include "inc/b.h"\nint r = FLT_PREOP_PENDING + B;\n',
    '/d/src/inc/b.h': '#pragma once\n#define B 40\n',
  }));
  assert.deepEqual(r.diagnostics, []);
  assert.match(r.text, /typedef int NTSTATUS;/);
  assert.match(r.text, /int r = 2 \+ 40;/);
  assert.deepEqual(r.files, ['/d/src/a.c', '/d/src/inc/b.h']);
});

test('every token maps back to the line and column the user wrote, through macros', () => {
  const src = '#define CALL(f) f(1)\n\nvoid g(void) {\n    CALL(h);\n}\n';
  const r = preprocess('/d/a.c', options({ '/d/a.c': src }));
  const at = r.text.indexOf('h(1)');
  assert.ok(at >= 0, r.text);
  assert.deepEqual(r.map.originAt(at), { file: '/d/a.c', line: 4, col: 5 }, 'tokens from an expansion point at the invocation');
  assert.deepEqual(r.map.originAt(r.text.indexOf('void')), { file: '/d/a.c', line: 3, col: 1 });
});

test('SAL annotations vanish before parsing, even between the return type and the name', () => {
  const r = preprocess('/d/a.c', options({ '/d/a.c': 'NTSTATUS\n_IRQL_requires_max_(APC_LEVEL)\nWork(_In_ int x, _Out_opt_ int *y);\n' }));
  assert.match(r.text.replace(/\s+/g, ' '), /NTSTATUS Work\( int x, int \*y\);/);
});

test('mistakes are reported with file and line, never thrown', () => {
  const r = preprocess('/d/a.c', options({ '/d/a.c': '#include "nope.h"\n#if\n#endif\n#define F(a) a\nint x = F(1, 2);\n#error stop here\n#ifdef X\n' }));
  const msgs = r.diagnostics.map((d) => `${d.origin.line}: ${d.message}`);
  assert.deepEqual(msgs, [
    '1: cannot find include file "nope.h"; searched /d (the driver has no include directories: a .vcxproj gives them with AdditionalIncludeDirectories)',
    '2: #if with no expression',
    "5: macro 'F' expects 1 argument, got 2",
    '6: #error stop here',
    '7: missing #endif (1 conditional still open at end of file)',
  ]);
});

test('quoted includes search the including folder, then the include directories in order; a miss names every folder searched', () => {
  const files = {
    '/p/src/a.c': '#include "shared.h"\n#include "only_in_second.h"\n#include <lib.h>\nint a = SHARED + SECOND + LIB;\n',
    '/p/inc/shared.h': '#define SHARED 1\n',
    '/p/other/shared.h': '#define SHARED 99\n',
    '/p/other/only_in_second.h': '#define SECOND 2\n',
    '/p/other/lib.h': '#define LIB 4\n',
  };
  const r = preprocess('/p/src/a.c', options(files, { includeDirs: ['/p/inc', '/p/other'] }));
  assert.deepEqual(r.diagnostics, []);
  assert.match(r.text, /int a = 1 \+ 2 \+ 4;/, 'the first include directory wins, angled includes search them too');
  assert.deepEqual(r.files, ['/p/src/a.c', '/p/inc/shared.h', '/p/other/only_in_second.h', '/p/other/lib.h']);
  const miss = preprocess('/p/src/b.c', options({ '/p/src/b.c': '\n#include "gone.h"\n' }, { includeDirs: ['/p/inc', '/p/other'] }));
  assert.deepEqual(miss.diagnostics.map((d) => [d.origin.line, d.message]), [[2, 'cannot find include file "gone.h"; searched /p/src, /p/inc, /p/other']]);
});

test('an include spelled with other case finds the file when the host locates names without case', () => {
  const files: Record<string, string> = { '/p/a.c': '#include "..\\\\Inc\\\\Shared.H"\nint a = SHARED;\n', '/inc/shared.h': '#define SHARED 5\n' };
  const locate = (p: string) => Object.keys(files).find((k) => k.toLowerCase() === posix.normalize(p).toLowerCase());
  const r = preprocess('/p/a.c', options(files, { locate }));
  assert.deepEqual(r.diagnostics, []);
  assert.match(r.text, /int a = 5;/);
  assert.deepEqual(r.files, ['/p/a.c', '/inc/shared.h'], 'the file is recorded under its real name, for breakpoints');
});
