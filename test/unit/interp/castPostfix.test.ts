// `(TypeName)(x)->f`, `(TypeName)(x).f` and `(TypeName)(x)[i]`: the grammar cannot tell a typedef
// name in parentheses from an expression, so it reads `(ULONG)(x)` as a call with the member access
// applied to it. C binds the postfix operators first and casts the result (found in Minifilter's
// SwapBuffers.c: `(ULONG)(*Data)->IoStatus.Information`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadC } from './harness';

const SOURCE = [
  '#include <fltKernel.h>',
  'typedef unsigned char BYTE8;',
  'typedef struct { IO_STATUS_BLOCK IoStatus; ULONG x; USHORT a[4]; } T;',
  'static T t; static T *p = &t; static T **pp = &p;',
  'static void fill(void) { t.IoStatus.Information = 0x1234567; t.x = 7; t.a[2] = 0x1ff; }',
  'ULONG arrow(void) { fill(); return (ULONG)(*pp)->IoStatus.Information; }',
  'ULONG dot(void) { fill(); return (ULONG)(*p).x; }',
  'ULONG index(void) { fill(); return (BYTE8)(p)->a[2]; }',
  'ULONG twice(void) { fill(); return (ULONG)(BYTE8)(*pp)->IoStatus.Information; }',
].join('\n');

test('a cast spelled with a typedef name applies to the whole member and subscript chain after it', async () => {
  const h = await loadC(SOURCE);
  assert.deepEqual(h.diagnostics, []);
  assert.equal(h.call('arrow'), 0x1234567);
  assert.equal(h.call('dot'), 7);
  assert.equal(h.call('index'), 0xff, 'a[2] is read first, then cut to a byte');
  assert.equal(h.call('twice'), 0x67);
});
