// The position-preserving rewrites that let tree-sitter-c read WDK sources.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { blankAnnotations } from '../../../engine/c/annotations';
import { createCParser } from '../../../engine/c/treeSitter';
import { prepareForLint, rewriteWdkSyntax } from '../../../engine/lint/frontend/prepare';
import { initLinter, lintText } from '../../../engine/lint';

before(async () => {
  await initLinter();
});

function sameShape(a: string, b: string): void {
  assert.equal(a.length, b.length);
  assert.deepEqual(a.split('\n').map((l) => l.length), b.split('\n').map((l) => l.length));
}

function parsesCleanly(text: string): boolean {
  const tree = createCParser().parse(text)!;
  const ok = !tree.rootNode.hasError;
  tree.delete();
  return ok;
}

test('SEH macros become the keywords tree-sitter knows, borrowing blanks around them', () => {
  const src = [
    'NTSTATUS F(VOID) {',
    '    try {',
    '        if (x) {',
    '            leave;',
    '        }',
    '    } finally {',
    '        Cleanup();',
    '    }',
    '    try {',
    '        Probe();',
    '    } except( EXCEPTION_EXECUTE_HANDLER ) {',
    '        return 1;',
    '    }',
    '    return 0;',
    '}',
  ].join('\n');
  const out = rewriteWdkSyntax(src);
  sameShape(out, src);
  assert.match(out, /^ {2}__try \{$/m);
  assert.match(out, /^ {10}__leave;$/m);
  assert.match(out, /^ {4}}__finally\{$/m);
  assert.match(out, /^ {3}}__except\( EXCEPTION_EXECUTE_HANDLER \) \{$/m);
  assert.ok(parsesCleanly(out), out);
  assert.ok(!parsesCleanly(src), 'the original does not parse (the rewrite is needed)');
});

test('words that only look like SEH macros are left alone', () => {
  const src = 'int try = 1; int leave = try + finally(except);\n';
  assert.equal(rewriteWdkSyntax(src), src);
});

test('loop macros read as while loops; other macro calls stay as they are', () => {
  const src = 'VOID F(VOID) {\n    LIST_FOR_EACH_SAFE(e, n, &Head) {\n        Visit(e);\n    }\n    UNREFERENCED_PARAMETER(e);\n}\n';
  const out = rewriteWdkSyntax(src);
  sameShape(out, src);
  assert.match(out, /^ {4}while {13}\(e, n, &Head\) \{$/m);
  assert.match(out, /UNREFERENCED_PARAMETER\(e\);/);
  assert.ok(parsesCleanly(out));
});

test('one branch of each conditional group is kept, as a build would', () => {
  const src = [
    '#ifdef __cplusplus',
    'extern "C" {',
    '#endif',
    '#if 0',
    'int dead;',
    '#elif VISTA',
    'int chosen;',
    '#else',
    'int other;',
    '#endif',
    'int always;',
  ].join('\n');
  const out = rewriteWdkSyntax(src);
  sameShape(out, src);
  assert.deepEqual(out.split('\n').map((l) => l.trim()).filter(Boolean), ['int chosen;', 'int always;']);
});

test('#ifdef on a name nothing defines takes the #else branch, unless the file has its own headers', () => {
  const src = [
    '#include <fltKernel.h>',
    '#ifndef MY_GUARD',
    '#define MY_GUARD',
    '#endif',
    '#ifdef MY_GUARD',
    'int guarded;',
    '#endif',
    '#ifdef FIXED',
    'int fixedPath;',
    '#else',
    'int buggyPath;',
    '#endif',
    '#ifdef DBG',
    'int debugOnly;',
    '#endif',
    '#ifdef NT_SUCCESS',
    'int fromPrelude;',
    '#endif',
  ].join('\n');
  const out = rewriteWdkSyntax(src);
  sameShape(out, src);
  const kept = (text: string) => text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  assert.deepEqual(kept(out), ['int guarded;', 'int buggyPath;', 'int debugOnly;', 'int fromPrelude;']);
  // A project header could define FIXED, so a one-file reading keeps the first branch as before.
  const withOwnHeader = rewriteWdkSyntax(src.replace('#include <fltKernel.h>', '#include "driver.h"'));
  assert.deepEqual(kept(withOwnHeader), ['int guarded;', 'int fixedPath;', 'int debugOnly;', 'int fromPrelude;']);
});

test('conditionals inside a block comment are not directives', () => {
  const src = '/*\n#if 0\n*/\nint kept;\n';
  assert.equal(rewriteWdkSyntax(src), src);
});

test('annotations are blanked exactly as blankAnnotations does it', () => {
  const src = [
    '_IRQL_requires_max_(APC_LEVEL)',
    'NTSTATUS FLTAPI',
    'F(_In_ PFLT_CALLBACK_DATA Data, _Out_opt_ PVOID *Ctx, IN ULONG OPTIONAL Flags)',
    '{ ctx->_Reserved_ = 0; CONST char *s = "_In_"; }',
  ].join('\n');
  assert.equal(prepareForLint(src), blankAnnotations(src));
});

// Text built from the pieces that matter to both passes, without SEH words, loop macros or
// directives (which only prepareForLint rewrites).
const piece = fc.constantFrom(
  '_In_ ', '_Out_writes_bytes_(n) ', '__drv_maxIRQL(2) ', 'IN ', 'OPTIONAL ', 'CONST ', 'FLTAPI ', 'NTSTATUS ', 'Data ',
  'ctx->_Inout_', '.IN', '"_In_" ', "'x' ", '/* _In_ */ ', '// IN\n', '(', ')', ', ', ';\n', '{\n', '}\n', '\n', 'x = 1;\n',
);

test('property: the fused pass matches blankAnnotations on any mix of annotation-relevant text', () => {
  fc.assert(fc.property(fc.array(piece, { maxLength: 40 }), (parts) => {
    const text = parts.join('');
    assert.equal(prepareForLint(text), blankAnnotations(text));
  }), { numRuns: 300 });
});

test('property: any text keeps its length and line structure', () => {
  fc.assert(fc.property(fc.string({ maxLength: 200 }), fc.array(fc.constantFrom('try {', '} finally {', 'leave;', '#if 0\n', '#else\n', '#endif\n', 'FOR_EACH(a) {', '__volatile', '\n'), { maxLength: 12 }), (noise, parts) => {
    const text = parts.map((p, i) => p + noise.slice(i * 7, i * 7 + 7)).join('');
    sameShape(prepareForLint(text), text);
  }), { numRuns: 300 });
});

test('a handler with no room for its keyword: try blanked, the handler a marker of the same length, and the block still a __try', () => {
  const src = [
    'NTSTATUS F(VOID) {',
    '\ttry {',
    '\t\tWork();',
    '\t}',
    '\tfinally',
    '\t{',
    '\t\tCleanup();',
    '\t}',
    '\ttry {',
    '\t\tif (x) leave;',
    '\t}',
    '\texcept(EXCEPTION_EXECUTE_HANDLER)',
    '\t{',
    '\t\treturn 1;',
    '\t}',
    '\treturn 0;',
    '}',
  ].join('\n');
  const out = rewriteWdkSyntax(src);
  sameShape(out, src);
  assert.match(out, /^\t {3} \{$/m, 'try blanked');
  assert.match(out, /^\t\/\*@FI\*\/$/m);
  assert.match(out, /^\t\/\*@E\*\/ +$/m, 'the filter is blanked with it');
  assert.match(out, /^\t\tif \(x\) \/\*L\*\/;$/m, 'leave; with no blanks after it');
  assert.ok(parsesCleanly(out), out);
});

test('a macro argument holding statements reads as an expression list', () => {
  const src = 'VOID F(VOID) {\n    try_return(Status = STATUS_X;);\n    CHECK(a = 1; b = 2;);\n    for (;;) { }\n}\n';
  const out = rewriteWdkSyntax(src);
  sameShape(out, src);
  assert.match(out, /try_return\(Status = STATUS_X \);/);
  assert.match(out, /CHECK\(a = 1, b = 2 \);/);
  assert.match(out, /for \(;;\)/, 'a for header is left alone');
  assert.ok(parsesCleanly(out), out);
});

test('SAL 1 annotations, with and without arguments, are blanked; __int64 and __inline are not annotations', () => {
  const src = 'VOID F(__in_z PCWSTR a, __out_bcount_full(n) PVOID b, __deref_out_opt PVOID *c, __inout_ecount(2) PULONG d, __int64 e);\n';
  const out = blankAnnotations(src);
  sameShape(out, src);
  assert.equal(out.replace(/\s+/g, ' ').trim(), 'VOID F( PCWSTR a, PVOID b, PVOID *c, PULONG d, __int64 e);');
});

test("a library's export and inline macros are blanked where they open a declaration, and nowhere else", () => {
  const src = [
    '#define ZYCORE_EXPORT __declspec(dllexport)',
    'ZYCORE_EXPORT ZyanStatus ZyanBitsetAll(const ZyanBitset* bitset);',
    '/* doc */ ZYAN_INLINE ZyanU32 Twice(ZyanU32 x) { return x * 2; }',
    'int y = LIB_API(1); int z = 0; LIB_API int W(void);',
  ].join('\n');
  const out = prepareForLint(src);
  sameShape(out, src);
  assert.deepEqual(out.split('\n'), [
    '#define ZYCORE_EXPORT                      ',
    '              ZyanStatus ZyanBitsetAll(const ZyanBitset* bitset);',
    '/* doc */             ZyanU32 Twice(ZyanU32 x) { return x * 2; }',
    'int y = LIB_API(1); int z = 0;         int W(void);',
  ]);
});

test('a statement macro without its semicolon before a closing brace gets one in the blank before the brace', () => {
  const src = 'void F(void)\n{\n    x = 1;\n    SET_INVALID(x->Id)\n    } \nint a[] = { INIT_VALUE(3) };\nvoid G(void) { if (y) { RESET_ALL(y) } }\n';
  const out = prepareForLint(src);
  sameShape(out, src);
  assert.equal(out.split('\n')[4], '   ;} ');
  assert.equal(out.split('\n')[5], 'int a[] = { INIT_VALUE(3) };', 'an initializer list is left alone');
  assert.equal(out.split('\n')[6], 'void G(void) { if (y) { RESET_ALL(y) } }', 'nor is a block holding only the macro');
});

test("MSVC's name macros read as string literals of the same length, so C++ joins them with their neighbours", () => {
  const src = 'void F(void) { LOG(ERR, "Tag>" __FUNCTION__ ": too short"); Print(L"at " __FILEW__, __func__); }\n#define WHERE __FILE__\n';
  const out = prepareForLint(src);
  sameShape(out, src);
  assert.equal(out.split('\n')[0], 'void F(void) { LOG(ERR, "Tag>" "_FUNCTION_" ": too short"); Print(L"at " L"FILEW_", "_func_"); }');
  assert.equal(out.split('\n')[1], '#define WHERE __FILE__', 'directives are left alone');
  const cpp = lintText(src, {}, 'cpp');
  assert.equal(cpp.stats.unparsed, 0);
  assert.deepEqual(cpp.notes, []);
});

test("MSVC's sized integer suffixes read as C's, columns kept: the function is analysed", () => {
  const text = `#include <fltKernel.h>
VOID Rewind(PFILE_POSITION_INFORMATION fpi, PCFLT_RELATED_OBJECTS FltObjects)
{
    PFLT_CONTEXT ctx = NULL;
    fpi->CurrentByteOffset.QuadPart = 0i64 + 1ui32 + 0x10i8;
    if (NT_SUCCESS(FltGetStreamContext(FltObjects->Instance, FltObjects->FileObject, &ctx))) return;
}
`;
  const prepared = prepareForLint(text);
  assert.equal(prepared.length, text.length);
  assert.match(prepared, /= 0LL {2}\+ 1U {4}\+ 0x10 {2};/);
  const r = lintText(text);
  assert.deepEqual(r.notes.filter((n) => /could not parse/.test(n.message)), []);
  assert.deepEqual(r.findings.map((f) => `${f.range.start.line + 1} ${f.ruleId}`), ['6 ctx-ref-leak']);
});
