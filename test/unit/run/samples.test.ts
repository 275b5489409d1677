// Every bundled sample scenario runs and all of its expectations hold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { prepareScenario, runScenario } from '../../../engine';
import { nodeFiles } from '../../../extension/shared/nodeFiles';

const root = path.resolve('samples');
const scenarios = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => readdirSync(path.join(root, d.name)).filter((f) => f.endsWith('.fltsim')).map((f) => path.join(root, d.name, f)));

test('there are at least eight sample scenarios', () => {
  assert.ok(scenarios.length >= 8, `found ${scenarios.length}`);
});

// Samples teach correct code, so they must hold under other interleavings too, not only seed 1.
const SEEDS = [1, 2, 3];

for (const file of scenarios) {
  test(`sample ${path.relative(root, file)} passes every expectation (seeds ${SEEDS.join(', ')})`, async () => {
    const prepared = await prepareScenario(file, nodeFiles);
    assert.ok(prepared.ok, prepared.ok ? '' : prepared.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`).join('\n'));
    for (const seed of SEEDS) {
      const { report } = runScenario(prepared.prepared, { seed, label: path.basename(file) });
      assert.equal(report.error, null, JSON.stringify(report.error));
      const failed = report.expectations.filter((e) => !e.passed).map((e) => `seed ${seed}, line ${e.line}: ${e.text} — got ${e.actual}`);
      assert.deepEqual(failed, []);
      assert.ok(report.expectations.length >= 3, 'a sample should check at least three things');
    }
  });
}
