/**
 * FltCancelIo: an upper filter cancels a read it issued itself, which a lower filter has pended
 * (fixtures test/fixtures/names/issuer.c and pender.c).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathRules, type ProjectFiles } from '../../../engine';
import { World } from '../../../engine/run/world';
import { runWorld } from '../worldRun';

const sources: Record<string, string> = {
  '/t/issuer.c': readFileSync(path.resolve('test/fixtures/names/issuer.c'), 'utf8'),
  '/t/pender.c': readFileSync(path.resolve('test/fixtures/names/pender.c'), 'utf8'),
};
const files: ProjectFiles = { readFile: (p) => sources[p], paths: pathRules('posix') };
const V = '\\Device\\HarddiskVolume1';

async function run(extra: string[] = []): Promise<World> {
  const text = ['driver "pender.c" altitude 100000', 'driver "issuer.c" altitude 300000', ...extra, `volume "${V}"`, `file "${V}\\a.txt" content "0123456789abcdef"`, `io #1 create "${V}\\a.txt" at 0`].join('\n');
  const world = await runWorld('/t/s.fltsim', text, files);
  assert.equal(world.fault, undefined, world.fault?.message);
  return world;
}

test('FltCancelIo on a read the filter issued and a lower filter pended runs the lower cancel routine; the read ends STATUS_CANCELLED', async () => {
  const w = await run();
  assert.deepEqual(w.sim.kernel.output, [
    'pender: pends a read of 16 bytes',
    'issuer: sent 0x00000103',
    'pender: cancel routine at 0',
    'issuer: read done 0xC0000120 0',
    'issuer: FltCancelIo 1',
  ]);
  assert.deepEqual(w.sim.violations.map((v) => v.rule), []);
});

test('FltCancelIo on an operation the filter did not issue is refused (invalid-parameter)', async () => {
  const w = await run(['define CASE 2']);
  assert.deepEqual(w.sim.kernel.output, ['issuer: cancel of the create 0']);
  assert.deepEqual(w.sim.violations.map((v) => v.rule), ['invalid-parameter']);
  assert.match(w.sim.violations[0]!.message, /only I\/O the filter issued itself/);
});
