// Folder discovery (engine/project/discover.ts) on layouts real repositories use: headers in an
// `include` folder beside `src` (CMake), project headers included with <…>, and .vcxproj files that
// build libraries or programs beside the driver's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { discoverProjects } from '../../../engine/project';
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

test('a project header included with <…> from an include folder counts; a .vcxproj that builds a library is skipped with its reason', () => {
  const vcx = (type: string, file: string) => `<Project><PropertyGroup Label="Configuration"><ConfigurationType>${type}</ConfigurationType></PropertyGroup><ItemGroup><ClCompile Include="${file}" /></ItemGroup></Project>`;
  const files = memoryFiles({
    '/r/drv/drv.vcxproj': vcx('Driver', 'driver.c'),
    '/r/drv/driver.c': '#include <kph.h>\nNTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r) { return STATUS_SUCCESS; }\n',
    '/r/drv/include/kph.h': '#include <ntifs.h>\n',
    '/r/lib/lib_km.vcxproj': vcx('StaticLibrary', 'lib.c'),
    '/r/lib/lib.c': '#include <ntifs.h>\nint helper(void) { return 1; }\n',
  });
  const found = discoverProjects(files, '/r');
  assert.deepEqual(found.projects.map((p) => p.name), ['drv']);
  assert.deepEqual(found.notes.map((n) => n.message), ['lib_km is skipped: its ConfigurationType is StaticLibrary, not a driver']);
});
