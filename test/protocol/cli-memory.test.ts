// Memory a driver asks for, as `fltsim run` meets it: a 256 MB pool block touched at both ends, a
// 2 GB global array, a read whose buffer is 4 GB long cost only the pages written (these used to
// abort V8 with exit 134 after growing to 3 GB); an allocation past the `pool` limit fails as Windows
// fails one, and the driver's failure path runs; writing past the `memory` limit stops the run at
// the write, naming the knob. The child's heap is capped, so a regression fails here, not the machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const dir = mkdtempSync(path.join(tmpdir(), 'fltsim-memory-'));
copyFileSync('test/fixtures/memory/hungry.c', path.join(dir, 'hungry.c'));

let count = 0;
function run(lines: string[], ...args: string[]) {
  const file = path.join(dir, `s${++count}.fltsim`);
  writeFileSync(file, ['driver "hungry.c"', ...lines, ''].join('\n'));
  const r = spawnSync(process.execPath, ['--max-old-space-size=256', 'dist/cli.js', 'run', file, ...args], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.signal, null, `it ended by itself: ${r.stderr}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('a 256 MB pool block touched at both ends and a 2 GB global array written at its end: the run passes', () => {
  const r = run(['define SIZE 0x10000000', 'define TOUCH', 'define TOUCH_GLOBAL', 'expect output "touched 1 2 3"', 'expect no violations']);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^PASS/m);
});

test('a read 0xFFFFFFFF bytes long whose callback writes the buffer\'s last byte completes', () => {
  const r = run(['define SIZE 16', 'io #1 read "\\Device\\HarddiskVolume1\\a.txt" length 0xFFFFFFFF', 'expect #1 status STATUS_SUCCESS', 'expect output "read buffer 4294967295"']);
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('past the pool limit an allocation returns NULL, the timeline says why, and the driver\'s failure path runs', () => {
  const r = run(['define SIZE 0xFFFFFFFF', 'expect load STATUS_INSUFFICIENT_RESOURCES', 'expect output "no memory"']);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /ExAllocatePoolWithTag of 4,294,967,295 bytes fails: 0 bytes of pool are in use and the pool limit is 1,073,741,824; raise it with `limit pool N` in the scenario or `--limit pool=N` on the fltsim run command line {2}\S*hungry\.c:\d+/);
  // The scenario can lower it, and the command line overrides the scenario.
  const low = run(['define SIZE 0x100000', 'limit pool 0xFFFFF', 'expect load STATUS_INSUFFICIENT_RESOURCES']);
  assert.equal(low.status, 0, low.stdout);
  assert.match(low.stdout, /of 1,048,576 bytes fails: .* the pool limit is 1,048,575;/);
  const raised = run(['define SIZE 0x100000', 'limit pool 0xFFFFF', 'expect load STATUS_SUCCESS'], '--limit', 'pool=0x100000');
  assert.equal(raised.status, 0, raised.stdout);
});

test('writing past the memory limit stops the run at the write, naming the limit; expect stop memory-limit makes it wanted', () => {
  const r = run(['define SIZE 0x400000', 'define FILL', 'limit memory 0x100000', 'expect no violations']);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /Run stopped: \S*hungry\.c:\d+:\d+: memset would write past the run's memory limit: .* and the limit is 1 MiB; raise it with `limit memory N` in the scenario or `--limit memory=N` on the fltsim run command line/);
  assert.match(r.stdout, /– expect no violations {3}— not checked/);
  assert.doesNotMatch(r.stdout, /✓/);
  const wanted = run(['define SIZE 0x400000', 'define FILL', 'limit memory 0x100000', 'expect stop memory-limit']);
  assert.equal(wanted.status, 0, wanted.stdout);
  const json = JSON.parse(run(['define SIZE 0x400000', 'define FILL', 'limit memory 0x100000'], '--json').stdout);
  assert.equal(json.error.kind, 'memory-limit');
  assert.equal(json.passed, false);
});
