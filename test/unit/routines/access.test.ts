/**
 * SecLookupAccountSid and SeAccessCheck (engine/kernel/accessCheck.ts) on a driver written for
 * these tests (test/fixtures/routines/access.c): the same descriptor checked for SYSTEM in
 * DriverEntry and for the workload's standard user in a pre-create.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runWorld, oneDriver } from '../worldRun';

const files = oneDriver('access.c', readFileSync(path.resolve('test/fixtures/routines/access.c'), 'utf8'));
const V = '\\Device\\HarddiskVolume1';
const FILE_GENERIC_READ = 0x120089;
const FILE_GENERIC_WRITE = 0x120116;
const FILE_WRITE_DATA = 0x2;

test('accounts are named with the size protocol; the DACL is walked in order for the subject\'s token, deny before allow', async () => {
  const w = await runWorld('/t/s.fltsim', ['driver "access.c"', `io #1 create "${V}\\trigger.txt" disposition open-if at 1`, 'unload at 5'].join('\n'), files);
  assert.equal(w.fault, undefined, w.fault?.message);
  const hex = (n: number) => `0x${n.toString(16)}`;
  const denied = (who: string, want: number) => `${who}: want ${hex(want)} -> 0 granted 0x0 status 0xC0000022`;
  const ok = (who: string, want: number, granted = want) => `${who}: want ${hex(want)} -> 1 granted ${hex(granted)} status 0x00000000`;
  assert.deepEqual(w.sim.kernel.output, [
    // SYSTEM is not in Users, so only the kernel-mode check and the NULL DACL let it in.
    'system: probe 0xC0000023 name 14 domain 26', // "SYSTEM", "NT AUTHORITY", each with a terminator
    'system: 0x00000000 NT AUTHORITY\\SYSTEM use 5', // SidTypeWellKnownGroup
    'system: unknown 0xC0000073', // STATUS_NONE_MAPPED
    denied('system', 0x1),
    denied('system', FILE_WRITE_DATA),
    denied('system', 0x80000000),
    denied('system', 0x4),
    denied('system', 0x2000000),
    ok('system', FILE_WRITE_DATA),
    ok('system', FILE_WRITE_DATA),
    'user: probe 0xC0000023 name 10 domain 20',
    'user: 0x00000000 FLTSIM-PC\\User use 1', // SidTypeUser
    'user: unknown 0xC0000073',
    ok('user', 0x1),
    denied('user', FILE_WRITE_DATA), // the deny ACE for Everyone comes first
    ok('user', 0x80000000, FILE_GENERIC_READ), // generic read mapped through the GENERIC_MAPPING
    ok('user', 0x4), // FILE_APPEND_DATA: allowed by generic write, not denied
    ok('user', 0x2000000, (FILE_GENERIC_READ | FILE_GENERIC_WRITE) & ~FILE_WRITE_DATA), // MAXIMUM_ALLOWED
    ok('user', FILE_WRITE_DATA), // KernelMode: no check
    ok('user', FILE_WRITE_DATA), // a NULL DACL grants everything
  ]);
  assert.deepEqual(w.sim.violations.map((v) => v.message), []);
});
