// A CRLF driver as VS Code on Windows sends it to the language server (CRLF line ends; the editor has
// already dropped any byte order mark): diagnostics, hovers and quick fixes at the lines and columns
// of the `//~` markers, and edits that insert CRLF. The text is the encoding fixture's original.
// Needs `npm run build`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ENCODING_FIXTURES } from '../../scripts/write-encoding-fixtures';
import { expectedFindings } from '../unit/lint/fixtures';
import { fileUri, LspClient, range } from './lspHelpers';

const ORIGINAL = readFileSync(path.join(ENCODING_FIXTURES, 'lf', 'encfilter.c'), 'utf8');
const LINES = ORIGINAL.split('\n');

test('a CRLF document gets its findings, hovers and quick fixes where the markers are, and fixes keep CRLF', async () => {
  const client = await LspClient.start({ initializationOptions: { lintDelayMs: 0 } });
  try {
    const uri = fileUri(path.join(ENCODING_FIXTURES, 'crlf', 'encfilter.c'));
    const since = client.mark();
    client.open(uri, 'c', ORIGINAL.replace(/\n/g, '\r\n'), 1);
    const published = await client.diagnostics(uri, since, (p) => p.version === 1);
    const markers = expectedFindings(ORIGINAL);
    assert.deepEqual(published.diagnostics.map((d) => [d.code, d.range]), markers.map((m) => [m.ruleId, range(m.line, m.startColumn, m.line, m.endColumn)]));

    // Hover on the routine name after `/* «queue» 😀 */`: the range counts UTF-16 units, as the editor does.
    const line = markers[0]!.line;
    const start = LINES[line]!.indexOf('FltQueueGenericWorkItem');
    const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: { line, character: start + 3 } });
    assert.match(hover.contents.value, /^\*\*FltQueueGenericWorkItem\*\*/);
    assert.deepEqual(hover.range, range(line, start, line, start + 'FltQueueGenericWorkItem'.length));
    const atEnd = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: LINES.findIndex((l) => l.includes('FltFreeGenericWorkItem(item)')), character: LINES.find((l) => l.includes('FltFreeGenericWorkItem(item)'))!.length } });
    assert.equal(atEnd, null, 'the end of a CRLF line is past the `;`, not on a word');

    // The NULL check goes after the allocation's `;`, before the \r\n, and is made of CRLF lines.
    const nullCheck = published.diagnostics.find((d) => d.code === 'wi-alloc-null-unchecked')!;
    const actions = await client.request<any[]>('textDocument/codeAction', { textDocument: { uri }, range: nullCheck.range, context: { diagnostics: [nullCheck] } });
    const allocation = LINES.findIndex((l) => l.includes('= FltAllocateGenericWorkItem();'));
    const [fix, disable] = actions;
    assert.equal(fix.title, "Add a NULL check for 'item'");
    const [edit] = fix.edit.changes[uri];
    assert.deepEqual(edit.range, range(allocation, LINES[allocation]!.length, allocation, LINES[allocation]!.length));
    assert.equal(edit.newText, '\r\n    if (item == NULL) {\r\n        return FLT_PREOP_SUCCESS_NO_CALLBACK;\r\n    }');
    assert.deepEqual(disable.edit.changes[uri], [{ range: range(line, 0, line, 0), newText: '    // fltsim-disable-next-line wi-alloc-null-unchecked\r\n' }]);
  } finally {
    await client.stop();
  }
});
