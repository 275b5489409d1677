/**
 * The timeline panel beside the editor. Its picture comes from a fltsim debug session (the adapter's
 * `fltsimTimeline` request, asked again at every stop) or, for a scenario with no session, from
 * `fltsim run --timeline` run as a process; the extension host never runs the engine. Clicking an
 * event opens its source line and, in a session, asks the adapter to go to that moment.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HostMessage, ViewMessage } from '../../webview/timeline/protocol';
import { timelineInvocation, type CliInvocation } from '../cliInvocation';
import { DEBUG_TYPE } from '../commandIds';

export const TIMELINE_VIEW_TYPE = 'fltsim.timeline';

/** A run is of the scenario's own schedule, or of one `fltsim explore` recorded in a replay file. */
type Binding = { kind: 'session'; session: vscode.DebugSession; ended: boolean } | { kind: 'run'; scenario: string; replay?: string };

/** Runs the bundled CLI; resolves with its output, or rejects with what it printed on stderr. */
export function runCli(inv: CliInvocation, timeoutMs = 120_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(inv.command, inv.args, { cwd: inv.cwd, env: { ...process.env, ...inv.env }, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      // Exit 1 is a run whose expectations failed: its output is as good as any.
      const code = err && typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : err ? -1 : 0;
      if (code === 0 || code === 1) resolve(stdout);
      else reject(new Error(stderr.trim() || (err as Error).message));
    });
  });
}

export class TimelinePanel {
  private panel: vscode.WebviewPanel | undefined;
  private binding: Binding | undefined;
  private ready = false;
  private last: HostMessage | undefined;
  private refreshing: Promise<void> | undefined;
  private again = false;

  constructor(private readonly context: vscode.ExtensionContext) {
    context.subscriptions.push(
      vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, {
        createDebugAdapterTracker: (session) => ({
          onDidSendMessage: (m: { type?: string; event?: string }) => {
            if (m.type === 'event' && m.event === 'stopped' && this.boundTo(session)) void this.refresh();
          },
        }),
      }),
      // Debugging the scenario whose run the panel shows: the panel follows the session instead.
      vscode.debug.onDidStartDebugSession((session) => {
        const b = this.binding;
        if (this.panel && session.type === DEBUG_TYPE && b?.kind === 'run' && session.configuration.scenario === b.scenario && session.configuration.replay === b.replay) {
          this.binding = { kind: 'session', session, ended: false };
          this.panel.title = `Timeline: ${session.name}`;
        }
      }),
      vscode.debug.onDidTerminateDebugSession((session) => {
        if (!this.boundTo(session) || this.binding?.kind !== 'session') return;
        this.binding.ended = true;
        this.send({ type: 'status', text: 'the debug session ended: this is where it stood', live: false });
      }),
    );
  }

  /** The bound scenario or debug session, for the explain command. */
  get bound(): Binding | undefined {
    return this.binding;
  }

  private boundTo(session: vscode.DebugSession): boolean {
    return this.binding?.kind === 'session' && this.binding.session.id === session.id;
  }

  async showSession(session: vscode.DebugSession): Promise<void> {
    this.binding = { kind: 'session', session, ended: false };
    this.open(`Timeline: ${session.name}`);
    await this.refresh();
  }

  async showRun(scenario: string, replay?: string): Promise<void> {
    this.binding = replay === undefined ? { kind: 'run', scenario } : { kind: 'run', scenario, replay };
    this.open(`Timeline: ${path.basename(scenario)}${replay === undefined ? '' : ' (recorded schedule)'}`);
    this.send({ type: 'status', text: `running ${path.basename(scenario)}…`, live: false });
    await this.refresh();
  }

  /** Asks for the timeline again; calls made while one is under way collapse into one more. */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.again = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.again = false;
        await this.load();
      } while (this.again);
      this.refreshing = undefined;
    })();
    return this.refreshing;
  }

  private async load(): Promise<void> {
    const b = this.binding;
    if (!b) return;
    try {
      if (b.kind === 'session') {
        if (b.ended) return;
        const timeline = await b.session.customRequest('fltsimTimeline');
        this.send({ type: 'timeline', timeline, live: true, source: 'debug session' });
        return;
      }
      const dir = mkdtempSync(path.join(tmpdir(), 'fltsim-timeline-'));
      try {
        const out = path.join(dir, 'timeline.json');
        await runCli(timelineInvocation(process.execPath, this.context.extensionPath, b.scenario, out, b.replay));
        const timeline = JSON.parse(readFileSync(out, 'utf8'));
        const source = `fltsim run ${path.basename(b.scenario)}${b.replay === undefined ? '' : ` --replay ${path.basename(b.replay)}`}`;
        this.send({ type: 'timeline', timeline, live: false, source });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    } catch (e) {
      const message = (e as Error).message;
      this.send({ type: 'status', text: `no timeline: ${message}`, live: false });
      void vscode.window.showErrorMessage(`fltsim: the timeline could not be made: ${message}`);
    }
  }

  private open(title: string): void {
    if (this.panel) {
      this.panel.title = title;
      this.panel.reveal(vscode.ViewColumn.Beside, true);
      return;
    }
    const dist = vscode.Uri.joinPath(this.context.extensionUri, 'dist');
    const panel = vscode.window.createWebviewPanel(TIMELINE_VIEW_TYPE, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [dist],
    });
    this.panel = panel;
    this.ready = false;
    panel.webview.html = this.html(panel.webview, dist);
    panel.webview.onDidReceiveMessage((m: ViewMessage) => void this.onMessage(m), undefined, this.context.subscriptions);
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.binding = undefined;
      this.last = undefined;
    }, undefined, this.context.subscriptions);
  }

  private html(webview: vscode.Webview, dist: vscode.Uri): string {
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'timelineView.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'timelineView.css'));
    const csp = `default-src 'none'; style-src ${webview.cspSource}; script-src 'nonce-${nonce}'; img-src ${webview.cspSource}; font-src ${webview.cspSource}`;
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>fltsim timeline</title>
</head>
<body>
<div id="fltsim-timeline"></div>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }

  private send(m: HostMessage): void {
    if (m.type === 'timeline') this.last = m;
    if (this.panel && this.ready) void this.panel.webview.postMessage(m);
  }

  private async onMessage(m: ViewMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.ready = true;
        if (this.last) void this.panel?.webview.postMessage(this.last);
        return;
      case 'open': {
        if (m.file && m.line) {
          const line = Math.max(0, m.line - 1);
          await vscode.window.showTextDocument(vscode.Uri.file(m.file), { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(line, 0, line, 0), preserveFocus: false });
        }
        const b = this.binding;
        if (m.goto && b?.kind === 'session' && !b.ended) {
          try {
            await b.session.customRequest('fltsimGoToEvent', { seq: m.seq });
          } catch (e) {
            void vscode.window.showErrorMessage(`fltsim: cannot go to that moment: ${(e as Error).message}`);
          }
        }
        return;
      }
      case 'explain':
        await vscode.commands.executeCommand('fltsim.explainCallbackData', m.data);
        return;
    }
  }
}
