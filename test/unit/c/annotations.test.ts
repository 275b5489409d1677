import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { blankAnnotations, isAnnotationWord } from '../../../engine/c/annotations';
import { loadCLanguage, parseSource } from '../../../engine/c/parse';

before(async () => {
  await loadCLanguage();
});

const SOURCE = [
  'VOID',
  '_IRQL_requires_max_(APC_LEVEL)',
  '_Requires_lock_not_held_((CONTAINING_RECORD( Q, MY_CTX, Queue ))->Lock)',
  'LockQueue(',
  '    _In_ PFLT_CALLBACK_DATA_QUEUE Q,',
  '    _Out_ PKIRQL OldIrql',
  '    )',
  '{',
  '    CONST char *s = "_In_ stays in strings";',
  '    ctx->_Reserved_ = 0; // _In_ stays in comments',
  '}',
].join('\n');

test('annotations become spaces and every other character keeps its position', () => {
  const out = blankAnnotations(SOURCE);
  assert.equal(out.length, SOURCE.length);
  assert.deepEqual(out.split('\n').map((l) => l.length), SOURCE.split('\n').map((l) => l.length));
  assert.doesNotMatch(out, /_IRQL_requires_max_|_Requires_lock_not_held_|_In_ PFLT|_Out_/);
  assert.match(out, /"_In_ stays in strings"/);
  assert.match(out, /\/\/ _In_ stays in comments/);
  assert.match(out, /ctx->_Reserved_ = 0/, 'a field name that looks like SAL is kept');
  assert.match(out, /const char \*s/, 'CONST becomes const');
});

test('the blanked text parses as one function definition named LockQueue', () => {
  const { tree } = parseSource(SOURCE);
  const fn = tree.rootNode.namedChildren.find((n) => n?.type === 'function_definition');
  assert.ok(fn, tree.rootNode.toString());
  const name = fn.childForFieldName('declarator')?.childForFieldName('declarator');
  assert.equal(name?.text, 'LockQueue');
  assert.equal(name?.startPosition.row, 3, 'the name stays on its original line');
  assert.equal(tree.rootNode.hasError, false);
});

test('SAL 2, driver and old-style words are recognised; ordinary names are not', () => {
  for (const w of ['_In_', '_Inout_opt_', '_Flt_CompletionContext_Outptr_', '__drv_maxIRQL', '__in_opt', 'FLTAPI', 'OPTIONAL']) {
    assert.equal(isAnnotationWord(w), true, w);
  }
  for (const w of ['_FLT_REGISTRATION', 'DriverEntry', '_KEVENT', 'In']) {
    assert.equal(isAnnotationWord(w), false, w);
  }
});

test('a platform macro shaped like SAL is kept where #if asks whether it is defined', () => {
  const text = '#if defined(_IA64_) || defined _X86_ || !defined( _ARM64_ )\nint x;\n#endif\nVOID f(_In_ int a);\n';
  const out = blankAnnotations(text);
  assert.match(out, /^#if defined\(_IA64_\) \|\| defined _X86_ \|\| !defined\( _ARM64_ \)$/m);
  assert.match(out, /VOID f\( {5}int a\);/, 'a parameter annotation is still blanked');
});
