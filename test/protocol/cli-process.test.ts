// Runs the bundled CLI the way a user or CI does: as a process from dist/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const cli = (...args: string[]) => spawnSync(process.execPath, ['dist/cli.js', ...args], { encoding: 'utf8' });

test('fltsim --help lists commands and exits 0', () => {
  const r = cli('--help');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Usage: fltsim <command>/);
});

test('a command asked for --help or -h prints its usage and exits 0; after -- it is a file name', () => {
  for (const [cmd, flag] of [['run', '--help'], ['lint', '-h'], ['explore', '--help'], ['init', '-h'], ['test', '--help']] as const) {
    const r = cli(cmd, 'x.fltsim', flag);
    assert.equal(r.status, 0, `${cmd} ${flag}: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`^Usage: fltsim ${cmd} `), `${cmd} ${flag}`);
  }
  const r = cli('lint', '--', '-h');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /-h: no such file or folder/);
});

test('an unknown command exits 2 with a hint', () => {
  const r = cli('frobnicate');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown command 'frobnicate'/);
});

test('run given a driver source, or a replay file that is a folder, exits 2 saying what to give instead', () => {
  const source = cli('run', 'samples/irql-bug/lockedcomplete.c');
  assert.equal(source.status, 2);
  assert.match(source.stderr, /^samples\/irql-bug\/lockedcomplete\.c:1:1: error: 'lockedcomplete\.c' is a driver's file, not a scenario/);
  const replay = cli('run', 'samples/irql-bug/bug.fltsim', '--replay', 'samples');
  assert.equal(replay.status, 2);
  assert.equal(replay.stderr, "fltsim run: cannot read the replay file 'samples': it is a directory, not a file — give the file 'fltsim explore --replay-out' wrote\n");
});
