import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario, IO_OP_NAMES, IO_OPS, type IoStatement } from '../../../engine/scenario';

// The contract, verbatim (backslashes as a user types them).
const CONTRACT = String.raw`scenario "Pend reads and complete them from a worker"
driver "pendfilter.c"                      // paths relative to the scenario; one or more drivers
driver "counting.c" altitude 320000        // several filters stack by altitude
define COMPLETE_MODE 2                     // like -D, for every driver
io #1 read "\Device\HarddiskVolume1\docs\a.txt" length 4096 at 0
io #2 write "\Device\HarddiskVolume1\docs\a.txt" length 10 at 3
cancel #1 at 2
unload at 10
expect #1 status STATUS_CANCELLED
expect calls CsqCompleteCanceledIo 1       // exact number of calls of a C function during the run
expect calls counting!PreRead 0            // module!Function when names repeat across drivers
expect violation cpp-bad-status            // at least one violation with that rule id
expect no violations
`;

function parseClean(text: string) {
  const r = parseScenario(text);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), [], 'no errors expected');
  return r.scenario;
}

test('the contract example parses with no errors, every line in source order', () => {
  const { scenario, diagnostics } = parseScenario(CONTRACT);
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error'), []);
  // The only remark: `expect violation` and `expect no violations` cannot both hold.
  assert.deepEqual(diagnostics.map((d) => [d.code, d.severity, d.line]), [['contradiction', 'warning', 12]]);
  assert.deepEqual(scenario.statements.map((s) => [s.kind, s.line, s.column]), [
    ['scenario', 1, 1], ['driver', 2, 1], ['driver', 3, 1], ['define', 4, 1], ['io', 5, 1], ['io', 6, 1],
    ['cancel', 7, 1], ['unload', 8, 1], ['expect', 9, 1], ['expect', 10, 1], ['expect', 11, 1], ['expect', 12, 1], ['expect', 13, 1],
  ]);
  assert.equal(scenario.title, 'Pend reads and complete them from a worker');
});

test('scenario title and drivers: paths, modules, altitudes and spans', () => {
  const s = parseClean(CONTRACT);
  assert.deepEqual(s.statements[0], { kind: 'scenario', line: 1, column: 1, endColumn: 54, text: 'scenario "Pend reads and complete them from a worker"', title: 'Pend reads and complete them from a worker' });
  assert.deepEqual(s.drivers[0], {
    kind: 'driver', line: 2, column: 1, endColumn: 22, text: 'driver "pendfilter.c"',
    source: 'files', paths: [{ path: 'pendfilter.c', span: { line: 2, column: 8, endColumn: 22 } }],
    path: 'pendfilter.c', pathSpan: { line: 2, column: 8, endColumn: 22 }, module: 'pendfilter', moduleCandidates: ['pendfilter'],
  });
  assert.equal(s.drivers[1].altitude, 320000);
  assert.equal(s.drivers[1].module, 'counting');
  assert.equal(s.drivers[1].endColumn, 36);
  assert.equal(s.drivers[1].text, 'driver "counting.c" altitude 320000', 'the comment is not part of the text');
  const sub = parseClean('driver "sub\\dir/my.filter.c" altitude 385100.5').drivers[0];
  assert.equal(sub.module, 'my.filter');
  assert.equal(sub.altitude, 385100.5);
});

test('driver lines name C files, a .vcxproj or a folder', () => {
  const s = parseClean([
    'driver "a.c" "lib\\b.c" "c.c" altitude 320000',
    'driver "proj/filter.vcxproj"',
    'driver "drivers\\scanner/" altitude 360000',
    'driver "plain"',
  ].join('\n'));
  const [list, proj, folder, plain] = s.drivers;
  assert.equal(list.source, 'files');
  assert.deepEqual(list.paths.map((p) => [p.path, p.span.column, p.span.endColumn]), [['a.c', 8, 13], ['lib\\b.c', 14, 23], ['c.c', 24, 29]]);
  assert.deepEqual(list.moduleCandidates, ['a', 'b', 'c']);
  assert.equal(list.altitude, 320000);
  assert.deepEqual([proj.source, proj.module, proj.paths.length], ['vcxproj', 'filter', 1]);
  assert.deepEqual([folder.source, folder.module, folder.altitude], ['folder', 'scanner', 360000]);
  assert.deepEqual([plain.source, plain.module], ['folder', 'plain']);
});

test('driver lines refuse headers, C++ and projects mixed with files', () => {
  const codes = (text: string) => parseScenario(text).diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.column, d.message]);
  assert.deepEqual(codes('driver "a.c" "a.h"'), [['bad-driver', 14, '"a.h" is a header; a driver is built from .c files']]);
  assert.deepEqual(codes('driver "x.cpp"'), [], 'a C++ source is a driver file like a .c one');
  assert.deepEqual(codes('driver "x.sln"'), [['bad-driver', 8, '"x.sln" is a solution; a driver line names source files, a .vcxproj or a folder']]);
  assert.deepEqual(codes('driver "a.c" "f.vcxproj"'), [['bad-driver', 14, '"f.vcxproj" cannot share a driver line with other paths']]);
  assert.deepEqual(codes('driver "src" "a.c"'), [['bad-driver', 8, '"src" cannot share a driver line with other paths']]);
  assert.deepEqual(codes('driver "a.c" ""'), [['missing-string', 14, 'the driver path is empty']]);
  assert.deepEqual(codes('driver "a.c" "b.c" altitude'), [['missing-value', 20, "missing number after 'altitude'"]]);
  assert.deepEqual(codes('driver "a.c" "b.c" "a.c"'), [['bad-driver', 20, '"a.c" is listed twice on this driver line']]);
  assert.deepEqual(codes('driver "src\\A.c" "./src/a.c"'), [['bad-driver', 18, '"./src/a.c" is listed twice on this driver line']], 'one file however it is spelled');
  assert.deepEqual(codes('driver "a.c" "sub/a.c"'), [], 'two files of one name in two folders are two files');
});

test('unload and expect calls may name any file of a C-file driver before its files are read', () => {
  const { diagnostics } = parseScenario('driver "a.c" "b.c"\nunload b at 5\nexpect calls a!F 1\nexpect calls zz!F 1\n');
  assert.deepEqual(diagnostics.map((d) => [d.code, d.line, d.message]), [['unknown-module', 4, "no driver is named 'zz'"]]);
});

test('define keeps the rest of the line as the value, 1 when there is none', () => {
  const s = parseClean(`${CONTRACT}define DBG\ndefine TAG "a // b" // real comment\ndefine EXPR (1 << 4)\n`);
  assert.deepEqual(s.defines.map((d) => [d.name, d.value, d.line, d.nameSpan.column]), [
    ['COMPLETE_MODE', '2', 4, 8], ['DBG', '1', 14, 8], ['TAG', '"a // b"', 15, 8], ['EXPR', '(1 << 4)', 16, 8],
  ]);
});

test('io lines: `at` is the issue time, `offset` the file offset, `length` the byte count', () => {
  const s = parseClean(CONTRACT);
  const [io1, io2] = s.ios;
  assert.deepEqual(io1, {
    kind: 'io', line: 5, column: 1, endColumn: 65, text: String.raw`io #1 read "\Device\HarddiskVolume1\docs\a.txt" length 4096 at 0`,
    id: 1, idSpan: { line: 5, column: 4, endColumn: 6 }, op: 'read', major: 'IRP_MJ_READ',
    path: String.raw`\Device\HarddiskVolume1\docs\a.txt`, pathSpan: { line: 5, column: 12, endColumn: 48 },
    time: 0, length: 4096, flags: [],
  } satisfies IoStatement);
  assert.equal(io2.op, 'write');
  assert.equal(io2.time, 3);
  assert.equal(io2.length, 10);
  assert.equal(io2.offset, undefined);
  const more = parseClean(`driver "f.c"\nio #7 read "\\x" offset 0x200 at 5 length 512 nocache system-buffer synchronous`).ios[0];
  assert.deepEqual([more.offset, more.time, more.length, more.flags], [0x200, 5, 512, ['nocache', 'system-buffer', 'synchronous']]);
});

test('every operation parses and maps to its IRP major function', () => {
  const lines = IO_OP_NAMES.map((op, i) => `io #${i + 1} ${op} "\\f"`);
  const s = parseClean(`driver "f.c"\n${lines.join('\n')}`);
  assert.deepEqual(s.ios.map((io) => [io.op, io.major]), IO_OP_NAMES.map((op) => [op, IO_OPS[op]]));
  assert.equal(s.ios.find((io) => io.op === 'query-info')?.major, 'IRP_MJ_QUERY_INFORMATION');
  assert.equal(s.ios.find((io) => io.op === 'fsctl')?.major, 'IRP_MJ_FILE_SYSTEM_CONTROL');
});

test('flags, control codes and information classes', () => {
  const s = parseClean([
    'driver "f.c"',
    'io #1 read "\\a" fastio',
    'io #2 write "\\a" paging nocache async top-level-irp',
    'io #3 fsctl "\\a" code 0x90028 length 0',
    'io #4 query-info "\\a" class FileStandardInformation fastio',
    'io #5 set-info "\\a" class FileDispositionInformationEx',
    'io #6 create "\\a" nocache synchronous',
  ].join('\n'));
  assert.deepEqual(s.ios.map((io) => io.flags), [['fastio'], ['paging', 'nocache', 'async', 'top-level-irp'], [], ['fastio'], [], ['nocache', 'synchronous']]);
  assert.equal(s.ios[2].code, 0x90028);
  assert.equal(s.ios[2].length, 0);
  assert.equal(s.ios[3].infoClass, 'FileStandardInformation');
  assert.equal(s.ios[4].infoClass, 'FileDispositionInformationEx');
});

test('strings keep backslashes; only \\\\ and \\" are escapes', () => {
  const s = parseClean(String.raw`driver "f.c"
io #1 read "\Device\HarddiskVolume1\new\t.txt"
io #2 read "\\Device\\HarddiskVolume1\\new\\t.txt"
io #3 create "\Device\HarddiskVolume1\\"
scenario "say \"hi\""`);
  assert.equal(s.ios[0].path, String.raw`\Device\HarddiskVolume1\new\t.txt`, '\\n and \\t are not escapes');
  assert.equal(s.ios[1].path, s.ios[0].path, 'C-style doubled backslashes name the same path');
  assert.equal(s.ios[2].path, String.raw`\Device\HarddiskVolume1\ `.trimEnd(), 'a final backslash is written \\\\');
  assert.equal(s.title, 'say "hi"');
});

test('cancel and unload: io reference, optional module, times', () => {
  const s = parseClean(`${CONTRACT}unload counting at 12\n`);
  assert.deepEqual(s.cancels[0], { kind: 'cancel', line: 7, column: 1, endColumn: 15, text: 'cancel #1 at 2', io: 1, ioSpan: { line: 7, column: 8, endColumn: 10 }, time: 2 });
  assert.deepEqual(s.unloads[0], { kind: 'unload', line: 8, column: 1, endColumn: 13, text: 'unload at 10', time: 10 });
  assert.equal(s.unloads[1].module, 'counting');
  assert.deepEqual(s.unloads[1].moduleSpan, { line: 14, column: 8, endColumn: 16 });
  assert.equal(s.unloads[1].time, 12);
});

test('expectations of every form, with their spans', () => {
  const s = parseClean(`${CONTRACT.replace('expect no violations\n', '')}io #3 read "\\b"\nexpect #3 state done\nexpect #2 status 0xC0000120\nexpect no violation wi-bad-queue-type\nexpect output "queued \\"a\\""\nexpect no violations\n`);
  const byWhat = s.expectations.map((e) => e.what);
  assert.deepEqual(byWhat, ['status', 'calls', 'calls', 'violation', 'state', 'status', 'no-violation', 'output', 'no-violations']);
  const [status, calls, qualified, violation, state, hexStatus, noViolation, output, none] = s.expectations;
  assert.ok(status.what === 'status');
  assert.deepEqual([status.io, status.status, status.statusText, status.ioSpan], [1, 0xc0000120, 'STATUS_CANCELLED', { line: 9, column: 8, endColumn: 10 }]);
  assert.equal(status.text, 'expect #1 status STATUS_CANCELLED');
  assert.ok(calls.what === 'calls' && qualified.what === 'calls');
  assert.deepEqual([calls.module, calls.func, calls.count, calls.targetSpan], [undefined, 'CsqCompleteCanceledIo', 1, { line: 10, column: 14, endColumn: 35 }]);
  assert.deepEqual([qualified.module, qualified.func, qualified.count], ['counting', 'PreRead', 0]);
  assert.ok(violation.what === 'violation');
  assert.deepEqual([violation.rule, violation.ruleSpan], ['cpp-bad-status', { line: 12, column: 18, endColumn: 32 }]);
  assert.ok(state.what === 'state' && state.state === 'done');
  assert.ok(hexStatus.what === 'status' && hexStatus.status === 0xc0000120 && hexStatus.statusText === '0xC0000120');
  assert.ok(noViolation.what === 'no-violation' && noViolation.rule === 'wi-bad-queue-type');
  assert.ok(output.what === 'output' && output.output === 'queued "a"');
  assert.deepEqual([none.what, none.line, none.column, none.endColumn, none.text], ['no-violations', 18, 1, 21, 'expect no violations']);
});

test('environment settings: seed, processors, workers, files, registry values', () => {
  const s = parseClean(String.raw`driver "f.c"
seed 42
processors 4
workers delayed 3 critical 1
file "\Device\HarddiskVolume1\docs\a.txt" size 8192
registry "DebugFlags" dword 0x10
registry "Mode" string "fast"`);
  assert.equal(s.seed, 42);
  assert.equal(s.processors, 4);
  assert.deepEqual(s.workers, { delayed: 3, critical: 1 });
  assert.deepEqual(s.files.map((f) => [f.path, f.size, f.pathSpan.column]), [[String.raw`\Device\HarddiskVolume1\docs\a.txt`, 8192, 6]]);
  assert.deepEqual(s.registry.map((r) => [r.name, r.value]), [['DebugFlags', { type: 'dword', value: 16 }], ['Mode', { type: 'string', value: 'fast' }]]);
  assert.deepEqual(parseClean('driver "f.c"\nworkers critical 2').workers, { critical: 2 });
});

test('comments, blank lines, indentation, CRLF and tabs do not disturb positions', () => {
  const text = '// heading\r\n\r\n\tdriver "f.c"   // trailing\r\n    io #1   close   "\\a"\r\n';
  const s = parseClean(text);
  assert.deepEqual([s.drivers[0].line, s.drivers[0].column, s.drivers[0].pathSpan.column], [3, 2, 9]);
  assert.deepEqual([s.ios[0].line, s.ios[0].column, s.ios[0].idSpan.column, s.ios[0].pathSpan.column], [4, 5, 8, 21]);
  assert.equal(s.ios[0].text, 'io #1   close   "\\a"');
  assert.equal(parseScenario('').scenario.statements.length, 0);
});

test('forward references are fine: an expect may come before its io', () => {
  const s = parseClean('driver "f.c"\nexpect #4 status STATUS_SUCCESS\ncancel #4 at 9\nio #4 read "\\a" at 1');
  assert.equal(s.expectations.length, 1);
  assert.equal(s.cancels[0].io, 4);
});

test("a scan-section step may end with 'after N', the ticks the view stays mapped before its bytes are searched", () => {
  const r = parseScenario(String.raw`driver "a.c"
client "\P" reply ulong 1
client "\P" then scan-section output 0 find "X" infected ulong 1 clean ulong 2 after 7 when kind 0
client "\P" then scan-section output 0 find "X" infected ulong 1 clean ulong 2
client "\P" then scan-section output 0 find "X" infected ulong 1 clean ulong 2 after
`);
  const steps = r.scenario.clients.filter((c) => c.action === 'then').map((c) => (c.action === 'then' && c.step.step === 'scan-section' ? c.step.delay : -1));
  assert.deepEqual(steps, [7, 0]);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(errors.length, 1);
  assert.deepEqual([errors[0]!.line, errors[0]!.code], [5, 'missing-value']);
});
