// #include lookup under posix and win32 rules: the including file's folder, then the project's include
// folders, names with either slash and `..`, and names spelled in another case than the file's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { preprocess, type PreprocessOptions } from '../../../engine/c/preprocess';
import { locateFile, type ProjectFiles } from '../../../engine/files';
import { forEachFlavor, type Flavor } from '../files/flavors';

const SYSTEM = new Map([['fltkernel.h', '#define FLT_PREOP_PENDING 2\ntypedef int NTSTATUS;\n']]);

function options(f: Flavor, files: ProjectFiles, includeDirs: string[] = []): PreprocessOptions {
  return { readFile: (p) => files.readFile(p), paths: f.rules, locate: (p) => locateFile(files, p), includeDirs, systemHeaders: SYSTEM };
}

forEachFlavor('#include lookup', (f) => {
  test('a quoted include is found next to the including file, with either slash; system headers come from the prelude', () => {
    const files = f.files({
      'src/a.c': '#include <fltKernel.h>\n#include "inc\\b.h"\n#include "inc/../inc/c.h"\nint r = FLT_PREOP_PENDING + B + C;\n',
      'src/inc/b.h': '#pragma once\n#define B 40\n',
      'src/inc/c.h': '#define C 1\n',
    });
    const r = preprocess(f.abs('src', 'a.c'), options(f, files));
    assert.deepEqual(r.diagnostics, []);
    assert.match(r.text, /typedef int NTSTATUS;/);
    assert.match(r.text, /int r = 2 \+ 40 \+ 1;/);
    assert.deepEqual(r.files, [f.abs('src', 'a.c'), f.abs('src', 'inc', 'b.h'), f.abs('src', 'inc', 'c.h')]);
  });

  test('then the include folders in order; a miss names every folder searched', () => {
    const files = f.files({
      'p/src/a.c': '#include "shared.h"\n#include "only_in_second.h"\n#include <lib.h>\nint a = SHARED + SECOND + LIB;\n',
      'p/inc/shared.h': '#define SHARED 1\n',
      'p/other/shared.h': '#define SHARED 99\n',
      'p/other/only_in_second.h': '#define SECOND 2\n',
      'p/other/lib.h': '#define LIB 4\n',
      'p/src/b.c': '\n#include "gone.h"\n',
    });
    const dirs = [f.abs('p', 'inc'), f.abs('p', 'other')];
    const r = preprocess(f.abs('p', 'src', 'a.c'), options(f, files, dirs));
    assert.deepEqual(r.diagnostics, []);
    assert.match(r.text, /int a = 1 \+ 2 \+ 4;/, 'the first include folder wins; angled includes search them too');
    assert.deepEqual(r.files, [f.abs('p', 'src', 'a.c'), f.abs('p', 'inc', 'shared.h'), f.abs('p', 'other', 'only_in_second.h'), f.abs('p', 'other', 'lib.h')]);
    const miss = preprocess(f.abs('p', 'src', 'b.c'), options(f, files, dirs));
    assert.deepEqual(miss.diagnostics.map((d) => [d.origin.line, d.message]), [[2, `cannot find include file "gone.h"; searched ${f.abs('p', 'src')}, ${dirs.join(', ')}`]]);
  });

  test('<Lib/fltKernel.h> with a folder is the library\'s own header from the include folders; <fltKernel.h> alone is the prelude', () => {
    const files = f.files({
      'p/src/a.c': '#include <Zylib/fltKernel.h>\n#include <fltKernel.h>\nint r = LIB_OWN + FLT_PREOP_PENDING;\n',
      'p/dep/Zylib/fltKernel.h': '#pragma once\n#define LIB_OWN 30\n',
    });
    const r = preprocess(f.abs('p', 'src', 'a.c'), options(f, files, [f.abs('p', 'dep')]));
    assert.deepEqual(r.diagnostics, []);
    assert.match(r.text, /int r = 30 \+ 2;/);
    assert.deepEqual(r.files, [f.abs('p', 'src', 'a.c'), f.abs('p', 'dep', 'Zylib', 'fltKernel.h')]);
  });

  test('an include spelled in another case opens the file under its own name; a warning only where case counts', () => {
    const files = f.files({
      'drv/a.c': '#include "ctxstruc.h"\n  #include "..\\Common\\SHARED.H"\nint a = CTX + SHARED;\n',
      'drv/CtxStruc.h': '#define CTX 5\n',
      'common/shared.h': '#pragma once\n#define SHARED 6\n',
    });
    const r = preprocess(f.abs('drv', 'a.c'), options(f, files));
    assert.match(r.text, /int a = 5 \+ 6;/);
    assert.deepEqual(r.files, [f.abs('drv', 'a.c'), f.abs('drv', 'CtxStruc.h'), f.abs('common', 'shared.h')], 'recorded under the real names, as breakpoints need');
    const expected = f.rules.ignoresCase ? [] : [
      [1, 1, `#include "ctxstruc.h" matches ${f.abs('drv', 'CtxStruc.h')} only when case is ignored, as Windows does; this file system tells case apart, so fltsim uses the file but the spelling should be made to agree`],
      [2, 3, `#include "..\\Common\\SHARED.H" matches ${f.abs('common', 'shared.h')} only when case is ignored, as Windows does; this file system tells case apart, so fltsim uses the file but the spelling should be made to agree`],
    ];
    assert.deepEqual(r.diagnostics.map((d) => [d.origin.line, d.origin.col, d.message]), expected);
    assert.ok(r.diagnostics.every((d) => d.severity === 'warning'));
  });

  test('#pragma once holds for one file however its includes spell it', () => {
    const files = f.files({
      'd/a.c': '#include "Once.h"\n#include "once.h"\n#include "./ONCE.H"\nint n = N;\n',
      'd/once.h': '#pragma once\n#define N 1\nint defined_once;\n',
    });
    const r = preprocess(f.abs('d', 'a.c'), options(f, files));
    assert.equal(r.text.match(/defined_once/g)?.length, 1);
    assert.deepEqual(r.files, [f.abs('d', 'a.c'), f.abs('d', 'once.h')]);
  });

  test('a CRLF header keeps every line and column of the file that includes it, and its own', () => {
    const files = f.files({
      'd/a.c': '#include "h.h"\r\nint after = 1;\r\n',
      'd/h.h': '// header\r\n#define LONG_MACRO(x) \\\r\n    ((x) + 1) // a comment \\\r\n   continued\r\nint inHeader = LONG_MACRO(2);\r\n',
    });
    const r = preprocess(f.abs('d', 'a.c'), options(f, files));
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.map.originAt(r.text.indexOf('inHeader')), { file: f.abs('d', 'h.h'), line: 5, col: 5 });
    assert.deepEqual(r.map.originAt(r.text.indexOf('after')), { file: f.abs('d', 'a.c'), line: 2, col: 5 });
    assert.match(r.text, /int inHeader = \(\( ?2 ?\) \+ 1\) ?;/);
  });
  test('a quoted include not next to its includer is looked for in the folders of the files that included it, innermost first, as MSVC does', () => {
    const files = f.files({
      'drv/main.c': '#include "fn/protect.h"\nint r = UTIL + MON;\n',
      'drv/fn/protect.h': '#include "../proc/monitor.h"\n',
      'drv/fn/util.h': '#define UTIL 7\n',
      'drv/util.h': '#define UTIL 99\n',
      'drv/proc/monitor.h': '#include "util.h"\n#define MON 1\n',
    });
    const r = preprocess(f.abs('drv', 'main.c'), options(f, files));
    assert.deepEqual(r.diagnostics, []);
    // monitor.h's own folder has no util.h; protect.h's (its includer) has, before main.c's.
    assert.match(r.text, /int r = 7 \+ 1;/);
    const miss = preprocess(f.abs('drv', 'proc', 'monitor.h'), options(f, { ...files, readFile: (p) => (p.endsWith('util.h') ? undefined : files.readFile(p)) }));
    assert.equal(miss.diagnostics.length, 1);
  });
});
