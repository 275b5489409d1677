// Runs every test/**/*.test.ts (except the end-to-end suite) under node's built-in test runner.
// The runner's own summary is the last thing printed; a run that finds zero tests fails.
//   node scripts/run-tests.mjs [substring-filter ...]
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

function collect(dir, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'e2e' || entry.name === 'electron' || entry.name === 'fixtures') continue;
      collect(p, out);
    } else if (entry.name.endsWith('.test.ts')) {
      out.push(p);
    }
  }
  return out;
}

const filters = process.argv.slice(2);
const files = collect('test', []).filter((f) => filters.length === 0 || filters.some((s) => f.includes(s))).sort();
if (files.length === 0) {
  console.error('run-tests: no test files found under test/ — refusing to report success.');
  process.exit(1);
}

const scratch = mkdtempSync(join(tmpdir(), 'fltsim-tests-'));
const tap = join(scratch, 'report.tap');
const res = spawnSync(process.execPath, [
  '--import', 'tsx',
  '--test',
  '--test-concurrency=2',
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  '--test-reporter=tap', `--test-reporter-destination=${tap}`,
  ...files,
], { stdio: 'inherit' });

let testCount = -1;
try {
  const m = /^# tests (\d+)$/m.exec(readFileSync(tap, 'utf8'));
  if (m) testCount = Number(m[1]);
} catch { /* no report: the runner itself failed, its status says so */ }
rmSync(scratch, { recursive: true, force: true });

if (res.status === 0 && testCount === 0) {
  console.error('run-tests: the runner found zero tests — failing.');
  process.exit(1);
}
process.exit(res.status ?? 1);
