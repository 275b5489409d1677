/**
 * Communication ports with the scenario playing the user-mode program (issue 12, item 5), on a
 * scanner-like fixture written for these tests (test/fixtures/ports/scanlike.c): the program's
 * answer blocks one file and allows another, messages time out, the program sends its own message,
 * and the driver's port mistakes are violations at their line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseScenario, STATUS } from '../../../engine';
import { World } from '../../../engine/run/world';
import { oneDriver, runWorld } from '../worldRun';

const dir = path.resolve('test/fixtures/ports');
const driver = readFileSync(path.join(dir, 'scanlike.c'), 'utf8');
const driverLines = driver.split('\n');

async function run(scenario: string): Promise<World> {
  const files = oneDriver('scanlike.c', driver);
  const world = await runWorld('/t/s.fltsim', `driver "scanlike.c"\n${scenario}`, files);
  assert.equal(world.fault, undefined, world.fault?.message);
  return world;
}

const wide = (s: string): number[] => [...s].flatMap((c) => [c.charCodeAt(0), 0]);

test('the user-mode program answers "block" for one file and "allow" for another; its own message reaches MessageNotify', async () => {
  const world = await run(readFileSync(path.join(dir, 'scan.fltsim'), 'utf8').split('\n').filter((l) => !l.startsWith('driver')).join('\n'));
  const sim = world.sim;
  assert.equal(sim.result(1)?.status, STATUS.STATUS_SUCCESS);
  assert.equal(sim.result(2)?.status, STATUS.STATUS_ACCESS_DENIED);
  // After the program disconnected, the driver sees no client and lets the same file open.
  assert.equal(sim.result(3)?.status, STATUS.STATUS_SUCCESS);
  assert.deepEqual(sim.violations.map((v) => v.rule), []);
  assert.deepEqual(sim.output, [
    'connected context=2',
    'sent \\docs\\good.txt status=00000000 reply=1 allow=1',
    'sent \\docs\\bad.exe status=00000000 reply=1 allow=0',
    'message cookie=1 length=4 command=7',
    'disconnected',
  ]);
  const log = sim.clientLog;
  assert.deepEqual(log.map((r) => `${r.what} ${r.status.toString(16)} @${r.time}`), ['connect 0 @1', 'message 0 @2', 'reply 0 @2', 'message 0 @3', 'reply 0 @5', 'send 0 @10', 'disconnect 0 @12']);
  // The message is the driver's bytes: Kind 1, the name's length, then the name.
  const first = [...log[1]!.bytes!];
  assert.deepEqual(first.slice(0, 8), [1, 0, 0, 0, 28, 0, 0, 0]);
  assert.deepEqual(first.slice(8), wide('\\docs\\good.txt'));
  assert.deepEqual([...log[2]!.bytes!], [1]);
  assert.deepEqual([...log[4]!.bytes!], [0]);
  // MessageNotify's output: two files checked, one blocked.
  assert.deepEqual([...log[5]!.bytes!], [2, 0, 0, 0, 1, 0, 0, 0]);
});

test('without a client the driver sees no connection: nothing is sent and every create succeeds', async () => {
  const world = await run('io #1 create "\\Device\\HarddiskVolume1\\bad.exe" at 1\nunload at 5\n');
  assert.equal(world.sim.result(1)?.status, STATUS.STATUS_SUCCESS);
  assert.deepEqual(world.sim.output, []);
  assert.deepEqual(world.sim.violations, []);
});

test('a program that never picks up messages: FltSendMessage returns STATUS_TIMEOUT when its timeout passes', async () => {
  const world = await run('client "\\ScanLikePort" connect at 0\nclient "\\ScanLikePort" ignore-messages\nio #1 create "\\Device\\HarddiskVolume1\\a.txt" at 1\n');
  assert.deepEqual(world.sim.output, ['connected context=0', 'sent \\a.txt status=00000102 reply=1 allow=1']);
  // One second of virtual time (the fixture's timeout) passed in the wait.
  assert.equal(world.sim.clientLog.filter((r) => r.what === 'message').length, 0);
  assert.ok(world.sim.now >= 1001, `now ${world.sim.now}`);
  assert.equal(world.sim.result(1)?.status, STATUS.STATUS_SUCCESS);
});

test('no-reply for one kind of message, and a reply larger than the driver\'s buffer, both end in STATUS_TIMEOUT', async () => {
  const world = await run(
    'client "\\ScanLikePort" connect at 0\n' +
      'client "\\ScanLikePort" no-reply when contains wide "slow"\n' +
      'client "\\ScanLikePort" reply hex "01 02" when kind 1\n' +
      'io #1 create "\\Device\\HarddiskVolume1\\slow.txt" at 1\n' +
      'io #2 create "\\Device\\HarddiskVolume1\\big.txt" at 2\n',
  );
  assert.deepEqual(world.sim.output.slice(1), ['sent \\slow.txt status=00000102 reply=1 allow=1', 'sent \\big.txt status=00000102 reply=1 allow=1']);
  const replies = world.sim.clientLog.filter((r) => r.what === 'reply');
  assert.deepEqual(replies.map((r) => r.status), [STATUS.STATUS_BUFFER_OVERFLOW]);
});

test('the program disconnecting while the driver waits for a reply ends the wait with STATUS_PORT_DISCONNECTED', async () => {
  const world = await run('client "\\ScanLikePort" connect at 0\nclient "\\ScanLikePort" reply hex "00" after 50\nio #1 create "\\Device\\HarddiskVolume1\\a.txt" at 1\nclient "\\ScanLikePort" disconnect at 5\n');
  assert.deepEqual([...world.sim.output].sort(), ['connected context=0', 'disconnected', `sent \\a.txt status=${STATUS.STATUS_PORT_DISCONNECTED.toString(16).padStart(8, '0')} reply=1 allow=1`]);
  // The wait ended at the disconnect (tick 5), not at the reply's time (tick 51).
  assert.equal(world.sim.clientLog.some((r) => r.what === 'reply'), false);
  assert.equal(world.sim.result(1)?.status, STATUS.STATUS_SUCCESS);
});

test('a second connection beyond MaxConnections is refused with STATUS_CONNECTION_COUNT_LIMIT; a wrong port name is not found', async () => {
  const world = await run('client "\\ScanLikePort" connect at 0\nclient "\\ScanLikePort" connect at 1\nclient "\\NoSuchPort" connect at 2\n');
  assert.deepEqual(world.sim.clientLog.map((r) => r.status), [STATUS.STATUS_SUCCESS, STATUS.STATUS_CONNECTION_COUNT_LIMIT, STATUS.STATUS_OBJECT_NAME_NOT_FOUND]);
  assert.deepEqual(world.sim.output, ['connected context=0']);
});

test('closing the server port after FltUnregisterFilter is unload-port-order, at the FltUnregisterFilter line', async () => {
  const world = await run('define CLOSE_PORT_LATE\nunload at 2\n');
  const v = world.sim.violations.filter((x) => x.rule === 'unload-port-order');
  assert.equal(v.length, 1);
  assert.match(v[0]!.location!.file, /scanlike\.c$/);
  // The line is the unregister call in ScanUnload (the one right after #ifndef CLOSE_PORT_LATE's block).
  const unloadUnregister = driverLines.findIndex((l, i) => l.includes('FltUnregisterFilter(Globals.Filter);') && driverLines[i + 1]?.includes('#ifdef CLOSE_PORT_LATE')) + 1;
  assert.equal(v[0]!.location?.line, unloadUnregister);
  // The late close itself is then a close of a port already closed by the unregister.
  assert.ok(world.sim.violations.some((x) => x.rule === 'bad-object' && /already closed/.test(x.message)));
});

test('a DisconnectNotify that does not close the client port is port-not-closed at the end of the run', async () => {
  const world = await run('define LEAVE_CLIENT_PORT_OPEN\nclient "\\ScanLikePort" connect at 0\nclient "\\ScanLikePort" disconnect at 1\nunload at 3\n');
  assert.deepEqual(world.sim.violations.map((v) => v.rule), ['port-not-closed']);
});

test('client lines: what parses, and errors at their line and column', () => {
  const ok = parseScenario('driver "a.c"\nclient "\\P" connect context "hi" at 1\nclient "\\P" reply ulong 1 hex "ff" wide "a" zeros 2 when kind 3 after 4\nclient "\\P" send "x" output 16 at 2\nclient "\\P" no-reply when contains "z"\n');
  assert.deepEqual(ok.diagnostics.filter((d) => d.severity === 'error'), []);
  const [connect, reply, send, none] = ok.scenario.clients;
  assert.equal(connect!.line, 2);
  assert.deepEqual(connect, { ...connect, action: 'connect', time: 1, context: [104, 105] });
  assert.deepEqual(reply, { ...reply, action: 'reply', reply: [1, 0, 0, 0, 0xff, 97, 0, 0, 0], match: { kind: 3 }, delay: 4 });
  assert.deepEqual(send, { ...send, action: 'send', data: [120], output: 16, time: 2 });
  assert.deepEqual(none, { ...none, action: 'reply', reply: null, match: { contains: [122] }, delay: 0 });
  const bad = parseScenario('driver "a.c"\nclient "\\P" conect at 1\nclient "\\P" reply hex "0g"\nclient "\\P" connect\nclient "\\P" send at 1\nclient "" connect at 1\nclient "\\P" reply "a" when size 3\n');
  assert.deepEqual(
    bad.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.line, d.column, d.code]),
    [[2, 13, 'unknown-operation'], [3, 23, 'bad-number'], [4, 13, 'missing-value'], [5, 13, 'missing-value'], [6, 8, 'missing-string'], [7, 28, 'unexpected-token']],
  );
  assert.match(bad.diagnostics.find((d) => d.line === 2)!.message, /did you mean 'connect'/);
});

test('client then lines: steps after a reply, with bytes of the message answered and the scan verdict', () => {
  const ok = parseScenario(
    'driver "a.c"\nclient "\\P" connect at 0\n' +
      'client "\\P" then send ulong 1 message 8 8 zeros 2 output 8 when kind 0\n' +
      'client "\\P" then scan-section output 0 find "EVIL" infected ulong 1 clean hex "02"\n' +
      'client "\\P" then send verdict "!"\n',
  );
  assert.deepEqual(ok.diagnostics.filter((d) => d.severity === 'error'), []);
  const [, send, scan, verdict] = ok.scenario.clients;
  assert.deepEqual(send, { ...send, action: 'then', match: { kind: 0 }, step: { step: 'send', output: 8, parts: [{ bytes: [1, 0, 0, 0] }, { message: { offset: 8, length: 8 } }, { bytes: [0, 0] }] } });
  assert.deepEqual(scan, { ...scan, action: 'then', match: {}, step: { step: 'scan-section', outputOffset: 0, find: [69, 86, 73, 76], infected: [1, 0, 0, 0], clean: [2], delay: 0 } });
  assert.deepEqual(verdict, { ...verdict, action: 'then', match: {}, step: { step: 'send', output: 0, parts: [{ verdict: true }, { bytes: [33] }] } });
  const bad = parseScenario(
    'driver "a.c"\nclient "\\P" send message 0 4 at 1\nclient "\\P" then sned "x"\nclient "\\P" then scan-section output 0 find "x" clean ulong 2\nclient "\\P" then send "x" later\n',
  );
  assert.deepEqual(
    bad.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.line, d.column, d.code]),
    [[2, 18, 'unexpected-token'], [3, 18, 'unknown-operation'], [4, 49, 'unexpected-token'], [5, 27, 'unexpected-token']],
  );
  assert.match(bad.diagnostics.find((d) => d.line === 2)!.message, /only has a meaning in a 'then send' line/);
  assert.match(bad.diagnostics.find((d) => d.line === 3)!.message, /did you mean 'send'/);
});

test('a then line on a port no reply line answers is a warning at the port', () => {
  const r = parseScenario('driver "a.c"\nclient "\\P" connect at 0\nclient "\\P" then send "x"\nclient "\\Q" connect at 0\nclient "\\Q" reply "y"\nclient "\\Q" then send "x"\n');
  assert.deepEqual(r.diagnostics.map((d) => [d.line, d.column, d.severity, d.code]), [[3, 8, 'warning', 'contradiction']]);
  assert.match(r.diagnostics[0]!.message, /no reply line answers messages on that port/);
});

