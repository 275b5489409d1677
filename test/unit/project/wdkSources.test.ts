// Old-WDK `sources` projects (engine/project/wdkSources.ts): the files SOURCES lists make the driver.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { discoverProjects, loadProject } from '../../../engine/project';
import { memoryFiles } from '../files/memoryFiles';

const KERNEL = '#include <fltKernel.h>\n';

/** A repository laid out as build.exe projects are: the driver's `sources` in a subfolder naming `..\x.c`. */
function repo(sources: string) {
  return memoryFiles({
    '/r/resmonk/sources': sources,
    '/r/filemon.c': `${KERNEL}NTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r) { return 0; }\n`,
    '/r/util.c': KERNEL,
    '/r/daemon.c': 'int main(void) { return 0; }\n',
    '/r/daemon/sources': 'TARGETNAME = daemon\nTARGETTYPE = PROGRAM\nSOURCES = ../daemon.c\n',
    '/r/inc/shared.h': '',
  });
}

const DRIVER_SOURCES = [
  '# the kernel part',
  'TARGETNAME = resmonk',
  'TARGETTYPE = DRIVER',
  'TARGETLIBS = $(IFSKIT_LIB_PATH)\\fltMgr.lib',
  'INCLUDES = ..\\inc;$(DDK_INC_PATH)',
  'C_DEFINES = /DUSERDTSC -DLEVEL=2 $(C_DEFINES)',
  'SOURCES = ..\\filemon.c \\',
  '          ../util.c resmonk.rc ..\\gone.c',
].join('\r\n');

test('a folder holding a driver `sources` file is the driver it lists: name, files, include folders, definitions', () => {
  const files = repo(DRIVER_SOURCES);
  const p = loadProject(files, { kind: 'folder', path: '/r/resmonk' });
  assert.equal(p.name, 'resmonk');
  assert.deepEqual(p.source, { kind: 'folder', folder: '/r/resmonk' });
  assert.deepEqual(p.units, ['/r/filemon.c', '/r/util.c'], 'the continued line is read; .rc is left to the resource compiler; the user-mode daemon.c is not listed');
  assert.deepEqual(p.includeDirs, ['/r/inc']);
  assert.deepEqual([...p.defines], [['USERDTSC', '1'], ['LEVEL', '2']]);
  assert.deepEqual(p.notes.map((n) => [n.line, n.message]), [
    [4, '$(IFSKIT_LIB_PATH) in TARGETLIBS is dropped: it is a build-environment macro fltsim does not know'],
    [5, '$(DDK_INC_PATH) in INCLUDES is dropped: it is a build-environment macro fltsim does not know'],
    [6, '$(C_DEFINES) in C_DEFINES is dropped: it is a build-environment macro fltsim does not know'],
    [7, 'resmonk: ..\\gone.c is listed in SOURCES but not found (looked for /r/gone.c); the other files are still used'],
  ]);
});

test('discovery takes a driver `sources` file as one project and leaves a user-mode one (TARGETTYPE PROGRAM) out', () => {
  const files = repo(DRIVER_SOURCES);
  const found = discoverProjects(files, '/r');
  assert.deepEqual(found.projects.map((p) => [p.name, p.units]), [['resmonk', ['/r/filemon.c', '/r/util.c']]]);
  assert.deepEqual(found.loose, ['/r/daemon.c']);
});

test('a `sources` file that lists no C file is an error at its SOURCES line; one that builds a program is not a driver folder', () => {
  const empty = loadProject(repo('TARGETNAME=x\nTARGETTYPE=DRIVER\nSOURCES=x.rc\n'), { kind: 'folder', path: '/r/resmonk' });
  assert.deepEqual(empty.notes.map((n) => [n.severity, n.line, n.message]), [['error', 3, '/r/resmonk/sources lists no C or C++ file in SOURCES']]);
  const program = loadProject(repo(DRIVER_SOURCES), { kind: 'folder', path: '/r/daemon' });
  assert.deepEqual(program.units, [], 'a program folder is read as a plain folder (it holds no .c file itself)');
});
