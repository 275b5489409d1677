// `fltsim init` as a user runs it: the bundled CLI as a process, on copies of the fixtures and of
// the bundled samples; each written scenario is then run with `fltsim run`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const CLI = path.resolve('dist/cli.js');
const fltsim = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });

function copyOf(fixture: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'fltsim-init-cli-'));
  cpSync(path.resolve('test/fixtures/init', fixture), path.join(dir, fixture), { recursive: true });
  return dir;
}

test('init writes <driver>.fltsim next to the project, which fltsim run runs; a second init leaves it alone unless --force', () => {
  const dir = copyOf('fourops');
  const first = fltsim(dir, 'init', 'fourops');
  assert.equal(first.status, 0, first.stderr);
  const scenario = path.join(dir, 'fourops', 'fourops.fltsim');
  assert.match(first.stdout, /^Wrote fourops\/fourops\.fltsim for fourops: 4 operation\(s\), 8 callback\(s\)\.$/m);
  const run = fltsim(path.join(dir, 'fourops'), 'run', 'fourops.fltsim');
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /PASS {2}1 expectation holds/);

  writeFileSync(scenario, '// my own edits\n');
  const again = fltsim(dir, 'init', 'fourops/fourops.c');
  assert.equal(again.status, 2);
  assert.match(again.stderr, /fourops\/fourops\.fltsim exists; it was left as it is\. Give --force/);
  assert.equal(readFileSync(scenario, 'utf8'), '// my own edits\n');
  const forced = fltsim(dir, 'init', 'fourops/fourops.c', '--force');
  assert.equal(forced.status, 0, forced.stderr);
  assert.match(readFileSync(scenario, 'utf8'), /^driver "\."$/m);
});

test('--out picks the file (adding .fltsim), --json says what happened, --stdout only prints', () => {
  const dir = copyOf('porty');
  const json = fltsim(dir, 'init', 'porty/porty.c', '--out', 'scenarios/first', '--json');
  assert.equal(json.status, 0, json.stderr);
  const answer = JSON.parse(json.stdout);
  assert.deepEqual(answer, { ok: true, scenario: path.join(dir, 'scenarios', 'first.fltsim'), driver: 'porty', operations: 1, callbacks: 2, ports: ['\\PortyPort'], devices: [] });
  assert.match(readFileSync(answer.scenario, 'utf8'), /^driver "\.\.\/porty"$/m);
  const exists = fltsim(dir, 'init', 'porty', '--out', 'scenarios/first.fltsim', '--json');
  assert.equal(exists.status, 2);
  assert.deepEqual({ ...JSON.parse(exists.stdout), message: '' }, { ok: false, reason: 'exists', message: '', scenario: answer.scenario });
  const printed = fltsim(dir, 'init', 'porty', '--stdout');
  assert.equal(printed.status, 0, printed.stderr);
  assert.match(printed.stdout, /^client "\\PortyPort" connect at 0$/m);
  assert.equal(existsSync(path.join(dir, 'porty', 'porty.fltsim')), false, '--stdout writes nothing');
});

test('bad input exits 2 with a message: no FLT_REGISTRATION, nothing there, no argument, a folder of several drivers', () => {
  const dir = copyOf('noreg');
  const noreg = fltsim(dir, 'init', 'noreg', '--json');
  assert.equal(noreg.status, 2);
  assert.equal(JSON.parse(noreg.stdout).reason, 'no-registration');
  assert.match(noreg.stderr, /^fltsim init: .*noreg: no FLT_REGISTRATION found in noreg's sources/m);
  assert.equal(existsSync(path.join(dir, 'noreg', 'noreg.fltsim')), false);
  const missing = fltsim(dir, 'init', 'nowhere');
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /nowhere: no such file or folder/);
  const none = fltsim(dir, 'init');
  assert.equal(none.status, 2);
  assert.match(none.stderr, /name a \.vcxproj, a folder or \.c\/\.cpp files/);
  cpSync(path.resolve('test/fixtures/init/fourops'), path.join(dir, 'fourops'), { recursive: true });
  const several = fltsim(dir, 'init', '.');
  assert.equal(several.status, 2);
  assert.match(several.stderr, /holds 2 drivers; name one of them: fourops, noreg/);
});

test('every bundled sample driver gets a scenario that parses, loads the driver and runs to its end', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'fltsim-init-samples-'));
  cpSync(path.resolve('samples'), path.join(dir, 'samples'), { recursive: true });
  const drivers: string[] = [];
  // lint-demo is a driver full of deliberate mistakes for the linter (its pended operations are never
  // completed, so its unload waits forever): not a driver that is meant to run.
  for (const sample of readdirSync(path.join(dir, 'samples')).sort().filter((s) => s !== 'lint-demo')) {
    for (const file of readdirSync(path.join(dir, 'samples', sample)).filter((f) => f.endsWith('.c')).sort()) {
      if (/\bDriverEntry\s*\(/.test(readFileSync(path.join(dir, 'samples', sample, file), 'utf8'))) drivers.push(`samples/${sample}/${file}`);
    }
  }
  assert.ok(drivers.length >= 9, drivers.join(', '));
  for (const driver of drivers) {
    const out = `${driver.replace(/\.c$/, '')}.starter.fltsim`;
    const init = fltsim(dir, 'init', driver, '--out', out);
    assert.equal(init.status, 0, `${driver}: ${init.stderr}`);
    const run = fltsim(dir, 'run', out, '--json');
    assert.ok(run.status === 0 || run.status === 1, `${driver}: exit ${run.status} ${run.stderr}`);
    const report = JSON.parse(run.stdout);
    assert.equal(report.error, null, `${driver}: ${JSON.stringify(report.error)}`);
    assert.equal(report.outcome.end, 'finished', `${driver}: ${JSON.stringify(report.outcome)}`);
    assert.deepEqual(report.outcome.loads.map((l: { status: string }) => l.status), ['STATUS_SUCCESS'], driver);
  }
});

test('a file that is neither a project nor a C source is named as such, not as missing (exit 2)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'fltsim-init-cli-'));
  writeFileSync(path.join(dir, 'notes.txt'), 'not a driver\n');
  const r = fltsim(dir, 'init', 'notes.txt');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^fltsim init: .*notes\.txt: not a driver project or source; name a \.vcxproj, a folder or \.c\/\.cpp files$/m);
  assert.doesNotMatch(r.stderr, /no such file/);
});

test('odd folders: a link back up the tree is not followed, unreadable sources say why, a UTF-16 .vcxproj is read', () => {
  const dir = copyOf('fourops');
  // A link to the folder's parent: the driver is found once, not again through the link with the parent's siblings.
  symlinkSync('..', path.join(dir, 'fourops', 'up'));
  symlinkSync('self', path.join(dir, 'fourops', 'self'));
  const looped = fltsim(dir, 'init', 'fourops', '--stdout');
  assert.equal(looped.status, 0, looped.stderr);
  assert.match(looped.stdout, /written by `fltsim init` from the folder fourops/);
  // Sources that are not text: each named with the reason, in a folder or alone.
  mkdirSync(path.join(dir, 'bin'));
  writeFileSync(path.join(dir, 'bin', 'drv.c'), Buffer.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0]));
  const folder = fltsim(dir, 'init', 'bin');
  assert.equal(folder.status, 2);
  assert.match(folder.stderr, /no kernel-mode driver found .*; drv\.c looks like a binary file \(it contains NUL bytes\)/);
  const single = fltsim(dir, 'init', 'bin/drv.c', '--json');
  assert.equal(single.status, 2);
  assert.equal(JSON.parse(single.stdout).reason, 'input');
  assert.match(single.stderr, /drv\.c looks like a binary file .*; name the driver's C or C\+\+ source files/);
  // A project file saved as UTF-16 (as Visual Studio may) lists its sources like a UTF-8 one.
  const project = '<?xml version="1.0" encoding="utf-16"?>\r\n<Project xmlns="http://schemas.microsoft.com/developer/msbuild/2003"><ItemGroup><ClCompile Include="fourops.c" /></ItemGroup></Project>';
  writeFileSync(path.join(dir, 'fourops', 'wide.vcxproj'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(project, 'utf16le')]));
  const wide = fltsim(dir, 'init', 'fourops/wide.vcxproj', '--stdout');
  assert.equal(wide.status, 0, wide.stderr);
  assert.match(wide.stdout, /^driver "wide\.vcxproj"$/m);
});

test('a sources TARGETNAME no file can be named after still gets its scenario written; a place that cannot be written exits 2 saying so', () => {
  const dir = copyOf('fourops');
  const project = path.join(dir, 'fourops');
  writeFileSync(path.join(project, 'sources'), `TARGETNAME=${'n'.repeat(300)}/x:y\nTARGETTYPE=DRIVER\nSOURCES=fourops.c\n`);
  const long = fltsim(dir, 'init', 'fourops');
  assert.equal(long.status, 0, long.stderr);
  assert.ok(existsSync(path.join(project, `${'n'.repeat(48)}.fltsim`)), long.stdout);
  const blocked = fltsim(dir, 'init', 'fourops', '--out', 'fourops/fourops.c/inside');
  assert.equal(blocked.status, 2);
  assert.match(blocked.stderr, /^fltsim init: cannot write fourops\/fourops\.c\/inside\.fltsim: a part of its path is a file, not a folder\. Give --out FILE to write it elsewhere, or --stdout to print it\.\n$/);
});
