// Runs every test/bench/*.bench.ts through tsx, one after the other, and passes their output on.
// Each bench prints one line per metric. Exit status is non-zero if any bench fails.
// Node gets a 4 GB heap and a 64 MB young generation: the benches allocate many short-lived objects
// (the floor loops too), and the default 16 MB young generation makes them mostly measure the
// garbage collector.
//   npm run bench [-- name-substring ...]
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = join('test', 'bench');
const filters = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts') && (filters.length === 0 || filters.some((s) => f.includes(s))))
  .sort();
if (files.length === 0) {
  console.error(`bench: no *.bench.ts files in ${dir}${filters.length ? ` matching ${filters.join(', ')}` : ''}`);
  process.exit(1);
}
let failed = 0;
for (const f of files) {
  const res = spawnSync(process.execPath, ['--import', 'tsx', '--max-old-space-size=4096', '--max-semi-space-size=64', join(dir, f)], { stdio: 'inherit' });
  if (res.status !== 0) {
    console.error(`bench: ${f} failed (exit ${res.status ?? res.signal})`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
