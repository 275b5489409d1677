// <math.h> in kernel code (engine/interp/builtins/mathFunctions.ts) between the x64 no-op
// KeSaveFloatingPointState/KeRestoreFloatingPointState: the Shannon entropy a ransomware detector
// computes over written bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadC } from './harness';

test('the entropy of a buffer, with log() and M_LOG2E from math.h, inside a saved floating-point state', async () => {
  const h = await loadC(`
#define _USE_MATH_DEFINES
#include <fltKernel.h>
#include <math.h>
UCHAR Data[256];
ULONG entropy_x1000(ULONG distinct) {
  KFLOATING_SAVE save;
  ULONG counts[256] = { 0 };
  ULONG i;
  double h = 0.0;
  NTSTATUS status = KeSaveFloatingPointState(&save);
  if (!NT_SUCCESS(status)) return 0xffffffff;
  for (i = 0; i < 256; i++) { Data[i] = (UCHAR)(i % distinct); counts[Data[i]]++; }
  for (i = 0; i < 256; i++) {
    if (counts[i] != 0) {
      double p = (double)counts[i] / 256.0;
      h -= p * log(p) * M_LOG2E;
    }
  }
  KeRestoreFloatingPointState(&save);
  return (ULONG)floor(h * 1000.0 + 0.5);
}
ULONG others(void) {
  return (ULONG)(sqrt(16.0) + pow(2.0, 10.0) + fabs(-3.0) + ceil(0.2) + fmod(7.5, 2.0) * 2.0 + log2(8.0) + log10(1000.0));
}
`);
  assert.deepEqual(h.diagnostics, []);
  assert.equal(h.call('entropy_x1000', 256), 8000, 'every byte value once: 8 bits');
  assert.equal(h.call('entropy_x1000', 2), 1000, 'two values: 1 bit');
  assert.equal(h.call('entropy_x1000', 1), 0);
  assert.equal(h.call('others'), 4 + 1024 + 3 + 1 + 3 + 3 + 3);
});
