// A header CMake generates from a template (`configure_file(config.h.in config.h)`) is not in the
// source tree: the template is read as configure_file would, with the definitions fltsim has.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { preprocess } from '../../../engine/c/preprocess';
import { configureTemplate } from '../../../engine/c/pp/cmakeTemplate';

test('configure_file rules: @VAR@ and ${VAR} become the value or nothing, #cmakedefine and #cmakedefine01 follow whether it is set', () => {
  const template = ['#cmakedefine HAVE_X', '#cmakedefine HAVE_Y 2', '#cmakedefine01 USE_Z', '#cmakedefine01 USE_W', 'const char *v = "@VERSION@-${STAMP}";', '#cmakedefine OFFED'].join('\n');
  const r = configureTemplate(template, new Map([['HAVE_Y', '1'], ['USE_W', 'ON'], ['VERSION', '1.2'], ['OFFED', 'OFF']]));
  assert.deepEqual(r.text.split('\n'), ['/* #undef HAVE_X */', '#define HAVE_Y 2', '#define USE_Z 0', '#define USE_W 1', 'const char *v = "1.2-";', '/* #undef OFFED */']);
  assert.deepEqual(r.unset.sort(), ['HAVE_X', 'STAMP', 'USE_Z']);
});

test('#include "config.h" with only config.h.in beside it reads the configured template, with a warning naming what had no value', () => {
  const files: Record<string, string> = {
    '/p/src/main.c': '#include "config.h"\nconst char *Stamp = STAMP_TEXT;\nint Level = LEVEL;\n',
    '/p/src/config.h.in': '#pragma once\n#define STAMP_TEXT "@COMPILATION_TIMESTAMP@"\n#define LEVEL @LEVEL@\n',
  };
  const r = preprocess('/p/src/main.c', { readFile: (p) => files[p], systemHeaders: new Map(), defines: new Map([['LEVEL', '3']]) });
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  assert.match(r.text, /const char \*Stamp = ""\s*;/);
  assert.match(r.text, /int Level = 3\s*;/);
  const warnings = r.diagnostics.filter((d) => d.severity === 'warning');
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0]!.origin.line, 1);
  assert.match(warnings[0]!.message, /^"config\.h" is not in the project: CMake writes it from config\.h\.in .*without a value .*: COMPILATION_TIMESTAMP$/);
});

test('a missing header with no template is still an error', () => {
  const r = preprocess('/p/main.c', { readFile: (p) => (p === '/p/main.c' ? '#include "config.h"\n' : undefined), systemHeaders: new Map() });
  assert.equal(r.diagnostics.length, 1);
  assert.match(r.diagnostics[0]!.message, /^cannot find include file "config\.h"/);
});
