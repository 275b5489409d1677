import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { dynamicLaunchConfigs, finalizeLaunchConfig, resolveLaunchConfig } from '../../../extension/client/launchConfig';

const ws = path.resolve('/ws');
const scenario = path.join(ws, 'pend', 'read.fltsim');

test('F5 with no launch.json debugs the active scenario', () => {
  const r = resolveLaunchConfig({}, scenario);
  assert.ok(r.ok);
  assert.equal(r.config.type, 'fltsim');
  assert.equal(r.config.request, 'launch');
  assert.equal(r.config.scenario, scenario);
  assert.equal(r.config.name, 'Debug read.fltsim');
});

test('F5 with no launch.json on a C file explains what to do', () => {
  const r = resolveLaunchConfig({}, path.join(ws, 'driver.c'));
  assert.equal(r.ok, false);
  assert.match(!r.ok ? r.message : '', /Open a \.fltsim scenario/);
});

test('a configuration without scenario takes the active .fltsim, and keeps its other fields', () => {
  const r = resolveLaunchConfig({ type: 'fltsim', request: 'launch', name: 'mine', seed: 7, stopOnEntry: true }, scenario);
  assert.ok(r.ok);
  assert.deepEqual({ s: r.config.scenario, seed: r.config.seed, stop: r.config.stopOnEntry, name: r.config.name }, { s: scenario, seed: 7, stop: true, name: 'mine' });
});

test('a configuration without scenario and no active scenario is refused by name', () => {
  const r = resolveLaunchConfig({ type: 'fltsim', request: 'launch', name: 'mine' }, undefined);
  assert.equal(r.ok, false);
  assert.match(!r.ok ? r.message : '', /"mine" has no "scenario"/);
});

test('bad attribute types are reported with the attribute name', () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ seed: -1 }, /"seed" must be a non-negative integer/],
    [{ seed: 1.5 }, /"seed" must be a non-negative integer/],
    [{ seed: '3' }, /"seed"/],
    [{ stopOnEntry: 'yes' }, /"stopOnEntry" must be true or false/],
    [{ scenario: 42 }, /"scenario" must be a string/],
    [{ request: 'attach' }, /only supports "request": "launch"/],
  ];
  for (const [extra, re] of cases) {
    const r = resolveLaunchConfig({ type: 'fltsim', request: 'launch', name: 'n', scenario, ...extra }, undefined);
    assert.equal(r.ok, false, JSON.stringify(extra));
    assert.match(!r.ok ? r.message : '', re);
  }
});

test('variables are left for VS Code to substitute in the first pass', () => {
  const r = resolveLaunchConfig({ type: 'fltsim', request: 'launch', name: 'n', scenario: '${file}' }, undefined);
  assert.ok(r.ok);
  assert.equal(r.config.scenario, '${file}');
});

test('second pass: relative scenario paths count from the workspace folder', () => {
  const r = finalizeLaunchConfig({ type: 'fltsim', request: 'launch', name: 'n', scenario: 'pend/read.fltsim' }, ws);
  assert.ok(r.ok);
  assert.equal(r.config.scenario, scenario);
  assert.equal(r.config.workspaceFolder, ws, 'the adapter learns the folder, to warn about drivers read from outside it');
  const own = finalizeLaunchConfig({ type: 'fltsim', request: 'launch', name: 'n', scenario, workspaceFolder: '/other' }, ws);
  assert.equal(own.ok && own.config.workspaceFolder, '/other', 'a folder the user gave is kept');
});

test('second pass: a relative path without a folder, or a non-scenario file, is refused', () => {
  const noFolder = finalizeLaunchConfig({ type: 'fltsim', request: 'launch', name: 'n', scenario: 'read.fltsim' }, undefined);
  assert.equal(noFolder.ok, false);
  assert.match(!noFolder.ok ? noFolder.message : '', /no folder is open/);
  const cFile = finalizeLaunchConfig({ type: 'fltsim', request: 'launch', name: 'n', scenario: path.join(ws, 'driver.c') }, ws);
  assert.equal(cFile.ok, false);
  assert.match(!cFile.ok ? cFile.message : '', /must be a \.fltsim file/);
});

test('dynamic configurations: one per scenario, sorted, portable paths, outsiders dropped', () => {
  const files = [path.join(ws, 'b', 'z.fltsim'), path.join(ws, 'a.fltsim'), path.join(ws, 'x.c'), path.resolve('/elsewhere/o.fltsim')];
  const configs = dynamicLaunchConfigs(files, ws);
  assert.deepEqual(configs.map((c) => [c.name, c.scenario]), [
    ['Debug a.fltsim', '${workspaceFolder}/a.fltsim'],
    ['Debug b/z.fltsim', '${workspaceFolder}/b/z.fltsim'],
  ]);
  assert.ok(configs.every((c) => c.type === 'fltsim' && c.request === 'launch'));
});

test('"replay": a string, not with "seed"; relative paths count from the workspace folder', () => {
  const base = { type: 'fltsim', request: 'launch', name: 'R', scenario };
  assert.deepEqual(resolveLaunchConfig({ ...base, replay: 7 }, undefined), { ok: false, message: 'Launch configuration "R": "replay" must be the path of a replay file written by fltsim explore.' });
  const both = resolveLaunchConfig({ ...base, replay: 'r.json', seed: 3 }, undefined);
  assert.ok(!both.ok && /give "seed" or "replay", not both/.test(both.message));
  const ok = resolveLaunchConfig({ ...base, replay: 'pend/read.replay.json' }, undefined);
  assert.ok(ok.ok);
  const fin = finalizeLaunchConfig(ok.config, ws);
  assert.ok(fin.ok);
  assert.equal(fin.config.replay, path.join(ws, 'pend', 'read.replay.json'));
  const noFolder = finalizeLaunchConfig({ ...ok.config, scenario }, undefined);
  assert.ok(!noFolder.ok && /"replay" is the relative path "pend\/read\.replay\.json" but no folder is open/.test(noFolder.message));
});
