// Finding files as Windows would (engine/files/lookup.ts), under posix and win32 rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findFolder, locateFile, locateFolder } from '../../../engine/files';
import { forEachFlavor } from './flavors';

forEachFlavor('file lookup', (f) => {
  const files = f.files({ 'Src/CtxStruc.h': 'a', 'Src/filter.c': 'b', 'Inc/Shared/x.h': 'c' });

  test('the exact name is found as it is', () => {
    assert.deepEqual(locateFile(files, f.abs('Src', 'CtxStruc.h')), { path: f.abs('Src', 'CtxStruc.h'), caseDiffers: false });
    assert.equal(findFolder(files, f.abs('Inc', 'Shared')), f.abs('Inc', 'Shared'));
  });

  test('another case finds the file under its name on disk; only a file system that tells case apart says so', () => {
    const found = locateFile(files, f.abs('src', 'ctxstruc.H'));
    assert.deepEqual(found, { path: f.abs('Src', 'CtxStruc.h'), caseDiffers: !f.rules.ignoresCase });
    assert.deepEqual(locateFolder(files, f.abs('INC', 'shared')), { path: f.abs('Inc', 'Shared'), caseDiffers: !f.rules.ignoresCase });
  });

  test('.. and the other slash are followed; a file is not a folder, nor the reverse; missing is undefined', () => {
    assert.equal(locateFile(files, `${f.abs('inc', 'shared')}${f.rules.sep}..${f.rules.sep}..${f.rules.sep}src/FILTER.C`)?.path, f.abs('Src', 'filter.c'));
    assert.equal(locateFile(files, f.abs('Inc', 'Shared')), undefined);
    assert.equal(locateFolder(files, f.abs('Src', 'filter.c')), undefined);
    assert.equal(locateFile(files, f.abs('Src', 'gone.h')), undefined);
  });

  test('where two names differ only in case, the exact one wins (posix), or either opens (Windows has only one)', () => {
    if (f.rules.ignoresCase) return;
    const both = f.files({ 'a/Util.h': 'upper', 'a/util.h': 'lower' });
    assert.deepEqual(locateFile(both, f.abs('a', 'util.h')), { path: f.abs('a', 'util.h'), caseDiffers: false });
    assert.deepEqual(locateFile(both, f.abs('a', 'Util.h')), { path: f.abs('a', 'Util.h'), caseDiffers: false });
  });

  test('without folder listings only exact names are found', () => {
    const flat = { readFile: (p: string) => (f.rules.same(p, f.abs('x.h')) ? '' : undefined), paths: f.rules };
    assert.deepEqual(locateFile(flat, f.abs('x.h')), { path: f.abs('x.h'), caseDiffers: false });
    assert.equal(locateFile(flat, f.abs('y.h')), undefined);
  });
});
