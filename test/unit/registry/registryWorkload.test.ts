/**
 * The scenario's registry workload through registry callbacks (engine/kernel/registryWorkload.ts,
 * registryCallbacks.ts) on a driver written for these tests (test/fixtures/registry/regguard.c): two
 * callbacks at two altitudes, the lower one denying changes under a key named Guarded.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runWorld, oneDriver, prepared } from '../worldRun';
import { World } from '../../../engine/run/world';
import { parseScenario } from '../../../engine/scenario';
import { prepareScenario, runScenario } from '../../../engine';
import { nodeFiles } from '../../../extension/shared/nodeFiles';

const files = oneDriver('regguard.c', readFileSync(path.resolve('test/fixtures/registry/regguard.c'), 'utf8'));
const G = '\\REGISTRY\\MACHINE\\SOFTWARE\\Contoso\\Guarded';
const O = '\\REGISTRY\\MACHINE\\SOFTWARE\\Contoso\\Open';
const scenario = (...lines: string[]) => ['driver "regguard.c"', 'process "reg.exe" pid 1200', `registry "${G}" "Mode" string "safe"`, `registry "${O}"`, ...lines, 'unload at 9'].join('\n');

test('a pre-notification callback that returns an error blocks the program\'s set-value: the status reaches the program, the value keeps its data, callbacks run highest altitude first at PASSIVE_LEVEL', async () => {
  const w = await runWorld('/t/s.fltsim', scenario(`registry #1 set-value "${G}" "Mode" string "unsafe" process "reg.exe" at 1`, `registry #2 set-value "${O}" "Mode" dword 7 process "reg.exe" at 2`), files);
  assert.equal(w.fault, undefined, w.fault?.message);
  assert.deepEqual(w.sim.kernel.output, [
    'watch pre-set Mode type 1 size 14 irql 0', // REG_SZ "unsafe": 7 WCHARs with the NUL
    `guard denies class 1 on ${G}`, // RegNtPreSetValueKey; Watch (blocked above it) gets no post
    'watch pre-set Mode type 4 size 4 irql 0',
    'watch post 16 status 0x00000000', // RegNtPostSetValueKey
  ]);
  assert.equal(w.sim.registryOps.get(1)?.status, 0xc0000022);
  assert.equal(w.sim.registryOps.get(2)?.status, 0);
  const v = w.verdict();
  assert.equal(v.passed, true, v.problems.join('; '));
});

test('expect lines judge the operations\' statuses and the registry\'s contents at the end; a wrong expectation fails with what was there', async () => {
  const text = scenario(
    `registry #1 delete-key "${G}" at 1`,
    `registry #2 create-key "${O}\\New" volatile at 2`,
    `registry #3 delete-value "${O}" "Nope" at 3`,
    `registry #4 create-key "${O}\\New" at 4`,
    'expect #1 status STATUS_ACCESS_DENIED',
    'expect #2 status STATUS_SUCCESS',
    'expect #3 status STATUS_OBJECT_NAME_NOT_FOUND',
    `expect registry "${G}" "Mode" string "safe"`,
    `expect registry "${O}\\New" exists`,
    `expect registry "${G}" "Mode" dword 1`,
  );
  const w = await runWorld('/t/s.fltsim', text, files);
  assert.equal(w.fault, undefined, w.fault?.message);
  const results = w.expectations().map((e) => `${e.verdict} ${e.actual}`);
  assert.deepEqual(results, ['pass STATUS_ACCESS_DENIED', 'pass STATUS_SUCCESS', 'pass STATUS_OBJECT_NAME_NOT_FOUND', 'pass REG_SZ "safe"', 'pass exists', 'fail REG_SZ "safe"']);
  assert.ok(w.sim.kernel.output.includes(`watch pre-create ${O}\\New`), w.sim.kernel.output.join('\n'));
  // The second create opened the existing key: it ends successfully without a new key.
  assert.equal(w.sim.registryOps.get(4)?.status, 0);
});

test('bad registry lines are refused at their line, at the word that is wrong, with what to write', () => {
  // Each case: the line, the text the error must point at, and the message.
  const cases: [string, string, string][] = [
    ['registry "SOFTWARE\\Contoso" "Mode" dword 1', '"SOFTWARE', '"SOFTWARE\\Contoso" is not a registry key path'],
    [`registry #1 frobnicate "${O}"`, 'frobnicate', "unknown registry operation 'frobnicate'"],
    [`registry #1 set-value "${O}" "Mode" dwrd 1`, 'dwrd', "unknown registry type 'dwrd' — did you mean 'dword'?"],
    [`registry #1 set-value "${O}" "Mode" dword 4294967296`, '4294967296', 'DWORD value 4294967296 is out of range'],
    [`registry "${O}" "Blob" binary "0g"`, '"0g"', '"0g" is not bytes in hex'],
    [`registry #1 open-key "${O}" volatile`, 'volatile', "unknown open-key option 'volatile'"],
    [`expect registry "${O}" maybe`, 'maybe', "expected 'exists', 'absent' or a value name after the key, found 'maybe'"],
  ];
  for (const [line, at, message] of cases) {
    const got = parseScenario(`driver "a.c"\n${line}`).diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`);
    assert.deepEqual(got, [`2:${line.indexOf(at) + 1} ${message}`], line);
  }
  const whole = (text: string) => parseScenario(`driver "a.c"\n${text}`).diagnostics.map((d) => `${d.line} ${d.message}`);
  assert.deepEqual(whole(`io #1 create "\\Device\\HarddiskVolume1\\a.txt"\nregistry #1 open-key "${O}"`), ['3 #1 is already the id of an io or open-process line']);
  assert.deepEqual(whole(`registry #1 open-key "${O}"\nexpect #1 state done`), ['3 registry #1 is a registry operation: it has a status, not a state']);
});

test('values of every type declared up front read back as the bytes Windows stores', async () => {
  const text = scenario(
    `registry "${O}" "D" dword 0x10`,
    `registry "${O}" "Q" qword 0x100000000`,
    `registry "${O}" "E" expand-string "%SystemRoot%"`,
    `registry "${O}" "M" multi-string "a" "bc"`,
    `registry "${O}" "B" binary "01 ff"`,
    `registry "${O}" "N" none`,
  );
  const w = new World(await prepared('/t/s.fltsim', text, files));
  const key = w.sim.registry.tree.find(O);
  assert.ok(typeof key !== 'string');
  const bytes = (n: string) => [...(key.value(n)?.data ?? [])];
  assert.deepEqual([key.value('d')?.type, bytes('D')], [4, [0x10, 0, 0, 0]]);
  assert.deepEqual([key.value('Q')?.type, bytes('Q')], [11, [0, 0, 0, 0, 1, 0, 0, 0]]);
  assert.equal(key.value('E')?.type, 2);
  assert.deepEqual([key.value('M')?.type, bytes('M')], [7, [0x61, 0, 0, 0, 0x62, 0, 0x63, 0, 0, 0, 0, 0]]);
  assert.deepEqual([key.value('B')?.type, bytes('B')], [3, [1, 0xff]]);
  assert.deepEqual([key.value('N')?.type, bytes('N')], [0, []]);
});

test('a scenario file with a registry workload runs from disk like a bundled sample, under several seeds, and every expectation holds', async () => {
  const file = path.resolve('test/fixtures/registry/guard.fltsim');
  const p = await prepareScenario(file, nodeFiles);
  assert.ok(p.ok, p.ok ? '' : p.diagnostics.map((d) => `${d.line}: ${d.message}`).join('\n'));
  for (const seed of [1, 2, 3]) {
    const { report } = runScenario(p.prepared, { seed, label: 'guard.fltsim' });
    assert.equal(report.error, null, JSON.stringify(report.error));
    assert.deepEqual(report.expectations.filter((e) => !e.passed).map((e) => `${e.text} — got ${e.actual}`), [], `seed ${seed}`);
    assert.equal(report.expectations.length, 12);
  }
});
