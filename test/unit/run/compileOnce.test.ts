/**
 * Runs of one prepared scenario share the drivers' compiled code (engine/interp/compiledModule.ts):
 * explorations on reused code report exactly what explorations on a fresh compile report, failures
 * (their messages name allocations by id) included.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { exploreScenario, prepareScenario, type PreparedScenario } from '../../../engine';
import { World } from '../../../engine/run/world';
import { nodeFiles } from '../../../extension/shared/nodeFiles';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'explore');

async function load(dir: string, name: string): Promise<PreparedScenario> {
  const p = await prepareScenario(path.join(FIXTURES, dir, `${name}.fltsim`), nodeFiles);
  if (!p.ok) throw new Error(p.diagnostics.map((d) => d.message).join('; '));
  return p.prepared;
}

function explored(prepared: PreparedScenario, reduction: boolean): unknown {
  const { report } = exploreScenario(prepared, { strategy: 'dfs', reduction, maxSchedules: 150, estimateProbes: 0 });
  return { schedules: report.schedules, digest: report.digest, stoppedBy: report.stoppedBy, failure: report.failure && { schedule: report.failure.schedule, reasons: report.failure.reasons, interleaving: report.failure.interleaving } };
}

test('worlds of one prepared scenario share the compiled drivers; each has its own storage', async () => {
  const prepared = await load('cancel-race', 'fixed');
  const a = new World(prepared);
  const b = new World(prepared);
  const [ma, mb] = [[...a.modules.values()][0], [...b.modules.values()][0]];
  assert.equal(ma.shared, mb.shared);
  assert.notEqual(ma.env.globals[0], mb.env.globals[0]);
  const other = [...new World(await load('cancel-race', 'fixed')).modules.values()][0];
  assert.notEqual(other.shared, ma.shared, 'a scenario prepared again compiles again');
});

for (const dir of ['teardown-race', 'flag-race']) {
  test(`${dir}: exploring on reused compiled code reports what exploring on a fresh compile reports`, async () => {
    const fresh = explored(await load(dir, 'race'), true);
    const prepared = await load(dir, 'race');
    const first = explored(prepared, true);
    // A run stopped early (its step budget) in between must not change what the next runs see.
    new World(prepared).run(40);
    const again = explored(prepared, true);
    assert.deepEqual(first, fresh);
    assert.deepEqual(again, fresh);
    assert.ok((fresh as { failure: unknown }).failure, 'the race is found');
  });
}
