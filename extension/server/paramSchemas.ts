/**
 * The params of the LSP messages the server handles, as JSON Schema checked before a handler runs
 * (extension/shared/schemaCheck.ts). A request that does not match gets an InvalidParams error that
 * names the parameter; a notification that does not match is logged and dropped. Either way no
 * JavaScript error ("Cannot read properties of undefined") reaches the client.
 */
import type { Connection } from 'vscode-languageserver/node';
import { integer, obj, schemaChecker, str, type Schema } from '../shared/schemaCheck';

const position = obj({ line: integer(0), character: integer(0) }, ['line', 'character']);
const range = obj({ start: position, end: position }, ['start', 'end']);
const documentId = obj({ uri: str }, ['uri']);
const versioned = obj({ uri: str, version: integer() }, ['uri', 'version']);

export const PARAM_SCHEMAS: Readonly<Record<string, Schema>> = {
  'textDocument/hover': obj({ textDocument: documentId, position }, ['textDocument', 'position']),
  'textDocument/codeAction': obj({ textDocument: documentId, range, context: obj({ diagnostics: { type: 'array' }, only: { type: 'array', items: str } }, ['diagnostics']) }, ['textDocument', 'range', 'context']),
  'textDocument/didOpen': obj({ textDocument: obj({ uri: str, languageId: str, version: integer(), text: str }, ['uri', 'languageId', 'version', 'text']) }, ['textDocument']),
  'textDocument/didChange': obj({
    textDocument: versioned,
    contentChanges: { type: 'array', items: obj({ range, text: str }, ['text']) },
  }, ['textDocument', 'contentChanges']),
  'textDocument/didClose': obj({ textDocument: documentId }, ['textDocument']),
};

/** Undefined when the params are well-formed (or the method has no schema), else why not. */
export const checkParams = schemaChecker(PARAM_SCHEMAS, 'params');

/**
 * The connection as TextDocuments sees it: document notifications with malformed params are logged
 * and dropped before they reach it.
 */
export function guardedDocumentEvents(connection: Connection, log: (message: string) => void): Connection {
  const guard = <P>(method: string, register: (handler: (params: P) => void) => unknown) => (handler: (params: P) => void) =>
    register((params: P) => {
      const problem = checkParams(method, params);
      if (problem !== undefined) log(`fltsim: ignored a ${method} notification: ${problem}`);
      else handler(params);
    });
  const overrides: Record<string, unknown> = {
    onDidOpenTextDocument: guard('textDocument/didOpen', (h) => connection.onDidOpenTextDocument(h)),
    onDidChangeTextDocument: guard('textDocument/didChange', (h) => connection.onDidChangeTextDocument(h)),
    onDidCloseTextDocument: guard('textDocument/didClose', (h) => connection.onDidCloseTextDocument(h)),
  };
  return new Proxy(connection, { get: (target, key, receiver) => (typeof key === 'string' && key in overrides ? overrides[key] : Reflect.get(target, key, receiver)) });
}
