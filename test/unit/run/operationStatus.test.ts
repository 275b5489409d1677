/**
 * FltRequestOperationStatusCallback in a run: the filter (test/fixtures/opstatus/opstatus.c, written
 * for these tests) asks from its pre-operation callback to hear what the file system's dispatch
 * returned; a request completed in the dispatch reports its final status, a change notification the file system pends
 * reports STATUS_PENDING, each with the requester's context and a snapshot of the parameters.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathRules, type ProjectFiles } from '../../../engine';
import { World } from '../../../engine/run/world';
import { runWorld } from '../worldRun';

const sources: Record<string, string> = { '/t/opstatus.c': readFileSync(path.resolve('test/fixtures/opstatus/opstatus.c'), 'utf8') };
const files: ProjectFiles = { readFile: (p) => sources[p], paths: pathRules('posix') };
const V = '\\Device\\HarddiskVolume1';

async function run(lines: string[]): Promise<World> {
  const text = ['driver "opstatus.c"', `volume "${V}"`, `file "${V}\\a.txt" content "hello"`, `file "${V}\\d" folder`, ...lines].join('\n');
  const world = await runWorld('/t/s.fltsim', text, files);
  return world;
}

test('a request completed in the dispatch reports its final status; one completed later reports STATUS_PENDING', async () => {
  // fltsim's file system completes IRP reads from the completion context, so its dispatch pends them.
  const w = await run([`io #1 query-info "${V}\\a.txt" class FileStandardInformation at 0`, `io #2 read "${V}\\a.txt" length 5 at 1`, 'unload at 5']);
  assert.equal(w.fault, undefined);
  assert.deepEqual(w.sim.violations.map((v) => v.rule), []);
  const out = w.sim.kernel.output;
  assert.deepEqual(out.filter((l) => l.startsWith('request ')), ['request 00000000', 'request 00000000']);
  const statuses = out.filter((l) => l.startsWith('status '));
  assert.match(statuses[0] ?? '', /^status 00000000 major 5 tag 0+1234$/);
  assert.match(statuses[1] ?? '', /^status 00000103 major 3 tag 0+1234$/);
  assert.equal(out.at(-1), 'reported 2');
});

test('a change notification the file system pends reports STATUS_PENDING when the dispatch returns', async () => {
  const w = await run([`io #1 notify-dir "${V}\\d" async at 0`, `io #2 create "${V}\\d\\new.txt" at 2`, 'unload at 5']);
  assert.equal(w.fault, undefined);
  const statuses = w.sim.kernel.output.filter((l) => l.startsWith('status '));
  assert.match(statuses[0] ?? '', /^status 00000103 major 12 tag 0+1234$/);
  assert.equal(w.sim.kernel.output.at(-1), `reported ${statuses.length}`);
});
