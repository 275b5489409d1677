// <ntimage.h>: the PE layout for drivers that include it, with x64 sizes; a driver that declares
// the structures itself (without the include) still compiles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadC } from '../interp/harness';

test('PE structures have their documented sizes and a header walk finds the first section', async () => {
  const h = await loadC([
    '#include <ntifs.h>',
    '#include <ntimage.h>',
    'ULONG Sizes[] = { sizeof(IMAGE_DOS_HEADER), sizeof(IMAGE_NT_HEADERS64), sizeof(IMAGE_NT_HEADERS32), sizeof(IMAGE_SECTION_HEADER), FIELD_OFFSET(IMAGE_NT_HEADERS64, OptionalHeader), sizeof(IMAGE_EXPORT_DIRECTORY) };',
    'UCHAR Image[1024];',
    'ULONG Run(void) {',
    '    PIMAGE_DOS_HEADER dos = (PIMAGE_DOS_HEADER)Image;',
    '    PIMAGE_NT_HEADERS nt;',
    '    PIMAGE_SECTION_HEADER first;',
    '    dos->e_magic = IMAGE_DOS_SIGNATURE; dos->e_lfanew = 0x80;',
    '    nt = (PIMAGE_NT_HEADERS)(Image + dos->e_lfanew);',
    '    nt->Signature = IMAGE_NT_SIGNATURE; nt->FileHeader.SizeOfOptionalHeader = sizeof(IMAGE_OPTIONAL_HEADER64);',
    '    first = IMAGE_FIRST_SECTION(nt);',
    '    return (ULONG)((PUCHAR)first - Image);',
    '}',
  ].join('\n'));
  assert.deepEqual(h.diagnostics, []);
  assert.deepEqual(h.module.global('Sizes'), [64, 264, 248, 40, 24, 40]);
  assert.equal(h.call('Run'), 0x80 + 24 + 240);
});

test('without the include, a driver\'s own IMAGE_DOS_HEADER is the only one', async () => {
  const h = await loadC(['#include <ntifs.h>', 'typedef struct _IMAGE_DOS_HEADER { USHORT e_magic; LONG e_lfanew; } IMAGE_DOS_HEADER;', 'ULONG Run(void) { return sizeof(IMAGE_DOS_HEADER); }'].join('\n'));
  assert.deepEqual(h.diagnostics, []);
  assert.equal(h.call('Run'), 8);
});
