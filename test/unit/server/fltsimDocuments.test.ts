import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { filePathOf, scenarioDiagnostics } from '../../../extension/server/fltsimDocuments';

test('file URIs become paths; other schemes have none', () => {
  const p = join('/', 'tmp', 'a b', 's.fltsim');
  assert.equal(filePathOf(pathToFileURL(p).href), p);
  assert.equal(filePathOf('untitled:Untitled-1'), undefined);
});

test('scenario problems come sorted, 0-based, with the hint on a second line', () => {
  const text = 'expect violation no-such-id\ndriver "x.c"\nio #1 wrte "\\\\Device\\\\HarddiskVolume1\\\\a"\n';
  const looked: string[] = [];
  const ds = scenarioDiagnostics(text, '/drv/s.fltsim', { readFile: (p) => { looked.push(p); return undefined; } });
  assert.deepEqual(ds.map((d) => [d.code, d.range.start.line, d.range.start.character, d.range.end.character, d.severity]), [
    ['unknown-rule', 0, 17, 27, 1],
    ['missing-file', 1, 7, 12, 1],
    ['unknown-operation', 2, 6, 10, 1],
  ]);
  assert.deepEqual(looked, [join('/drv', 'x.c')]);
  assert.match(ds[2].message, /^unknown operation 'wrte'.*\n.+/);
  assert.ok(ds.every((d) => d.source === 'fltsim'));
});

test('a warning stays a warning', () => {
  const text = 'driver "x.c"\nio #1 read "\\\\Device\\\\HarddiskVolume1\\\\a" at 5\ncancel #1 at 2\n';
  const ds = scenarioDiagnostics(text, undefined);
  assert.deepEqual(ds.map((d) => [d.code, d.severity]), [['cancel-before-issue', 2]]);
});

test('driver names a project gives are checked once its files are found: a .vcxproj\'s ProjectName, a file list\'s DriverEntry file', () => {
  const fixture = join(__dirname, '..', '..', 'fixtures', 'projects', 'threefile', 'x.fltsim');
  const proj = 'driver "driver/threefile.vcxproj"\nunload ThreeFile at 5\nexpect calls Threefile!TfPreRead 1\nexpect calls main!TfPreRead 1\n';
  assert.deepEqual(scenarioDiagnostics(proj, fixture).map((d) => [d.code, d.range.start.line, d.message.split('\n')[0]]), [
    ['unknown-module', 3, "no driver is named 'main'"],
  ]);
  const list = 'driver "driver/util.c" "driver/main.c"\nunload util at 5\n';
  assert.deepEqual(scenarioDiagnostics(list, fixture).map((d) => [d.code, d.range.start.line, d.message.split('\n')[0]]), [
    ['unknown-module', 1, "no driver is named 'util'"],
  ]);
  assert.deepEqual(scenarioDiagnostics(proj, undefined), [], 'without a file the project cannot be read, and its name is not guessed');
});
