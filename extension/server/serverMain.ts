/**
 * Language server entry: VS Code's language client starts this file as a process (stdio or IPC).
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

startServer(createConnection(ProposedFeatures.all));
