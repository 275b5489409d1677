// Fuzz properties over the shipped adapter and server processes, short and with fixed seeds, as
// part of `npm test` (which builds dist/ first); `npm run fuzz` runs them for as long as asked.
import { test } from 'node:test';
import { assertProperty, PROCESS_PROPERTIES } from './properties';

for (const p of PROCESS_PROPERTIES) {
  test(`fuzz: ${p.name} (${p.quickRuns} sessions, seed ${p.seed})`, async () => {
    await assertProperty(p, { numRuns: p.quickRuns, seed: p.seed, endOnFailure: true });
  });
}
