/**
 * The registry as a driver reads and writes it (engine/kernel/registry.ts, registryRtl.ts,
 * registryInfo.ts) on a driver written for these tests (test/fixtures/registry/regconfig.c): its
 * printed results are compared with what the scenario's registry lines put there and what the
 * routines must answer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runWorld, oneDriver } from '../worldRun';
import { RegKey } from '../../../engine/kernel/registryTree';

const source = readFileSync(path.resolve('test/fixtures/registry/regconfig.c'), 'utf8');
const files = oneDriver('regconfig.c', source);
const scenario = (...lines: string[]) => ['driver "regconfig.c"', ...lines, 'unload at 5'].join('\n');
const hex = (n: number) => `0x${(n >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;

test('DriverEntry reads Parameters with ZwQueryValueKey (size probe) and RtlQueryRegistryValues (DIRECT entries, a default, a routine per REG_MULTI_SZ string, a REQUIRED value missing)', async () => {
  const w = await runWorld('/t/s.fltsim', scenario('registry "Level" dword 3', 'registry "Mode" string "fast"', 'registry "Quota" qword 5000000000', 'registry "Extensions" multi-string ".docx" ".xlsx"'), files);
  assert.equal(w.fault, undefined, w.fault?.message);
  const out = w.sim.kernel.output;
  // KEY_VALUE_PARTIAL_INFORMATION: 12 bytes of header and the 4 bytes of the DWORD.
  assert.deepEqual(out.slice(0, 9), [
    'open service 0x00000000',
    'open parameters 0x00000000',
    `probe ${hex(0xc0000023)} needed 16`,
    'query 0x00000000 type 4 length 4 value 3',
    'rtl query 0x00000000 level 3 mode "fast" quota 5000000000 missing 99',
    'routine Extensions type 1 ".docx" length 12',
    'routine Extensions type 1 ".xlsx" length 12',
    'rtl routine 0x00000000 count 2',
    `rtl required ${hex(0xc0000034)}`,
  ]);
  assert.deepEqual(w.sim.violations.map((v) => v.rule), [], 'the string buffer RtlQueryRegistryValues allocated is freed with ExFreePool: no leak');
});

test('a string buffer RtlQueryRegistryValues allocated is freed by RtlFreeUnicodeString (it frees through the pool), emptying the string, with no violation', async () => {
  const w = await runWorld('/t/s.fltsim', scenario('define FREE_WITH_RTL', 'registry "Level" dword 3', 'registry "Mode" string "fast"'), files);
  assert.equal(w.fault, undefined, w.fault?.message);
  assert.ok(w.sim.kernel.output.includes('freed mode buffer 0000000000000000 length 0'), w.sim.kernel.output.join('\n'));
  assert.deepEqual(w.sim.violations.map((v) => v.rule), []);
});

test('ZwCreateKey reports the disposition; access, deleted keys, subkeys and the enumeration order give the documented statuses', async () => {
  const w = await runWorld('/t/s.fltsim', scenario('registry "Level" dword 1'), files);
  assert.equal(w.fault, undefined, w.fault?.message);
  const out = w.sim.kernel.output;
  const from = out.indexOf('create 0x00000000 disposition 1');
  assert.ok(from >= 0, out.join('\n'));
  assert.deepEqual(out.slice(from), [
    'create 0x00000000 disposition 1', // REG_CREATED_NEW_KEY
    'create again 0x00000000 disposition 2', // REG_OPENED_EXISTING_KEY
    `set through read handle ${hex(0xc0000022)}`, // KEY_READ has no KEY_SET_VALUE
    'set runs 0x00000000',
    'set owner 0x00000000',
    'enum value 1 0x00000000 name Owner',
    `enum value 2 ${hex(0x8000001a)}`, // STATUS_NO_MORE_ENTRIES
    'create sub 0x00000000 disposition 1',
    'query key 0x00000000 subkeys 1 values 2 maxvaluename 10',
    // KEY_BASIC_INFORMATION: 16 bytes of header and "Cache" (10 bytes); 8 bytes hold less than the header.
    `enum key small ${hex(0xc0000023)} needed 26`,
    'enum key 0x00000000 name Cache',
    `delete parent ${hex(0xc0000121)}`, // STATUS_CANNOT_DELETE: it has a subkey
    'delete sub 0x00000000',
    `set on deleted ${hex(0xc000017c)}`, // STATUS_KEY_DELETED
    'delete value 0x00000000',
    `delete value again ${hex(0xc0000034)}`,
  ]);
  const key = w.sim.registry.tree.find('\\registry\\machine\\software\\REGCONFIG');
  assert.ok(key instanceof RegKey, 'names are found without regard to case');
  assert.equal(key.path, '\\REGISTRY\\MACHINE\\SOFTWARE\\RegConfig', 'and keep the case they were created with');
  assert.deepEqual([...key.values.values()].map((v) => v.name), ['Owner']);
  assert.equal(key.subkeys.size, 0);
});
