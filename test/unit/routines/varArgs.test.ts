/**
 * Variadic functions a driver defines (engine/interp/varArgs.ts) and the vprintf routines
 * (engine/interp/builtins/varArgs.ts), on a driver written for these tests
 * (test/fixtures/routines/varargs.c).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runWorld, oneDriver } from '../worldRun';

const source = readFileSync(path.resolve('test/fixtures/routines/varargs.c'), 'utf8');
const files = oneDriver('varargs.c', source);
const lineOf = (text: string): number => source.split('\n').findIndex((l) => l.includes(text)) + 1;

test('va_arg reads ints, a 64-bit value, a pointer and a large struct; a va_list goes on to the vprintf routines (truncation rules, the debugger-output forms)', async () => {
  const w = await runWorld('/t/s.fltsim', 'driver "varargs.c"', files);
  assert.equal(w.fault, undefined, w.fault?.message);
  assert.deepEqual(w.sim.kernel.output, [
    `sum ${1 + 2 + 3 + 0x100000000 + 4 + 1000}`,
    "vsn 24 'pid=1234 abcdef012345 Z%'",
    "cbv 80000005 'pid=123'", // 8 bytes: 7 characters and the NUL, STATUS_BUFFER_OVERFLOW
    '[log] pid=1234 abcdef012345 Z%', // vDbgPrintExWithPrefix: the prefix, then the text from the va_list
    'pid=1234 abcdef012345 Z%', // vDbgPrintEx
    "cchw 0 'volume #7'",
    "us 0 18 'volume #7'",
  ]);
  assert.deepEqual(w.sim.violations.map((v) => v.rule), []);
});

test('a va_list used after its function returned is a use after free at the va_arg', async () => {
  const w = await runWorld('/t/s.fltsim', 'driver "varargs.c"\ndefine LATE', files);
  assert.equal(w.fault?.kind, 'use-after-free', w.fault?.message);
  assert.equal(w.fault?.line, lineOf('DbgPrint("late %d'));
});

test('va_start in a function without ... stops the run at its line', async () => {
  const w = await runWorld('/t/s.fltsim', 'driver "varargs.c"\ndefine NOTVARIADIC', files);
  assert.equal(w.fault?.kind, 'bad-call');
  assert.match(w.fault!.message, /va_start in NotVariadic, which is not a variadic function/);
  assert.equal(w.fault?.line, lineOf('va_start(ap, n);'));
});
