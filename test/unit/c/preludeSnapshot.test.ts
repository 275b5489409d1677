import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadCLanguage } from '../../../engine/c/treeSitter';
import { compilePrelude } from '../../../engine/c/prelude/compiled';
import { decodePrelude, encodePrelude } from '../../../engine/c/prelude/snapshot';
import { sizeOf, typeName, type StructType } from '../../../engine/c/types';

before(async () => {
  await loadCLanguage();
});

test('the prelude compiles without a single diagnostic', () => {
  const p = compilePrelude();
  assert.deepEqual(p.diagnostics.map((d) => `${d.loc.file}:${d.loc.line}: ${d.message}`), []);
});

test('the prelude snapshot decodes to the same names, layouts and shared types', () => {
  const original = compilePrelude();
  const copy = decodePrelude(encodePrelude(original));
  assert.ok(copy, 'the fingerprint matches the prelude it was made from');
  assert.deepEqual([...copy.functions.keys()].sort(), [...original.functions.keys()].sort());
  assert.deepEqual([...copy.prototypes.keys()].sort(), [...original.prototypes.keys()].sort());
  for (const tag of ['_FLT_CALLBACK_DATA', '_FLT_REGISTRATION', '_LIST_ENTRY', '_UNICODE_STRING', '_FLT_PARAMETERS']) {
    const a = original.structs.get(tag) as StructType;
    const b = copy.structs.get(tag) as StructType;
    assert.equal(sizeOf(b), sizeOf(a), tag);
    assert.deepEqual(b.fields!.map((f) => `${f.name}: ${typeName(f.type)}`), a.fields!.map((f) => `${f.name}: ${typeName(f.type)}`));
  }
  assert.equal(sizeOf(copy.structs.get('_FLT_REGISTRATION')!), 112, 'sizeof(FLT_REGISTRATION) for version 0x0203 on x64');
  // A self-referencing struct stays one object after decoding: LIST_ENTRY's Flink points at LIST_ENTRY.
  const le = copy.structs.get('_LIST_ENTRY') as StructType;
  const flink = le.fields![0].type;
  assert.ok(flink.kind === 'ptr' && flink.to === le);
  assert.equal(copy.scope.typedef('PFLT_CALLBACK_DATA')?.kind, 'ptr');
  assert.equal(copy.scope.enumConstant('FLT_PREOP_PENDING'), 2);
  assert.ok(copy.macros.has('FLT_IS_IRP_OPERATION'));
  assert.equal(copy.macros.has('__LINE__'), false, 'computed macros are recreated by the preprocessor, not stored');
});

test('a snapshot of a different prelude text is refused', () => {
  const json = JSON.parse(encodePrelude(compilePrelude()));
  json.fingerprint = '0000000000000000';
  assert.equal(decodePrelude(JSON.stringify(json)), undefined);
});
