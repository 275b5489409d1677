// Driver projects by path, under posix and win32 rules: a .vcxproj written on Windows (backslashes,
// `..`, absolute folders, names in another case than on disk, an Exclude spelled otherwise), the
// project of a file however it is spelled, and a repository's projects found by walking it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { discoverProjects, projectOfFile, readVcxproj } from '../../../engine/project';
import { forEachFlavor } from '../files/flavors';
import { memoryFiles } from '../files/memoryFiles';

const CASE_NOTE = (what: string, found: string) => `${what} matches ${found} only when case is ignored, as Windows does; this file system tells case apart, so fltsim uses the file but the spelling should be made to agree`;

forEachFlavor('driver projects by path', (f) => {
  const project = (absolute: string) => `<Project xmlns="http://schemas.microsoft.com/developer/msbuild/2003">
  <ItemGroup><ProjectConfiguration Include="Debug|x64"><Configuration>Debug</Configuration><Platform>x64</Platform></ProjectConfiguration></ItemGroup>
  <ItemDefinitionGroup><ClCompile><AdditionalIncludeDirectories>..\\Inc;$(ProjectDir)..\\common;${absolute}</AdditionalIncludeDirectories></ClCompile></ItemDefinitionGroup>
  <ItemGroup>
    <ClCompile Include="src\\Main.c" />
    <ClCompile Include="src\\*.c" Exclude="SRC\\Old.c;src/main.c" />
  </ItemGroup>
</Project>
`;
  const files = f.files({
    'Drivers/Filter/filter.vcxproj': project(f.abs('Drivers', 'Shared')),
    'Drivers/Filter/src/main.c': '#include <fltKernel.h>\nNTSTATUS DriverEntry(PDRIVER_OBJECT D, PUNICODE_STRING R) { return 0; }\n',
    'Drivers/Filter/src/ops.c': '#include <fltKernel.h>\n',
    'Drivers/Filter/src/old.c': '#include <fltKernel.h>\n',
    'Drivers/inc/f.h': '',
    'Drivers/Common/c.h': '',
    'Drivers/Shared/s.h': '',
    'Drivers/Loose/tool.c': 'int main(void) { return 0; }\n',
  });
  const vcxproj = f.abs('Drivers', 'Filter', 'filter.vcxproj');

  test('items and include folders written with backslashes and other case are the files and folders on disk', () => {
    const p = readVcxproj(vcxproj, files);
    assert.deepEqual(p.units, [f.abs('Drivers', 'Filter', 'src', 'main.c'), f.abs('Drivers', 'Filter', 'src', 'ops.c')], 'Main.c once, old.c excluded however the Exclude spells it');
    assert.deepEqual(p.includeDirs, [f.abs('Drivers', 'inc'), f.abs('Drivers', 'Common'), f.abs('Drivers', 'Shared')]);
    assert.deepEqual(p.notes.map((n) => n.message), f.rules.ignoresCase ? [] : [
      CASE_NOTE("include directory '..\\Inc'", f.abs('Drivers', 'inc')),
      // Reported with $(ProjectDir) expanded, as the folder was looked for.
      CASE_NOTE(`include directory '${f.abs('Drivers', 'Filter')}/..\\common'`, f.abs('Drivers', 'Common')),
      CASE_NOTE("ClCompile 'src\\Main.c'", f.abs('Drivers', 'Filter', 'src', 'main.c')),
    ]);
  });

  test('a file\'s project is found from any spelling Windows would accept, and from the exact one on posix', () => {
    const exact = projectOfFile(files, f.abs('Drivers', 'Filter', 'src', 'ops.c'));
    assert.equal(exact?.source.kind === 'vcxproj' && exact.source.file, vcxproj);
    const spelled = f.name === 'win32' ? 'c:/work/drivers/FILTER/Src/OPS.C' : f.abs('Drivers', 'Filter', 'src', 'OPS.C');
    const other = projectOfFile(files, spelled);
    assert.equal(other !== undefined && other.units.some((u) => f.rules.same(u, spelled)), f.rules.ignoresCase);
  });

  test('walking the repository finds the project and leaves its units out of the loose files', () => {
    const found = discoverProjects(files, f.abs('Drivers'));
    assert.deepEqual(found.projects.map((p) => p.name), ['filter']);
    assert.deepEqual(found.loose, [f.abs('Drivers', 'Filter', 'src', 'old.c'), f.abs('Drivers', 'Loose', 'tool.c')]);
  });
});

test('win32: a share is a place like any other for include folders and items, and .. stops at it', () => {
  const p = readVcxproj('\\\\build\\src\\drv\\d.vcxproj', forWin32());
  assert.deepEqual(p.units, ['\\\\build\\src\\drv\\d.c']);
  assert.deepEqual(p.includeDirs, ['\\\\build\\src\\inc'], 'both spellings are one folder, listed once');
  assert.deepEqual(p.notes.map((n) => n.message), ['d.vcxproj lists no ProjectConfiguration; conditions on the configuration will not match']);
});

function forWin32() {
  return memoryFiles({
    '\\\\build\\src\\drv\\d.vcxproj': '<Project><ItemDefinitionGroup><ClCompile><AdditionalIncludeDirectories>..\\INC;..\\..\\..\\inc</AdditionalIncludeDirectories></ClCompile></ItemDefinitionGroup><ItemGroup><ClCompile Include="D.C" /></ItemGroup></Project>',
    '\\\\build\\src\\drv\\d.c': '',
    '\\\\build\\src\\inc\\x.h': '',
  }, 'win32');
}
