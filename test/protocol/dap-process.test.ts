// The adapter process as the extension starts it (extension/client/adapterProcess.ts): the editor's
// runtime, ELECTRON_RUN_AS_NODE=1, no Node on PATH, paths with spaces; and a driver that never stops
// looping, which must pause on request and go away on disconnect without anyone killing the process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { adapterLaunch } from '../../extension/client/adapterProcess';
import { StreamDebugClient } from './dapHelpers';
import { envWithoutNode, installedCopy } from './installedCopy';

interface Adapter {
  dc: DebugClient;
  proc: ChildProcess;
  exited: Promise<number | null>;
}

async function startAdapter(extensionPath: string): Promise<Adapter> {
  const { command, args, env } = adapterLaunch(extensionPath, process.execPath);
  const proc = spawn(command, args, { env: envWithoutNode(env), stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const dc = new StreamDebugClient(proc.stdout!, proc.stdin!);
  dc.defaultTimeout = 15_000;
  await dc.initializeRequest({ adapterID: 'fltsim', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  return { dc, proc, exited };
}

/** Resolves with the exit code, or rejects if the process is still there after `ms`. */
function exitWithin(a: Adapter, ms: number): Promise<number | null> {
  return Promise.race([a.exited, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the adapter process was still running ${ms} ms after disconnect`)), ms))]);
}

async function launch(dc: DebugClient, scenario: string, stopOnEntry = false): Promise<void> {
  const initialized = dc.waitForEvent('initialized');
  await Promise.all([
    dc.launch({ scenario, stopOnEntry } as DebugProtocol.LaunchRequestArguments),
    (async () => {
      await initialized;
      await dc.configurationDoneRequest();
    })(),
  ]);
}

test('the command the extension builds starts the shipped adapter from a path with spaces, with ELECTRON_RUN_AS_NODE set and no Node on PATH', async () => {
  const root = installedCopy();
  // The scenario sits in a folder with spaces too, as a user's project may.
  const project = path.join(mkdtempSync(path.join(tmpdir(), 'fltsim-')), 'My Drivers', 'cbdq cancel');
  mkdirSync(project, { recursive: true });
  for (const f of ['cancel.fltsim', 'csqfilter.c']) copyFileSync(path.join('samples', 'cbdq-cancel', f), path.join(project, f));
  const a = await startAdapter(root);
  try {
    assert.equal(a.proc.spawnargs[1], path.join(root, 'dist', 'debugAdapter.js'));
    const stopped = a.dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await launch(a.dc, path.join(project, 'cancel.fltsim'), true);
    const stop = await stopped;
    assert.equal(stop.body.reason, 'entry');
    const st = await a.dc.stackTraceRequest({ threadId: stop.body.threadId! });
    assert.equal(st.body.stackFrames[0].name, 'csqfilter!DriverEntry');
    assert.equal(st.body.stackFrames[0].source?.path, path.join(project, 'csqfilter.c'));
    await a.dc.disconnectRequest({});
    assert.equal(await exitWithin(a, 5000), 0);
  } finally {
    a.proc.kill();
  }
});

test('a driver stuck in for (;;): requests are answered while it runs, pause stops in the loop, disconnect ends the process', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'fltsim-spin-'));
  const source = [
    '#include <fltKernel.h>',
    'volatile LONG Spins;',
    'NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath) {',
    '    UNREFERENCED_PARAMETER(DriverObject);',
    '    UNREFERENCED_PARAMETER(RegistryPath);',
    '    for (;;) {',
    '        Spins++;',
    '    }',
    '}',
  ];
  writeFileSync(path.join(dir, 'stuck.c'), source.join('\n'));
  writeFileSync(path.join(dir, 'stuck.fltsim'), 'driver "stuck.c"\n');
  const a = await startAdapter(path.resolve('.'));
  try {
    await launch(a.dc, path.join(dir, 'stuck.fltsim'));
    const spins = async () => Number((await a.dc.evaluateRequest({ expression: 'Spins' })).body.result);
    // Let it run a while: the adapter still answers, and the loop makes progress in between.
    await new Promise((r) => setTimeout(r, 300));
    const first = await spins();
    await new Promise((r) => setTimeout(r, 300));
    const second = await spins();
    assert.ok(second > first, `the loop runs between requests (${first} then ${second})`);
    const threads = await a.dc.threadsRequest();
    const loader = threads.body.threads.find((t) => t.name === 'DriverEntry');
    assert.ok(loader, threads.body.threads.map((t) => t.name).join(', '));

    const stopped = a.dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await a.dc.pauseRequest({ threadId: loader.id });
    const stop = await stopped;
    assert.equal(stop.body.reason, 'pause');
    assert.equal(stop.body.threadId, loader.id);
    const frame = (await a.dc.stackTraceRequest({ threadId: loader.id })).body.stackFrames[0];
    assert.equal(frame.name, 'stuck!DriverEntry');
    assert.ok([6, 7].includes(frame.line), `paused in the loop (line ${frame.line})`);
    const paused = await spins();
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(await spins(), paused, 'nothing runs while paused');

    // Running again, then the Stop button: VS Code sends disconnect and expects the adapter to go.
    await a.dc.continueRequest({ threadId: loader.id });
    await new Promise((r) => setTimeout(r, 200));
    await a.dc.disconnectRequest({});
    assert.equal(await exitWithin(a, 5000), 0);
  } finally {
    a.proc.kill();
  }
});

test('terminate while the loop runs ends the session with a terminated event', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'fltsim-spin-'));
  writeFileSync(path.join(dir, 'stuck.c'), '#include <fltKernel.h>\nNTSTATUS DriverEntry(PDRIVER_OBJECT D, PUNICODE_STRING R) {\n    for (;;) { }\n}\n');
  writeFileSync(path.join(dir, 'stuck.fltsim'), 'driver "stuck.c"\n');
  const a = await startAdapter(path.resolve('.'));
  try {
    await launch(a.dc, path.join(dir, 'stuck.fltsim'));
    await new Promise((r) => setTimeout(r, 200));
    const terminated = a.dc.waitForEvent('terminated');
    await a.dc.terminateRequest({});
    await terminated;
    await a.dc.disconnectRequest({});
    assert.equal(await exitWithin(a, 5000), 0);
  } finally {
    a.proc.kill();
  }
});

test('if the editor goes away while the loop runs (stdin closes), the adapter process exits by itself', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'fltsim-spin-'));
  writeFileSync(path.join(dir, 'stuck.c'), '#include <fltKernel.h>\nNTSTATUS DriverEntry(PDRIVER_OBJECT D, PUNICODE_STRING R) {\n    do { } while (1);\n}\n');
  writeFileSync(path.join(dir, 'stuck.fltsim'), 'driver "stuck.c"\n');
  const a = await startAdapter(path.resolve('.'));
  try {
    await launch(a.dc, path.join(dir, 'stuck.fltsim'));
    await new Promise((r) => setTimeout(r, 200));
    a.proc.stdin!.end();
    assert.equal(await exitWithin(a, 5000), 0);
  } finally {
    a.proc.kill();
  }
});
