import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadCLanguage } from '../../../engine/c/treeSitter';
import { compileTranslationUnit } from '../../../engine/c/program';
import { IGNORED_HEADERS, preludeHeaders } from '../../../engine/c/prelude';
import { compiledPrelude } from '../../../engine/c/prelude/compiled';
import { offsetOf, sizeOf, alignOf, type StructType } from '../../../engine/c/types';

before(async () => {
  await loadCLanguage();
});

/** Compiles one driver file and returns its structs by tag. */
function structs(source: string): Map<string, StructType> {
  const unit = compileTranslationUnit('/d/a.c', {
    readFile: (p) => (p === '/d/a.c' ? source : undefined),
    systemHeaders: preludeHeaders(),
    ignoredHeaders: IGNORED_HEADERS,
    prelude: compiledPrelude(),
  });
  assert.deepEqual(unit.diagnostics.map((d) => `${d.loc.line}: ${d.message}`), []);
  return unit.structs;
}

function layout(t: StructType | undefined): string {
  assert.ok(t);
  return `${sizeOf(t)}/${alignOf(t)}: ${t.fields!.map((f) => `${f.name}@${offsetOf(t, [f.name])}`).join(' ')}`;
}

test('POINTER_ALIGNMENT and DECLSPEC_ALIGN in driver code move the member, as on x64', () => {
  const s = structs([
    '#include <fltKernel.h>',
    'typedef struct _A { ULONG Length; ULONG POINTER_ALIGNMENT Key; } A;',
    'typedef struct _S { UCHAR a; ULONG DECLSPEC_ALIGN(16) b; } S;',
    'typedef struct DECLSPEC_ALIGN(16) _T { UCHAR a; } T;',
  ].join('\n'));
  assert.equal(layout(s.get('_A')), '16/8: Length@0 Key@8');
  assert.equal(layout(s.get('_S')), '32/16: a@0 b@16');
  // Before a struct body there is no member to align: accepted, without effect.
  assert.equal(layout(s.get('_T')), '1/1: a@0');
});

test('#pragma pack and the pshpack/poppack headers cap member alignment for the structs after them', () => {
  const s = structs([
    '#include <fltKernel.h>',
    '#pragma pack(push, 1)',
    'typedef struct _P1 { UCHAR a; ULONG b; USHORT c; } P1;',
    '#pragma pack(pop)',
    '#include <pshpack2.h>',
    'typedef struct _P2 { UCHAR a; ULONGLONG b; } P2;',
    '#include <poppack.h>',
    'typedef struct _N { UCHAR a; ULONGLONG b; } N;',
    '#pragma pack(4)',
    'typedef struct _P4 { UCHAR a; ULONGLONG b; } P4;',
    '#pragma pack()',
    'typedef struct _N2 { UCHAR a; ULONGLONG b; } N2;',
  ].join('\n'));
  assert.equal(layout(s.get('_P1')), '7/1: a@0 b@1 c@5');
  assert.equal(layout(s.get('_P2')), '10/2: a@0 b@2');
  assert.equal(layout(s.get('_N')), '16/8: a@0 b@8');
  assert.equal(layout(s.get('_P4')), '12/4: a@0 b@4');
  assert.equal(layout(s.get('_N2')), '16/8: a@0 b@8');
});

test('bit-fields share a unit of their declared type until it is full or the type changes', () => {
  const s = structs([
    '#include <fltKernel.h>',
    'typedef struct _B { ULONG a : 3; ULONG b : 29; ULONG c : 1; USHORT d : 2; ULONG e : 4; UCHAR f; ULONG g : 1; } B;',
  ].join('\n'));
  const b = s.get('_B')!;
  assert.equal(sizeOf(b), 24);
  assert.deepEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((f) => offsetOf(b, [f])), [0, 0, 4, 8, 12, 16, 20]);
});

test('members of anonymous structs and unions are found from the outer struct, at their offset', () => {
  const s = structs([
    '#include <fltKernel.h>',
    'typedef struct _U { ULONG Tag; union { struct { USHORT Lo; USHORT Hi; }; ULONGLONG All; }; UCHAR Tail[]; } U;',
  ].join('\n'));
  const u = s.get('_U')!;
  assert.equal(sizeOf(u), 16, 'the flexible array adds no size');
  assert.deepEqual(['Tag', 'Lo', 'Hi', 'All', 'Tail'].map((f) => offsetOf(u, [f])), [0, 8, 10, 8, 16]);
});
