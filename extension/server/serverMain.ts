/**
 * Language server entry: VS Code's language client starts this file as a process (stdio or IPC).
 * The bundle's folder is passed on so the server can link diagnostics to the rule pages shipped
 * beside it.
 */
import '../shared/wasmTiering';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

startServer(createConnection(ProposedFeatures.all), { bundleDir: __dirname });
