// WPP tracing (engine/c/pp/wpp.ts): the generated `<file>.tmh` is not in the sources; fltsim stands
// in for it, and the trace calls the project declares in its `begin_wpp config` block do nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileC, loadC } from '../interp/harness';

const TRACE_H = [
  '#pragma once',
  '#define WPP_CONTROL_GUIDS WPP_DEFINE_CONTROL_GUID(MyGuid, (11111111,2222,3333,4444,555555555555), WPP_DEFINE_BIT(TRACE_DRIVER))',
  '// begin_wpp config',
  '// FUNC TraceEvents(LEVEL, FLAGS, MSG, ...);',
  '// FUNC Trace{FLAG=TRACE_DRIVER}(LEVEL, MSG, ...);',
  '// end_wpp',
].join('\n');

test('a driver tracing with WPP compiles: the .tmh is stood in for, trace calls do nothing and evaluate nothing', async () => {
  const h = await loadC([
    '#include <fltKernel.h>',
    '#include "trace.h"',
    '#include "test.tmh"',
    'ULONG Calls;',
    'ULONG Run(PDRIVER_OBJECT D, PUNICODE_STRING R) {',
    '    WPP_INIT_TRACING(D, R);',
    '    TraceEvents(TRACE_LEVEL_INFORMATION, TRACE_DRIVER, "%!FUNC! status %!STATUS!", Calls++);',
    '    Trace(TRACE_LEVEL_ERROR, "x %d", Calls++);',
    '    DoTraceMessage(TRACE_DRIVER, "y %d", Calls++);',
    '    WPP_CLEANUP(D);',
    '    return Calls + 7;',
    '}',
  ].join('\n'), { '/drv/trace.h': TRACE_H });
  assert.deepEqual(h.diagnostics, []);
  assert.equal(h.call('Run', null, null), 7);
});

test('a trace function the project never declares stays an error naming it', async () => {
  const unit = await compileC([
    '#include <fltKernel.h>',
    '#include "test.tmh"',
    'void Run(void) { LogTrace(1, "x"); }',
  ].join('\n'));
  const h = await loadC(['#include <fltKernel.h>', '#include "test.tmh"', 'void Run(void) { DoTraceMessage(1, "x"); }'].join('\n'));
  assert.deepEqual(h.diagnostics, [], 'DoTraceMessage is WPP\'s own');
  assert.deepEqual(unit.diagnostics, [], 'an unknown call is an error when it runs, not at compile time');
  const run = await loadC(['#include <fltKernel.h>', '#include "test.tmh"', 'void Run(void) { LogTrace(1, "x"); }'].join('\n'));
  assert.throws(() => run.call('Run'), /'LogTrace' is not declared/);
});
