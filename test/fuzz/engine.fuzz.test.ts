// Fuzz properties over the engine, short and with fixed seeds, as part of `npm test`; `npm run fuzz`
// runs the same properties for as long as asked (scripts/fuzz.ts).
import { before, test } from 'node:test';
import { readyEngine } from './engineTargets';
import { assertProperty, ENGINE_PROPERTIES } from './properties';

before(readyEngine);

for (const p of ENGINE_PROPERTIES) {
  test(`fuzz: ${p.name} (${p.quickRuns} inputs, seed ${p.seed})`, async () => {
    await assertProperty(p, { numRuns: p.quickRuns, seed: p.seed, endOnFailure: true });
  });
}
