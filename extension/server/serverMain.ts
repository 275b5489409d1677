/**
 * Language server entry: VS Code's language client starts this file as a process (stdio or IPC).
 * The bundle's folder is passed on so the server can link diagnostics to the rule pages shipped
 * beside it. Over stdio, the input goes through FrameFilter first (extension/shared/framing.ts): a
 * malformed header or body is reported on stderr and skipped instead of wedging the connection.
 */
import '../shared/wasmTiering';
import { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { FrameFilter } from '../shared/framing';
import { startServer } from './server';

// A bug that escapes a handler is logged, not fatal: the editor keeps its diagnostics and hovers.
process.on('unhandledRejection', (reason) => process.stderr.write(`fltsim language server: internal error: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}\n`));

const connection = process.argv.includes('--stdio')
  ? createConnection(
    ProposedFeatures.all,
    new StreamMessageReader(process.stdin.pipe(new FrameFilter((problem) => process.stderr.write(`fltsim language server: ${problem}\n`)))),
    new StreamMessageWriter(process.stdout),
  )
  : createConnection(ProposedFeatures.all);
startServer(connection, { bundleDir: __dirname });
