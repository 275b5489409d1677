// C++ RAII guards: a local object built with a variable's address releases what it holds.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initLinter, lintText, type LintResult } from '../../../engine';

const brief = (r: LintResult) => r.findings.map((f) => `${f.range.start.line + 1}:${f.range.start.column + 1} ${f.ruleId}`);

before(() => initLinter());

const GUARDED = `#include <fltKernel.h>
class NameGuard {
public:
    explicit NameGuard(PFLT_FILE_NAME_INFORMATION* info) : m_info(info) {}
    ~NameGuard() { if (*m_info) FltReleaseFileNameInformation(*m_info); }
private:
    PFLT_FILE_NAME_INFORMATION* m_info;
};

FLT_PREOP_CALLBACK_STATUS PreCreate(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID* CompletionContext)
{
    PFLT_FILE_NAME_INFORMATION nameInfo = nullptr;
    NameGuard guard(&nameInfo);
    NTSTATUS status = FltGetFileNameInformation(Data, FLT_FILE_NAME_NORMALIZED | FLT_FILE_NAME_QUERY_DEFAULT, &nameInfo);
    if (!NT_SUCCESS(status)) return FLT_PREOP_SUCCESS_NO_CALLBACK;
    if (nameInfo->Name.Length == 0) return FLT_PREOP_COMPLETE;
    return FLT_PREOP_SUCCESS_NO_CALLBACK;
}
`;

test('a name held by a guard object is released at every return; without the guard the leak is found', () => {
  assert.deepEqual(brief(lintText(GUARDED, {}, 'cpp')), []);
  assert.deepEqual(brief(lintText(GUARDED.replace('    NameGuard guard(&nameInfo);\n', ''), {}, 'cpp')), ['13:23 name-info']);
});
