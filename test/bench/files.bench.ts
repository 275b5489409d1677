/**
 * Files benchmark (issue 15): what reading sources as Windows writes them costs.
 *
 * - Decoding (engine/files/text.ts): MB/s for UTF-8, UTF-8 with a byte order mark, UTF-16LE with a
 *   mark and UTF-16LE without one (the guess), against Node's own `buffer.toString('utf8')`.
 * - Lookup (engine/files/lookup.ts): microseconds to find a file four folders deep in a tree of
 *   16,384 files, by its exact name and by a name in other case (every folder listed and matched),
 *   with posix and win32 rules (where even the exact name is walked, for its spelling on disk).
 *
 * Corpus: Microsoft's minifilter samples when present at /tmp/wds/filesys/miniFilter (read only),
 * else the lint fixtures, repeated to 4 MB. Times are the best of several rounds.
 *
 *   node --import tsx test/bench/files.bench.ts
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { decodeSource, locateFile, pathRules, type DirEntry, type PathFlavor, type ProjectFiles } from '../../engine/files';

const SAMPLES = '/tmp/wds/filesys/miniFilter';
const FIXTURES = join(__dirname, '..', 'fixtures', 'lint');
const ROUNDS = 7;

function walk(dir: string, out: string[]): string[] {
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.[ch]$/.test(e)) out.push(p);
  }
  return out;
}

function corpus(): { name: string; text: string } {
  const dir = existsSync(SAMPLES) ? SAMPLES : FIXTURES;
  const one = walk(dir, []).map((f) => readFileSync(f, 'utf8')).join('\n');
  let text = one;
  while (text.length < 4_000_000) text += one;
  return { name: dir === SAMPLES ? 'minifilter samples' : 'lint fixtures', text };
}

function best(run: () => void): number {
  let min = Infinity;
  for (let i = 0; i < ROUNDS; i++) {
    const t = process.hrtime.bigint();
    run();
    min = Math.min(min, Number(process.hrtime.bigint() - t) / 1e6);
  }
  return min;
}

const { name, text } = corpus();
const utf8 = Buffer.from(text, 'utf8');
const forms: [string, Buffer][] = [
  ['utf-8', utf8],
  ['utf-8 + BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8])],
  ['utf-16le + BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
  ['utf-16le, guessed', Buffer.from(text, 'utf16le')],
];
const mb = utf8.length / 1e6;
// The baseline is taken before and after the others (warm-up and noise on a shared machine), best of both.
let baseline = best(() => utf8.toString('utf8'));
console.log(`files: decode corpus ${name}, ${mb.toFixed(1)} MB of UTF-8`);
const results: [string, number][] = [];
for (const [label, bytes] of forms) {
  let out = '';
  const ms = best(() => (out = decodeSource(bytes).text));
  if (out.length !== text.length) throw new Error(`${label}: decoded ${out.length} characters, expected ${text.length}`);
  results.push([label, ms]);
}
baseline = Math.min(baseline, best(() => utf8.toString('utf8')));
console.log(`files: Buffer.toString('utf8')  ${(mb / (baseline / 1000)).toFixed(0)} MB/s`);
for (const [label, ms] of results) console.log(`files: decodeSource ${label.padEnd(18)} ${(mb / (ms / 1000)).toFixed(0)} MB/s  (${(ms / baseline).toFixed(2)}× toString)`);

/** Folders 8 × 8 × 4 × 4 wide, 16 files in each of the last ones, as listings in memory. */
function tree(flavor: PathFlavor): { files: ProjectFiles; exact: string; otherCase: string } {
  const rules = pathRules(flavor);
  const root = flavor === 'win32' ? 'C:\\' : '/';
  const names = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
  const listing = new Map<string, DirEntry[]>();
  const key = (p: string) => rules.key(p);
  const build = (dir: string, depth: number) => {
    if (depth === 4) {
      listing.set(key(dir), names(16, 'File').map((n) => ({ name: `${n}.c`, folder: false })));
      return;
    }
    listing.set(key(dir), names(depth < 2 ? 8 : 4, 'Folder').map((n) => ({ name: n, folder: true })));
    for (const n of names(depth < 2 ? 8 : 4, 'Folder')) build(rules.join(dir, n), depth + 1);
  };
  build(root, 0);
  const exact = rules.join(root, 'Folder7', 'Folder7', 'Folder3', 'Folder3', 'File15.c');
  const files: ProjectFiles = {
    paths: rules,
    listDir: (p) => listing.get(key(p)),
    // Names compare as the flavor compares them: without case on win32.
    readFile: (p) => (listing.get(key(rules.dirname(p)))?.some((e) => (rules.ignoresCase ? e.name.toLowerCase() === rules.basename(p).toLowerCase() : e.name === rules.basename(p))) ? '' : undefined),
  };
  return { files, exact, otherCase: exact.toLowerCase() };
}

for (const flavor of ['posix', 'win32'] as const) {
  const t = tree(flavor);
  const n = 2000;
  for (const [label, p] of [['exact name', t.exact], ['other case', t.otherCase]] as const) {
    // The drive letter stays as written; every name below it comes back as the listing spells it.
    const found = locateFile(t.files, p)?.path;
    if (found === undefined || found.slice(1) !== t.exact.slice(1)) throw new Error(`${flavor} ${label}: found ${found}`);
    const ms = best(() => {
      for (let i = 0; i < n; i++) locateFile(t.files, p);
    });
    console.log(`files: locateFile ${flavor.padEnd(5)} ${label.padEnd(10)} ${((ms * 1000) / n).toFixed(1)} µs`);
  }
}
