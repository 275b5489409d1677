// What could not be parsed reaches every output format, beside the findings.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatJson, formatSarif, formatText, initLinter, lintText, LINT_RULES, JSON_REPORT_VERSION, type FileReport } from '../../../engine/lint';

const TOOL = { name: 'fltsim', version: '0.0.0', informationUri: 'file:///README.md' };
let broken: FileReport;
before(async () => {
  await initLinter();
  broken = { path: 'drv/broken.c', result: lintText('#include <fltKernel.h>\nNTSTATUS Broken(PVOID p)\n{\n    int x = @@ 3;\n    return 0;\n}\n') };
});

test('text: a note line at the construct, before the file\'s findings', () => {
  assert.equal(formatText([broken]), 'drv/broken.c:4:13: note: fltsim could not parse `@@` (line 4) in Broken; the checks that follow its paths skip Broken\n');
});

test('JSON (version 3): each file lists its notes with the construct, range and function', () => {
  const report = JSON.parse(formatJson([broken], TOOL));
  assert.equal(report.version, JSON_REPORT_VERSION);
  assert.equal(JSON_REPORT_VERSION, 3);
  assert.deepEqual(report.files[0].notes, [{
    message: 'fltsim could not parse `@@` (line 4) in Broken; the checks that follow its paths skip Broken',
    construct: '@@',
    range: { start: { line: 4, column: 13 }, end: { line: 4, column: 15 } },
    function: 'Broken',
  }]);
});

test('SARIF: parse notes are toolExecutionNotifications at note level, with their region', () => {
  const sarif = JSON.parse(formatSarif([broken], LINT_RULES, TOOL));
  const notes = sarif.runs[0].invocations[0].toolExecutionNotifications;
  assert.equal(notes.length, 1);
  assert.equal(notes[0].level, 'note');
  assert.match(notes[0].message.text, /could not parse `@@`/);
  assert.deepEqual(notes[0].locations[0].physicalLocation.region, { startLine: 4, startColumn: 13, endLine: 4, endColumn: 15 });
  assert.deepEqual(sarif.runs[0].results, []);
});
