/**
 * ZwOpenSymbolicLinkObject / ZwQuerySymbolicLinkObject on a fixture written for these tests
 * (test/fixtures/symlinks/linkquery.c): drive letters name the scenario's volumes in order, a link
 * the driver made resolves to its device, \SystemRoot to the Windows folder of the first volume, and
 * a short buffer is STATUS_BUFFER_TOO_SMALL.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathRules, prepareScenarioText, type ProjectFiles } from '../../../engine';
import { World } from '../../../engine/run/world';

const driver = readFileSync(path.resolve('test/fixtures/symlinks/linkquery.c'), 'utf8');

test('drive letters and driver links resolve through symbolic link objects', async () => {
  const files: ProjectFiles = { readFile: (p) => (p === '/t/linkquery.c' ? driver : undefined), paths: pathRules('posix') };
  const text = 'driver "linkquery.c"\nvolume "\\Device\\HarddiskVolume1"\nvolume "\\Device\\HarddiskVolume7"\nunload at 5\n';
  const prepared = await prepareScenarioText('/t/d.fltsim', text, files);
  assert.ok(prepared.ok, prepared.ok ? '' : prepared.diagnostics.map((d) => d.message).join('; '));
  const world = new World(prepared.prepared, {});
  world.run();
  assert.equal(world.fault, undefined, world.fault?.message);
  assert.deepEqual(world.sim.output, [
    '\\??\\C: -> \\Device\\HarddiskVolume1 (48)',
    '\\DosDevices\\d: -> \\Device\\HarddiskVolume7 (48)',
    'open \\GLOBAL??\\E: c0000034',
    'query \\??\\C: c0000023 needs 46',
    '\\??\\LinkQuery -> \\Device\\LinkQueryDev (42)',
    // The link Windows makes to its own folder: \Windows on the first volume.
    '\\SystemRoot -> \\Device\\HarddiskVolume1\\Windows (64)',
  ]);
  assert.deepEqual(world.sim.violations, []);
});
