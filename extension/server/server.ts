/**
 * The fltsim language server: keeps open documents in sync and answers LSP requests from the
 * engine's lint rules.
 */
import { TextDocuments, TextDocumentSyncKind, type Connection, type InitializeResult } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ENGINE_VERSION } from '../../engine';

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);

  connection.onInitialize((): InitializeResult => ({
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
    },
    serverInfo: { name: 'fltsim', version: ENGINE_VERSION },
  }));

  documents.listen(connection);
  connection.listen();
}
