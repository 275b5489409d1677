/**
 * Linter benchmark (issue 6): lint time of a large C corpus against the bare tree-sitter parse of
 * the same files (target ≤ 1.5×), and the median time to re-lint a 2,000-line file after a
 * one-line edit (target ≤ 10 ms), alone and as one file of a four-file driver project.
 *
 * Times are CPU time of the process (best of several interleaved rounds), so that other work on a
 * shared machine does not blur the ratio. The re-lint line also gives the wall-clock median, what
 * an editor waits for: CPU time counts V8's background GC and compiler threads as well.
 *
 * Corpora: one generated from the lint fixtures (test/fixtures/lint, renamed so that copies do not
 * collide), and Microsoft's minifilter samples when they are present at /tmp/wds/filesys/miniFilter
 * (read only; never part of the repository).
 *
 *   node --import tsx test/bench/lint.bench.ts [--json] [--corpus generated|samples] [--no-incremental] [--source | --bundle FILE]
 *
 * A bundle for --bundle: `node scripts/build.mjs --bench-bundle lint FILE` (add --no-minify to profile).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The linter's API and the C parser, from the shipped bundle or (with --source) the sources. */
type LintApi = typeof import('../../engine/lint') & Pick<typeof import('../../engine/c/treeSitter'), 'createCParser' | 'loadCLanguage'>;
let api: LintApi;

/**
 * By default the code measured is the linter as the vsix ships it: esbuild's minified bundle, made by
 * scripts/build.mjs. Sources run through tsx are slower (tsx keeps function names, which costs a
 * property definition per closure created); `--source` measures them anyway, for profiling with
 * readable names.
 */
async function loadApi(): Promise<LintApi> {
  if (process.argv.includes('--source')) {
    return { ...(await import('../../engine/lint')), ...(await import('../../engine/c/treeSitter')) };
  }
  // --bundle FILE measures a bundle made earlier (another commit's), to compare two in one sitting.
  const given = process.argv.indexOf('--bundle');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS bundle made earlier
  if (given >= 0) return require(resolve(process.argv[given + 1])) as LintApi;
  const out = resolve('node_modules', '.cache', 'fltsim-bench', 'lint.cjs');
  const built = spawnSync(process.execPath, ['scripts/build.mjs', '--bench-bundle', 'lint', out], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('bundling the linter failed (scripts/build.mjs --bench-bundle lint)');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS bundle made at run time
  return require(out) as LintApi;
}

const FIXTURES = join(__dirname, '..', 'fixtures', 'lint');
const SAMPLES = '/tmp/wds/filesys/miniFilter';
const ROUNDS = 15;

interface Corpus {
  name: string;
  files: string[];
  lines: number;
}

function walk(dir: string, out: string[]): string[] {
  for (const entry of readdirSync(dir).sort()) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.[ch]$/.test(entry)) out.push(p);
  }
  return out;
}

/** Gives every function and table of a fixture copy its own name, so copies can share a file. */
function renamed(text: string, suffix: string): string {
  const names = new Set<string>();
  // Names that open a line with `(` are function definitions, except SAL annotations such as
  // `_IRQL_raises_(…)`: renaming those would leave a parse error in every copy.
  for (const m of text.matchAll(/^[A-Za-z][A-Za-z0-9_]*\s*\(/gm)) names.add(m[0].replace(/\s*\($/, ''));
  for (const m of text.matchAll(/\b(Callbacks|Contexts|FilterRegistration|gFilter|g[A-Z][A-Za-z]*)\b/g)) names.add(m[1]);
  let out = text;
  for (const n of names) out = out.replace(new RegExp(`\\b${n}\\b`, 'g'), `${n}_${suffix}`);
  return out;
}

/** Fixture copies packed into files of about `linesPerFile` lines. */
function generatedCorpus(totalLines: number, linesPerFile: number): Corpus {
  const sources = walk(FIXTURES, []).map((f) => readFileSync(f, 'utf8'));
  const files: string[] = [];
  let current: string[] = [];
  let currentLines = 0;
  let lines = 0;
  for (let copy = 0; lines < totalLines; copy++) {
    const text = renamed(sources[copy % sources.length], `c${copy}`);
    const n = text.split('\n').length;
    current.push(text);
    currentLines += n;
    lines += n;
    if (currentLines >= linesPerFile) {
      files.push(current.join('\n'));
      current = [];
      currentLines = 0;
    }
  }
  if (current.length > 0) files.push(current.join('\n'));
  return { name: 'generated from fixtures', files, lines };
}

function samplesCorpus(): Corpus | undefined {
  if (!existsSync(SAMPLES)) return undefined;
  const files = walk(SAMPLES, []).map((f) => readFileSync(f, 'utf8'));
  return { name: 'Windows-driver-samples filesys/miniFilter', files, lines: files.reduce((n, t) => n + t.split('\n').length, 0) };
}

/**
 * CPU time of this process (user + system), in ms. The machines this runs on are shared: wall-clock
 * time also counts whatever else is running, CPU time only the work done here.
 */
function timeOnce(run: () => void): number {
  return timeBoth(run).cpu;
}

/** CPU time (as above) and wall-clock time of one call, in ms. */
function timeBoth(run: () => void): { cpu: number; wall: number } {
  const t = process.cpuUsage();
  const w = performance.now();
  run();
  const wall = performance.now() - w;
  const d = process.cpuUsage(t);
  return { cpu: (d.user + d.system) / 1000, wall };
}

/** Best of several interleaved rounds: the machine's noise only ever adds time. */
function measureCorpus(c: Corpus) {
  const parser = api.createCParser();
  const parse = () => { for (const t of c.files) parser.parse(t)?.delete(); };
  const lint = () => { for (const t of c.files) api.lintText(t); };
  parse();
  lint();
  let bestParse = Infinity;
  let bestLint = Infinity;
  let wallParse = Infinity;
  let wallLint = Infinity;
  for (let i = 0; i < ROUNDS; i++) {
    const p = timeBoth(parse);
    const l = timeBoth(lint);
    bestParse = Math.min(bestParse, p.cpu);
    bestLint = Math.min(bestLint, l.cpu);
    wallParse = Math.min(wallParse, p.wall);
    wallLint = Math.min(wallLint, l.wall);
  }
  parser.delete();
  let findings = 0;
  for (const t of c.files) findings += api.lintText(t).findings.length;
  return { corpus: c.name, files: c.files.length, lines: c.lines, parseMs: round(bestParse), lintMs: round(bestLint), ratio: round(bestLint / bestParse), wallRatio: round(wallLint / wallParse), findings };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Re-lint after one-line edits inside function bodies of a 2,000-line file: alone, or (`project`)
 * as one of four 2,000-line files of a driver project, linted with the other three's summaries.
 */
function measureIncremental(project = false) {
  const files = generatedCorpus(project ? 8000 : 2000, 2000).files;
  const file = files[0];
  const lines = file.split('\n');
  const doc = new api.LintDocument();
  const texts = new Map(files.map((t, i) => [`/bench/project/f${i}.c`, t]));
  const pl = project ? new api.ProjectLint({ read: (p) => texts.get(p) }, [...texts.keys()]) : undefined;
  const update = (text: string) => (pl ? pl.lint('/bench/project/f0.c', text, {}, doc) : doc.update(text));
  update(file);
  // Lines inside function bodies that end with `;` and are not declarations: safe to touch.
  const editable = lines.map((l, i) => ({ l, i })).filter(({ l }) => /^\s{4,}[A-Za-z].*;\s*$/.test(l) && !/\/\/~/.test(l)).map(({ i }) => i);
  const times: number[] = [];
  const walls: number[] = [];
  let current = lines;
  for (let k = 0; k < 110; k++) {
    const at = editable[(k * 37) % editable.length];
    const next = [...current];
    // Alternate between appending a comment and removing it: a real one-line edit each time.
    next[at] = next[at].endsWith(' /* edit */') ? next[at].slice(0, -' /* edit */'.length) : `${next[at]} /* edit */`;
    const text = next.join('\n');
    const w0 = performance.now();
    const t = timeOnce(() => update(text));
    const w = performance.now() - w0;
    if (k >= 10) {
      times.push(t);
      walls.push(w);
    }
    current = next;
  }
  doc.dispose();
  pl?.dispose();
  return { lines: lines.length, files: files.length, edits: times.length, medianMs: round(median(times)), maxMs: round(Math.max(...times)), wallMedianMs: round(median(walls)) };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

async function main(): Promise<void> {
  api = await loadApi();
  await api.initLinter();
  await api.loadCLanguage();
  const only = process.argv.includes('--corpus') ? process.argv[process.argv.indexOf('--corpus') + 1] : undefined;
  const corpora = [only === 'samples' ? undefined : generatedCorpus(60000, 1500), only === 'generated' ? undefined : samplesCorpus()].filter((c): c is Corpus => !!c);
  const results = corpora.map(measureCorpus);
  const incremental = process.argv.includes('--no-incremental') ? undefined : measureIncremental();
  const projectIncremental = process.argv.includes('--no-incremental') ? undefined : measureIncremental(true);
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ bench: 'lint', corpora: results, incremental, projectIncremental })}\n`);
    return;
  }
  for (const r of results) {
    process.stdout.write(`lint  ${r.corpus}: ${r.files} files, ${r.lines} lines — parse ${r.parseMs} ms, lint ${r.lintMs} ms, ratio ${r.ratio}× CPU (${r.wallRatio}× wall-clock) (target ≤ 1.5×), ${r.findings} findings\n`);
  }
  if (incremental) process.stdout.write(`lint  re-lint of a ${incremental.lines}-line file after a one-line edit: median ${incremental.medianMs} ms CPU (${incremental.wallMedianMs} ms wall-clock), max ${incremental.maxMs} ms CPU over ${incremental.edits} edits (target ≤ 10 ms)\n`);
  if (projectIncremental) process.stdout.write(`lint  the same, the file being one of a ${projectIncremental.files}-file project: median ${projectIncremental.medianMs} ms CPU (${projectIncremental.wallMedianMs} ms wall-clock), max ${projectIncremental.maxMs} ms CPU\n`);
}

main().catch((err) => {
  process.stderr.write(`lint bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
