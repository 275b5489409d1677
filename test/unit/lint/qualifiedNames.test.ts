// C++ methods that share a name in different classes or namespaces are each analysed, with the
// roles their own registration rows give them.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initLinter, lintText, ProjectLint, type LintResult } from '../../../engine';

before(() => initLinter());

const brief = (r: LintResult) => r.findings.map((f) => `${f.range.start.line + 1}:${f.range.start.column + 1} ${f.ruleId}`);

const PRE = `FLT_PREOP_CALLBACK_STATUS Pre::OnCreate(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *Ctx)
{
    return FLT_PREOP_SUCCESS_WITH_CALLBACK;
}`;
const POST = `FLT_POSTOP_CALLBACK_STATUS Post::OnCreate(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID Ctx, FLT_POST_OPERATION_FLAGS Flags)
{
    PFLT_FILE_NAME_INFORMATION Info;
    if (!NT_SUCCESS(FltGetFileNameInformation(Data, FLT_FILE_NAME_NORMALIZED, &Info))) return FLT_POSTOP_FINISHED_PROCESSING;
    return FLT_POSTOP_FINISHED_PROCESSING;
}`;
const DECLS = `namespace Pre { FLT_PREOP_CALLBACK_STATUS OnCreate(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *Ctx); }
namespace Post { FLT_POSTOP_CALLBACK_STATUS OnCreate(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID Ctx, FLT_POST_OPERATION_FLAGS Flags); }`;
const TABLE = `const FLT_OPERATION_REGISTRATION Callbacks[] = {
    { IRP_MJ_CREATE, 0, Pre::OnCreate, Post::OnCreate },
    { IRP_MJ_OPERATION_END }
};`;

test('Pre::OnCreate and Post::OnCreate in one file: the second is analysed as the post-operation callback, not skipped', () => {
  const text = ['#include <fltKernel.h>', DECLS, PRE, POST, TABLE, ''].join('\n');
  const r = lintText(text, {}, 'cpp');
  // Post::OnCreate starts on line 8; the name information it gets on line 11 is never released.
  assert.deepEqual(brief(r), ['11:21 name-info']);
  assert.deepEqual(r.notes ?? [], [], 'no "defined again" note: they are different functions');
});

test('the same definitions in their own file get their roles from a registration table in another file', () => {
  const files: Record<string, string> = {
    '/p/reg.cpp': ['#include <fltKernel.h>', '#include "cb.h"', TABLE, ''].join('\n'),
    '/p/cb.h': ['#include <fltKernel.h>', DECLS, ''].join('\n'),
    '/p/cb.cpp': ['#include <fltKernel.h>', '#include "cb.h"', PRE, POST, ''].join('\n'),
  };
  const project = new ProjectLint({ read: (f) => files[f] }, ['/p/reg.cpp', '/p/cb.cpp']);
  try {
    assert.deepEqual(brief(project.lint('/p/cb.cpp', files['/p/cb.cpp'])), ['10:21 name-info']);
  } finally {
    project.dispose();
  }
});

test('a method unique by its last name still takes a role written with its class, and a call by its last name', () => {
  const text = ['#include <fltKernel.h>', 'namespace Post { FLT_POSTOP_CALLBACK_STATUS OnCreate(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID Ctx, FLT_POST_OPERATION_FLAGS Flags); }',
    POST, 'const FLT_OPERATION_REGISTRATION Callbacks[] = {', '    { IRP_MJ_CREATE, 0, NULL, Post::OnCreate },', '    { IRP_MJ_OPERATION_END }', '};', ''].join('\n');
  assert.deepEqual(brief(lintText(text, {}, 'cpp')), ['6:21 name-info']);
});

test('static methods defined in their class bodies, registered as &Class::Method: the row picks its class', () => {
  const cls = (name: string, status: string) => [`class ${name} {`, 'public:',
    '    static FLT_PREOP_CALLBACK_STATUS PreOp(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *Ctx)', `    { return ${status}; }`,
    '    static FLT_POSTOP_CALLBACK_STATUS PostOp(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID Ctx, FLT_POST_OPERATION_FLAGS Flags)', '    { return FLT_POSTOP_FINISHED_PROCESSING; }', '};'];
  const table = (name: string) => ['const FLT_OPERATION_REGISTRATION Callbacks[] = {', `    { IRP_MJ_CREATE, 0, &${name}::PreOp, &${name}::PostOp },`, '    { IRP_MJ_OPERATION_END }', '};', ''];
  // Syncing's PreOp (line 5) synchronizes; it matters only for the class the IRP_MJ_CREATE row names.
  const classes = ['#include <fltKernel.h>', ...cls('Syncing', 'FLT_PREOP_SYNCHRONIZE'), ...cls('Passing', 'FLT_PREOP_SUCCESS_WITH_CALLBACK')];
  assert.deepEqual(brief(lintText([...classes, ...table('Syncing')].join('\n'), {}, 'cpp')), ['5:7 sync-on-create']);
  assert.deepEqual(brief(lintText([...classes, ...table('Passing')].join('\n'), {}, 'cpp')), []);
});

test('a function defined as `extern "C" TYPE Name(…) { … }` (no braces around the linkage) is analysed like any other', () => {
  const text = ['#include <fltKernel.h>',
    'extern "C" FLT_POSTOP_CALLBACK_STATUS OnCreate(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID Ctx, FLT_POST_OPERATION_FLAGS Flags)',
    '{',
    '    PFLT_FILE_NAME_INFORMATION Info;',
    '    if (!NT_SUCCESS(FltGetFileNameInformation(Data, FLT_FILE_NAME_NORMALIZED, &Info))) return FLT_POSTOP_FINISHED_PROCESSING;',
    '    return FLT_POSTOP_FINISHED_PROCESSING;',
    '}',
    'const FLT_OPERATION_REGISTRATION Callbacks[] = {', '    { IRP_MJ_CREATE, 0, NULL, OnCreate },', '    { IRP_MJ_OPERATION_END }', '};', ''].join('\n');
  // Before, the linkage's body was walked as if it were a block, so OnCreate was never seen.
  assert.deepEqual(brief(lintText(text, {}, 'cpp')), ['5:21 name-info']);
});
