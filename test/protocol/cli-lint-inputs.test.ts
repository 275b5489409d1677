// `fltsim lint` on what a folder may really hold: FIFOs and devices named *.c, binaries, huge files,
// symlink loops, unreadable folders. Each is refused before a byte is read, and reported as skipped
// in text, JSON and SARIF, never a hang, a crash or a "clean" verdict.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const CLI = resolve('dist/cli.js');
const GOOD = 'test/fixtures/lint/wi-bad-queue-type/good.c';

function lint(cwd: string, args: string[], extra: SpawnSyncOptions = {}) {
  // A bounded heap and a timeout: reading /dev/zero or blocking on a FIFO fails the test, not the machine.
  const r = spawnSync(process.execPath, ['--max-old-space-size=256', CLI, 'lint', ...args], { cwd, encoding: 'utf8', timeout: 30_000, ...extra });
  return { status: r.status, signal: r.signal, stdout: String(r.stdout), stderr: String(r.stderr) };
}

function mkfifo(p: string): void {
  const r = spawnSync('mkfifo', [p]);
  assert.equal(r.status, 0, 'mkfifo is available');
}

test('a FIFO named *.c: named, it is refused with what it is; in a folder, it is skipped with a note', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fltsim-lint-fifo-'));
  mkfifo(join(dir, 'pipe.c'));
  copyFileSync(GOOD, join(dir, 'good.c'));
  const named = lint(dir, ['pipe.c']);
  assert.equal(named.signal, null, 'it did not hang');
  assert.equal(named.status, 2);
  assert.equal(named.stderr, 'fltsim lint: pipe.c: is a FIFO (named pipe), not a regular file\n');
  const folder = lint(dir, ['.']);
  assert.equal(folder.status, 0, folder.stderr);
  assert.equal(folder.stdout, 'pipe.c:1:1: note: skipped: it is a FIFO (named pipe), not a regular file\n');
  assert.match(folder.stderr, /0 errors, 0 warnings in 1 file \(1 skipped\)/);
  const json = JSON.parse(lint(dir, ['.', '--format', 'json']).stdout);
  assert.deepEqual(json.notes, [{ path: 'pipe.c', line: 1, message: 'skipped: it is a FIFO (named pipe), not a regular file' }]);
  assert.deepEqual(json.files.map((f: { path: string }) => f.path), ['good.c']);
  const sarif = JSON.parse(lint(dir, ['.', '--format', 'sarif']).stdout);
  const note = sarif.runs[0].invocations[0].toolExecutionNotifications[0];
  assert.equal(note.message.text, 'skipped: it is a FIFO (named pipe), not a regular file');
  assert.equal(note.locations[0].physicalLocation.artifactLocation.uri, 'pipe.c');
});

test('a device is refused at once, without reading it', () => {
  const r = lint(tmpdir(), ['/dev/zero']);
  assert.equal(r.signal, null);
  assert.equal(r.status, 2);
  assert.equal(r.stderr, 'fltsim lint: /dev/zero: is a character device, not a regular file\n');
});

test('a binary file is not "clean": named, it is refused; in a folder, skipped with a note', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fltsim-lint-bin-'));
  writeFileSync(join(dir, 'driver.c'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0x3e, 0]));
  const named = lint(dir, ['driver.c']);
  assert.equal(named.status, 2);
  assert.equal(named.stderr, 'fltsim lint: driver.c: looks like a binary file (it contains NUL bytes), not C source\n');
  const folder = lint(dir, ['.']);
  assert.equal(folder.stdout, 'driver.c:1:1: note: skipped: it looks like a binary file (it contains NUL bytes), not C source\n');
  // UTF-16 with its byte-order mark is text, as Visual Studio may save it.
  writeFileSync(join(dir, 'wide.c'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('#include <fltKernel.h>\nint x;\n', 'utf16le')]));
  assert.equal(lint(dir, ['wide.c']).status, 0);
});

test('a file over the size limit is skipped, and the message names --max-file-size', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fltsim-lint-big-'));
  writeFileSync(join(dir, 'big.c'), `int x;\n${'// padding\n'.repeat(2000)}`);
  const r = lint(dir, ['.', '--max-file-size', '1000']);
  assert.match(r.stdout, /^big\.c:1:1: note: skipped: it is 22,007 bytes, over the 1,000-byte limit for a source file \(raise it with --max-file-size BYTES\)$/m);
  assert.equal(lint(dir, ['.', '--max-file-size', 'lots']).status, 2);
});

test('symbolic links that loop, and links back up the tree, end the walk with each file once', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fltsim-lint-loop-'));
  mkdirSync(join(dir, 'src'));
  copyFileSync(GOOD, join(dir, 'src', 'good.c'));
  symlinkSync('self.c', join(dir, 'src', 'self.c'));
  symlinkSync('..', join(dir, 'src', 'up'));
  symlinkSync('.', join(dir, 'src', 'here'));
  const r = lint(dir, ['.', '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.deepEqual(report.files.map((f: { path: string }) => f.path), ['src/good.c']);
  assert.deepEqual(report.notes, [{ path: 'src/self.c', line: 1, message: 'skipped: it is a symbolic link that loops back on itself' }]);
});

test('a folder that cannot be listed and a file that cannot be read are skipped with the reason', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fltsim-lint-perm-'));
  mkdirSync(join(dir, 'locked'));
  writeFileSync(join(dir, 'locked', 'hidden.c'), 'int x;\n');
  copyFileSync(GOOD, join(dir, 'secret.c'));
  copyFileSync(GOOD, join(dir, 'good.c'));
  chmodSync(join(dir, 'locked'), 0o000);
  chmodSync(join(dir, 'secret.c'), 0o000);
  chmodSync(dir, 0o755);
  // Permission bits do not stop root: run as an ordinary user when the tests run as root.
  const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const r = lint(dir, ['.', '--format', 'json'], asUser);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.deepEqual(report.files.map((f: { path: string }) => f.path), ['good.c']);
  assert.deepEqual(report.notes.map((n: { path: string; message: string }) => `${n.path}: ${n.message}`).sort(), [
    'locked: skipped: it is a folder that cannot be listed: permission denied',
    'secret.c: skipped: it cannot be read: permission denied',
  ]);
});

test('SARIF URIs are percent-encoded', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fltsim-lint-uri-'));
  mkdirSync(join(dir, 'my drivers'));
  copyFileSync('test/fixtures/lint/wi-bad-queue-type/bad.c', join(dir, 'my drivers', 'bad #1%.c'));
  const sarif = JSON.parse(lint(dir, ['.', '--format', 'sarif']).stdout);
  const loc = sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation;
  assert.deepEqual(loc, { uri: 'my%20drivers/bad%20%231%25.c', uriBaseId: 'SRCROOT' });
  assert.match(sarif.runs[0].originalUriBaseIds.SRCROOT.uri, /^file:\/\/\/.*\/$/);
});

test('a scenario, a README or a sources file named to lint is refused with what lint reads, not linted as C', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fltsim-lint-notc-'));
  writeFileSync(join(dir, 'x.fltsim'), 'driver "x.c"\n');
  writeFileSync(join(dir, 'README.md'), '# notes\n');
  writeFileSync(join(dir, 'sources'), 'TARGETNAME=x\n');
  writeFileSync(join(dir, 'x.inl'), 'static int Inline(void) { return 1; }\n');
  const scenario = lint(dir, ['x.fltsim']);
  assert.equal(scenario.status, 2);
  assert.equal(scenario.stderr, "fltsim lint: x.fltsim: a scenario, not C: run it with 'fltsim run x.fltsim' (lint reads the driver's .c/.cpp files, folders and .vcxproj files)\n");
  const readme = lint(dir, ['README.md']);
  assert.equal(readme.status, 2);
  assert.match(readme.stderr, /^fltsim lint: README\.md: not a C or C\+\+ source: lint reads \.c, \.h, \.cpp/);
  assert.match(lint(dir, ['sources']).stderr, /^fltsim lint: sources: an old-WDK build file: name the folder that holds it/);
  assert.equal(lint(dir, ['x.inl']).status, 0);
});
