/**
 * Standalone debug adapter: VS Code (or DebugClient in the tests) starts this file as a process and
 * speaks DAP over stdin/stdout. `--server=PORT` serves one session per TCP connection instead, which
 * is how you debug the adapter itself.
 */
import '../shared/wasmTiering';
import * as net from 'node:net';
import { FltsimDebugSession } from './session';
import { warmUpEngine } from '../../engine';
import { FrameFilter } from '../shared/framing';

// A bug that escapes a handler is logged, not fatal: the editor keeps its debug session, and the
// request concerned has already been answered or will time out in the client.
process.on('unhandledRejection', (reason) => process.stderr.write(`fltsim debug adapter: internal error: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}\n`));

// Load the C parser and the compiled prelude while VS Code is still handshaking (initialize,
// breakpoints), so the launch request finds them ready.
setImmediate(() => void warmUpEngine());

const serverArg = process.argv.find((a) => a.startsWith('--server='));
if (serverArg) {
  const port = Number(serverArg.slice('--server='.length));
  net.createServer((socket) => {
    const session = new FltsimDebugSession();
    session.setRunAsServer(true);
    session.start(socket, socket);
  }).listen(port, '127.0.0.1');
} else {
  // No SIGTERM handler: the default action ends the process at once, even in the middle of a slice.
  const session = new FltsimDebugSession();
  // Malformed framing is reported and skipped (extension/shared/framing.ts); only good frames reach the session.
  const input = process.stdin.pipe(new FrameFilter((problem) => session.reportProtocolProblem(problem)));
  session.start(input, process.stdout);
}
