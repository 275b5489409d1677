/**
 * The legacy process routine, thread and image-load routines and object-manager callback
 * registration in a run (test/fixtures/processes/watcher.c, written for these tests): who runs them,
 * in which process, with which arguments; refused registrations; a pre-operation callback that adds
 * access.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseScenario, pathRules, prepareScenarioText, type ProjectFiles } from '../../../engine';
import { World } from '../../../engine/run/world';

const sources: Record<string, string> = { '/t/watcher.c': readFileSync(path.resolve('test/fixtures/processes/watcher.c'), 'utf8') };
const files: ProjectFiles = { readFile: (p) => sources[p], paths: pathRules('posix') };
const V = '\\Device\\HarddiskVolume1';

async function run(lines: string[]): Promise<World> {
  const prepared = await prepareScenarioText('/t/s.fltsim', ['driver "watcher.c"', ...lines].join('\n'), files);
  assert.ok(prepared.ok, prepared.ok ? '' : prepared.diagnostics.map((d) => `${d.line}: ${d.message}`).join('; '));
  const world = new World(prepared.prepared, {});
  world.run();
  return world;
}

test('start and exit run the process, thread and image routines in the right processes', async () => {
  const w = await run([`process "shell.exe" pid 800`, `process "tool.exe" pid 1600 image "${V}\\bin\\tool.exe" parent "shell.exe" start at 2 exit at 6`, 'unload at 10']);
  assert.equal(w.fault, undefined);
  const out = w.sim.kernel.output;
  assert.equal(out[0], 'twice c000000d', 'the same routine registered twice is refused with STATUS_INVALID_PARAMETER');
  assert.equal(out[1], 'first 0');
  assert.equal(out[2], 'second c01c0011', 'a second registration at a taken altitude: STATUS_FLT_INSTANCE_ALTITUDE_COLLISION');
  const rest = out.slice(3);
  assert.deepEqual(rest.filter((l) => !l.startsWith('image')), ['process 1600 parent 800 create in 800', 'thread of 1600 create', 'thread of 1600 exit', 'process 1600 parent 800 exit in 1600']);
  const image = rest.find((l) => l.startsWith('image'));
  assert.equal(image, `image ${V}\\bin\\tool.exe in 1600 current 1600 size 65536 small c0000004 query 0 ${V}\\bin\\tool.exe`);
  assert.deepEqual(w.sim.violations.map((v) => v.rule), []);
});

test('a pre-operation callback that adds access is a violation, and the addition is not granted', async () => {
  const w = await run(['process "tool.exe" pid 1600', 'open-process #1 "tool.exe" access query-limited at 1', 'unload at 5']);
  assert.equal(w.sim.processOpens.get(1)?.granted, 0x1000);
  assert.deepEqual(w.sim.violations.map((v) => v.rule), ['ob-access-added']);
});

test('scenario checks: undeclared processes, repeated pids, an io outside its process\'s life', () => {
  const { diagnostics } = parseScenario([
    'driver "watcher.c"',
    'process "a.exe" pid 1000 start at 5 exit at 9',
    'process "b.exe" pid 1000',
    `io #1 read "${V}\\x.txt" process "a.exe" at 2`,
    `io #2 read "${V}\\x.txt" process "nobody.exe" at 2`,
    'open-process #1 "a.exe" at 6',
    'expect #3 granted 0x10',
    `io #4 read "${V}\\x.txt" process "fltsim-app.exe" at 2`,
    'client "\\P" connect process "fltsim-client.exe" at 1',
  ].join('\n'));
  const found = diagnostics.map((d) => `${d.line}:${d.code}:${d.severity}`);
  assert.deepEqual(found.sort(), ['3:duplicate:error', '4:contradiction:warning', '5:unknown-process:error', '6:duplicate:error', '7:unknown-io:error'].sort());
});
