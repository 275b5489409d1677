// What a missed #include costs in folder listings: the folders on the way to a path spelled as on
// disk are not listed through their parents (the parent of a project may be /tmp, with thousands
// of names), and within one compile each folder is listed once however many lookups pass it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { locateFile, withListingCache, type ProjectFiles } from '../../../engine/files';
import { memoryFiles } from './memoryFiles';

function counted(files: ProjectFiles): ProjectFiles & { listed: string[] } {
  const listed: string[] = [];
  return { ...files, readFile: (p) => files.readFile(p), listDir: (p) => { listed.push(p); return files.listDir!(p); }, listed };
}

test('a missing header under folders spelled as on disk lists only those folders, never their parents', () => {
  const files = counted(memoryFiles({ '/big/p/src/a.c': 'x', '/big/p/inc/B.h': 'y', '/big/other1.txt': '', '/big/other2.txt': '' }, 'posix'));
  assert.equal(locateFile(files, '/big/p/src/missing.h'), undefined);
  assert.ok(!files.listed.includes('/'), files.listed.join(' '));
  assert.deepEqual(files.listed.filter((p) => p === '/'), []);
  // A name in another case is still found, with its spelling on disk.
  assert.deepEqual(locateFile(files, '/big/p/inc/b.h'), { path: '/big/p/inc/B.h', caseDiffers: true });
  assert.deepEqual(locateFile(files, '/BIG/p/inc/b.h'), { path: '/big/p/inc/B.h', caseDiffers: true });
});

test('within one compile each folder is listed once however many lookups pass through it', () => {
  const files = counted(memoryFiles({ '/w/p/src/a.c': 'x', '/w/p/inc/b.h': 'y' }, 'posix'));
  const cached = withListingCache(files);
  for (const name of ['m1.h', 'm2.h', 'm3.h', 'M1.H']) {
    assert.equal(locateFile(cached, `/w/p/src/${name}`), undefined);
    assert.equal(locateFile(cached, `/w/p/inc/${name}`), undefined);
  }
  assert.deepEqual(locateFile(cached, '/w/p/inc/B.h'), { path: '/w/p/inc/b.h', caseDiffers: true });
  const counts = new Map<string, number>();
  for (const p of files.listed) counts.set(p, (counts.get(p) ?? 0) + 1);
  assert.deepEqual([...counts.values()].filter((n) => n > 1), [], JSON.stringify([...counts]));
  assert.ok(counts.has('/w/p/src') && counts.has('/w/p/inc'));
});
