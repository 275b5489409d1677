/**
 * The fuzz property over the language server process: a C document from the corpus, then random
 * edits (a range anywhere, even past the end, replaced by C fragments, garbage or nothing), with
 * hover and code-action requests at random positions (sometimes with params of the wrong shape) in
 * between. Every request is answered within its bound, no internal error reaches the client, and
 * what the server publishes for the last version equals a fresh lint of that text in this process.
 */
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { initLinter, lintText } from '../../engine';
import { RawProcess, SERVER } from '../protocol/adapterProcess';
import { internalErrorIn } from './internalErrors';
import { C_CORPUS } from './inputs';

export const LSP_BOUND_MS = 20_000;

const FRAGMENTS = ['', ' ', '\n', '{', '}', '(', ')', ';', 'FltCompletePendedPreOperation(Data, FLT_PREOP_COMPLETE, NULL);', 'return FLT_PREOP_PENDING;',
  'KIRQL old; KeAcquireSpinLock(&Lock, &old);', 'if (x) {', '/*', '*/', '"', '#if 0\n', '#endif\n', 'FltQueueGenericWorkItem(i, o, W, HyperCriticalWorkQueue, c);',
  '\u0000', '\u001b[2J', '😀', 'é', '\r\n', '{'.repeat(300), '('.repeat(300), '// fltsim-disable-next-line wi-bad-queue-type\n',
  // Half-typed C, as an editor sends it keystroke by keystroke.
  'Flt', 'FltGetFileNameInformation(Data, ', 'status = FltQueueGenericWorkItem(', 'if (Data->Iopb->', 'PFLT_', 'FLT_PREOP_CALLBACK_STATUS Pre(PFLT_CALLBACK_DATA Data,',
  '#include <', '#include "', '#define X(a) ', 'struct _CTX {', 'case IRP_MJ_', 'KeAcquireSpinLock(&', 'L"\\Device\\', "'ab", 'const FLT_OPERATION_REGISTRATION Ops[] = { { IRP_MJ_CREATE, 0, '];

const position = fc.record({ line: fc.integer({ min: -2, max: 400 }), character: fc.integer({ min: -2, max: 200 }) });

export type LspStep =
  | { kind: 'edit'; start: { line: number; character: number }; end: { line: number; character: number }; text: string }
  | { kind: 'replaceAll'; text: string }
  | { kind: 'hover'; at: { line: number; character: number }; broken: boolean }
  | { kind: 'codeAction'; at: { line: number; character: number }; broken: boolean };

export interface LspSession {
  file: number;
  steps: LspStep[];
}

const step: fc.Arbitrary<LspStep> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('edit' as const), start: position, end: position, text: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 12 })) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('replaceAll' as const), text: fc.constantFrom('', 'int x;', '#include <fltKernel.h>\n') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('hover' as const), at: position, broken: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('codeAction' as const), at: position, broken: fc.boolean() }) },
);

export const lspSession: fc.Arbitrary<LspSession> = fc.record({ file: fc.nat(C_CORPUS.length - 1), steps: fc.array(step, { minLength: 1, maxLength: 25 }) });

/** A position as a client may send it: negative numbers are clamped, as editors never send them. */
const clamp = (p: { line: number; character: number }) => ({ line: Math.max(0, p.line), character: Math.max(0, p.character) });

export async function checkLspSession(s: LspSession): Promise<void> {
  await initLinter();
  const uri = 'file:///fuzz/driver.c';
  let doc = TextDocument.create(uri, 'c', 1, C_CORPUS[s.file]!.text);
  const input = `${doc.getText()} ${JSON.stringify(s.steps)}`;
  const server = new RawProcess(SERVER, ['--stdio']);
  try {
    await server.call('initialize', { processId: null, rootUri: null, capabilities: {}, initializationOptions: { lintDelayMs: 0 } }, LSP_BOUND_MS);
    server.notify('initialized', {});
    server.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'c', version: 1, text: doc.getText() } });
    for (const st of s.steps) {
      if (st.kind === 'edit' || st.kind === 'replaceAll') {
        const change = st.kind === 'edit' ? { range: { start: clamp(st.start), end: clamp(st.end) }, text: st.text } : { text: st.text };
        doc = TextDocument.update(doc, [change], doc.version + 1);
        server.notify('textDocument/didChange', { textDocument: { uri, version: doc.version }, contentChanges: [change] });
      } else {
        const method = st.kind === 'hover' ? 'textDocument/hover' : 'textDocument/codeAction';
        const at = st.broken ? st.at : clamp(st.at);
        const params = st.kind === 'hover'
          ? { textDocument: { uri }, position: at }
          : { textDocument: { uri }, range: { start: at, end: at }, context: st.broken ? {} : { diagnostics: [] } };
        const r = await server.call(method, params, LSP_BOUND_MS);
        if (r.error && r.error.code !== -32602) throw new Error(`${method} failed: ${JSON.stringify(r.error)}`);
      }
    }
    // The publish for the last version, compared with a fresh lint of the same text.
    const version = doc.version;
    const published = await server.waitFor((m) => m.method === 'textDocument/publishDiagnostics' && (m.params as { version?: number }).version === version, LSP_BOUND_MS, `diagnostics of version ${version}`);
    const got = ((published.params as { diagnostics: { code?: string; message: string; range: unknown }[] }).diagnostics).map((d) => ({ code: d.code, message: d.message, range: d.range }));
    const fresh = lintText(doc.getText());
    const want = [
      ...fresh.findings.map((f) => ({ code: f.ruleId, message: f.message, range: { start: { line: f.range.start.line, character: f.range.start.column }, end: { line: f.range.end.line, character: f.range.end.column } } })),
      ...fresh.notes.map((n) => ({ code: 'parse', message: n.message, range: { start: { line: n.range.start.line, character: n.range.start.column }, end: { line: n.range.end.line, character: n.range.end.column } } })),
    ];
    if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`the server's diagnostics for version ${version} differ from a fresh lint:\n${JSON.stringify(got).slice(0, 400)}\n---\n${JSON.stringify(want).slice(0, 400)}`);
    for (const m of server.messages) {
      const text = m.error?.message ?? (m.method === 'window/logMessage' ? String((m.params as { message?: string }).message) : '') ?? '';
      const hit = text && internalErrorIn(text, input);
      if (hit) throw new Error(`internal error reached the client: '${hit}' in ${JSON.stringify(text.slice(0, 300))}`);
    }
    const stderrHit = internalErrorIn(server.stderr, input);
    if (stderrHit) throw new Error(`internal error on the server's stderr: '${stderrHit}'`);
    await server.call('shutdown', undefined, LSP_BOUND_MS);
    server.notify('exit');
    await server.exitWithin(5000);
  } finally {
    server.kill();
  }
}
