/**
 * A driver's own Zw*Key calls pass through the registry callbacks (engine/kernel/registry.ts,
 * registryCallbacks.ts), and REG_EXPAND_SZ data is expanded by RtlQueryRegistryValues unless the
 * entry says NOEXPAND (engine/kernel/environment.ts), on a driver written for these tests
 * (test/fixtures/registry/selfguard.c).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runWorld, oneDriver } from '../worldRun';
import { expandEnvironment, SYSTEM_ENVIRONMENT } from '../../../engine/kernel/environment';

const files = oneDriver('selfguard.c', readFileSync(path.resolve('test/fixtures/registry/selfguard.c'), 'utf8'));
const K = '\\REGISTRY\\MACHINE\\SOFTWARE\\Fabrikam';
const scenario = (...lines: string[]) => ['driver "selfguard.c"', `registry "${K}" "InstallPath" expand-string "%SystemRoot%\\\\Fabrikam\\\\%Unknown%\\\\bin"`, ...lines, 'unload at 5'].join('\n');

test('the driver\'s own registry calls reach its callbacks, highest first; a callback\'s error is ZwSetValueKey\'s status and nothing is written', async () => {
  const w = await runWorld('/t/s.fltsim', scenario(), files);
  assert.equal(w.fault, undefined, w.fault?.message);
  const out = w.sim.kernel.output;
  assert.deepEqual(out.slice(0, 8), [
    `watch pre-create ${K} mode 0`, // KernelMode: the driver's call
    'create 0x00000000 disposition 2', // the scenario's registry line made the key
    'watch pre-set Locked',
    'guard pre-set Locked', // Guard denies: no post-notification, STATUS_ACCESS_DENIED
    'set Locked 0xC0000022',
    'watch pre-set Trigger',
    'guard pre-set Echo', // Watch's nested call: only the callbacks below Watch see it
    'watch nested set Echo 0x00000000',
  ]);
  assert.deepEqual(out.slice(8, 11), ['guard pre-set Trigger', 'watch post-set 0x00000000', 'set Trigger 0x00000000']);
  const key = w.sim.registry.tree.find(K);
  assert.ok(typeof key !== 'string');
  assert.equal(key.value('Locked'), undefined);
  assert.equal(key.value('Trigger')?.type, 4);
  assert.equal(key.value('Echo')?.type, 4);
});

test('RtlQueryRegistryValues expands a REG_EXPAND_SZ value with the system\'s variables, and leaves it as stored with NOEXPAND', async () => {
  const w = await runWorld('/t/s.fltsim', scenario(), files);
  assert.equal(w.fault, undefined, w.fault?.message);
  assert.ok(w.sim.kernel.output.includes('query 0x00000000 expanded C:\\Windows\\Fabrikam\\%Unknown%\\bin stored %SystemRoot%\\Fabrikam\\%Unknown%\\bin'), w.sim.kernel.output.join('\n'));
  assert.deepEqual(w.sim.violations.filter((v) => v.severity === 'error').map((v) => v.message), []);
});

test('expansion: names without case, an undefined name and a lone percent stay as written', () => {
  assert.equal(expandEnvironment('%systemroot%\\a', SYSTEM_ENVIRONMENT), 'C:\\Windows\\a');
  assert.equal(expandEnvironment('100% of %NOPE% and %', SYSTEM_ENVIRONMENT), '100% of %NOPE% and %');
  assert.equal(expandEnvironment('%SystemDrive%%ProgramFiles(x86)%', SYSTEM_ENVIRONMENT), 'C:C:\\Program Files (x86)');
});
