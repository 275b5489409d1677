/**
 * Standalone debug adapter: VS Code (or DebugClient in the tests) starts this file as a process and
 * speaks DAP over stdin/stdout. `--server=PORT` serves one session per TCP connection instead, which
 * is how you debug the adapter itself.
 */
import '../shared/wasmTiering';
import * as net from 'node:net';
import { FltsimDebugSession } from './session';
import { warmUpEngine } from '../../engine';

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
  new FltsimDebugSession().start(process.stdin, process.stdout);
}
