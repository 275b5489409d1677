// The project's own statement macros are expanded before the path analysis (frontend/macros.ts).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initLinter, lintText, ProjectLint, type LintResult } from '../../../engine';

const brief = (r: LintResult) => r.findings.map((f) => `${f.range.start.line + 1}:${f.range.start.column + 1} ${f.ruleId}`);

before(() => initLinter());

// A start failure leaves the loop through a macro's `break`; the flag then stays FALSE and the
// filter is unregistered. Read as a plain call, the macro hid the break: a false reg-start-errors.
const BREAK_MACRO = `#include <fltKernel.h>
#define BREAK_ON_ERROR(s) if (!NT_SUCCESS(s)) { DbgPrint("failed %x", s); break; }
PFLT_FILTER gFilter;
extern const FLT_REGISTRATION gRegistration;

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    BOOLEAN started = FALSE;
    NTSTATUS status = FltRegisterFilter(DriverObject, &gRegistration, &gFilter);
    UNREFERENCED_PARAMETER(RegistryPath);
    if (!NT_SUCCESS(status)) return status;
    do {
        status = FltStartFiltering(gFilter);
        BREAK_ON_ERROR(status);
        started = TRUE;
    } while (FALSE);
    if (!started) FltUnregisterFilter(gFilter);
    return status;
}
`;

test('a break inside a statement macro of the file leaves the loop on that path', () => {
  assert.deepEqual(brief(lintText(BREAK_MACRO)), []);
  // The same code with the break written out in place of a do-nothing macro still finds the leak
  // when the unregister is missing (the expansion does not silence the rule).
  const leaky = BREAK_MACRO.replace('if (!started) FltUnregisterFilter(gFilter);', '');
  assert.deepEqual(brief(lintText(leaky)), ['13:18 reg-start-errors']);
});

// datashred's style: the status variable, the error exit and the labels all live in a header's macros.
const HEADER = `#pragma once
#define MY_STATUS __status
#define MY_SUCCESS NT_SUCCESS(MY_STATUS)
#define MY_ENTER() NTSTATUS MY_STATUS = STATUS_SUCCESS;
#define MY_LEAVE() goto __exit;
#define MY_CHECK() if (!MY_SUCCESS) goto __error;
#define MY_ERROR_HANDLER(block) \\
       goto __exit; \\
    __error: \\
       block \\
    __exit:
`;

const CALLBACK = `#include <fltKernel.h>
#include "mymacros.h"

FLT_PREOP_CALLBACK_STATUS PreSetInfo(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *CompletionContext)
{
    MY_ENTER();
    FLT_PREOP_CALLBACK_STATUS result = FLT_PREOP_SUCCESS_WITH_CALLBACK;
    PFLT_CONTEXT ctx = NULL;
    *CompletionContext = NULL;
    MY_STATUS = FltGetStreamContext(FltObjects->Instance, FltObjects->FileObject, &ctx);
    if (MY_STATUS == STATUS_NOT_FOUND)
        MY_LEAVE();
    MY_CHECK();
    *CompletionContext = ctx;
    MY_ERROR_HANDLER({
        Data->IoStatus.Status = MY_STATUS;
        result = FLT_PREOP_COMPLETE;
    });
    return result;
}

FLT_POSTOP_CALLBACK_STATUS PostSetInfo(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID CompletionContext, FLT_POST_OPERATION_FLAGS Flags)
{
    FltReleaseContext(CompletionContext);
    return FLT_POSTOP_FINISHED_PROCESSING;
}

CONST FLT_OPERATION_REGISTRATION Callbacks[] = {
    { IRP_MJ_SET_INFORMATION, 0, PreSetInfo, PostSetInfo },
    { IRP_MJ_OPERATION_END }
};
`;

test("a header's jumping macros and its status alias give the paths a compiler sees", () => {
  const dir = '/virtual/macros';
  const texts = new Map([[`${dir}/callback.c`, CALLBACK], [`${dir}/mymacros.h`, HEADER]]);
  const project = new ProjectLint({ read: (f) => texts.get(f) }, [`${dir}/callback.c`]);
  try {
    // The error exit (FLT_PREOP_COMPLETE) is reached only before the context is handed over.
    assert.deepEqual(brief(project.lint(`${dir}/callback.c`, CALLBACK)), []);
    // Without the header the macros are opaque calls: the error block seems to follow the hand-over.
    const alone = brief(lintText(CALLBACK));
    assert.ok(alone.includes('14:5 preop-ctx-nonnull'), alone.join(', '));
    // An edit to the header is seen once the project is told about it: an error handler that no
    // longer jumps over its block is entered after the hand-over too.
    texts.set(`${dir}/mymacros.h`, HEADER.replace('       goto __exit; \\\n', ''));
    project.changed(`${dir}/mymacros.h`);
    assert.deepEqual(brief(project.lint(`${dir}/callback.c`, CALLBACK)), ['14:5 preop-ctx-nonnull']);
  } finally {
    project.dispose();
  }
});

test('a macro the file defines below a function does not change that function (a wrapper that redirects a routine)', () => {
  const text = `#include <fltKernel.h>
_IRQL_requires_max_(APC_LEVEL)
NTSTATUS MyReference(HANDLE Handle, ACCESS_MASK Access, POBJECT_TYPE Type, KPROCESSOR_MODE Mode, PVOID *Object, POBJECT_HANDLE_INFORMATION Info)
{
    return ObReferenceObjectByHandle(Handle, Access, Type, Mode, Object, Info);
}
#define ObReferenceObjectByHandle MyReference
`;
  assert.deepEqual(brief(lintText(text)), ['5:12 irql-above-bound']);
});
