/**
 * Tokens, SIDs, a hand-built security descriptor and interlocked singly linked lists
 * (engine/kernel/tokens.ts, sids.ts, slist.ts) on a driver written for these tests
 * (test/fixtures/routines/security.c).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runWorld, oneDriver } from '../worldRun';

const files = oneDriver('security.c', readFileSync(path.resolve('test/fixtures/routines/security.c'), 'utf8'));
const V = '\\Device\\HarddiskVolume1';

test('the System process runs as an elevated LocalSystem, a workload process as a standard user; a descriptor, an ACL and an SList built by hand', async () => {
  const w = await runWorld('/t/s.fltsim', ['driver "security.c"', `io #1 create "${V}\\a.txt" at 1`, 'unload at 5'].join('\n'), files);
  assert.equal(w.fault, undefined, w.fault?.message);
  // SID sizes: 8 bytes of header and authority, 4 per sub-authority; TOKEN_USER is 16 bytes before its SID.
  const user = 'S-1-5-21-1843129705-2934712218-1117625443-1001';
  const aceSize = 8 + 12;
  assert.deepEqual(w.sim.kernel.output, [
    'entry: user S-1-5-18 valid 1 length 12',
    'entry: 3 groups, first enabled 1',
    'entry: admin 1',
    `entry: probe 0xC0000023 needs ${16 + 12}`, // STATUS_BUFFER_TOO_SMALL
    'entry: query 0x00000000 same sid 1',
    'entry: elevated 1',
    'sd bad revision 0xC0000058', // STATUS_UNKNOWN_REVISION
    'sd 0x00000000',
    'acl 0x00000000',
    'ace 0x00000000',
    'second ace 0xC0000099', // STATUS_ALLOTTED_SPACE_EXCEEDED: 8 + 20 = 28 leaves no room
    `acl count 1 size 28 ace size ${aceSize} mask 0x10000000 sid rid 18`,
    'dacl 0x00000000 control 0x0004', // SE_DACL_PRESENT
    'push a returns null 1',
    'push b returns a 1',
    'depth 2 b links a 1',
    'pop 2 depth 1',
    'pop 1 empty 1',
    `create: user ${user} valid 1 length ${8 + 4 * 5}`,
    'create: 4 groups, first enabled 1',
    'create: admin 0',
    `create: probe 0xC0000023 needs ${16 + 8 + 4 * 5}`,
    'create: query 0x00000000 same sid 1',
    'create: elevated 0',
    'create: subject admin 0 session 1',
  ]);
  assert.deepEqual(w.sim.violations.map((v) => v.message), []);
});
