/**
 * Share access on create, the Filter Manager's object enumeration and lookups with their references,
 * instance information and volume information (issue 12), through scenario runs of a C fixture
 * written for these tests (test/fixtures/fmcore/objects.c).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathRules, prepareScenarioText, STATUS, type ProjectFiles } from '../../../engine';
import { World } from '../../../engine/run/world';
import { runWorld } from '../worldRun';

const dir = path.resolve('test/fixtures/fmcore');
const sources: Record<string, string> = { '/t/objects.c': readFileSync(path.join(dir, 'objects.c'), 'utf8') };
const files: ProjectFiles = { readFile: (p) => sources[p], paths: pathRules('posix') };

async function run(lines: string[]): Promise<World> {
  const world = await runWorld('/t/s.fltsim', lines.join('\n'), files);
  assert.equal(world.fault, undefined);
  return world;
}

const V = '\\Device\\HarddiskVolume1';

test('workload creates: an open that wants access a handle does not share, or refuses to share what a handle holds, gets STATUS_SHARING_VIOLATION until that handle is cleaned up', async () => {
  const w = await run([
    'driver "objects.c" altitude 370000',
    'define CASE 2',
    `volume "${V}"`,
    `file "${V}\\data\\a.txt" content "hello"`,
    `file "${V}\\data\\b.txt" content "b"`,
    `io #1 create "${V}\\data\\a.txt" share read at 0`,
    `io #2 create "${V}\\data\\a.txt" access read at 1`,
    `io #3 create "${V}\\data\\a.txt" access write at 2`,
    `io #4 create "${V}\\data\\a.txt" access attributes share none at 3`,
    `io #5 create "${V}\\data\\a.txt" access read share read at 4`,
    `io #6 create "${V}\\data\\b.txt" access read share none at 5`,
    `io #7 create "${V}\\data\\b.txt" access read disposition overwrite at 6`,
    `io #8 cleanup "${V}\\data\\b.txt" at 7`,
    `io #9 create "${V}\\data\\b.txt" access read-write share none at 8`,
    `io #10 create "${V}\\data\\b.txt" access read at 9`,
    'unload at 20',
  ]);
  const status = (id: number): number | undefined => w.sim.result(id)?.status;
  assert.equal(status(1), STATUS.STATUS_SUCCESS);
  // #1 shares read and holds read-write: a reader that shares everything is welcome...
  assert.equal(status(2), STATUS.STATUS_SUCCESS);
  // ...a writer is not
  assert.equal(status(3), STATUS.STATUS_SHARING_VIOLATION);
  // attributes only: neither checked nor counted
  assert.equal(status(4), STATUS.STATUS_SUCCESS);
  // refuses to share write while #1 writes
  assert.equal(status(5), STATUS.STATUS_SHARING_VIOLATION);
  assert.equal(status(6), STATUS.STATUS_SUCCESS);
  // the violation comes before the disposition: b.txt keeps its byte
  assert.equal(status(7), STATUS.STATUS_SHARING_VIOLATION);
  const b = w.sim.fltmgr.fs.volume(V).lookup('\\data\\b.txt');
  assert.equal('node' in b ? b.node.size : -1, 1);
  // #7 left no handle, so #8 cleans up #6's: b.txt is free again, until #9 takes it sharing nothing
  assert.equal(status(9), STATUS.STATUS_SUCCESS);
  assert.equal(status(10), STATUS.STATUS_SHARING_VIOLATION);
});

function objectsScenario(c: number): string[] {
  return [
    'driver "objects.c" altitude 370000',
    `define CASE ${c}`,
    `volume "${V}"`,
    'volume "\\Device\\HarddiskVolume2" fs fat',
    `file "${V}\\data\\a.txt" content "hello"`,
    `file "${V}\\trigger.txt" size 10`,
    `io #1 create "${V}\\data\\a.txt" share read at 0`,
    `io #2 create "${V}\\trigger.txt" at 1`,
    'unload at 5',
  ];
}

test("a filter's own FltCreateFile is checked against the workload's handle, unless it passes IO_IGNORE_SHARE_ACCESS_CHECK", async () => {
  const w = await run(objectsScenario(1));
  assert.deepEqual(w.sim.violations.map((v) => v.rule), []);
  assert.deepEqual(w.sim.kernel.output, [
    // the workload holds read-write sharing only read: a reader sharing nothing conflicts with both
    'share none: 0xC0000043',
    'share read: 0x00000000',
    'ignoring share access: 0x00000000',
  ]);
});

test('filters, instances and volumes are enumerated with references, a filter found by name, its instance described, the volume asked about itself', async () => {
  const w = await run(objectsScenario(2));
  assert.deepEqual(w.sim.violations.map((v) => v.rule), []);
  assert.deepEqual(w.sim.kernel.output, [
    'filters in 0: 0xC0000023 n=1',
    'filters in 4: 0x00000000 n=1 first-is-me=1',
    // one instance per volume
    'my instances: 0x00000000 n=2',
    'instances on this volume: 0x00000000 n=1',
    'volumes: 0x00000000 n=2',
    // names match whatever their case
    'by name: 0x00000000 me=1',
    'nobody: 0xC01C0013',
    // INSTANCE_FULL_INFORMATION (20 bytes) and four names: 32 + 12 + 46 + 14 bytes
    'instance in 8: 0xC0000023 needed=124',
    'instance: 0x00000000 needed=124',
    "name 'objects Instance'",
    "altitude '370000'",
    `volume '${V}'`,
    "filter 'objects'",
    "file system 'NTFS'",
    'attributes: 0x00000000 info=20 max=255',
    // 1 GiB in 4 KiB clusters of 512-byte sectors
    'size: 0x00000000 len=24 sector=512 per-unit=8 total=262144',
    'size in 4: 0xC0000004',
  ]);
});

test('references an enumeration hands out and the filter never drops keep its unload waiting', async () => {
  const w = await run(objectsScenario(3));
  assert.deepEqual(w.sim.kernel.output, ['filters in 0: 0xC0000023 n=1', 'filters in 4: 0x00000000 n=1 first-is-me=1']);
  assert.deepEqual(w.sim.violations.map((v) => v.rule), ['rundown-leak', 'deadlock']);
});

test("a volume's name alone opens the volume (DASD): no file name, FO_VOLUME_OPEN, the only creates SKIP_NON_DASD_IO lets through", async () => {
  const prepared = await prepareScenarioText('/t/s.fltsim', [
    'driver "dasd.c" altitude 370000',
    `volume "${V}"`,
    `file "${V}\\a.txt" content "x"`,
    `io #1 create "${V}\\a.txt" at 0`,
    `io #2 create "${V}" at 1`,
    `io #3 create "${V}\\a.txt" access attributes at 2`,
    `io #4 cleanup "${V}" at 3`,
    `io #5 cleanup "${V}\\a.txt" at 4`,
    'unload at 10',
  ].join('\n'), { readFile: (p) => (p === '/t/dasd.c' ? readFileSync(path.join(dir, 'dasd.c'), 'utf8') : undefined), paths: pathRules('posix') });
  assert.ok(prepared.ok, prepared.ok ? '' : prepared.diagnostics.map((d) => `${d.line}: ${d.message}`).join('; '));
  const w = new World(prepared.prepared, {});
  w.run();
  assert.equal(w.fault, undefined);
  assert.deepEqual(w.sim.violations.map((v) => v.rule), []);
  // the file's creates and cleanup never reach the filter
  assert.deepEqual(w.sim.kernel.output, [
    'major 0: name length 0, related 0, volume open 1, same as FltObjects 1',
    'major 18: name length 0, related 0, volume open 1, same as FltObjects 1',
  ]);
  assert.deepEqual([1, 2, 3, 4, 5].map((id) => w.sim.result(id)?.status), [0, 0, 0, 0, 0]);
});

test('FltReissueSynchronousIo from a post-create sends the create down again below the filter; an asynchronous one is refused', async () => {
  const both: ProjectFiles = {
    readFile: (p) => (p === '/t/lower.c' ? readFileSync(path.resolve('test/fixtures/fsio/lower.c'), 'utf8') : sources[p]),
    paths: pathRules('posix'),
  };
  const scenario = (flags: string): string => [
    'driver "objects.c" altitude 370000',
    'driver "lower.c" altitude 320000',
    'define CASE 4',
    `volume "${V}"`,
    `file "${V}\\trigger.txt" size 10`,
    `io #1 create "${V}\\trigger.txt" ${flags} at 1`,
    'unload at 5',
  ].join('\n');
  const prepared = await prepareScenarioText('/t/s.fltsim', scenario(''), both);
  assert.ok(prepared.ok);
  const w = new World(prepared.prepared, {});
  w.run();
  assert.deepEqual(w.sim.violations.map((v) => v.rule), []);
  assert.deepEqual(w.sim.kernel.output, [
    'lower: create \\trigger.txt generated=0',
    'first: 0x00000000 1',
    // the lower filter sees the create again, as the same operation (not generated I/O)
    'lower: create \\trigger.txt generated=0',
    'reissued: 0x00000000 1',
  ]);
  assert.equal(w.sim.result(1)?.status, STATUS.STATUS_SUCCESS);

  const asyncPrepared = await prepareScenarioText('/t/s.fltsim', scenario('async'), both);
  assert.ok(asyncPrepared.ok);
  const a = new World(asyncPrepared.prepared, {});
  a.run();
  assert.deepEqual(a.sim.violations.map((v) => v.rule), ['reissue-misuse']);
  assert.deepEqual(a.sim.kernel.output.slice(1), ['first: 0x00000000 1', 'reissued: 0xC0000001 1']);
});
