import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { HOST_PATHS } from '../../../engine/files';
import { discoverProjects, loadProject, projectOfFile, readVcxproj } from '../../../engine/project';
import { nodeFiles } from '../../../extension/shared/nodeFiles';
import { memoryFiles } from '../files/memoryFiles';

const FIXTURE = path.resolve('test/fixtures/projects/threefile');

test('a .vcxproj gives its units, include directories and definitions for Debug|x64, and notes what it dropped', () => {
  const p = readVcxproj(path.join(FIXTURE, 'driver', 'threefile.vcxproj'), nodeFiles);
  assert.equal(p.name, 'ThreeFile', 'the ProjectName property names the driver');
  assert.deepEqual(p.source, { kind: 'vcxproj', file: path.join(FIXTURE, 'driver', 'threefile.vcxproj'), configuration: 'Debug|x64' });
  // Main.c is listed with other case than the file on disk; old.c is excluded from the Debug build.
  assert.deepEqual(p.units, ['main.c', 'ops.c', 'util.c'].map((f) => path.join(FIXTURE, 'driver', f)));
  assert.deepEqual(p.includeDirs, [path.join(FIXTURE, 'common')], '$(MSBuildThisFileDirectory) resolves; the Release folder is not used');
  assert.deepEqual([...p.defines], [['TF_MODE', '2'], ['TF_DEBUG', '1']]);
  assert.deepEqual(p.notes.map((n) => [n.severity, n.line, n.message]), [
    ['note', 21, '$(PRIVATE_SDK_INC) is dropped: fltsim cannot resolve it outside Visual Studio'],
    ['note', 21, '%(AdditionalIncludeDirectories) is dropped: the value inherited from the imported MSBuild files is not known to fltsim'],
    ['note', 22, '%(PreprocessorDefinitions) is dropped: the value inherited from the imported MSBuild files is not known to fltsim'],
    // Windows finds Main.c as main.c without a word; a file system that tells case apart notes it.
    ...(HOST_PATHS.ignoresCase ? [] : [['note', 32, `ClCompile 'Main.c' matches ${path.join(FIXTURE, 'driver', 'main.c')} only when case is ignored, as Windows does; this file system tells case apart, so fltsim uses the file but the spelling should be made to agree`]]),
  ]);
});

test('without Debug|x64 the first configuration is used; conditions with and/or/! and exists() are evaluated', () => {
  const proj = `<Project xmlns="http://schemas.microsoft.com/developer/msbuild/2003">
  <ItemGroup Label="ProjectConfigurations">
    <ProjectConfiguration Include="Checked|ARM64"><Configuration>Checked</Configuration><Platform>ARM64</Platform></ProjectConfiguration>
    <ProjectConfiguration Include="Free|ARM64"><Configuration>Free</Configuration><Platform>ARM64</Platform></ProjectConfiguration>
  </ItemGroup>
  <PropertyGroup Condition="exists('$(ProjectDir)inc') and !('$(Configuration)' == 'Free' or '$(Platform)' != 'ARM64')">
    <Inc>inc</Inc>
  </PropertyGroup>
  <ItemDefinitionGroup>
    <ClCompile><AdditionalIncludeDirectories>$(Inc);$(SolutionDir)shared</AdditionalIncludeDirectories></ClCompile>
  </ItemDefinitionGroup>
  <ItemGroup>
    <ClCompile Include="*.c" Exclude="skip.c" />
    <ClCompile Include="gone.c" />
    <ClCompile Include="x.c" Condition="'$(Configuration)'=='Free'" />
  </ItemGroup>
</Project>`;
  const files = memoryFiles({
    '/r/sol.sln': '', '/r/shared/s.h': '', '/r/drv/d.vcxproj': proj, '/r/drv/inc/i.h': '',
    '/r/drv/b.c': '', '/r/drv/a.c': '', '/r/drv/skip.c': '', '/r/drv/x.c': '',
  });
  const p = readVcxproj('/r/drv/d.vcxproj', files);
  assert.equal(p.source.kind === 'vcxproj' && p.source.configuration, 'Checked|ARM64');
  assert.equal(p.name, 'd');
  assert.deepEqual(p.units, ['/r/drv/a.c', '/r/drv/b.c', '/r/drv/x.c'], 'wildcards expand in name order; Exclude and false conditions drop files');
  assert.deepEqual(p.includeDirs, ['/r/drv/inc', '/r/shared'], '$(SolutionDir) is the folder of the nearest .sln above');
  assert.deepEqual(p.notes.map((n) => [n.severity, n.message]), [
    ['note', 'gone.c is listed in d.vcxproj but not found (looked for /r/drv/gone.c); the other files are still used'],
  ]);
});

test('the configuration being built is fixed: a project\'s own <Configuration> property does not change it', () => {
  // Old WDK templates leave <Configuration>Win8 Debug</Configuration> in their Globals group;
  // MSBuild keeps the configuration it was asked to build, and so must the conditions below.
  const proj = `<Project xmlns="http://schemas.microsoft.com/developer/msbuild/2003">
  <ItemGroup Label="ProjectConfigurations">
    <ProjectConfiguration Include="Debug|Win32"><Configuration>Debug</Configuration><Platform>Win32</Platform></ProjectConfiguration>
    <ProjectConfiguration Include="Debug|x64"><Configuration>Debug</Configuration><Platform>x64</Platform></ProjectConfiguration>
  </ItemGroup>
  <PropertyGroup Label="Globals">
    <Configuration>Win8 Debug</Configuration>
    <Platform Condition="'$(Platform)' == ''">Win32</Platform>
  </PropertyGroup>
  <ItemDefinitionGroup>
    <ClCompile>
      <AdditionalIncludeDirectories Condition="'$(Configuration)|$(Platform)'=='Debug|Win32'">inc32</AdditionalIncludeDirectories>
    </ClCompile>
    <ClCompile>
      <AdditionalIncludeDirectories Condition="'$(Configuration)|$(Platform)'=='Debug|x64'">inc64</AdditionalIncludeDirectories>
      <PreprocessorDefinitions Condition="'$(Configuration)'=='Debug'">DBG=1</PreprocessorDefinitions>
    </ClCompile>
  </ItemDefinitionGroup>
  <ItemGroup><ClCompile Include="a.c" /></ItemGroup>
</Project>`;
  const files = memoryFiles({ '/p/d.vcxproj': proj, '/p/a.c': '', '/p/inc32/x.h': '', '/p/inc64/x.h': '' });
  const p = readVcxproj('/p/d.vcxproj', files);
  assert.equal(p.source.kind === 'vcxproj' && p.source.configuration, 'Debug|x64');
  assert.deepEqual(p.includeDirs, ['/p/inc64']);
  assert.deepEqual([...p.defines], [['DBG', '1']]);
});

test('a project file that is not XML, or not MSBuild, is an error at its line', () => {
  const files = memoryFiles({ '/p/bad.vcxproj': '<Project>\n  <ItemGroup>\n</Project>\n', '/p/other.vcxproj': '<html/>' });
  const bad = readVcxproj('/p/bad.vcxproj', files);
  assert.equal(bad.notes.length, 1);
  assert.equal(bad.notes[0].severity, 'error');
  assert.equal(bad.notes[0].line, 3);
  assert.match(bad.notes[0].message, /^bad\.vcxproj is not valid XML: /);
  assert.deepEqual(readVcxproj('/p/other.vcxproj', files).notes.map((n) => n.message), ['other.vcxproj is not an MSBuild project (its root element is <html>, not <Project>)']);
  assert.deepEqual(loadProject(files, { kind: 'vcxproj', path: '/p/none.vcxproj' }).notes.map((n) => [n.severity, n.message]), [['error', 'project file /p/none.vcxproj not found']]);
});

test('a folder is every .c in it; a file list is named after the file that defines DriverEntry', () => {
  const files = memoryFiles({
    '/w/flt/z.c': 'int z;', '/w/flt/a.c': 'int a;', '/w/flt/a.h': '', '/w/flt/sub/s.c': '',
    '/w/lib.c': 'void Helper(void) {}\n', '/w/entry.c': 'NTSTATUS\nDriverEntry(PDRIVER_OBJECT D, PUNICODE_STRING R)\n{\n  return 0;\n}\n',
  });
  const folder = loadProject(files, { kind: 'folder', path: '/w/FLT' });
  assert.deepEqual([folder.name, folder.units], ['flt', ['/w/flt/a.c', '/w/flt/z.c']], 'a folder found without case; subfolders are not part of it');
  const list = loadProject(files, { kind: 'files', paths: ['/w/lib.c', '/w/Entry.C'] });
  assert.deepEqual([list.name, list.units], ['entry', ['/w/lib.c', '/w/entry.c']]);
  assert.deepEqual(loadProject(files, { kind: 'folder', path: '/w/none' }).notes.map((n) => n.message), ['folder /w/none not found']);
});

test('a property that could not be resolved is noted only where a value fltsim uses refers to it', () => {
  const proj = `<Project>
  <PropertyGroup>
    <OutDir>$(IntDir)</OutDir>
    <KitInc>$(WDK_ROOT)\\inc;local</KitInc>
  </PropertyGroup>
  <ItemDefinitionGroup><ClCompile><AdditionalIncludeDirectories>$(KitInc)</AdditionalIncludeDirectories></ClCompile></ItemDefinitionGroup>
  <ItemGroup><ClCompile Include="a.c" /></ItemGroup>
</Project>`;
  const p = readVcxproj('/q/d.vcxproj', memoryFiles({ '/q/d.vcxproj': proj, '/q/a.c': '', '/q/local/x.h': '' }));
  assert.deepEqual(p.includeDirs, ['/q/local']);
  assert.deepEqual(p.notes.map((n) => n.message).filter((m) => m.includes('dropped')), ['$(WDK_ROOT) is dropped: fltsim cannot resolve it outside Visual Studio']);
});

test('C++ items are the project\'s C++ sources: kept for the linter, not among the C units', () => {
  const files = memoryFiles({
    '/p/drv.vcxproj': `<Project><ItemGroup><ClCompile Include="main.c" /><ClCompile Include="filter.cpp" /><ClCompile Include="util.cxx" /><ClCompile Include="res.rc" /></ItemGroup></Project>`,
    '/p/main.c': '#include <fltKernel.h>\n',
    '/p/filter.cpp': '#include <fltKernel.h>\n',
    '/p/util.cxx': '\n',
  });
  const p = readVcxproj('/p/drv.vcxproj', files);
  assert.deepEqual(p.units, ['/p/main.c']);
  assert.deepEqual(p.cppUnits, ['/p/filter.cpp', '/p/util.cxx']);
  assert.deepEqual(p.notes.map((n) => n.message).filter((m) => m.startsWith('res.rc')), ['res.rc is not a C or C++ file; fltsim reads .c, .cpp, .cc and .cxx files only']);
});

test('a folder of C++ files with one DriverEntry is one driver; a .cpp file finds its project', () => {
  const files = memoryFiles({
    '/r/cpp/driver.cpp': '#include <fltKernel.h>\nextern "C" NTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r) { return 0; }\n',
    '/r/cpp/ops.cpp': '#include <fltKernel.h>\n',
  });
  const found = discoverProjects(files, '/r');
  assert.deepEqual(found.projects.map((p) => [p.name, p.units, p.cppUnits]), [['cpp', [], ['/r/cpp/driver.cpp', '/r/cpp/ops.cpp']]]);
  assert.deepEqual(projectOfFile(files, '/r/cpp/ops.cpp')?.cppUnits, ['/r/cpp/driver.cpp', '/r/cpp/ops.cpp']);
});

test('an include directory that does not exist is noted at the line of the element that names it, also when a property spelled it', () => {
  const proj = [
    '<Project xmlns="http://schemas.microsoft.com/developer/msbuild/2003">',
    '  <PropertyGroup><Shared>$(ProjectDir)..\\shared</Shared></PropertyGroup>',
    '  <ItemDefinitionGroup>',
    '    <ClCompile>',
    '      <PreprocessorDefinitions>OK=1;1BAD</PreprocessorDefinitions>',
    '      <AdditionalIncludeDirectories>inc;$(Shared);missing</AdditionalIncludeDirectories>',
    '    </ClCompile>',
    '  </ItemDefinitionGroup>',
    '  <ItemGroup><ClCompile Include="d.c" /></ItemGroup>',
    '</Project>',
  ].join('\n');
  const p = readVcxproj('/r/drv/d.vcxproj', memoryFiles({ '/r/drv/d.vcxproj': proj, '/r/drv/d.c': '', '/r/drv/inc/i.h': '' }));
  assert.deepEqual(p.includeDirs, ['/r/drv/inc']);
  assert.deepEqual(p.notes.map((n) => [n.line, n.message]), [
    [1, 'd.vcxproj lists no ProjectConfiguration; conditions on the configuration will not match'],
    [6, "include directory '/r/drv/..\\shared' does not exist (looked for /r/shared)"],
    [6, "include directory 'missing' does not exist (looked for /r/drv/missing)"],
    [5, "preprocessor definition '1BAD' is not NAME or NAME=value; skipped"],
  ]);
});

test('IncludePath (VC++ Directories) adds include folders; an absolute folder from the author\'s machine whose end is the project\'s folder is used as it', () => {
  const proj = `<Project xmlns="http://schemas.microsoft.com/developer/msbuild/2003">
  <ItemGroup Label="ProjectConfigurations">
    <ProjectConfiguration Include="Debug|x64"><Configuration>Debug</Configuration><Platform>x64</Platform></ProjectConfiguration>
  </ItemGroup>
  <PropertyGroup Condition="'$(Configuration)|$(Platform)'=='Debug|x64'">
    <IncludePath>$(IncludePath);C:\\Users\\someone\\Desktop\\Filt\\Filt;D:\\src\\Filt\\Filt\\pub;E:\\wdk\\km</IncludePath>
  </PropertyGroup>
  <ItemGroup><ClCompile Include="main.c" /></ItemGroup>
</Project>`;
  const files = memoryFiles({ '/w/Filt/Filt/f.vcxproj': proj, '/w/Filt/Filt/main.c': '', '/w/Filt/Filt/main.h': '', '/w/Filt/Filt/pub/p.h': '' });
  const p = readVcxproj('/w/Filt/Filt/f.vcxproj', files);
  assert.deepEqual(p.includeDirs, ['/w/Filt/Filt', '/w/Filt/Filt/pub']);
  const messages = p.notes.map((n) => n.message);
  assert.ok(messages.includes("include directory 'C:\\Users\\someone\\Desktop\\Filt\\Filt' is a folder on the author's machine; its end matches /w/Filt/Filt, which is used"), messages.join('\n'));
  // A folder whose names match nothing here is still reported as missing.
  assert.ok(messages.some((m) => m.startsWith("include directory 'E:\\wdk\\km' does not exist")), messages.join('\n'));
});

test('string property functions derive names ($(ProjectName.Substring(0, $(ProjectName.LastIndexOf(".")))) for a project named x.sys); one fltsim cannot evaluate is dropped with a note', () => {
  const proj = `<Project xmlns="http://schemas.microsoft.com/developer/msbuild/2003">
  <ItemGroup Label="ProjectConfigurations">
    <ProjectConfiguration Include="Debug|x64"><Configuration>Debug</Configuration><Platform>x64</Platform></ProjectConfiguration>
  </ItemGroup>
  <PropertyGroup>
    <TargetName>$(ProjectName.substring(0, $(ProjectName.LastIndexOf("."))))</TargetName>
    <Upper>$(TargetName.Replace('drv', 'DRV').ToUpper())-$(TargetName.Length)</Upper>
  </PropertyGroup>
  <ItemDefinitionGroup>
    <ClCompile><PreprocessorDefinitions>DRIVER_NAME="$(TargetName).sys";UPPER=$(Upper);ODD=$(TargetName.Frobnicate())</PreprocessorDefinitions></ClCompile>
  </ItemDefinitionGroup>
  <ItemGroup><ClCompile Include="main.c" /></ItemGroup>
</Project>`;
  const files = memoryFiles({ '/w/p/mydrv.sys.vcxproj': proj, '/w/p/main.c': '' });
  const p = readVcxproj('/w/p/mydrv.sys.vcxproj', files);
  assert.deepEqual([...p.defines], [['DRIVER_NAME', '"mydrv.sys"'], ['UPPER', 'MYDRV-5'], ['ODD', '']]);
  assert.ok(p.notes.some((n) => n.message.includes('$(TargetName.Frobnicate())')), p.notes.map((n) => n.message).join('\n'));
});

test('a WDK 8.1 template project without Debug|x64 is read as its first 64-bit debug configuration, not its first (Win32) one', () => {
  const proj = (configs: string[]) => `<Project xmlns="http://schemas.microsoft.com/developer/msbuild/2003">
  <ItemGroup Label="ProjectConfigurations">
${configs.map((c) => `    <ProjectConfiguration Include="${c}"><Configuration>${c.split('|')[0]}</Configuration><Platform>${c.split('|')[1]}</Platform></ProjectConfiguration>`).join('\n')}
  </ItemGroup>
  <ItemDefinitionGroup Condition="'$(Configuration)|$(Platform)'=='Win8.1 Debug|Win32'"><ClCompile><PreprocessorDefinitions>X86_BUILD</PreprocessorDefinitions></ClCompile></ItemDefinitionGroup>
  <ItemDefinitionGroup Condition="'$(Configuration)|$(Platform)'=='Win8.1 Debug|x64'"><ClCompile><PreprocessorDefinitions>X64_DEBUG</PreprocessorDefinitions></ClCompile></ItemDefinitionGroup>
  <ItemGroup><ClCompile Include="main.c" /></ItemGroup>
</Project>`;
  const read = (configs: string[]) => {
    const files = memoryFiles({ '/p/f.vcxproj': proj(configs), '/p/main.c': '' });
    return readVcxproj('/p/f.vcxproj', files);
  };
  const wdk = read(['Win8.1 Debug|Win32', 'Win8.1 Release|Win32', 'Win8.1 Release|x64', 'Win8.1 Debug|x64']);
  assert.deepEqual(wdk.source, { kind: 'vcxproj', file: '/p/f.vcxproj', configuration: 'Win8.1 Debug|x64' });
  assert.deepEqual([...wdk.defines.keys()], ['X64_DEBUG']);
  assert.equal((read(['Release|Win32', 'Release|x64']).source as { configuration: string }).configuration, 'Release|x64', 'no debug one: the first x64 one');
  assert.equal((read(['Debug|Win32', 'Release|Win32']).source as { configuration: string }).configuration, 'Debug|Win32', 'no x64 one: the first listed');
});

test('an item whose folder comes from a property fltsim cannot resolve is the one file of its name below the project; with none or several, the note says why it is missing', () => {
  const proj = (include: string) => `<Project xmlns="http://schemas.microsoft.com/developer/msbuild/2003">
  <PropertyGroup><SrcDir>$([System.IO.Path]::Combine($(MSBuildThisFileDirectory), 'src'))</SrcDir></PropertyGroup>
  <PropertyGroup Label="Configuration"><ConfigurationType>Driver</ConfigurationType></PropertyGroup>
  <ItemGroup><ClCompile Include="${include}" /></ItemGroup>
</Project>\n`;
  const one = readVcxproj('/p/d.vcxproj', memoryFiles({ '/p/d.vcxproj': proj('$(SrcDir)\\Filter.c'), '/p/src/filter.c': '', '/p/src/other.c': '' }));
  assert.deepEqual(one.units, ['/p/src/filter.c']);
  assert.ok(one.notes.some((n) => n.line === 4 && n.message === "$(SrcDir)\\Filter.c holds a property fltsim cannot resolve; using /p/src/filter.c, the one file of that name below the project's folder"), JSON.stringify(one.notes));
  const two = readVcxproj('/p/d.vcxproj', memoryFiles({ '/p/d.vcxproj': proj('$(SrcDir)\\filter.c'), '/p/src/filter.c': '', '/p/old/filter.c': '' }));
  assert.deepEqual(two.units, []);
  assert.ok(two.notes.some((n) => /^\\filter\.c is listed in d\.vcxproj but not found \(looked for \/filter\.c\); the other files are still used — \$\(SrcDir\)\\filter\.c holds a property fltsim cannot resolve, and no single file of that name is below the project's folder$/.test(n.message)), JSON.stringify(two.notes));
  // A path that expanded fully is never guessed at.
  const plain = readVcxproj('/p/d.vcxproj', memoryFiles({ '/p/d.vcxproj': proj('lost\\filter.c'), '/p/src/filter.c': '' }));
  assert.deepEqual(plain.units, []);
});

test('Directory.Build.props, the nearest at or above the project, is imported with Microsoft.Cpp.Default.props: its include folders and definitions reach the compiler, and it may chain to its parent\'s', () => {
  const proj = `<Project>
  <ItemGroup><ProjectConfiguration Include="Debug|x64" /></ItemGroup>
  <Import Project="$(VCTargetsPath)\\Microsoft.Cpp.Default.props" />
  <Import Project="$(VCTargetsPath)\\Microsoft.Cpp.props" />
  <Import Project="local\\extra.props" />
  <ItemDefinitionGroup>
    <ClCompile>
      <AdditionalIncludeDirectories>%(AdditionalIncludeDirectories);$(ProjectDir)own</AdditionalIncludeDirectories>
      <PreprocessorDefinitions>OWN=1;%(PreprocessorDefinitions)</PreprocessorDefinitions>
    </ClCompile>
  </ItemDefinitionGroup>
  <ItemGroup><ClCompile Include="d.c" /></ItemGroup>
</Project>`;
  // The driver folder's props chains to the root's, as large repositories do.
  const inner = `<Project>
  <Import Project="$([MSBuild]::GetPathOfFileAbove('Directory.Build.props', '$(MSBuildThisFileDirectory)../'))" />
  <Import Project="$(RepoRoot)common.props" />
</Project>`;
  const outer = `<Project><PropertyGroup><RepoRoot>$(MSBuildThisFileDirectory)</RepoRoot></PropertyGroup></Project>`;
  const common = `<Project>
  <ItemDefinitionGroup>
    <ClCompile>
      <AdditionalIncludeDirectories>$(RepoRoot)kinclude;$(ProjectDir)include</AdditionalIncludeDirectories>
      <PreprocessorDefinitions>FROM_PROPS=2;%(PreprocessorDefinitions)</PreprocessorDefinitions>
    </ClCompile>
  </ItemDefinitionGroup>
</Project>`;
  const files = memoryFiles({
    '/r/Directory.Build.props': outer, '/r/common.props': common, '/r/kinclude/k.h': '',
    '/r/drv/Directory.Build.props': inner, '/r/drv/d.vcxproj': proj, '/r/drv/d.c': '',
    '/r/drv/include/i.h': '', '/r/drv/own/o.h': '',
  });
  const p = readVcxproj('/r/drv/d.vcxproj', files);
  assert.deepEqual(p.includeDirs, ['/r/kinclude', '/r/drv/include', '/r/drv/own'], 'the props file\'s folders come first, then the project\'s own');
  assert.deepEqual([...p.defines], [['OWN', '1'], ['FROM_PROPS', '2']]);
  assert.deepEqual(p.notes.map((n) => [n.file, n.line, n.message]), [
    ['/r/drv/d.vcxproj', 5, 'imports local\\extra.props, which is not here (looked for /r/drv/local/extra.props): the include folders and definitions it gives are missing'],
    // The first definition inherits what Microsoft's own props give: noted where that file says so.
    ['/r/common.props', 5, '%(PreprocessorDefinitions) is dropped: the value inherited from the imported MSBuild files is not known to fltsim'],
  ], 'a missing local import is noted at its line; the toolchain\'s own imports are not');

  // ImportDirectoryBuildProps=false turns the automatic import off, as in MSBuild.
  const off = proj.replace('<Import Project="$(VCTargetsPath)\\Microsoft.Cpp.Default.props" />', '<PropertyGroup><ImportDirectoryBuildProps>false</ImportDirectoryBuildProps></PropertyGroup>\n  <Import Project="$(VCTargetsPath)\\Microsoft.Cpp.Default.props" />');
  const q = readVcxproj('/r/drv/d.vcxproj', memoryFiles({ '/r/drv/Directory.Build.props': inner, '/r/drv/d.vcxproj': off, '/r/drv/d.c': '', '/r/drv/own/o.h': '' }));
  assert.deepEqual(q.includeDirs, ['/r/drv/own']);
});

test('without a .sln above the project (not committed), $(SolutionDir) is the project\'s parent folder, where Visual Studio puts a new solution, and a note says so', () => {
  const proj = `<Project>
  <ItemGroup><ProjectConfiguration Include="Debug|x64" /></ItemGroup>
  <ItemDefinitionGroup>
    <ClCompile><AdditionalIncludeDirectories>$(SolutionDir)shared;%(AdditionalIncludeDirectories)</AdditionalIncludeDirectories></ClCompile>
  </ItemDefinitionGroup>
  <ItemGroup><ClCompile Include="f.c" /></ItemGroup>
</Project>`;
  const p = readVcxproj('/r/sol/drv/d.vcxproj', memoryFiles({ '/r/sol/drv/d.vcxproj': proj, '/r/sol/drv/f.c': '', '/r/sol/shared/proto.h': '' }));
  assert.deepEqual(p.includeDirs, ['/r/sol/shared']);
  assert.deepEqual(p.notes.map((n) => [n.line, n.message]), [
    [4, '$(SolutionDir) is taken as /r/sol/, the project\'s parent folder: no .sln is above the project, and a new Visual Studio solution puts its .sln there'],
    [4, '%(AdditionalIncludeDirectories) is dropped: the value inherited from the imported MSBuild files is not known to fltsim'],
  ]);
});
