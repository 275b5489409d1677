// The linter reads every #define of a file to find statement macros; a file of thousands of macros
// each defined by the one before must lint in bounded time and memory (it ran out of heap).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initLinter, lintText } from '../../../engine';

before(() => initLinter());

test('a file of 3,000 macros each expanding the one before lints, and its findings still come', () => {
  const defines = ['#define A0 1', ...Array.from({ length: 3000 }, (_, i) => `#define A${i + 1} (A${i})`)].join('\n');
  const text = `#include <fltKernel.h>\n${defines}\nint v = A3000;\nVOID Worker(PFLT_GENERIC_WORKITEM w, PVOID f, PVOID c) { FltQueueGenericWorkItem(w, f, Worker, HyperCriticalWorkQueue, c); }\n`;
  const r = lintText(text);
  assert.ok(r.findings.some((f) => f.ruleId === 'wi-bad-queue-type' && f.range.start.line === 3003), JSON.stringify(r.findings.map((f) => [f.ruleId, f.range.start.line])));
});
