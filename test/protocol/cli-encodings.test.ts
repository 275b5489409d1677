// One driver saved as Windows tools save it — CRLF, UTF-8 with a byte order mark, UTF-16 either way
// round, UTF-16 without a mark (test/fixtures/encodings/) — linted and run by the built CLI, and
// debugged through the adapter process: every line and column is the one the editor shows, which is
// where the `//~` markers of the UTF-8 original put them.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { ENCODING_FIXTURES, VARIANTS } from '../../scripts/write-encoding-fixtures';
import { expectedFindings } from '../unit/lint/fixtures';
import { StreamDebugClient } from './dapHelpers';

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const ORIGINAL = readFileSync(path.join(ENCODING_FIXTURES, 'lf', 'encfilter.c'), 'utf8');
const FOLDERS = ['lf', ...VARIANTS.map((v) => v.name)];
const EOL = new Map<string, string>([['lf', '\n'], ...VARIANTS.map((v) => [v.name, v.eol] as [string, string])]);

/** 1-based line of the first line of the original holding `text`. */
const lineOf = (text: string) => ORIGINAL.split('\n').findIndex((l) => l.includes(text)) + 1;

const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });

before(() => {
  if (!existsSync(CLI)) {
    const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
  }
});

interface JsonFinding {
  ruleId: string;
  range: { start: { line: number; column: number }; end: { line: number; column: number } };
  related: { range: { start: { line: number; column: number } } }[];
  fixes: { edits: { range: { start: { line: number; column: number } }; newText: string }[] }[];
}

test('lint: the findings of every encoding sit exactly where the markers say, and a fix inserts the file\'s own line ends', () => {
  const markers = expectedFindings(ORIGINAL).map((e) => [e.ruleId, e.line + 1, e.startColumn + 1, e.endColumn + 1]);
  assert.equal(markers.length, 2);
  for (const folder of FOLDERS) {
    const r = cli('lint', `test/fixtures/encodings/${folder}/encfilter.c`, '--format', 'json');
    assert.equal(r.status, 1, `${folder}: ${r.stderr}`);
    const findings = (JSON.parse(r.stdout) as { files: { findings: JsonFinding[] }[] }).files[0]!.findings;
    assert.deepEqual(findings.map((f) => [f.ruleId, f.range.start.line, f.range.start.column, f.range.end.column]), markers, folder);
    const nullCheck = findings.find((f) => f.ruleId === 'wi-alloc-null-unchecked')!;
    const allocation = lineOf('= FltAllocateGenericWorkItem();');
    assert.deepEqual([nullCheck.related[0]!.range.start.line, nullCheck.related[0]!.range.start.column], [allocation, ORIGINAL.split('\n')[allocation - 1]!.indexOf('FltAllocate') + 1]);
    const [edit] = nullCheck.fixes[0]!.edits;
    // After the allocation's semicolon, before the line break (not between \r and \n).
    assert.deepEqual([edit!.range.start.line, edit!.range.start.column], [allocation, ORIGINAL.split('\n')[allocation - 1]!.length + 1], folder);
    const eol = EOL.get(folder)!;
    assert.equal(edit!.newText.split(eol).length, 4, `${folder}: the NULL check is three new lines ending in ${JSON.stringify(eol)}`);
    if (eol === '\n') assert.ok(!edit!.newText.includes('\r'));
  }
});

test('run: every encoding gives the same report, with violations and events at the lines of the original', () => {
  const reports = FOLDERS.map((folder) => {
    const r = cli('run', `test/fixtures/encodings/${folder}/enc.fltsim`, '--json');
    assert.equal(r.status, 0, `${folder}: ${r.stderr}`);
    return JSON.parse(r.stdout.replaceAll(`encodings/${folder}/`, 'encodings/<variant>/')) as Record<string, unknown> & { violations: { line: number; file: string }[]; output: string[] };
  });
  const [lf] = reports;
  assert.deepEqual(lf!.violations.map((v) => [v.file, v.line]), [['test/fixtures/encodings/<variant>/encfilter.c', lineOf('HyperCriticalWorkQueue, Data)')]]);
  assert.deepEqual(lf!.output, ['encfilter: read 1 (é)']);
  for (let i = 1; i < reports.length; i++) assert.deepEqual(reports[i], lf, FOLDERS[i]);
});

test('debug: a breakpoint in the UTF-16 file stops at its line, and the frame\'s column counts characters as the editor does', async () => {
  for (const folder of ['utf16le', 'utf8-bom']) {
    const proc = spawn(process.execPath, [path.join(ROOT, 'dist', 'debugAdapter.js')], { stdio: ['pipe', 'pipe', 'inherit'] });
    const dc = new StreamDebugClient(proc.stdout!, proc.stdin!);
    dc.defaultTimeout = 15_000;
    try {
      await dc.initializeRequest({ adapterID: 'fltsim', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
      const source = path.join(ENCODING_FIXTURES, folder, 'encfilter.c');
      const line = lineOf('HyperCriticalWorkQueue, Data)');
      const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
      let verified: DebugProtocol.Breakpoint[] = [];
      await Promise.all([
        dc.launch({ scenario: path.join(ENCODING_FIXTURES, folder, 'enc.fltsim') } as DebugProtocol.LaunchRequestArguments),
        (async () => {
          await dc.waitForEvent('initialized');
          verified = (await dc.setBreakpointsRequest({ source: { path: source }, breakpoints: [{ line }] })).body.breakpoints;
          await dc.setExceptionBreakpointsRequest({ filters: [] });
          await dc.configurationDoneRequest();
        })(),
      ]);
      assert.deepEqual(verified.map((b) => [b.verified, b.line]), [[true, line]], folder);
      const stop = await stopped;
      const [frame] = (await dc.stackTraceRequest({ threadId: stop.body.threadId! })).body.stackFrames;
      // The statement starts after `/* «queue» 😀 */ `: 😀 is two UTF-16 units, as in the editor.
      const text = ORIGINAL.split('\n')[line - 1]!;
      assert.deepEqual([frame!.source?.path, frame!.line, frame!.column], [source, line, text.indexOf('status =') + 1], folder);
    } finally {
      proc.kill();
    }
  }
});
