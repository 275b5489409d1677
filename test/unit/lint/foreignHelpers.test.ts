// Facts about a helper defined in another file of the driver: one that only reads the name
// information it is given leaves the caller holding it; one that releases it takes it.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initLinter, lintText, ProjectLint, type LintResult } from '../../../engine';

before(() => initLinter());

const brief = (r: LintResult) => r.findings.map((f) => `${f.range.start.line + 1}:${f.range.start.column + 1} ${f.ruleId}`);

const HELPERS = `#include <fltKernel.h>
BOOLEAN IsTarget(PFLT_FILE_NAME_INFORMATION Info)
{
    return Info->Name.Length > 8 && Info->Name.Buffer[0] == L'\\\\';
}
VOID Forget(PFLT_FILE_NAME_INFORMATION Info)
{
    FltReleaseFileNameInformation(Info);
}
`;

const ops = (helper: string) => `#include <fltKernel.h>
BOOLEAN IsTarget(PFLT_FILE_NAME_INFORMATION Info);
VOID Forget(PFLT_FILE_NAME_INFORMATION Info);
FLT_PREOP_CALLBACK_STATUS PreCreate(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *Ctx)
{
    PFLT_FILE_NAME_INFORMATION Name;
    if (!NT_SUCCESS(FltGetFileNameInformation(Data, FLT_FILE_NAME_NORMALIZED, &Name))) return FLT_PREOP_SUCCESS_NO_CALLBACK;
    ${helper}(Name);
    return FLT_PREOP_SUCCESS_NO_CALLBACK;
}
CONST FLT_OPERATION_REGISTRATION Callbacks[] = { { IRP_MJ_CREATE, 0, PreCreate, NULL }, { IRP_MJ_OPERATION_END } };
`;

function lintOps(helper: string): string[] {
  const files: Record<string, string> = { '/d/helpers.c': HELPERS, '/d/ops.c': ops(helper) };
  const project = new ProjectLint({ read: (f) => files[f] }, ['/d/helpers.c', '/d/ops.c']);
  try {
    return brief(project.lint('/d/ops.c', files['/d/ops.c']));
  } finally {
    project.dispose();
  }
}

test('a helper in another file that only reads the name information: the caller still leaks it', () => {
  assert.deepEqual(lintOps('IsTarget'), ['7:21 name-info']);
});

test('a helper in another file that releases it: no leak', () => {
  assert.deepEqual(lintOps('Forget'), []);
});

test('alone, without the helper\'s file, the call counts as handing the reference on (no finding)', () => {
  assert.deepEqual(brief(lintText(ops('IsTarget'))), []);
});
