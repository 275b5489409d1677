// Driver code written against the WDK's names compiles and runs against the built-in headers:
// shapes the samples rely on, and the C scoping rules they exercise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadC } from '../interp/harness';

test('a parameter named like an enum constant hides it in the function body', async () => {
  const h = await loadC([
    '#include <fltKernel.h>',
    'NTSTATUS Get(PFLT_FILE_NAME_INFORMATION *FileNameInformation) {',
    '    *FileNameInformation = NULL;',
    '    return FileNameInformation != NULL ? STATUS_SUCCESS : STATUS_UNSUCCESSFUL;',
    '}',
    'ULONG Outside(void) { return FileNameInformation; }',
    'ULONG Run(void) { PFLT_FILE_NAME_INFORMATION p; return Get(&p) == STATUS_SUCCESS && p == NULL ? 1 : 0; }',
  ].join('\n'));
  assert.deepEqual(h.diagnostics, []);
  assert.equal(h.call('Run'), 1);
  assert.equal(h.call('Outside'), 9, 'outside the function the name is FILE_INFORMATION_CLASS value 9');
});

test('buffers sized from WDK structs and sizeof of a literal are constants', async () => {
  const h = await loadC([
    '#include <fltKernel.h>',
    'static const UCHAR Key[sizeof("abc")] = { 0 };',
    'ULONG Sizes[] = { sizeof(Key), sizeof(FLT_VOLUME_PROPERTIES) + 512, FIELD_OFFSET(FLT_VOLUME_PROPERTIES, RealDeviceName),',
    '                  sizeof(FILE_ID_INFORMATION), FIELD_OFFSET(FILE_RENAME_INFORMATION, FileName), sizeof(FLT_CALLBACK_DATA),',
    '                  FIELD_OFFSET(FLT_CALLBACK_DATA, QueueLinks), FIELD_OFFSET(FLT_CALLBACK_DATA, RequestorMode),',
    '                  FIELD_OFFSET(FLT_IO_PARAMETER_BLOCK, Parameters), FIELD_OFFSET(FLT_PARAMETERS, SetFileInformation.InfoBuffer) };',
  ].join('\n'));
  assert.deepEqual(h.diagnostics, []);
  assert.deepEqual(h.module.global('Sizes'), [4, 72 + 512, 56, 24, 20, 88, 48, 80, 24, 32]);
});

test('well-known ECP GUIDs are constant values that IsEqualGUID compares field by field', async () => {
  const h = await loadC([
    '#include <fltKernel.h>',
    'ULONG Run(void) {',
    '    GUID g = GUID_ECP_OPLOCK_KEY;',
    '    const GUID *p = &GUID_ECP_NFS_OPEN;',
    '    return (IsEqualGUID(&g, &GUID_ECP_OPLOCK_KEY) ? 1 : 0) + (IsEqualGUID(p, &GUID_ECP_OPLOCK_KEY) ? 10 : 0) + (g.Data4[7] == 0x7f ? 100 : 0);',
    '}',
  ].join('\n'));
  assert.deepEqual(h.diagnostics, []);
  assert.equal(h.call('Run'), 101);
});

test('a declared routine the engine does not model stops at its call, by name', async () => {
  const h = await loadC([
    '#include <fltKernel.h>',
    'NTSTATUS Run(PFLT_FILTER Filter, PFLT_VOLUME Volume) {',
    '    return FltDetachVolume(Filter, Volume, NULL);',
    '}',
  ].join('\n'));
  assert.deepEqual(h.diagnostics, []);
  assert.throws(() => h.call('Run', null, null), /'FltDetachVolume' is declared but no file of driver 'test' defines it, and fltsim does not model it/);
});

test('a kernel variable the engine does not provide names itself where it is used', async () => {
  const h = await loadC([
    '#include <fltKernel.h>',
    'POBJECT_TYPE Run(void) { return *ExEventObjectType; }',
  ].join('\n'));
  assert.deepEqual(h.diagnostics, []);
  assert.throws(() => h.call('Run'), /__fltsim_variable_ExEventObjectType/);
});
