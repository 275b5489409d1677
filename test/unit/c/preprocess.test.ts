import { test } from 'node:test';
import assert from 'node:assert/strict';
import { preprocess, type PreprocessOptions } from '../../../engine/c/preprocess';
import { pathRules } from '../../../engine/files';

function options(files: Record<string, string>, extra: Partial<PreprocessOptions> = {}): PreprocessOptions {
  return {
    readFile: (p) => files[p],
    paths: pathRules('posix'),
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
