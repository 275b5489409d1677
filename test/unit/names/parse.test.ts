/**
 * FltParseFileNameInformation gives components that are substrings of Name, as Windows does: their
 * Buffers point into Name's characters (fixture test/fixtures/names/parse.c prints offsets).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { oneDriver, runWorld } from '../worldRun';

const source = readFileSync(path.resolve('test/fixtures/names/parse.c'), 'utf8');
const files = oneDriver('parse.c', source);
const V = '\\Device\\HarddiskVolume1';

async function output(lines: string[]): Promise<{ out: string[]; violations: string[] }> {
  const world = await runWorld('/t/s.fltsim', ['driver "parse.c"', `volume "${V}"`, ...lines].join('\n'), files);
  assert.equal(world.fault, undefined);
  return { out: world.sim.kernel.output, violations: world.sim.violations.map((v) => `${v.rule}: ${v.message}`) };
}

test('every parsed component points into Name: the volume at its start, the final component up to its end', async () => {
  const { out, violations } = await output([`file "${V}\\Docs\\Quarterly Report.txt" content "x"`, `io #1 create "${V}\\docs\\quarterly report.txt" at 0`]);
  const vol = V.length;
  const name = `${V}\\Docs\\Quarterly Report.txt`;
  const final = name.lastIndexOf('\\') + 1;
  assert.deepEqual(out.filter((l) => l.startsWith('normalized')), [
    `normalized volume-before-parse 0+${vol} parsed 0`,
    `normalized ${name} parsed 0xF`,
    `normalized volume 0+${vol} share -1+0 parent ${vol}+${final - vol} final ${final}+${name.length - final} ext ${name.length - 3}+3 stream -1+0`,
    'normalized final ends at end of name: 1',
    'normalized parent \\Docs\\ final Quarterly Report.txt ext txt',
  ]);
  // the opened name is spelled as the request spelled it
  assert.ok(out.includes('opened parent \\docs\\ final quarterly report.txt ext txt'), out.join('\n'));
  assert.deepEqual(violations, []);
});

test('a short name has no volume or parent: its final component is the whole name', async () => {
  const { out } = await output([`file "${V}\\docs\\LongFileName.text" content "x"`, `io #1 create "${V}\\docs\\LongFileName.text" at 0`]);
  const short = out.filter((l) => l.startsWith('short'));
  assert.equal(short[0], 'short volume-before-parse -1+0 parsed 0');
  assert.equal(short[1], 'short LONGFI~1.TEX parsed 0xF');
  assert.equal(short[2], 'short volume -1+0 share -1+0 parent -1+0 final 0+12 ext 9+3 stream -1+0');
  assert.equal(short[3], 'short final ends at end of name: 1');
});

test('a stream name: the final component carries the stream, the extension stops before the colon', async () => {
  // A named stream exists only where it is declared or created (docs/scenario-format.md, named streams).
  const { out } = await output([`file "${V}\\a.b.txt" content "x"`, `file "${V}\\a.b.txt:meta" content "m"`, `io #1 create "${V}\\a.b.txt:meta" at 0`]);
  const opened = out.find((l) => l.startsWith('opened volume ')) ?? '';
  const name = `${V}\\a.b.txt:meta`;
  assert.equal(opened, `opened volume 0+${V.length} share -1+0 parent ${V.length}+1 final ${V.length + 1}+12 ext ${V.length + 5}+3 stream ${name.indexOf(':')}+5`);
});

test('short names are given per folder in the order the files were made, with ~N counting collisions', async () => {
  const names = ['Quarterly Report.txt', 'Quarterly Review.txt', 'Quarterly Results.txt'];
  const { out } = await output([
    ...names.map((n) => `file "${V}\\docs\\${n}" content "x"`),
    `file "${V}\\other\\Quarterly Rates.txt" content "x"`,
    // opened out of order: numbering still follows the folder's order
    `io #1 create "${V}\\docs\\${names[2]}" at 0`,
    `io #2 create "${V}\\docs\\${names[0]}" at 1`,
    `io #3 create "${V}\\docs\\${names[1]}" at 2`,
    `io #4 create "${V}\\other\\Quarterly Rates.txt" at 3`,
  ]);
  assert.deepEqual(out.filter((l) => / parsed 0xF$/.test(l) && l.startsWith('short')), [
    'short QUARTE~3.TXT parsed 0xF',
    'short QUARTE~1.TXT parsed 0xF',
    'short QUARTE~2.TXT parsed 0xF',
    'short QUARTE~1.TXT parsed 0xF',
  ]);
});

test('a file opened by its short name: the opened name is as spelled, the normalized name is the long one', async () => {
  const { out } = await output([
    `file "${V}\\docs\\Quarterly Report.txt" content "x"`,
    `file "${V}\\docs\\Quarterly Review.txt" content "y"`,
    `io #1 create "${V}\\docs\\quarte~2.txt" at 0`,
  ]);
  assert.ok(out.includes(`normalized ${V}\\docs\\Quarterly Review.txt parsed 0xF`), out.join('\n'));
  assert.ok(out.includes(`opened ${V}\\docs\\quarte~2.txt parsed 0xF`), out.join('\n'));
  assert.ok(out.includes('short QUARTE~2.TXT parsed 0xF'), out.join('\n'));
});
