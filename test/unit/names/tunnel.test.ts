/**
 * File name tunneling (engine/fltmgr/tunnel.ts) and FltGetTunneledName: a file that takes, within
 * 15 seconds, the long or short name of one deleted or renamed out of the same folder gets the other
 * name back, and the post-create learns the name the file really got.
 * test/fixtures/names/tunnel.c prints what FltGetTunneledName says and the file's short name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathRules, type ProjectFiles } from '../../../engine';
import { runWorld } from '../worldRun';

const sources: Record<string, string> = { '/t/tunnel.c': readFileSync(path.resolve('test/fixtures/names/tunnel.c'), 'utf8') };
const files: ProjectFiles = { readFile: (p) => sources[p], paths: pathRules('posix') };
const V = '\\Device\\HarddiskVolume1';
const D = `${V}\\d`;

async function run(lines: string[]): Promise<string[]> {
  const text = ['driver "tunnel.c"', `volume "${V}"`, ...lines].join('\n');
  const world = await runWorld('/t/s.fltsim', text, files);
  assert.equal(world.fault, undefined);
  assert.deepEqual(world.sim.violations.map((v) => v.message), []);
  return world.sim.kernel.output;
}

const deleteThenCreate = (at: number) => [
  `file "${D}\\LongFileName.txt" size 3`,
  `io #1 create "${D}\\LongFileName.txt" delete-on-close at 0`,
  `io #2 cleanup "${D}\\LongFileName.txt" at 1`,
  `io #3 create "${D}\\LONGFI~1.TXT" disposition create at ${at}`,
];

test('a file created under the short name of one just deleted gets its long name; FltGetTunneledName gives the post-create that name', async () => {
  const out = await run(deleteThenCreate(2000));
  assert.deepEqual(out.slice(2), [`${D}\\LONGFI~1.TXT: tunneled to ${D}\\LongFileName.txt`, '  short name LONGFI~1.TXT']);
});

test('after the tunneling window (15 s) the new file keeps the name it was created with', async () => {
  const out = await run(deleteThenCreate(16_000));
  assert.deepEqual(out.slice(2), [`${D}\\LONGFI~1.TXT: not tunneled`, '  short name LONGFI~1.TXT']);
});

test('a file created under a departed long name gets the departed short name back, not the first free one', async () => {
  const out = await run([
    `file "${D}\\LongFileNameOne.txt" size 3`,
    `file "${D}\\LongFileNameTwo.txt" size 3`,
    `io #1 create "${D}\\LongFileNameOne.txt" delete-on-close at 0`,
    `io #2 cleanup "${D}\\LongFileNameOne.txt" at 1`,
    `io #3 create "${D}\\LongFileNameTwo.txt" delete-on-close at 2`,
    `io #4 cleanup "${D}\\LongFileNameTwo.txt" at 3`,
    `io #5 create "${D}\\LongFileNameTwo.txt" disposition create at 4`,
  ]);
  assert.deepEqual(out.slice(-2), [`${D}\\LongFileNameTwo.txt: not tunneled`, '  short name LONGFI~2.TXT']);
});

test('a rename out of the folder leaves the name to tunnel too; another folder does not see it', async () => {
  const out = await run([
    `file "${D}\\LongFileName.txt" size 3`,
    `file "${V}\\e" folder`,
    `io #1 set-info "${D}\\LongFileName.txt" class FileRenameInformation to "${V}\\e\\moved.txt" at 0`,
    `io #2 create "${V}\\e\\LONGFI~1.TXT" disposition create at 1`,
    `io #3 create "${D}\\LONGFI~1.TXT" disposition create at 2`,
  ]);
  assert.deepEqual(out, [
    `${V}\\e\\LONGFI~1.TXT: not tunneled`, '  short name LONGFI~1.TXT',
    `${D}\\LONGFI~1.TXT: tunneled to ${D}\\LongFileName.txt`, '  short name LONGFI~1.TXT',
  ]);
});
