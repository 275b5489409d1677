// MSVC's __debugbreak() is the breakpoint DbgBreakPoint is: shown in the output, the run goes on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadC } from './harness';

test('__debugbreak() is a breakpoint in the output, not an undeclared routine', async () => {
  const h = await loadC(['#include <fltKernel.h>', 'ULONG Run(void) { DbgPrint("before"); __debugbreak(); DbgPrint("after"); return 3; }'].join('\n'));
  assert.deepEqual(h.diagnostics, []);
  assert.equal(h.call('Run'), 3);
  assert.deepEqual(h.output.map((l) => l.trim()), ['before', 'DbgBreakPoint', 'after']);
});
