/**
 * Filters, instances and volumes asked about by index (issue 12): the FltEnumerate…Information
 * variants with their buffer-too-small and no-more-entries answers, and the references the
 * enumerations hand out (dropping one not held, or never dropping one, is reported at its line).
 * Fixture written for these tests: test/fixtures/enuminfo/enuminfo.c.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { World } from '../../../engine/run/world';
import { oneDriver, runWorld } from '../worldRun';

const driver = readFileSync(path.resolve('test/fixtures/enuminfo/enuminfo.c'), 'utf8');
const lineOf = (text: string) => driver.split('\n').findIndex((l) => l.includes(text)) + 1;
const V = '\\Device\\HarddiskVolume1';

async function run(caseNo: number): Promise<World> {
  const files = oneDriver('enuminfo.c', driver);
  const text = ['driver "enuminfo.c"', `define CASE ${caseNo}`, `volume "${V}"`, `file "${V}\\a.txt" content "x"`, `io #1 create "${V}\\a.txt" at 1`, 'unload at 5', ''].join('\n');
  const world = await runWorld('/t/d.fltsim', text, files);
  return world;
}

test('each information variant answers for the object at its index, says how big a buffer it needs, and ends with STATUS_NO_MORE_ENTRIES', async () => {
  const world = await run(0);
  const sim = world.sim;
  assert.equal(world.fault, undefined, world.fault?.message);
  const altitude = /^ {2}altitude (\d+)$/.exec(sim.output[4] ?? '')?.[1] ?? '';
  assert.notEqual(altitude, '');
  // INSTANCE_FULL_INFORMATION: 20 bytes, then instance name, altitude, volume name, filter name.
  const instanceBytes = 20 + 2 * ('enuminfo Instance'.length + altitude.length + V.length + 'enuminfo'.length);
  // FILTER_FULL_INFORMATION: 14 bytes before the name, "enuminfo" is 16 bytes.
  assert.deepEqual(sim.output, [
    'filter full, 8 bytes: c0000023 needs 30',
    'filter full: 00000000 30 bytes, frame 0, 1 instance(s)',
    '  name enuminfo',
    'filter basic: 00000000 flags 1',
    `  altitude ${altitude}`,
    'filter 1: 8000001a',
    `instance by filter: 00000000 ${instanceBytes} bytes`,
    `  volume ${V}`,
    '  instance enuminfo Instance',
    // FLTFL_IASI_IS_MINIFILTER; FLT_FSTYPE_NTFS.
    'instance aggregate: 00000000 flags 1 file system 2',
    '  filter enuminfo',
    'instance by filter 1: 8000001a',
    'instance by volume: 00000000',
    'instance by volume name: 00000000',
    'instance by unknown volume name: c01c0014',
    'instance by disk device: 00000000',
    // FILTER_VOLUME_STANDARD_INFORMATION: 18 bytes before the name.
    `volume standard, 4 bytes: c0000023 needs ${18 + 2 * V.length}`,
    'volume standard: 00000000 file system 2',
    `  volume ${V}`,
    'volume 1: 8000001a',
  ]);
  assert.deepEqual(sim.violations, []);
});

test('dropping a volume reference the driver does not hold is bad-object at that line', async () => {
  const world = await run(1);
  const v = world.sim.violations.filter((x) => x.rule === 'bad-object');
  assert.equal(v.length, 1);
  assert.match(v[0]!.message, /FltObjectDereference on volume .*HarddiskVolume1 without a reference to drop/);
  // The second of the two FltObjectDereference(volume) lines, under #if CASE == 1.
  assert.equal(v[0]!.location?.line, lineOf('#if CASE == 1') + 1);
});

test('volume references an enumeration handed out and nobody dropped are rundown-leak at the enumeration, once the driver unloaded', async () => {
  const world = await run(2);
  const v = world.sim.violations.filter((x) => x.rule === 'rundown-leak');
  assert.equal(v.length, 1);
  assert.match(v[0]!.message, /reference to volume .*HarddiskVolume1 from FltEnumerateVolumes in PostCreate/);
  assert.equal(v[0]!.location?.line, lineOf('FltEnumerateVolumes(Filter, volumes, 4, &n)'));
});
