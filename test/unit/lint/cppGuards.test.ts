// C++ RAII guards: a local object whose destructor releases what its constructor was given.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initLinter, lintText, ProjectLint, type LintResult } from '../../../engine';

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

test('a guard whose destructor forgets the release guards nothing: the leak is still found', () => {
  const forgetful = GUARDED.replace('if (*m_info) FltReleaseFileNameInformation(*m_info);', 'm_info = nullptr;');
  assert.deepEqual(brief(lintText(forgetful, {}, 'cpp')), ['14:23 name-info']);
});

// The reference itself handed to the object (`CtxGuard guard(ctx);`, which tree-sitter reads as a
// function declaration), with the member stored by the initializer list or by the body.
const HOLDER = `class CtxGuard {
public:
    CtxGuard(PFLT_CONTEXT c) : m_ctx(c) {}
    ~CtxGuard() { if (m_ctx) FltReleaseContext(m_ctx); m_ctx = nullptr; }
private:
    PFLT_CONTEXT m_ctx;
};
`;
const USER = `FLT_PREOP_CALLBACK_STATUS PreWrite(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID* CompletionContext)
{
    PFLT_CONTEXT ctx = nullptr;
    NTSTATUS status = FltGetStreamContext(FltObjects->Instance, FltObjects->FileObject, &ctx);
    if (!NT_SUCCESS(status)) return FLT_PREOP_SUCCESS_NO_CALLBACK;
    CtxGuard guard(ctx);
    if (Data->Iopb->Parameters.Write.Length == 0) return FLT_PREOP_COMPLETE;
    return FLT_PREOP_SUCCESS_NO_CALLBACK;
}
`;

test('a reference handed to an object whose destructor releases it is released on every return', () => {
  const text = `#include <fltKernel.h>\n${HOLDER}\n${USER}`;
  assert.deepEqual(brief(lintText(text, {}, 'cpp')), []);
  const inBody = text.replace(': m_ctx(c) {}', '{ m_ctx = c; }');
  assert.deepEqual(brief(lintText(inBody, {}, 'cpp')), []);
  const forgetful = text.replace('if (m_ctx) FltReleaseContext(m_ctx); ', '');
  assert.deepEqual(brief(lintText(forgetful, {}, 'cpp')), ['13:23 ctx-ref-leak']);
  const otherMember = text.replace('FltReleaseContext(m_ctx)', 'FltReleaseContext(m_other)');
  assert.deepEqual(brief(lintText(otherMember, {}, 'cpp')), ['13:23 ctx-ref-leak']);
});

test('a guard class defined in an included project header is read from that header; editing its destructor changes the finding', () => {
  const files = new Map([
    ['/p/guard.h', `#pragma once\n#include <fltKernel.h>\n${HOLDER}`],
    ['/p/main.cpp', `#include <fltKernel.h>\n#include "guard.h"\n${USER}`],
  ]);
  const project = new ProjectLint({ read: (f) => files.get(f) }, ['/p/main.cpp']);
  try {
    assert.deepEqual(brief(project.lint('/p/main.cpp', files.get('/p/main.cpp')!)), []);
    files.set('/p/guard.h', files.get('/p/guard.h')!.replace('if (m_ctx) FltReleaseContext(m_ctx); ', ''));
    project.changed('/p/guard.h');
    assert.deepEqual(brief(project.lint('/p/main.cpp', files.get('/p/main.cpp')!)), ['6:23 ctx-ref-leak']);
  } finally {
    project.dispose();
  }
});
