// Folder discovery (engine/project/discover.ts) on layouts real repositories use: headers in an
// `include` folder beside `src` (CMake), project headers included with <…>, and .vcxproj files that
// build libraries or programs beside the driver's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { discoverProjects } from '../../../engine/project';
import { fileListProject, folderProject } from '../../../engine/project/load';
import { starterTarget } from '../../../engine/starter/target';
import { memoryFiles } from '../files/memoryFiles';

const DRIVER = '#include "main.h"\nNTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r) { return STATUS_SUCCESS; }\n';

test('a src folder whose header, in ../include, includes the kernel header is a driver, not a user-mode program', () => {
  const files = memoryFiles({
    '/r/kapp/src/main.cpp': DRIVER,
    '/r/kapp/include/main.h': '#pragma once\n#include <fltKernel.h>\n',
  });
  const found = discoverProjects(files, '/r');
  assert.deepEqual(found.projects.map((p) => p.units.concat(p.cppUnits ?? [])), [['/r/kapp/src/main.cpp']]);
  assert.deepEqual(found.notes.filter((n) => /user-mode/.test(n.message)), []);
});

test('a project header included with <…> from an include folder counts; a kernel library is linted with the driver, a user-mode library is skipped with its reason, and init takes the driver', () => {
  const vcx = (type: string, file: string) => `<Project><PropertyGroup Label="Configuration"><ConfigurationType>${type}</ConfigurationType></PropertyGroup><ItemGroup><ClCompile Include="${file}" /></ItemGroup></Project>`;
  const files = memoryFiles({
    '/r/drv/drv.vcxproj': vcx('Driver', 'driver.c'),
    '/r/drv/driver.c': '#include <kph.h>\nNTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r) { return STATUS_SUCCESS; }\n',
    '/r/drv/include/kph.h': '#include <ntifs.h>\n',
    '/r/lib/lib_km.vcxproj': vcx('StaticLibrary', 'lib.c'),
    '/r/lib/lib.c': '#include <ntifs.h>\nint helper(void) { return 1; }\n',
    '/r/ui/ui.vcxproj': vcx('DynamicLibrary', 'ui.c'),
    '/r/ui/ui.c': '#include <windows.h>\nint WINAPI DllMain(void *h, unsigned r, void *p) { return 1; }\n',
  });
  const found = discoverProjects(files, '/r');
  // The kernel library's code is linked into a driver: its misuse of the kernel's routines is the driver's.
  assert.deepEqual(found.projects.map((p) => p.name), ['drv', 'lib_km']);
  assert.deepEqual(found.notes.map((n) => n.message), ['ui is skipped: its ConfigurationType is DynamicLibrary, not a driver, and none of its files includes a kernel header']);
  const target = starterTarget(files, ['/r']);
  assert.equal(target.ok, true, JSON.stringify(target));
  if (target.ok) assert.equal(target.project.name, 'drv');
});

test('a driver given as a folder (no build file) finds its headers in an include folder beside or above it, as discovery does', () => {
  const files = memoryFiles({
    '/r/kapp/src/main.c': '#include "main.h"\nNTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r) { return STATUS_SUCCESS; }\n',
    '/r/kapp/include/main.h': '#include <fltKernel.h>\n',
    '/r/other/src/main.c': 'int x;\n',
  });
  assert.deepEqual(folderProject(files, '/r/kapp/src').includeDirs, ['/r/kapp/include']);
  assert.deepEqual(folderProject(files, '/r/other/src').includeDirs, []);
});

test('files given one by one, and a folder discovery groups as one driver, find their headers in the same include folders as a folder does', () => {
  const files = memoryFiles({
    '/r/kapp/src/main.c': '#include "main.h"\nNTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r) { return STATUS_SUCCESS; }\n',
    '/r/kapp/src/util.c': '#include "main.h"\nint util(void) { return 0; }\n',
    '/r/kapp/include/main.h': '#include <fltKernel.h>\n',
  });
  assert.deepEqual(fileListProject(files, ['/r/kapp/src/main.c', '/r/kapp/src/util.c']).includeDirs, ['/r/kapp/include']);
  const found = discoverProjects(files, '/r');
  assert.deepEqual(found.projects.map((p) => [p.name, p.includeDirs]), [['src', ['/r/kapp/include']]]);
});
