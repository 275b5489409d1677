/**
 * The engine's documentation agrees with its code: every rule id is listed in docs/runtime-rules.md
 * (and nothing else is), every routine is in docs/engine.md's table, and every routine with an IRQL
 * bound has a catalog entry.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { RULE_IDS, RUNTIME_RULES, Simulation } from '../../engine';
import { apiInfo } from '../../engine/api/catalog';

const rulesDoc = readFileSync('docs/runtime-rules.md', 'utf8');
const engineDoc = readFileSync('docs/engine.md', 'utf8');

test('docs/runtime-rules.md lists exactly the rule ids of engine/kernel/rules.ts, with their severity', () => {
  const rows = [...rulesDoc.matchAll(/^\| `([a-z0-9-]+)` \| (error|warning) \|/gm)].map((m) => [m[1]!, m[2]!] as const);
  assert.deepEqual(rows.map(([id]) => id).sort(), [...RULE_IDS].sort());
  for (const [id, sev] of rows) assert.equal(sev, RUNTIME_RULES[id as keyof typeof RUNTIME_RULES].severity, id);
});

test('docs/engine.md has a row for every routine of the api, and only rule ids that exist', () => {
  const sim = new Simulation();
  const rows = new Set([...engineDoc.matchAll(/^\| ([A-Za-z0-9_]+) \| (`yield\*`|plain) \|/gm)].map((m) => m[1]!));
  const interlockedExtras = /^Interlocked(And|Or|Xor|\w+(16|64))$/;
  for (const name of sim.routineNames) {
    if (interlockedExtras.test(name)) continue;
    assert.ok(rows.has(name), `${name} is missing from docs/engine.md`);
  }
  for (const row of engineDoc.matchAll(/^\| ([A-Za-z0-9_]+) \| (`yield\*`|plain) \|.*\| ([^|]*) \|$/gm)) {
    const name = row[1]!;
    assert.equal(row[2] === '`yield*`', sim.coroutineRoutines.has(name), `${name}: call form`);
    for (const id of row[3]!.split(',').map((s) => s.trim()).filter((s) => s && s !== '—')) {
      assert.ok((RULE_IDS as string[]).includes(id), `${name} lists unknown rule ${id}`);
    }
  }
});

test('every routine the engine checks an IRQL bound for has a catalog entry', () => {
  const sim = new Simulation();
  const unbound = /^(Interlocked\w+|IoIsSystemThread|MmGetMdl\w+|PsGet(Process|Thread)Id|ExAllocatePool(QuotaZero|WithQuotaTag))$/;
  for (const name of sim.routineNames) {
    if (unbound.test(name)) continue;
    assert.ok(apiInfo(name), `${name} has no entry in engine/api/catalog.ts`);
  }
});
