/**
 * FltDecodeParameters (prelude C over the parameter block) and FltParseFileName (engine/fltmgr/
 * names.ts) on test/fixtures/names/decodeparse.c, written for this test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathRules, prepareScenarioText, type ProjectFiles } from '../../../engine';
import { World } from '../../../engine/run/world';

const sources: Record<string, string> = { '/t/decodeparse.c': readFileSync(path.resolve('test/fixtures/names/decodeparse.c'), 'utf8') };
const files: ProjectFiles = { readFile: (p) => sources[p], paths: pathRules('posix') };
const V = '\\Device\\HarddiskVolume1';

async function run(lines: string[]): Promise<World> {
  const text = ['driver "decodeparse.c"', `file "${V}\\docs\\a.txt" content "0123456789"`, `file "${V}\\docs\\x.bad" content "x"`, ...lines].join('\n');
  const prepared = await prepareScenarioText('/t/s.fltsim', text, files);
  assert.ok(prepared.ok, prepared.ok ? '' : prepared.diagnostics.map((d) => `${d.line}: ${d.message}`).join('; '));
  const world = new World(prepared.prepared, {});
  world.run();
  return world;
}

test('FltDecodeParameters points at the read\'s own length: halving it makes the file system read half', async () => {
  const w = await run([`io #1 create "${V}\\docs\\a.txt" at 1`, `io #2 read "${V}\\docs\\a.txt" length 8 offset 0 at 2`, 'unload at 10']);
  assert.equal(w.fault, undefined);
  const out = w.sim.kernel.output;
  assert.ok(out.includes('create decode c000000d'), out.join('\n'));
  assert.ok(out.includes('read decode 0 len 8 access 1 mdl 1 same 1'), out.join('\n'));
  assert.equal(w.sim.result(2)?.information, 4);
});

test('FltParseFileName splits extension, stream and final component inside the caller\'s buffer', async () => {
  const w = await run([
    `io #1 create "${V}\\docs\\a.txt" at 1`,
    `io #2 create "${V}\\docs\\x.bad" at 2`,
    `io #3 create "${V}\\docs\\a.txt:s1" at 3`,
    `io #4 create "${V}\\docs" directory at 4`,
    'unload at 10',
  ]);
  assert.equal(w.fault, undefined);
  const out = w.sim.kernel.output.filter((l) => l.startsWith('parse'));
  assert.deepEqual(out, ['parse [txt] [] [a.txt] inside 1', 'parse [bad] [] [x.bad] inside 1', 'parse [txt] [:s1] [a.txt:s1] inside 1', 'parse [] [] [docs] inside 1']);
  assert.deepEqual(w.facts().ios.map((io) => io.status), [0, 0xc0000022, 0xc0000022, 0]);
});
