// Breakpoints by path through the real adapter process (dist/debugAdapter.js), with posix rules and
// with win32 rules. The win32 run is what VS Code on Windows does: the scenario is C:\…, the client
// names the driver file with a lower-case drive letter and other case than the file has on disk, and
// the breakpoint must still be verified and hit, with frames that name the file as the editor does.
// On Linux the adapter sees Windows through FLTSIM_TEST_WINDOWS_ROOT (extension/shared/simulatedWindows.ts).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { SIMULATED_WINDOWS_ROOT } from '../../extension/shared/simulatedWindows';
import { FLAVORS } from '../unit/files/flavors';
import { lineOf, PATHS_MAIN, PATHS_SCENARIO, PATHS_UTIL } from '../unit/run/debuggeeFixture';
import { StreamDebugClient } from './dapHelpers';

/** The driver tree on the host disk; returns its folder. */
function writeTree(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'fltsim-paths-'));
  const put = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  };
  put('Drivers/Src/Tally.c', PATHS_MAIN);
  put('Drivers/Inc/util.h', PATHS_UTIL);
  put('Drivers/Scenarios/tally.fltsim', PATHS_SCENARIO);
  return root;
}

for (const f of FLAVORS) {
  describe(`breakpoints through the adapter process (${f.name} paths)`, () => {
    test(f.name === 'win32'
      ? 'a breakpoint named c:\\drivers\\src\\TALLY.c for C:\\Drivers\\Src\\Tally.c is verified and hit; frames name the file as the client does'
      : 'a breakpoint on the exact path is verified and hit; the same path in other case is another file', async () => {
      const root = writeTree();
      // What the client sees: C:\Drivers… on the simulated volume, the real folder on posix.
      const at = (...names: string[]) => (f.name === 'win32' ? f.rules.join('C:\\', ...names) : path.join(root, ...names));
      const scenario = at('Drivers', 'Scenarios', 'tally.fltsim');
      const asClient = f.name === 'win32' ? 'c:\\drivers\\src\\TALLY.c' : at('Drivers', 'Src', 'Tally.c');
      const call = lineOf(PATHS_MAIN, 'n = Twice(');
      const env = { ...process.env, [SIMULATED_WINDOWS_ROOT]: f.name === 'win32' ? root : '' };
      const proc = spawn(process.execPath, [path.resolve('dist/debugAdapter.js')], { env, stdio: ['pipe', 'pipe', 'inherit'] });
      const dc = new StreamDebugClient(proc.stdout!, proc.stdin!);
      dc.defaultTimeout = 15_000;
      try {
        await dc.initializeRequest({ adapterID: 'fltsim', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
        const output: DebugProtocol.OutputEvent[] = [];
        dc.on('output', (e: DebugProtocol.OutputEvent) => output.push(e));
        const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
        let set: DebugProtocol.SetBreakpointsResponse | undefined;
        let otherCase: DebugProtocol.SetBreakpointsResponse | undefined;
        await Promise.all([
          dc.launch({ scenario } as DebugProtocol.LaunchRequestArguments),
          (async () => {
            await dc.waitForEvent('initialized');
            set = await dc.setBreakpointsRequest({ source: { path: asClient }, breakpoints: [{ line: call }] });
            if (f.name === 'posix') otherCase = await dc.setBreakpointsRequest({ source: { path: at('Drivers', 'Src', 'TALLY.c') }, breakpoints: [{ line: call }] });
            await dc.configurationDoneRequest();
          })(),
        ]);
        const [bp] = set!.body.breakpoints;
        assert.deepEqual([bp!.verified, bp!.line, bp!.source?.path, bp!.source?.name], [true, call, asClient, path.win32.basename(asClient)]);
        if (otherCase) assert.deepEqual(otherCase.body.breakpoints.map((b) => [b.verified, b.message]), [[false, 'no driver code of this scenario is in this file']]);

        const stop = await stopped;
        assert.deepEqual([stop.body.reason, stop.body.hitBreakpointIds], ['breakpoint', [bp!.id]]);
        const frames = (await dc.stackTraceRequest({ threadId: stop.body.threadId! })).body.stackFrames;
        assert.deepEqual([frames[0]!.name, frames[0]!.source?.path, frames[0]!.line], ['Tally!PreRead', asClient, call]);

        // Into the header, which the client has named nowhere: its spelling on disk.
        const inner = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
        await dc.stepInRequest({ threadId: stop.body.threadId! });
        await inner;
        const deeper = (await dc.stackTraceRequest({ threadId: stop.body.threadId! })).body.stackFrames;
        assert.deepEqual([deeper[0]!.name, deeper[0]!.source?.path, deeper[0]!.line], ['Tally!Twice', at('Drivers', 'Inc', 'util.h'), lineOf(PATHS_UTIL, 'LONG doubled')]);

        const ended = dc.waitForEvent('terminated');
        await dc.continueRequest({ threadId: stop.body.threadId! });
        await ended;
        const printed = output.find((e) => e.body.category === 'stdout' && e.body.output.startsWith('tally: 2'));
        assert.equal(printed?.body.source?.path, asClient, 'DbgPrint output points at the file as the editor has it open');
      } finally {
        proc.kill();
      }
    });
  });
}
