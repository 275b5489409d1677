// A keyword-type cast before a typedef cast, `(int)(ULONG_PTR)*p`: the grammar reads `(ULONG_PTR)`
// as a parenthesised value multiplied by `*p`; C reads two casts of the dereference.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadC } from '../interp/harness';

const cases: [string, number][] = [
  ['(int)(ULONG_PTR)*(HANDLE *)p', 7],
  ['(int)(ULONG_PTR)*(HANDLE *)((PCHAR)p + 0)', 7],
  ['(unsigned char)(ULONG)-n', 253],
  ['(int)(LONG)+n', 3],
  ['(long)(ULONG_PTR)&v == (long)(ULONG_PTR)p', 1],
];
for (const [e, want] of cases) {
  test(`${e} is ${want}`, async () => {
    const h = await loadC(['#include <fltKernel.h>', `LONG64 Run(void) { HANDLE v = (HANDLE)7; PVOID p = &v; LONG n = 3; return ${e}; }`].join('\n'));
    assert.deepEqual(h.diagnostics, []);
    assert.equal(Number(h.call('Run')), want);
  });
}
