/**
 * What a process-aware filter asks in DriverEntry (test/fixtures/routines/sessions.c): its
 * RegistryPath as a readable UNICODE_STRING, a DEFINE_GUID of a name the WDK headers already
 * give, ZwQueryInformationProcess's basic and session classes, the token's source, and a session
 * notification (engine/kernel/containerNotify.ts) that must be removed before unload.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runWorld, oneDriver } from '../worldRun';

const files = oneDriver('sessions.c', readFileSync(path.resolve('test/fixtures/routines/sessions.c'), 'utf8'));

test('DriverEntry reads its service key, a redefined well-known GUID, the process\'s session and basic information, and registers for session events', async () => {
  const w = await runWorld('/t/s.fltsim', ['driver "sessions.c"', 'unload at 5'].join('\n'), files);
  assert.equal(w.fault, undefined, w.fault?.message);
  assert.deepEqual(w.sim.kernel.output, [
    'service key \\REGISTRY\\MACHINE\\SYSTEM\\CurrentControlSet\\Services\\sessions',
    'srv guid bebfaebc own 11223344',
    'session wrong length 0xC0000004 needs 4', // STATUS_INFO_LENGTH_MISMATCH: the length must be exact
    'session 0x00000000 id 0', // DriverEntry runs in the System process: session 0
    'basic 0x00000000 pid 4 size 48',
    'source *SYSTEM*',
    'wrong size 0xC000000D', // STATUS_INVALID_PARAMETER
    'register 0x00000000 1',
  ]);
  const violations = w.sim.violations.map((v) => `${v.rule} ${v.message}`);
  assert.equal(violations.length, 1, violations.join('\n'));
  assert.match(violations[0]!, /^invalid-parameter IoRegisterContainerNotification: NotificationInformationLength is 32 and Size is 31; both must be sizeof\(IO_SESSION_STATE_NOTIFICATION\) \(32\)/);
});

test('a session notification still registered when the driver unloads is reported at the line that registered it', async () => {
  const w = await runWorld('/t/s.fltsim', ['driver "sessions.c"', 'define LEAK_SESSION', 'unload at 5'].join('\n'), files);
  assert.equal(w.fault, undefined, w.fault?.message);
  const leaks = w.sim.violations.filter((v) => v.rule === 'callback-not-unregistered');
  assert.equal(leaks.length, 1);
  assert.match(leaks[0]!.message, /IoRegisterContainerNotification in DriverEntry registered a callback that is still registered after it unloaded; remove it with IoUnregisterContainerNotification/);
  assert.equal(leaks[0]!.location?.line, 86);
});
