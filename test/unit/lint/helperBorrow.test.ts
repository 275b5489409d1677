// A helper of the file that only reads through a name it is given does not take the reference.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initLinter, lintText, type LintResult } from '../../../engine';

const brief = (r: LintResult) => r.findings.map((f) => `${f.range.start.line + 1}:${f.range.start.column + 1} ${f.ruleId}`);

before(() => initLinter());

const DRIVER = `#include <fltKernel.h>
BOOLEAN IsProtected(PFLT_FILE_NAME_INFORMATION Info)
{
    return Info->Extension.Length == 8;
}

FLT_PREOP_CALLBACK_STATUS PreSetInfo(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *CompletionContext)
{
    PFLT_FILE_NAME_INFORMATION info = NULL;
    NTSTATUS status = FltGetFileNameInformation(Data, FLT_FILE_NAME_NORMALIZED | FLT_FILE_NAME_QUERY_DEFAULT, &info);
    if (!NT_SUCCESS(status)) return FLT_PREOP_SUCCESS_NO_CALLBACK;
    if (IsProtected(info)) {
        Data->IoStatus.Status = STATUS_ACCESS_DENIED;
        return FLT_PREOP_COMPLETE;
    }
    FltReleaseFileNameInformation(info);
    return FLT_PREOP_SUCCESS_NO_CALLBACK;
}
`;

test('a name passed to a helper that only reads it is still held: the early return leaks it', () => {
  assert.deepEqual(brief(lintText(DRIVER)), ['10:23 name-info']);
  // A helper that keeps the pointer (stores it) takes it over: no finding.
  const keeps = DRIVER.replace('    return Info->Extension.Length == 8;', '    gLast = Info;\n    return TRUE;').replace('BOOLEAN IsProtected', 'PFLT_FILE_NAME_INFORMATION gLast;\nBOOLEAN IsProtected');
  assert.deepEqual(brief(lintText(keeps)), []);
});
