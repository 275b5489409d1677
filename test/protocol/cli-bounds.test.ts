// `fltsim run` on inputs built to exhaust it: each ends with an error at a line, exit 2, in bounded
// time and memory, never "internal error".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const dir = mkdtempSync(path.join(tmpdir(), 'fltsim-bounds-'));
const ENTRY = 'NTSTATUS DriverEntry(PDRIVER_OBJECT D, PUNICODE_STRING R) { return STATUS_SUCCESS; }\n';

function run(name: string, driver: string, scenarioExtra = '', ...args: string[]) {
  writeFileSync(path.join(dir, `${name}.c`), `#include <fltKernel.h>\n${driver}`);
  writeFileSync(path.join(dir, `${name}.fltsim`), `driver "${name}.c"\n${scenarioExtra}expect no violations\n`);
  // The heap cap makes exhausting memory fail this test instead of the machine.
  return spawnSync(process.execPath, ['--max-old-space-size=512', 'dist/cli.js', 'run', path.join(dir, `${name}.fltsim`), ...args], { encoding: 'utf8', timeout: 60_000 });
}

test('a macro that expands to 2^32 tokens is a compile error naming the macro-tokens limit, not a hang', () => {
  const defs = ['#define M0 x'];
  for (let i = 1; i <= 32; i++) defs.push(`#define M${i} M${i - 1} M${i - 1}`);
  const r = run('macro', `${defs.join('\n')}\nint Table[] = { M32 };\n${ENTRY}`);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /macro\.c:35:\d+: error: macro expansion produced more than 500,000 tokens .*`limit macro-tokens N`/);
  assert.doesNotMatch(r.stderr, /internal error/);
  const higher = run('macro', `${defs.slice(0, 19).join('\n')}\nint Table[] = { M18 };\n${ENTRY}`, 'limit macro-tokens 100000\n');
  assert.equal(higher.status, 2);
  assert.match(higher.stderr, /more than 100,000 tokens/, 'the scenario sets the limit');
});

test('10,000 nested blocks, 3,000 parentheses: an error at the line, exit 2', () => {
  for (const [name, body] of [['blocks', `${'{'.repeat(10_000)}${'}'.repeat(10_000)}`], ['parens', `int x = ${'('.repeat(3000)}1${')'.repeat(3000)};`]]) {
    const r = run(name, `void Deep(void)\n{\n${body}\n}\n${ENTRY}`);
    assert.equal(r.status, 2, `${name}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, new RegExp(`${name}\\.c:4:\\d+: error: nested more than 256 levels deep`));
    assert.doesNotMatch(r.stderr, /Maximum call stack|internal error/);
  }
});

test('recursion deeper than the depth limit stops the run at the call, naming the depth limit', () => {
  const r = run('recurse', `int Down(int n) { return n == 0 ? 0 : 1 + Down(n - 1); }\nNTSTATUS DriverEntry(PDRIVER_OBJECT D, PUNICODE_STRING R) { return Down(100000); }\n`, '', '--limit', 'depth=50');
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /Run stopped: .*recurse\.c:2:\d+: more than 50 nested calls when calling Down .*raise it with `limit depth N`/);
});

test('fltsim run tells a folder, a missing file and a FIFO apart', () => {
  const cli = (arg: string) => spawnSync(process.execPath, ['dist/cli.js', 'run', arg], { encoding: 'utf8', timeout: 30_000 });
  const folder = cli(dir);
  assert.equal(folder.status, 2);
  assert.match(folder.stderr, /error: cannot read the scenario file '.*': it is a directory, not a file/);
  assert.match(cli(path.join(dir, 'nothere.fltsim')).stderr, /it does not exist/);
  assert.equal(spawnSync('mkfifo', [path.join(dir, 'fifo.c')]).status, 0);
  writeFileSync(path.join(dir, 'fifo.fltsim'), 'driver "fifo.c"\n');
  const fifo = cli(path.join(dir, 'fifo.fltsim'));
  assert.equal(fifo.signal, null, 'reading the FIFO did not block');
  assert.equal(fifo.status, 2);
  assert.match(fifo.stderr, /fifo\.c:1:1: error: cannot read '.*fifo\.c': it is a FIFO \(named pipe\), not a regular file/);
});

test('terminal escapes in the scenario title and the driver\'s debug output reach the terminal as visible text', () => {
  const name = 'escapes';
  writeFileSync(path.join(dir, `${name}.c`), '#include <fltKernel.h>\nNTSTATUS DriverEntry(PDRIVER_OBJECT D, PUNICODE_STRING R) {\n    DbgPrint("\\x1b[2J\\x1b]0;owned\\x07 hello\\n");\n    return STATUS_SUCCESS;\n}\n');
  writeFileSync(path.join(dir, `${name}.fltsim`), `scenario "bad \x1b[31mtitle\u202e"\ndriver "${name}.c"\nexpect no violations\n`);
  const r = spawnSync(process.execPath, ['dist/cli.js', 'run', path.join(dir, `${name}.fltsim`)], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  // eslint-disable-next-line no-control-regex -- looking for raw control characters is the point
  assert.doesNotMatch(r.stdout + r.stderr, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
  assert.match(r.stdout, /^bad \\x1b\[31mtitle\\u202e {2}\(seed/m);
  assert.match(r.stdout, /\\x1b\[2J\\x1b\]0;owned\\x07 hello/);
  const json = spawnSync(process.execPath, ['dist/cli.js', 'run', path.join(dir, `${name}.fltsim`), '--json'], { encoding: 'utf8', timeout: 60_000 });
  // eslint-disable-next-line no-control-regex -- as above
  assert.doesNotMatch(json.stdout, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
  const report = JSON.parse(json.stdout);
  assert.equal(report.title, 'bad \x1b[31mtitle\u202e', 'JSON keeps the value, escaped');
});

test('a pointer stored in IoStatus.Information is reported exactly in --json, as a decimal string past 2^53 (found by npm run fuzz)', () => {
  const name = 'information';
  writeFileSync(path.join(dir, `${name}.c`), `#include <fltKernel.h>
PFLT_FILTER Filter;
FLT_PREOP_CALLBACK_STATUS PreRead(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *CompletionContext)
{
    UNREFERENCED_PARAMETER(FltObjects);
    *CompletionContext = NULL;
    Data->IoStatus.Status = STATUS_SUCCESS;
    Data->IoStatus.Information = (ULONG_PTR)L"where";
    return FLT_PREOP_COMPLETE;
}
CONST FLT_OPERATION_REGISTRATION Callbacks[] = { { IRP_MJ_READ, 0, PreRead, NULL }, { IRP_MJ_OPERATION_END } };
CONST FLT_REGISTRATION Registration = { sizeof(FLT_REGISTRATION), FLT_REGISTRATION_VERSION, 0, NULL, Callbacks };
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    NTSTATUS status;
    UNREFERENCED_PARAMETER(RegistryPath);
    status = FltRegisterFilter(DriverObject, &Registration, &Filter);
    if (!NT_SUCCESS(status)) return status;
    status = FltStartFiltering(Filter);
    if (!NT_SUCCESS(status)) FltUnregisterFilter(Filter);
    return status;
}
`);
  writeFileSync(path.join(dir, `${name}.fltsim`), `driver "${name}.c"\nio #1 read "\\Device\\HarddiskVolume1\\a.txt"\nexpect #1 status STATUS_SUCCESS\n`);
  const r = spawnSync(process.execPath, ['dist/cli.js', 'run', path.join(dir, `${name}.fltsim`), '--json'], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const report = JSON.parse(r.stdout);
  assert.match(report.ios[0].information, /^1844\d{16}$/, 'the kernel address of the literal, as a string');
  assert.ok(BigInt(report.ios[0].information) > BigInt(Number.MAX_SAFE_INTEGER));
});
