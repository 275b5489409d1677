// The language server never dies or wedges on what a client sends: malformed frames are reported and
// skipped, requests with bad params get InvalidParams naming the parameter (never a JavaScript
// error), malformed notifications are logged and dropped. dist/server.js is spoken to byte by byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RawProcess, SERVER, type Message } from './adapterProcess';

async function withServer(body: (s: RawProcess) => Promise<void>): Promise<void> {
  const s = new RawProcess(SERVER, ['--stdio']);
  try {
    await s.call('initialize', { processId: null, rootUri: null, capabilities: {}, initializationOptions: { lintDelayMs: 0 } });
    s.notify('initialized', {});
    await body(s);
  } finally {
    s.kill();
  }
}

const JS_ERROR = /Cannot read properties|is not a function|is not iterable|Cannot destructure|undefined \(reading/;

test('a bad Content-Length, a body that is not JSON, a missing header, an absurd length: reported on stderr, skipped, and the next request answered', () => withServer(async (s) => {
  s.raw('Content-Length: abc\r\n\r\n{"jsonrpc":"2.0","id":90,"method":"shutdown"}');
  s.frame('not json at all');
  s.raw('X-Whatever: 1\r\n\r\n{}');
  s.raw('Content-Length: 99999999999\r\n\r\n');
  const r = await s.call('textDocument/hover', { textDocument: { uri: 'file:///none.c' }, position: { line: 0, character: 0 } });
  assert.equal(r.result, null);
  assert.ok(!s.messages.some((m) => m.id === 90), 'the garbled request was not taken for a real one');
  for (let i = 0; i < 50 && !/over the/.test(s.stderr); i++) await new Promise((res) => setTimeout(res, 20));
  for (const problem of [/Content-Length that is not a number \("abc"\)/, /a message body is not JSON/, /a message without a Content-Length header/, /a Content-Length of 99999999999 bytes, over the/]) assert.match(s.stderr, problem);
  assert.equal(s.proc.exitCode, null);
}));

test('requests with missing or ill-typed params get InvalidParams that names the parameter', () => withServer(async (s) => {
  const invalid = (m: Message, pattern: RegExp) => {
    assert.equal(m.error?.code, -32602, JSON.stringify(m));
    assert.match(m.error!.message, pattern);
    assert.doesNotMatch(m.error!.message, JS_ERROR);
  };
  invalid(await s.call('textDocument/hover', {}), /^textDocument\/hover: params\.textDocument is required$/);
  invalid(await s.call('textDocument/hover', null), /params\.textDocument is required/);
  invalid(await s.call('textDocument/hover', { textDocument: { uri: 'file:///a.c' }, position: { line: -5, character: 'x' } }), /params\.position\.line must be >= 0/);
  invalid(await s.call('textDocument/codeAction', { textDocument: { uri: 'file:///a.c' }, range: null, context: null }), /params\.range must be object/);
  const unknown = await s.call('fltsim/nothing', {});
  assert.equal(unknown.error?.code, -32601);
}));

test('malformed document notifications are logged and dropped; the documents that exist keep working', () => withServer(async (s) => {
  s.notify('textDocument/didOpen', {});
  s.notify('textDocument/didChange', { textDocument: { uri: 'file:///a.c' }, contentChanges: 'zz' });
  s.notify('textDocument/didOpen', { textDocument: { uri: 'file:///ok.c', languageId: 'c', version: 1, text: '#include <fltKernel.h>\nint x;\n' } });
  const published = await s.waitFor((m) => m.method === 'textDocument/publishDiagnostics' && (m.params as { uri?: string }).uri === 'file:///ok.c', 15_000, 'diagnostics of ok.c');
  assert.deepEqual((published.params as { diagnostics: unknown[] }).diagnostics, []);
  const logs = s.messages.filter((m) => m.method === 'window/logMessage').map((m) => String((m.params as { message: string }).message));
  assert.ok(logs.some((l) => /ignored a textDocument\/didOpen notification: textDocument\/didOpen: params\.textDocument is required/.test(l)), logs.join('\n'));
  assert.ok(logs.some((l) => /ignored a textDocument\/didChange notification: .*params\.textDocument\.version is required/.test(l)), logs.join('\n'));
  assert.ok(!logs.some((l) => JS_ERROR.test(l)), logs.join('\n'));
  // An edit whose range lies past the end of the document is clamped, as editors do, not fatal.
  s.notify('textDocument/didChange', { textDocument: { uri: 'file:///ok.c', version: 2 }, contentChanges: [{ range: { start: { line: 99, character: 0 }, end: { line: 120, character: 4 } }, text: 'int y;\n' }] });
  const after = await s.waitFor((m) => m.method === 'textDocument/publishDiagnostics' && (m.params as { version?: number }).version === 2, 15_000, 'diagnostics of version 2');
  assert.ok(after);
  assert.equal((await s.call('shutdown')).error, undefined);
}));
