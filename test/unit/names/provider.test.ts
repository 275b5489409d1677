/**
 * Name providers: a provider (test/fixtures/names/provider.c) shows \real as \virt; the filter
 * above it (above.c) asks for names and gets the provider's, normalized by the Filter Manager one
 * component at a time through NormalizeNameComponentEx.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathRules, type ProjectFiles } from '../../../engine';
import { World } from '../../../engine/run/world';
import { runWorld } from '../worldRun';

const sources: Record<string, string> = {
  '/t/provider.c': readFileSync(path.resolve('test/fixtures/names/provider.c'), 'utf8'),
  '/t/above.c': readFileSync(path.resolve('test/fixtures/names/above.c'), 'utf8'),
};
const files: ProjectFiles = { readFile: (p) => sources[p], paths: pathRules('posix') };
const V = '\\Device\\HarddiskVolume1';

async function run(lines: string[], defines: string[] = []): Promise<World> {
  const text = [...defines, 'driver "provider.c" altitude 100000', 'driver "above.c" altitude 300000', `volume "${V}"`, `file "${V}\\real\\Report.txt" content "real bytes"`, ...lines].join('\n');
  const world = await runWorld('/t/s.fltsim', text, files);
  assert.equal(world.fault, undefined, world.fault?.message);
  return world;
}

test('the filter above a provider sees the mapped names: opened as spelled through \\virt, normalized with the file system\'s case', async () => {
  const w = await run([`io #1 create "${V}\\VIRT\\report.TXT" at 0`, `io #2 read "${V}\\virt\\report.txt" length 10 at 1`]);
  const out = w.sim.kernel.output;
  assert.deepEqual(out.filter((l) => l.startsWith('above:')), [
    `above: opened ${V}\\virt\\report.TXT`,
    `above: normalized ${V}\\virt\\Report.txt`,
    `above: unsafe normalized ${V}\\virt\\Report.txt`,
  ]);
  // normalized: the provider declines, then gives the opened name; then each component is expanded.
  // The unsafe query after it is answered from the Filter Manager's name cache: the provider is not asked again.
  assert.deepEqual(out.filter((l) => l.startsWith('provider:')), [
    'provider: generate format 2',
    'provider: generate format 1',
    'provider: generate format 2',
    `provider: normalize virt under ${V}\\ (volume ${V.length * 2} bytes)`,
    `provider: normalize report.TXT under ${V}\\virt (volume ${V.length * 2} bytes)`,
    'provider: cleanup after 2 component(s)',
  ]);
  // the open through \virt reached the real file
  assert.deepEqual([w.sim.result(2)?.status, w.sim.result(2)?.information], [0, 10]);
  assert.deepEqual(w.sim.violations.map((v) => `${v.rule}: ${v.message}`), []);
});

test('a file outside the mapping keeps its own name; the provider still answers for it', async () => {
  const w = await run([`file "${V}\\docs\\Plain.txt" content "x"`, `io #1 create "${V}\\DOCS\\plain.txt" at 0`]);
  assert.deepEqual(w.sim.kernel.output.filter((l) => l.startsWith('above:')), [
    `above: opened ${V}\\DOCS\\plain.txt`,
    `above: normalized ${V}\\docs\\Plain.txt`,
    `above: unsafe normalized ${V}\\docs\\Plain.txt`,
  ]);
  assert.deepEqual(w.sim.violations.map((v) => v.rule), []);
});

test('a rename target below a provider is named in the provider\'s folder and normalized by its component callbacks', async () => {
  const w = await run([`io #1 create "${V}\\virt\\report.txt" at 0`, `io #2 set-info "${V}\\virt\\report.txt" class FileRenameInformation to "Renamed.txt" at 1`]);
  const out = w.sim.kernel.output;
  assert.ok(out.includes(`above: rename target ${V}\\virt\\Renamed.txt`), out.join('\n'));
  const walk = out.slice(out.findIndex((l) => l.startsWith('above: unsafe normalized')) + 1);
  assert.deepEqual(walk.filter((l) => l.startsWith('provider:')).slice(0, 4), [
    'provider: generate format 2',
    `provider: normalize virt under ${V}\\ (volume ${V.length * 2} bytes)`,
    `provider: normalize Renamed.txt under ${V}\\virt (volume ${V.length * 2} bytes)`,
    'provider: cleanup after 2 component(s)',
  ]);
  // the rename itself happened in the real folder
  assert.deepEqual([w.sim.result(2)?.status], [0]);
  assert.deepEqual(w.sim.violations.map((v) => v.rule), []);
});

test('a provider with the older NormalizeNameComponent (no file object) is walked the same way', async () => {
  const w = await run([`io #1 create "${V}\\virt\\report.txt" at 0`], ['define CASE 2']);
  const out = w.sim.kernel.output;
  assert.ok(out.includes(`above: normalized ${V}\\virt\\Report.txt`), out.join('\n'));
  // two components walked once: the second normalized query comes from the name cache
  assert.equal(out.filter((l) => l === 'provider: (without file object)').length, 2);
  assert.deepEqual(w.sim.violations.map((v) => v.rule), []);
});

test('FltCheckAndGrowNameControl refuses a name control the Filter Manager did not give (bad-object)', async () => {
  const w = await run([`io #1 create "${V}\\virt\\report.txt" at 0`], ['define CASE 3']);
  assert.ok(w.sim.kernel.output.includes('provider: own name control 0xC000000D'), w.sim.kernel.output.join('\n'));
  const rules = new Set(w.sim.violations.map((v) => v.rule));
  assert.deepEqual([...rules], ['bad-object']);
  assert.match(w.sim.violations[0]!.message, /FltCheckAndGrowNameControl needs the FLT_NAME_CONTROL the Filter Manager passed/);
});
