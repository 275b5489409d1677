// Starts the bundled debug adapter as a process over stdio, as VS Code does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DebugClient } from '@vscode/debugadapter-testsupport';

test('the debug adapter offers every transition filter, violation on by default', async () => {
  const dc = new DebugClient(process.execPath, 'dist/debugAdapter.js', 'fltsim');
  await dc.start();
  try {
    const init = await dc.initializeRequest();
    const filters = init.body?.exceptionBreakpointFilters ?? [];
    assert.deepEqual(filters.map((f) => f.filter), ['pend', 'complete', 'workitem-queue', 'workitem-start', 'cbdq-insert', 'cbdq-remove', 'cancel', 'unload', 'violation', 'timer-expire', 'dpc-start']);
    assert.deepEqual(filters.filter((f) => f.default).map((f) => f.filter), ['violation']);
  } finally {
    await dc.stop();
  }
});
