// `volume` and `file` lines and the io words that carry buffer contents: what parses, and the
// error (with its place) for what does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario, type ScenarioDiagnostic } from '../../../engine/scenario';

const HEAD = 'scenario "t"\ndriver "f.c"\n';

function only(body: string): ScenarioDiagnostic {
  const { diagnostics } = parseScenario(HEAD + body);
  assert.equal(diagnostics.length, 1, diagnostics.map((d) => d.message).join('; '));
  return diagnostics[0]!;
}

function where(d: ScenarioDiagnostic): [number, number, number] {
  return [d.line, d.column, d.endColumn];
}

test('volume lines: file system, sector size, read-only, removable', () => {
  const { scenario, diagnostics } = parseScenario(`${HEAD}volume "\\Device\\HarddiskVolume2" fs fat sector 4096 readonly removable\nvolume "\\Device\\CdRom0" fs cdfs`);
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(scenario.volumes.map((v) => [v.name, v.fileSystem, v.sectorSize, v.readonly, v.removable]), [
    ['\\Device\\HarddiskVolume2', 'fat', 4096, true, true],
    ['\\Device\\CdRom0', 'cdfs', undefined, false, false],
  ]);
});

test('bad volume lines say what is wrong where', () => {
  const fs = only('volume "\\Device\\HarddiskVolume2" fs ntsf');
  assert.deepEqual([fs.code, fs.message, ...where(fs)], ['bad-name', "unknown file system 'ntsf' — did you mean 'ntfs'?", 3, 37, 41]);
  assert.equal(only('volume "\\Device\\HarddiskVolume2" sector 1000').message, 'sector size 1000 is not a power of two');
  assert.equal(only('volume "C:\\data"').message, '"C:\\data" is not a volume device name');
  assert.equal(only('volume "\\Device\\HarddiskVolume2" removable removable').message, "'removable' is given twice in this volume line");
  assert.equal(only('volume "\\Device\\HarddiskVolume2" removeable').message, "unknown volume option 'removeable' — did you mean 'removable'?");
});

test('file lines: a size, content, bytes from a local file, a folder', () => {
  const { scenario, diagnostics } = parseScenario(`${HEAD}file "\\a.txt" content "hello" size 100\nfile "\\b.bin" from "data/b.bin"\nfile "\\docs" folder\nfile "\\c" size 5`);
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(scenario.files.map((f) => [f.path, f.size, f.content, f.from, f.folder]), [
    ['\\a.txt', 100, 'hello', undefined, undefined],
    ['\\b.bin', undefined, undefined, 'data/b.bin', undefined],
    ['\\docs', undefined, undefined, undefined, true],
    ['\\c', 5, undefined, undefined, undefined],
  ]);
});

test('bad file lines', () => {
  assert.equal(only('file "\\a"').message, 'missing size, content or folder');
  assert.equal(only('file "\\a" content "x" from "y"').message, "a file takes its bytes from 'content' or from 'from', not both");
  assert.equal(only('file "\\a" folder size 3').message, 'a folder has no size or content');
  const typo = only('file "\\a" contnet "x"');
  assert.deepEqual([typo.message, ...where(typo)], ["expected size, content, from, folder, found 'contnet' — did you mean 'content'?", 3, 11, 18]);
});

test('io lines carry a disposition, create options, data, a rename target, a delete and a pattern', () => {
  const text = [
    'io #1 create "\\a" disposition overwrite-if delete-on-close non-directory',
    'io #2 write "\\a" data "abc"',
    'io #3 set-info "\\a" class FileRenameInformation to "\\b" replace',
    'io #4 set-info "\\b" class FileDispositionInformation delete',
    'io #5 query-dir "\\d" pattern "*.txt"',
  ].join('\n');
  const { scenario, diagnostics } = parseScenario(`${HEAD}${text}`);
  assert.deepEqual(diagnostics, []);
  const [c, w, r, d, q] = scenario.ios;
  assert.deepEqual([c!.disposition, c!.flags], ['overwrite-if', ['delete-on-close', 'non-directory']]);
  assert.equal(w!.data, 'abc');
  assert.deepEqual([r!.target, r!.flags], ['\\b', ['replace']]);
  assert.deepEqual(d!.flags, ['delete']);
  assert.equal(q!.pattern, '*.txt');
});

test('io words that do not fit: a disposition on a read, data on a create, an unknown disposition, directory with non-directory', () => {
  const disp = only('io #1 read "\\a" disposition open');
  assert.deepEqual([disp.code, disp.message], ['option-not-applicable', "'disposition' does not apply to read"]);
  assert.equal(only('io #1 create "\\a" data "x"').message, "'data' does not apply to create");
  assert.equal(only('io #1 create "\\a" disposition opn').message, "unknown create disposition 'opn' — did you mean 'open'?");
  assert.equal(only('io #1 create "\\a" directory non-directory').message, "'non-directory' cannot be combined with 'directory'");
  assert.equal(only('io #1 set-info "\\a" delete replace').message, "'replace' cannot be combined with 'delete'");
});

test('a volume declared twice is an error at its name', () => {
  const d = only('volume "\\\\Device\\\\HarddiskVolume2"\nvolume "\\\\device\\\\harddiskvolume2" readonly');
  assert.deepEqual([d.code, d.message, d.line], ['duplicate', 'volume "\\device\\harddiskvolume2" is already given on line 3', 4]);
});

test('attach lines name a driver, a volume and a time', () => {
  const { scenario, diagnostics } = parseScenario(`${HEAD}attach f "\\\\Device\\\\HarddiskVolume1" at 2`);
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(scenario.attaches.map((a) => [a.module, a.volume, a.time]), [['f', '\\Device\\HarddiskVolume1', 2]]);
  assert.equal(only('attach f at 2').message, "volume device name must be a quoted string, found 'at'");
});

test('create lines take the access they ask for and what they share; other words are errors naming the choices', () => {
  const { scenario, diagnostics } = parseScenario(`${HEAD}io #1 create "\\a" access read share read-delete\nio #2 create "\\a"`);
  assert.deepEqual(diagnostics, []);
  assert.deepEqual([scenario.ios[0]!.access, scenario.ios[0]!.share, scenario.ios[1]!.access, scenario.ios[1]!.share], ['read', 'read-delete', undefined, undefined]);
  const bad = only('io #1 create "\\a" share reed');
  assert.deepEqual([bad.code, bad.message], ['bad-name', "unknown share mode 'reed' — did you mean 'read'?"]);
  assert.equal(only('io #1 create "\\a" access').message, "missing access after 'access'");
  assert.equal(only('io #1 read "\\a" share none').message, "'share' does not apply to read");
});

test('a file line whose name no stream can have is refused at its name, before any run', () => {
  for (const name of ['\\\\a.txt:', '\\\\a.txt:s:$INDEX_ALLOCATION', '\\\\a:b\\\\c.txt', '\\\\a.txt:s:$DATA:x']) {
    const d = only(`file "${name}" content "x"`);
    assert.deepEqual([d.code, d.line, d.column], ['bad-name', 3, 6], name);
    assert.match(d.message, /is not a valid file or stream name/);
  }
  const { diagnostics } = parseScenario(`${HEAD}file "\\\\a.txt:s" content "x"\nfile "\\\\b.txt::$DATA" content "y"\nfile "C:\\\\c.txt:s" content "z"`);
  assert.deepEqual(diagnostics, []);
});

test('a file line naming what no file can be named, a volume root, or a stream as a folder is refused at its name', () => {
  const cases: [string, RegExp][] = [
    ['file "\\\\docs\\\\..\\\\a.txt" content "x"', /"\.\." is not a name: the file system does not fold/],
    ['file "\\\\.\\\\a.txt" content "x"', /"\." is not a name/],
    ['file "\\\\a*.txt" content "x"', /"a\*\.txt" holds '\*', which no file name may hold/],
    ['file "\\\\a.txt:s?" content "x"', /"s\?" holds '\?'/],
    [`file "\\\\${'n'.repeat(256)}.txt" content "x"`, /a name component is 260 characters long; the file system keeps at most 255/],
    ['file "\\\\Device\\\\HarddiskVolume1\\\\" content "x"', /names the root folder of the volume, not a file in it/],
    ['file "\\\\Device\\\\HarddiskVolume1" content "x"', /names the root folder of the volume/],
    ['file "C:\\\\" content "x"', /names the root folder of the volume/],
    ['file "\\\\a.txt:s" folder', /is a stream, and a stream is never a folder/],
  ];
  for (const [line, message] of cases) {
    const d = only(line);
    assert.deepEqual([d.code, d.line, d.column], ['bad-name', 3, 6], line);
    assert.match(d.message, message, line);
  }
  // A stream of a folder is a name NTFS keeps; 255 characters is the longest component.
  const { diagnostics } = parseScenario(`${HEAD}file "\\\\docs" folder\nfile "\\\\docs:s" content "x"\nfile "\\\\${'n'.repeat(251)}.txt" content "y"`);
  assert.deepEqual(diagnostics, []);
});
