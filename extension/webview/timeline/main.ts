/**
 * The timeline webview's entry: connects the view to the extension through the webview API and
 * keeps the last timeline in the webview's state, so a hidden panel comes back as it was.
 */
import type { HostMessage, ViewMessage } from './protocol';
import { TimelineView } from './view';

interface VsCodeApi {
  postMessage(message: ViewMessage): void;
  getState(): HostMessage | undefined;
  setState(state: HostMessage): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('fltsim-timeline')!;
const view = new TimelineView(root, (m) => vscode.postMessage(m));
(window as unknown as { fltsimTimeline: TimelineView }).fltsimTimeline = view;

window.addEventListener('message', (e: MessageEvent<HostMessage>) => {
  const m = e.data;
  if (!m || (m.type !== 'timeline' && m.type !== 'status')) return;
  if (m.type === 'timeline') vscode.setState(m);
  view.receive(m);
});

const saved = vscode.getState();
if (saved) view.receive(saved);
vscode.postMessage({ type: 'ready' });
