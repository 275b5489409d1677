// A project header named like a C library one is what MSVC opens for #include <…>: the include
// directories come before its own. datashred's src/memory.h is its allocator, and its src/string.h
// reaches every file through the WDK headers' own <string.h>.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oneDriver } from '../worldRun';
import { prepareScenarioText } from '../../../engine/run/prepare';
import { runScenario } from '../../../engine/run/runScenario';
import type { ProjectFiles } from '../../../engine/files';
import { memoryFiles } from '../files/memoryFiles';

function project(files: Record<string, string>): ProjectFiles {
  return memoryFiles(files, 'posix');
}

const VCXPROJ = `<?xml version="1.0" encoding="utf-8"?>
<Project DefaultTargets="Build" ToolsVersion="15.0" xmlns="http://schemas.microsoft.com/developer/msbuild/2003">
  <ItemGroup Label="ProjectConfigurations">
    <ProjectConfiguration Include="Debug|x64"><Configuration>Debug</Configuration><Platform>x64</Platform></ProjectConfiguration>
  </ItemGroup>
  <ItemDefinitionGroup Condition="'$(Configuration)|$(Platform)'=='Debug|x64'">
    <ClCompile><AdditionalIncludeDirectories>$(ProjectDir)src;%(AdditionalIncludeDirectories)</AdditionalIncludeDirectories></ClCompile>
  </ItemDefinitionGroup>
  <ItemGroup><ClCompile Include="src\\driver.c" /><ClCompile Include="src\\memory.c" /></ItemGroup>
</Project>
`;

const DRIVER_C = `#include "driver.h"
#include <memory.h>
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING empty = EmptyUnicodeString;
    PVOID p = DsAlloc(16);
    DbgPrint("%d %d", empty.Length, p != NULL);
    ExFreePoolWithTag(p, 'sD');
    UNREFERENCED_PARAMETER(DriverObject);
    UNREFERENCED_PARAMETER(RegistryPath);
    return STATUS_SUCCESS;
}
`;

test("<memory.h> opens the project's memory.h and <fltKernel.h> brings the project's string.h, with a warning saying why", async () => {
  const files = project({
    '/p/d.vcxproj': VCXPROJ,
    '/p/src/driver.h': '#pragma once\n#include <fltKernel.h>\n',
    '/p/src/string.h': '#pragma once\n#include "driver.h"\n#define EmptyUnicodeString { 0, 0, NULL }\n',
    '/p/src/memory.h': '#pragma once\n#include <ntdef.h>\nPVOID DsAlloc(SIZE_T Size);\n',
    '/p/src/memory.c': "#include \"driver.h\"\n#include <memory.h>\nPVOID DsAlloc(SIZE_T Size) { return ExAllocatePoolWithTag(NonPagedPoolNx, Size, 'sD'); }\n",
    '/p/src/driver.c': DRIVER_C,
  });
  const prepared = await prepareScenarioText('/p/s.fltsim', 'driver "d.vcxproj"\n', files);
  assert.ok(prepared.ok, prepared.ok ? '' : prepared.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`).join('\n'));
  const warnings = prepared.prepared.warnings.filter((w) => /string\.h/.test(w.message));
  assert.ok(warnings.length >= 1, prepared.prepared.warnings.map((w) => w.message).join('\n'));
  assert.match(warnings[0]!.message, /^<fltKernel\.h> includes <string\.h>, and the project's include directory \/p\/src has a string\.h/);
  const { report } = runScenario(prepared.prepared, { label: 's.fltsim' });
  assert.equal(report.error, null);
  assert.deepEqual(report.output, ['0 1']);
});

test('a string.h beside the driver but outside the include directories is not taken by <fltKernel.h>', async () => {
  const files = oneDriver('d.c', '#include <fltKernel.h>\n#ifdef EmptyUnicodeString\n#error taken\n#endif\nNTSTATUS DriverEntry(PDRIVER_OBJECT D, PUNICODE_STRING R) { return STATUS_SUCCESS; }\n');
  const inner = files.readFile.bind(files);
  const withString: ProjectFiles = { ...files, readFile: (p) => (p === '/t/string.h' ? '#define EmptyUnicodeString { 0 }\n' : inner(p)) };
  const prepared = await prepareScenarioText('/t/s.fltsim', 'driver "d.c"\n', withString);
  assert.ok(prepared.ok, prepared.ok ? '' : prepared.diagnostics.map((d) => d.message).join('\n'));
  assert.deepEqual(prepared.prepared.warnings.filter((w) => /string\.h/.test(w.message)), []);
});
