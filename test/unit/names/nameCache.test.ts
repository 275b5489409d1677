/**
 * The Filter Manager's name cache (engine/fltmgr/nameCache.ts): each query method of
 * FltGetFileNameInformation reads or skips it as documented, a rename drops the file's cached
 * names, FltPurgeFileNameInformationCache drops them on demand, and paging I/O may only read it.
 * test/fixtures/names/cache.c prints what each query returned.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathRules, type ProjectFiles } from '../../../engine';
import { World } from '../../../engine/run/world';
import { formatStatus, STATUS } from '../../../engine/kernel/status';
import { runWorld } from '../worldRun';

const sources: Record<string, string> = { '/t/cache.c': readFileSync(path.resolve('test/fixtures/names/cache.c'), 'utf8') };
const files: ProjectFiles = { readFile: (p) => sources[p], paths: pathRules('posix') };
const V = '\\Device\\HarddiskVolume1';
const hex = (s: number) => `0x${s.toString(16).toUpperCase().padStart(8, '0')}`;
const MISS = hex(STATUS.STATUS_FLT_NAME_CACHE_MISS);
const REFUSED = hex(STATUS.STATUS_FLT_INVALID_NAME_REQUEST);

async function run(lines: string[]): Promise<World> {
  const text = ['driver "cache.c"', `volume "${V}"`, `file "${V}\\d\\a.txt" size 10`, ...lines].join('\n');
  const world = await runWorld('/t/s.fltsim', text, files);
  assert.equal(world.fault, undefined);
  assert.deepEqual(world.sim.violations.map((v) => v.message), []);
  return world;
}

test('cache-only misses until a default query has cached the name; paging I/O may read the cache only with always-allow-cache-lookup', async () => {
  assert.equal(MISS, '0xC01C0018', formatStatus(STATUS.STATUS_FLT_NAME_CACHE_MISS));
  const w = await run([
    `io #1 create "${V}\\d\\a.txt" at 0`,
    `io #2 read "${V}\\d\\a.txt" length 4 at 1`,
    `io #3 read "${V}\\d\\a.txt" length 4 paging at 2`,
  ]);
  assert.deepEqual(w.sim.kernel.output, [
    `pre-create cache-only: ${MISS}`,
    `post-create cache-only: ${MISS}`,
    `post-create default: ${V}\\d\\a.txt`,
    `read cache-only: ${V}\\d\\a.txt`,
    `paging default: ${REFUSED}`,
    `paging always-allow-cache-lookup: ${V}\\d\\a.txt`,
  ]);
});

test('a rename drops the cached name; a purge drops it again; filesystem-only skips the cache but refills it', async () => {
  const w = await run([
    `io #1 create "${V}\\d\\a.txt" at 0`,
    `io #2 set-info "${V}\\d\\a.txt" class FileRenameInformation to "b.txt" at 1`,
    `io #3 read "${V}\\d\\b.txt" length 4 at 2`,
    `io #4 write "${V}\\d\\b.txt" data "zz" at 3`,
    `io #5 read "${V}\\d\\b.txt" length 4 paging at 4`,
  ]);
  assert.deepEqual(w.sim.kernel.output.slice(3), [
    `pre-rename cache-only: ${V}\\d\\a.txt`,
    `read cache-only: ${MISS}`,
    `write default: ${V}\\d\\b.txt`,
    `write cache-only: ${V}\\d\\b.txt`,
    'purge: 0x00000000',
    `after purge cache-only: ${MISS}`,
    `filesystem-only: ${V}\\d\\b.txt`,
    `cache-only after filesystem-only: ${V}\\d\\b.txt`,
    `paging default: ${REFUSED}`,
    `paging always-allow-cache-lookup: ${V}\\d\\b.txt`,
  ]);
});

test('renaming the folder drops the cached names of the files below it', async () => {
  const w = await run([
    `io #1 create "${V}\\d\\a.txt" at 0`,
    `io #2 set-info "${V}\\d" class FileRenameInformation to "e" at 1`,
    `io #3 read "${V}\\e\\a.txt" length 4 at 2`,
  ]);
  assert.equal(w.sim.kernel.output.at(-1), `read cache-only: ${MISS}`);
});
