// The platform's path rules (engine/files/paths.ts), the same suite under posix and win32 rules,
// then what only one flavor has (drive letters and shares; names that differ only in case).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { isWindowsRooted, pathRules, writtenPathKey } from '../../../engine/files';
import { forEachFlavor } from './flavors';

forEachFlavor('path rules', (f) => {
  const r = f.rules;

  test('a written path resolves against a folder with either slash and ..; an absolute one is kept', () => {
    assert.equal(r.resolve(f.abs('src'), 'a.c'), f.abs('src', 'a.c'));
    assert.equal(r.resolve(f.abs('src'), 'inc\\sub/b.h'), f.abs('src', 'inc', 'sub', 'b.h'));
    assert.equal(r.resolve(f.abs('src', 'deep'), '..\\..\\common/./c.h'), f.abs('common', 'c.h'));
    assert.equal(r.resolve(f.abs('src'), f.abs('other', 'x.c')), f.abs('other', 'x.c'));
    assert.equal(r.isAbsolute(f.abs('x')), true);
    assert.equal(r.isAbsolute('x\\y'), false);
  });

  test('split gives the root and the names; dirname, basename and join agree with it', () => {
    const p = f.abs('drivers', 'x.c');
    assert.deepEqual(r.split(p), f.name === 'win32' ? { root: 'C:\\', names: ['Work', 'drivers', 'x.c'] } : { root: '/', names: ['work', 'drivers', 'x.c'] });
    assert.equal(r.dirname(p), f.abs('drivers'));
    assert.equal(r.basename(p), 'x.c');
    assert.equal(r.join(f.abs('drivers'), 'x.c'), p);
  });

  test('keys: separators, . and .. and a trailing separator never matter; case matters only on posix', () => {
    const p = f.abs('Drivers', 'X.c');
    assert.equal(r.key(p), r.key(`${f.abs('Drivers', 'sub')}${r.sep}..${r.sep}.${r.sep}X.c`));
    assert.equal(r.key(f.abs('Drivers')), r.key(`${f.abs('Drivers')}${r.sep}`));
    assert.equal(r.same(p, f.abs('drivers', 'x.c')), r.ignoresCase);
    assert.equal(r.ignoresCase, f.name === 'win32');
  });

  test('file: URIs round-trip any absolute path, and agree with Node\'s own conversion', () => {
    const name = fc.stringMatching(/^[A-Za-z0-9 #%&+,;=@$!'()\-_.~\u00e9\u4e2d]{1,8}$/).filter((n) => n !== '.' && n !== '..');
    fc.assert(fc.property(fc.array(name, { minLength: 1, maxLength: 4 }), (names) => {
      const p = f.abs(...names);
      const uri = r.toUri(p);
      assert.match(uri, /^file:\/\/\//);
      assert.equal(r.fromUri(uri), f.name === 'win32' ? `c${p.slice(1)}` : p, 'the drive letter comes back as VS Code writes it, in lower case');
      assert.equal(fileURLToPath(uri, { windows: f.name === 'win32' }).toLowerCase(), p.toLowerCase());
    }));
  });

  test('URIs no path of this flavor has are refused, not guessed', () => {
    assert.equal(r.fromUri('untitled:Untitled-1'), undefined);
    assert.equal(r.fromUri('https://example.com/a.c'), undefined);
    assert.equal(r.fromUri(`${r.toUri(f.abs('a'))}%2Fb.c`), undefined, 'an encoded slash would glue two names');
    assert.equal(r.fromUri(`${r.toUri(f.abs('a'))}%E0%A4%A.c`), undefined, 'bad percent-encoding');
  });
});

test('win32: drive letters, shares and VS Code\'s URIs', () => {
  const w = pathRules('win32');
  assert.equal(w.fromUri('file:///c%3A/Drivers/x%20y.c'), 'c:\\Drivers\\x y.c');
  assert.equal(w.fromUri('file:///C:/Drivers/x.c'), 'C:\\Drivers\\x.c');
  assert.equal(w.toUri('C:\\Drivers\\x y.c'), 'file:///c%3A/Drivers/x%20y.c');
  assert.equal(w.same('c:\\drivers\\x.c', 'C:/Drivers/X.C'), true);
  // A share is a root of its own: .. does not climb out of it.
  assert.equal(w.resolve('\\\\server\\share\\drivers', '..\\..\\x.c'), '\\\\server\\share\\x.c');
  assert.deepEqual(w.split('\\\\server\\share\\a\\b.c'), { root: '\\\\server\\share\\', names: ['a', 'b.c'] });
  assert.equal(w.toUri('\\\\Server\\share\\a b.c'), 'file://server/share/a%20b.c');
  assert.equal(w.fromUri('file://server/share/a%20b.c'), '\\\\server\\share\\a b.c');
  assert.equal(fileURLToPath(w.toUri('\\\\server\\share\\a b.c'), { windows: true }), '\\\\server\\share\\a b.c');
  assert.equal(w.isAbsolute('C:x.c'), false, 'a drive-relative path is not absolute');
  assert.equal(w.key('C:\\'), 'c:\\', 'a root keeps its separator');
});

test('posix: case tells files apart, and a Windows drive path is kept as written, never resolved', () => {
  const p = pathRules('posix');
  assert.equal(p.same('/work/X.c', '/work/x.c'), false);
  assert.equal(p.resolve('/work', 'D:\\Drivers\\x.c'), 'D:/Drivers/x.c');
  assert.equal(p.resolve('/work', '\\\\server\\share\\x.c'), '//server/share/x.c');
  assert.equal(p.fromUri('file://server/share/x.c'), undefined, 'a share has no posix path');
  assert.equal(p.fromUri('file://localhost/work/x.c'), '/work/x.c');
  assert.equal(isWindowsRooted('C:\\x'), true);
  assert.equal(isWindowsRooted('\\\\s\\x'), true);
  assert.equal(isWindowsRooted('//usr/x'), false);
  assert.equal(isWindowsRooted('x\\y'), false);
});

test('paths written in scenarios and projects compare as Windows compares them, on every host', () => {
  assert.equal(writtenPathKey('Drivers\\A.c'), writtenPathKey('drivers/./a.C'));
  assert.notEqual(writtenPathKey('drivers/a.c'), writtenPathKey('drivers/b.c'));
});
