/**
 * The Test Explorer: every `.fltsim` file in the workspace is a test, each `expect` line a child.
 * Profiles: Run (the scenario's own seed), Debug (the `fltsim` debugger on the scenario), "Run
 * under seeds" (seeds 1..fltsim.testing.seeds, each failing seed reported), and Explore (`fltsim
 * explore` under the fltsim.explore.* settings; a failing schedule is a failure with a button that
 * debugs it). The extension host holds no engine: the language server lists a file's tests
 * (`discover`), and runs go through `fltsim test` (testProcess.ts) or `fltsim explore`
 * (exploreProcess.ts, exploreOutcome.ts) in their own processes; this module only translates to and
 * from VS Code's testing API.
 */
import * as vscode from 'vscode';
import { terminalSafe } from '../../shared/safeText';
import * as path from 'node:path';
import { exploreInvocation, replayPathFor, testInvocation } from '../cliInvocation';
import { DEBUG_TYPE } from '../commandIds';
import { startScenarioDebugging } from '../debugger';
import { readExploreSettings } from '../explore';
import { runExplore } from '../exploreProcess';
import { exploreDetails } from '../exploreReport';
import { isScenarioPath } from '../launchConfig';
import { refusedWhileUntrusted } from '../trust';
import { seedList, type OutcomeMessage, type ScenarioOutcome, type ScenarioTests } from '../../shared/testRunProtocol';
import { debugVerdict } from './debugVerdict';
import { exploreOutcome } from './exploreOutcome';
import { runMessageContext, scheduleMessageContext } from './messageActions';
import { runScenarioQueue, type ScenarioResult } from './testProcess';

const SCENARIO_GLOB = '**/*.fltsim';
const EXCLUDE_GLOB = '**/node_modules/**';

export const TESTING_SETTINGS = { seeds: 'testing.seeds', timeoutSeconds: 'testing.timeoutSeconds' } as const;

function setting(name: string, fallback: number, min: number, max: number): number {
  const v = vscode.workspace.getConfiguration('fltsim').get<number>(name);
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, Math.floor(v))) : fallback;
}

/** VS Code's test output is a terminal: CRLF line ends, and no control bytes from driver output. */
function outputText(text: string): string {
  return terminalSafe(text).replace(/\r?\n/g, '\r\n');
}

/** A frame of TestMessage.stackTrace (VS Code 1.93 and later; older versions ignore the field). */
interface MessageFrame {
  label: string;
  uri?: vscode.Uri;
  position?: vscode.Position;
}

/** A scenario file's test items from its text; undefined when nothing can parse it now. */
export type Discover = (text: string, name: string) => Promise<ScenarioTests | undefined>;

export function registerTestController(context: vscode.ExtensionContext, discover: Discover): void {
  const controller = vscode.tests.createTestController('fltsim', 'fltsim scenarios');
  context.subscriptions.push(controller);
  const root = context.extensionUri.fsPath;

  // --- discovery -----------------------------------------------------------------------------

  /** Scenario items by URI; they sit under one item per folder, as in the Explorer. */
  const scenarioItems = new Map<string, vscode.TestItem>();
  const folderItems = new WeakSet<vscode.TestItem>();

  /** The collection a scenario's item belongs in: its folders' items, made as needed. */
  function folderCollection(uri: vscode.Uri): vscode.TestItemCollection {
    const rel = vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
    const segments = rel.split('/').slice(0, -1);
    let collection = controller.items;
    let id = '';
    for (const seg of segments) {
      id = `${id}/${seg}`;
      let folder = collection.get(`folder:${id}`);
      if (!folder) {
        folder = controller.createTestItem(`folder:${id}`, seg);
        folderItems.add(folder);
        collection.add(folder);
      }
      collection = folder.children;
    }
    return collection;
  }

  function removeScenario(uri: vscode.Uri): void {
    const item = scenarioItems.get(uri.toString());
    if (!item) return;
    scenarioItems.delete(uri.toString());
    let parent = item.parent;
    (parent ? parent.children : controller.items).delete(item.id);
    // Folders left empty go too.
    while (parent && parent.children.size === 0) {
      const up = parent.parent;
      (up ? up.children : controller.items).delete(parent.id);
      parent = up;
    }
  }

  /** The latest text asked about per file, so a slow answer about older text is dropped. */
  const asked = new Map<string, string>();

  async function updateFromText(uri: vscode.Uri, text: string): Promise<void> {
    const name = uri.path.split('/').pop() ?? uri.path;
    asked.set(uri.toString(), text);
    // Without the language server the file is still a test, with no children until it answers.
    const found = (await discover(text, name).catch(() => undefined)) ?? { label: name, span: { line: 1, column: 1, endColumn: 1 }, expectations: [], errors: 0 };
    if (asked.get(uri.toString()) !== text) return;
    let item = scenarioItems.get(uri.toString());
    if (!item) {
      item = controller.createTestItem(uri.toString(), found.label, uri);
      scenarioItems.set(uri.toString(), item);
      folderCollection(uri).add(item);
    }
    item.label = found.label;
    item.description = found.label === name ? undefined : name;
    item.range = new vscode.Range(found.span.line - 1, found.span.column - 1, found.span.line - 1, found.span.endColumn - 1);
    item.error = found.errors > 0 ? `${found.errors} line(s) of this scenario do not parse; run it to see them in the output` : undefined;
    item.children.replace(found.expectations.map((e) => {
      const child = controller.createTestItem(e.id, e.label, uri);
      child.range = new vscode.Range(e.line - 1, e.column - 1, e.line - 1, e.endColumn - 1);
      return child;
    }));
  }

  async function updateFromDisk(uri: vscode.Uri): Promise<void> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) return updateFromText(uri, open.getText());
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      removeScenario(uri); // gone, or not readable: nothing to run
      return;
    }
    await updateFromText(uri, text);
  }

  async function discoverAll(): Promise<void> {
    if (!vscode.workspace.isTrusted) return; // Restricted Mode: nothing is read from the folder
    const files = (await vscode.workspace.findFiles(SCENARIO_GLOB, EXCLUDE_GLOB)).filter((u) => u.scheme === 'file' && isScenarioPath(u.fsPath));
    const keep = new Set(files.map((u) => u.toString()));
    for (const item of [...scenarioItems.values()]) if (!keep.has(item.id)) removeScenario(item.uri!);
    await Promise.all(files.map(updateFromDisk));
  }

  controller.resolveHandler = async (item) => {
    if (!item) await discoverAll();
  };
  controller.refreshHandler = () => discoverAll();
  // At once, not only when the Testing view opens: the editor's gutter shows run buttons and
  // results at a scenario's lines only for items that exist.
  void discoverAll();

  const watcher = vscode.workspace.createFileSystemWatcher(SCENARIO_GLOB);
  context.subscriptions.push(
    watcher,
    watcher.onDidCreate((uri) => void updateFromDisk(uri)),
    watcher.onDidChange((uri) => void updateFromDisk(uri)),
    watcher.onDidDelete((uri) => removeScenario(uri)),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document.uri.scheme === 'file' && isScenarioPath(e.document.uri.fsPath) && vscode.workspace.isTrusted) void updateFromText(e.document.uri, e.document.getText());
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => void discoverAll()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void discoverAll()),
  );

  // --- runs ----------------------------------------------------------------------------------

  /** The scenario items a request names (a folder runs what is in it, an expect line its scenario), by file path. */
  function scenariosOf(request: vscode.TestRunRequest): Map<string, vscode.TestItem> {
    const out = new Map<string, vscode.TestItem>();
    const excluded = new Set((request.exclude ?? []).map((i) => i.id));
    const isExcluded = (item: vscode.TestItem): boolean => {
      for (let at: vscode.TestItem | undefined = item; at; at = at.parent) if (excluded.has(at.id)) return true;
      return false;
    };
    const add = (item: vscode.TestItem): void => {
      if (folderItems.has(item)) {
        item.children.forEach(add);
        return;
      }
      const scenario = scenarioItems.get(item.id) === item ? item : item.parent;
      if (scenario?.uri && !isExcluded(scenario)) out.set(scenario.uri.fsPath, scenario);
    };
    if (request.include) request.include.forEach(add);
    else controller.items.forEach(add);
    return out;
  }

  function toMessage(m: OutcomeMessage, item: vscode.TestItem): vscode.TestMessage {
    const message = m.expected !== undefined && m.actual !== undefined ? vscode.TestMessage.diff(m.text, m.expected, m.actual) : new vscode.TestMessage(m.text);
    if (m.place) {
      message.location = new vscode.Location(vscode.Uri.file(m.place.file), new vscode.Position(Math.max(0, m.place.line - 1), Math.max(0, (m.place.column ?? 1) - 1)));
    } else if (item.uri && item.range) {
      message.location = new vscode.Location(item.uri, item.range);
    }
    if (m.seed !== undefined) message.contextValue = runMessageContext(m.seed);
    if (m.replay !== undefined) message.contextValue = scheduleMessageContext(m.replay);
    if (m.frames && m.frames.length > 0) {
      // The interleaving as the peek's call stack: each step a frame that opens its driver line.
      (message as vscode.TestMessage & { stackTrace?: MessageFrame[] }).stackTrace = m.frames.map((f) => ({
        label: f.label,
        ...(f.place ? { uri: vscode.Uri.file(f.place.file), position: new vscode.Position(Math.max(0, f.place.line - 1), 0) } : {}),
      }));
    }
    return message;
  }

  function applyOutcome(run: vscode.TestRun, item: vscode.TestItem, outcome: ScenarioOutcome): void {
    const children = new Map<number, vscode.TestItem>();
    item.children.forEach((c) => {
      if (c.range) children.set(c.range.start.line + 1, c);
    });
    for (const x of outcome.expectations) {
      const child = children.get(x.line);
      if (!child) continue; // the file changed since the run started: the line is not an expect line now
      if (x.state === 'passed') run.passed(child);
      else if (x.state === 'skipped') run.skipped(child);
      else run.failed(child, x.messages.map((m) => toMessage(m, child)));
    }
    const messages = outcome.messages.map((m) => toMessage(m, item));
    if (outcome.state === 'passed') run.passed(item, outcome.durationMs);
    else if (outcome.state === 'failed') run.failed(item, messages, outcome.durationMs);
    else run.errored(item, messages, outcome.durationMs);
  }

  function report(run: vscode.TestRun, item: vscode.TestItem, result: ScenarioResult, manySeeds: boolean): void {
    const where = item.uri ? new vscode.Location(item.uri, item.range ?? new vscode.Position(0, 0)) : undefined;
    const header = `── ${vscode.workspace.asRelativePath(item.uri ?? item.id)} ──\n`;
    switch (result.kind) {
      case 'outcome': {
        const { outcome } = result;
        let text = header;
        if (result.unprepared !== undefined) text += `${result.unprepared}\n`;
        for (const r of result.runs) {
          // Under many seeds only the failing runs are printed in full.
          text += manySeeds && r.report.passed ? `seed ${r.seed}: PASS\n` : `${manySeeds ? `seed ${r.seed}:\n` : ''}${r.text}\n`;
        }
        if (manySeeds && result.runs.length > 0) text += `${outcome.failingSeeds.length === 0 ? 'every seed passed' : `failing seeds: ${seedList(outcome.failingSeeds)}`} (seeds ${seedList(outcome.seeds)})\n`;
        run.appendOutput(outputText(text), undefined, item);
        applyOutcome(run, item, outcome);
        return;
      }
      case 'timeout':
      case 'crashed': {
        const done = result.runs.length > 0 ? ` (after ${result.runs.length} seed run(s): ${seedList(result.runs.map((r) => r.seed))})` : '';
        const why = result.kind === 'timeout'
          ? `no result for ${result.seconds} s${done}, so fltsim stopped it. A driver that loops is normally stopped sooner by the run's steps limit; raise fltsim.testing.timeoutSeconds if this scenario needs longer.`
          : `${result.detail}${done}`;
        run.appendOutput(outputText(`${header}${why}\n`), undefined, item);
        const message = new vscode.TestMessage(why);
        if (where) message.location = where;
        run.errored(item, message);
        item.children.forEach((c) => run.skipped(c));
        return;
      }
    }
  }

  async function runScenarios(request: vscode.TestRunRequest, token: vscode.CancellationToken, seeds: number | undefined): Promise<void> {
    const run = controller.createTestRun(request);
    try {
      if (refusedWhileUntrusted('Running scenarios as tests')) return;
      const items = scenariosOf(request);
      if (items.size === 0) return;
      for (const item of items.values()) {
        run.enqueued(item);
        item.children.forEach((c) => run.enqueued(c));
        const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === item.uri?.toString());
        if (doc?.isDirty) await doc.save();
      }
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
      const seedsArg = seeds === undefined ? undefined : `1-${seeds}`;
      const end = await runScenarioQueue({
        scenarios: [...items.keys()],
        launch: (list) => testInvocation(process.execPath, root, list, folder?.uri.fsPath ?? root, seedsArg),
        idleTimeoutMs: setting(TESTING_SETTINGS.timeoutSeconds, 120, 1, 86_400) * 1000,
        signal: abort.signal,
        onStart: (file) => {
          const item = items.get(file);
          if (!item) return;
          run.started(item);
          item.children.forEach((c) => run.started(c));
        },
        onResult: (file, result) => {
          const item = items.get(file);
          if (item) report(run, item, result, seeds !== undefined);
        },
        onStderr: (text) => run.appendOutput(outputText(text)),
      }).finally(() => sub.dispose());
      if (end.kind === 'cancelled') {
        run.appendOutput(outputText(`Cancelled: fltsim stopped the run${end.unreported.length > 0 ? `; not run: ${end.unreported.length} scenario(s)` : ''}.\n`));
        for (const file of end.unreported) {
          const item = items.get(file);
          if (!item) continue;
          run.skipped(item);
          item.children.forEach((c) => run.skipped(c));
        }
      }
    } finally {
      run.end();
    }
  }

  // --- explore -------------------------------------------------------------------------------

  /** One `fltsim explore` process per scenario, one after the other (the machine's cores are the limit anyway). */
  async function exploreScenarios(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const run = controller.createTestRun(request, 'Explore');
    try {
      if (refusedWhileUntrusted('Exploring schedules')) return;
      const items = scenariosOf(request);
      for (const item of items.values()) {
        run.enqueued(item);
        item.children.forEach((c) => run.enqueued(c));
      }
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        for (const [file, item] of items) {
          if (token.isCancellationRequested) {
            run.skipped(item);
            item.children.forEach((c) => run.skipped(c));
            continue;
          }
          const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === item.uri?.toString());
          if (doc?.isDirty) await doc.save();
          run.started(item);
          item.children.forEach((c) => run.started(c));
          await exploreOne(run, item, file, abort.signal);
        }
      } finally {
        sub.dispose();
      }
    } finally {
      run.end();
    }
  }

  async function exploreOne(run: vscode.TestRun, item: vscode.TestItem, file: string, signal: AbortSignal): Promise<void> {
    const header = `── ${vscode.workspace.asRelativePath(item.uri ?? item.id)}: exploring schedules ──\n`;
    const inv = exploreInvocation(process.execPath, root, file, readExploreSettings(item.uri!));
    const replay = replayPathFor(file);
    const t0 = Date.now();
    let lastShown = 0;
    const end = await runExplore(inv, {
      signal,
      idleTimeoutMs: setting(TESTING_SETTINGS.timeoutSeconds, 120, 1, 86_400) * 1000,
      onProgress: (p) => {
        // A line every few seconds, so a long search shows it is alive without flooding the output.
        if (Date.now() - lastShown < 5000) return;
        lastShown = Date.now();
        run.appendOutput(outputText(`${p.schedules.toLocaleString('en-US')} schedules, ${p.failing} failing…\n`), undefined, item);
      },
    });
    const durationMs = Date.now() - t0;
    const where = item.uri && item.range ? new vscode.Location(item.uri, item.range) : undefined;
    const errored = (text: string): void => {
      run.appendOutput(outputText(`${header}${text}\n`), undefined, item);
      const message = new vscode.TestMessage(text);
      if (where) message.location = where;
      run.errored(item, message, durationMs);
      item.children.forEach((c) => run.skipped(c));
    };
    if (end.kind === 'timeout') return errored(`fltsim explore sent nothing for ${end.seconds} s, so fltsim stopped it (fltsim.testing.timeoutSeconds).`);
    if (end.kind === 'failed') {
      if (end.cancelled) {
        run.skipped(item);
        item.children.forEach((c) => run.skipped(c));
        return;
      }
      return errored(`fltsim explore could not explore this scenario:\n${end.detail}`);
    }
    const { report } = end;
    run.appendOutput(outputText(`${header}${end.stderr}${exploreDetails(report).join('\n')}\n`), undefined, item);
    if (end.cancelled && report.failure === null) {
      // Stopped before it could say anything about every schedule.
      run.skipped(item);
      item.children.forEach((c) => run.skipped(c));
      return;
    }
    const outcome = exploreOutcome(report, { cwd: inv.cwd, replay: path.resolve(inv.cwd, replay), durationMs });
    applyOutcome(run, item, outcome);
    // Lines the exploration says nothing about: all held when every schedule passed; otherwise
    // only the first failing schedule was judged, so they are left undecided.
    const decided = new Set(outcome.expectations.map((x) => x.line));
    item.children.forEach((c) => {
      if (c.range && decided.has(c.range.start.line + 1)) return;
      if (outcome.state === 'passed') run.passed(c);
      else run.skipped(c);
    });
  }

  // --- debug ---------------------------------------------------------------------------------

  /** The verdict line each fltsim debug session wrote, by session id (debugVerdict). */
  const verdicts = new Map<string, { passed: boolean; summary: string }>();
  context.subscriptions.push(vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, {
    createDebugAdapterTracker: (session) => ({
      onDidSendMessage: (m: { type?: string; event?: string; body?: { output?: unknown } }) => {
        if (m.type !== 'event' || m.event !== 'output' || typeof m.body?.output !== 'string') return;
        const v = debugVerdict(m.body.output);
        if (v) verdicts.set(session.id, v);
      },
    }),
  }), vscode.debug.onDidTerminateDebugSession((s) => {
    // Sessions started elsewhere leave their verdict behind; a Debug run reads its own at once.
    setTimeout(() => verdicts.delete(s.id), 60_000);
  }));

  async function debugScenarios(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const run = controller.createTestRun(request, 'Debug', false);
    try {
      if (refusedWhileUntrusted('Debugging a scenario')) return;
      for (const item of scenariosOf(request).values()) {
        if (token.isCancellationRequested) break;
        run.started(item);
        const started = new Promise<vscode.DebugSession>((resolve) => {
          const sub = vscode.debug.onDidStartDebugSession((s) => {
            if (s.type === DEBUG_TYPE && s.configuration.scenario === item.uri!.fsPath) {
              sub.dispose();
              resolve(s);
            }
          });
        });
        if (!(await startScenarioDebugging(item.uri!))) {
          run.errored(item, new vscode.TestMessage('the fltsim debugger did not start on this scenario (see the notification for why)'));
          continue;
        }
        const session = await started;
        const stop = token.onCancellationRequested(() => void vscode.debug.stopDebugging(session));
        await new Promise<void>((resolve) => {
          const sub = vscode.debug.onDidTerminateDebugSession((s) => {
            if (s.id !== session.id) return;
            sub.dispose();
            resolve();
          });
        });
        stop.dispose();
        const verdict = verdicts.get(session.id);
        verdicts.delete(session.id);
        if (!verdict) {
          run.appendOutput(outputText(`${vscode.workspace.asRelativePath(item.uri!)}: the debug session ended before the run did; no result.\n`), undefined, item);
          run.skipped(item);
        } else if (verdict.passed) {
          run.passed(item);
        } else {
          const message = new vscode.TestMessage(`${verdict.summary} (in the debugger: the Debug Console has each expectation)`);
          if (item.range) message.location = new vscode.Location(item.uri!, item.range);
          run.failed(item, message);
        }
      }
    } finally {
      run.end();
    }
  }

  controller.createRunProfile('Run', vscode.TestRunProfileKind.Run, (request, token) => runScenarios(request, token, undefined), true);
  controller.createRunProfile('Debug', vscode.TestRunProfileKind.Debug, (request, token) => debugScenarios(request, token), true);
  controller.createRunProfile('Run under seeds', vscode.TestRunProfileKind.Run,
    (request, token) => runScenarios(request, token, setting(TESTING_SETTINGS.seeds, 20, 1, 10_000)), false);
  controller.createRunProfile('Explore', vscode.TestRunProfileKind.Run, (request, token) => exploreScenarios(request, token), false);
}
