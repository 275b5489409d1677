/**
 * The end-to-end checks, one function per step. Each drives the workbench like a user, asserts what
 * the screen shows, and leaves a screenshot. Expected values come from `Expectations` so a negative
 * control can flip one of them from the environment and watch the run fail.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { firstStatementLine, functionForRole } from '../../extension/client/samplePlan';
import type { Frame } from 'playwright-core';
import { E2EFailure, type Workbench } from './workbench';

export interface Expectations {
  /** Language name in the status bar for a .fltsim file (the first alias in package.json). */
  language: string;
  /** IRQL name the Thread scope shows in the worker routine. */
  irql: string;
  /** Major function the Callback Data scope shows for the pended request. */
  major: string;
  /** Rule ids the Problems view must list for the buggy driver. */
  rules: string[];
  /** Lanes the timeline of pendread.fltsim must show. */
  timelineLanes: string[];
}

export interface StepContext {
  wb: Workbench;
  workspace: string;
  expect: Expectations;
  log: (msg: string) => void;
}

export type StepName = 'grammar' | 'commands' | 'debug' | 'problems' | 'walkthrough' | 'runaway' | 'timeline' | 'explore';
export const ALL_STEPS: readonly StepName[] = ['grammar', 'commands', 'debug', 'problems', 'walkthrough', 'runaway', 'timeline', 'explore'];

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new E2EFailure(message);
}

/** A .fltsim file gets the fltsim language and TextMate colours. */
async function grammar({ wb, expect, log }: StepContext): Promise<void> {
  await wb.quickOpen('pendread.fltsim');
  const language = await wb.until('a language name in the status bar', () => (globalThis as any).document.querySelector('[id="status.editor.mode"]')?.textContent?.trim(), null, 15_000);
  log(`language mode: ${JSON.stringify(language)}`);
  check(language === expect.language, `status bar language is "${language}", expected "${expect.language}"`);
  // Keyword and string must be coloured (not the default mtk1) and coloured differently.
  const tokens = await wb.until('grammar tokens for `scenario` and its string', () => {
    const spans = [...(globalThis as any).document.querySelectorAll('.editor-instance .view-lines .view-line span > span')];
    const kw = spans.find((s) => s.textContent === 'scenario');
    const str = spans.find((s) => /e2e:\s+pend/.test(s.textContent ?? '')); // spaces render as nbsp
    return kw && str ? { keyword: kw.className, string: str.className } : false;
  }, null, 15_000);
  log(`token classes: ${JSON.stringify(tokens)}`);
  check(tokens.keyword !== 'mtk1' && tokens.string !== 'mtk1', `grammar did not colour the file: ${JSON.stringify(tokens)}`);
  check(tokens.keyword !== tokens.string, `keyword and string share one colour: ${JSON.stringify(tokens)}`);
  await wb.screenshot('grammar-fltsim');
  // The editor title offers Run Scenario, with Debug Scenario in the same run menu.
  const runButton = wb.page.locator('.editor-actions a[aria-label="Run Scenario"]');
  await runButton.waitFor({ timeout: 10_000 }).catch(() => { throw new E2EFailure('no "Run Scenario" button in the editor title of a .fltsim file'); });
  await runButton.hover(); // the menu arrow only shows on hover
  await wb.page.locator('.editor-actions .monaco-dropdown-with-default').first().locator('.codicon-chevron-down').click({ force: true });
  await wb.page.locator('.monaco-menu .action-label', { hasText: 'Debug Scenario' }).first().waitFor({ timeout: 10_000 })
    .catch(() => { throw new E2EFailure('the editor title run menu has no "Debug Scenario" entry'); });
  await wb.screenshot('grammar-fltsim-run-menu');
  await wb.page.keyboard.press('Escape');
  log('editor title: Run Scenario button with Debug Scenario in its menu');
}

/** Text of the visible terminal (the DOM renderer's rows; headless chromium has no WebGL). */
function terminalText(wb: Workbench): Promise<string> {
  return wb.page.evaluate(() => [...(globalThis as any).document.querySelectorAll('.terminal-wrapper.active .xterm-rows > div, .xterm .xterm-rows > div')]
    .map((r: any) => r.textContent ?? '').join('\n'));
}

/** The Run Scenario title button and the Lint Workspace command run the bundled CLI in a terminal. */
async function commands({ wb, log }: StepContext): Promise<void> {
  await wb.quickOpen('pendread.fltsim');
  await wb.page.locator('.editor-actions a[aria-label="Run Scenario"]').click();
  const run = await wb.until('the Run Scenario terminal to report the expectations', () => {
    const text = [...(globalThis as any).document.querySelectorAll('.xterm-rows > div')].map((r: any) => r.textContent ?? '').join('\n');
    return /expectations hold|expectation.*fail/i.test(text) ? text : false;
  }, null, 30_000).catch(async (e) => {
    log(`terminal: ${JSON.stringify((await terminalText(wb)).slice(-800))}`);
    throw e;
  });
  log(`run terminal: ${JSON.stringify(run.split('\n').filter((l: string) => /expectations? (hold|fail)/.test(l)))}`);
  check(/PASS\s+3 expectations hold/.test(run), 'Run Scenario did not report "PASS 3 expectations hold" for pendread.fltsim');
  await wb.screenshot('commands-run-scenario');

  await wb.runCommand('fltsim: Lint Workspace');
  const lint = await wb.until('the Lint Workspace terminal to list findings', () => {
    const text = [...(globalThis as any).document.querySelectorAll('.xterm-rows > div')].map((r: any) => r.textContent ?? '').join('\n');
    return /fltsim lint: \d+ errors?/.test(text) ? text : false;
  }, null, 30_000).catch(async (e) => {
    log(`terminal: ${JSON.stringify((await terminalText(wb)).slice(-800))}`);
    throw e;
  });
  check(/\[wi-bad-queue-type\]/.test(lint), 'Lint Workspace output does not mention wi-bad-queue-type for buggy.c');
  log(`lint terminal: ${JSON.stringify(lint.split('\n').filter((l: string) => /fltsim lint:/.test(l)))}`);
  await wb.screenshot('commands-lint-workspace');

  // Rule pages: pick a rule id, its page opens in the Markdown preview (a webview).
  await wb.runCommand('fltsim: Show Rule Documentation');
  await wb.pickQuickItem('wi-bad-queue-type');
  await wb.frameContaining('HyperCriticalWorkQueue', 20_000);
  log('rule page wi-bad-queue-type shown in the Markdown preview');
  await wb.screenshot('commands-rule-docs');
}

/** Breakpoint in the worker, F5, Variables view, F10, continue to the end. */
async function debug({ wb, workspace, expect, log }: StepContext): Promise<void> {
  const page = wb.page;
  const source = readFileSync(join(workspace, 'pendread.c'), 'utf8').split('\n');
  const line = source.findIndex((l) => l.includes('FltFreeGenericWorkItem(WorkItem);')) + 1;
  check(line > 0, 'fixture pendread.c lost its worker line');

  await wb.quickOpen('pendread.c');
  await wb.goToLine(line);
  const glyph = page.locator('.editor-instance [class*="codicon-debug-breakpoint"]');
  if ((await glyph.count()) === 0) await page.keyboard.press('F9');
  await glyph.first().waitFor({ timeout: 10_000 });
  await wb.screenshot('debug-breakpoint-set');

  await page.keyboard.press('F5'); // the workspace's launch.json: type fltsim, scenario pendread.fltsim
  try {
    await wb.debugToolbar().waitFor({ state: 'visible', timeout: 30_000 });
  } catch {
    throw new E2EFailure('F5 did not start a debug session (no debug toolbar within 30s); is the fltsim debugger contributed and activated?');
  }
  if ((await wb.paneRows('Call Stack')) === null) await page.keyboard.press('Control+Shift+D');
  try {
    await wb.until('the Call Stack to say "Paused on breakpoint"', () => [...(globalThis as any).document.querySelectorAll('.pane')].some((p) =>
      (p.querySelector('.pane-header')?.getAttribute('aria-label') ?? '').startsWith('Call Stack') && /Paused on breakpoint/i.test((p as any).innerText)), null, 45_000);
  } catch {
    await wb.screenshot('debug-no-pause');
    throw new E2EFailure(`the session started but never paused at the breakpoint (pendread.c:${line}) within 45s — ` +
      'the adapter must launch the scenario and stop at breakpoints in driver C (extension/debug/session.ts)');
  }
  log(`Call Stack: ${JSON.stringify(await wb.paneRows('Call Stack'))}`);

  // Thread scope: IRQL row, e.g. "IRQL = PASSIVE_LEVEL (0)".
  await wb.until('a "Thread" scope in the Variables view', () => [...(globalThis as any).document.querySelectorAll('.pane')].some((p) =>
    (p.querySelector('.pane-header')?.getAttribute('aria-label') ?? '').startsWith('Variables') &&
    [...p.querySelectorAll('.monaco-list-row')].some((r) => /^Thread\b/.test((r as any).innerText.trim()))), null, 15_000)
    .catch(async (e) => {
      log(`Variables rows: ${JSON.stringify(await wb.paneRows('Variables'))}`);
      throw e;
    });
  await wb.expandRow('Variables', /^Thread/);
  const irqlRow = await wb.until(`an IRQL row showing ${expect.irql}`, (irql) => {
    const rows = [...(globalThis as any).document.querySelectorAll('.pane')].find((p) => (p.querySelector('.pane-header')?.getAttribute('aria-label') ?? '').startsWith('Variables'))
      ?.querySelectorAll('.monaco-list-row') ?? [];
    return [...rows].map((r) => (r as any).innerText.replace(/\s+/g, ' ').trim()).find((t) => new RegExp(`^IRQL\\s*[=:]\\s*${irql}\\b`).test(t));
  }, expect.irql, 15_000).catch(async (e) => {
    log(`Variables rows: ${JSON.stringify(await wb.paneRows('Variables'))}`);
    throw e;
  });
  log(`IRQL row: ${irqlRow}`);

  // Callback Data scope: the pended request shows its major function somewhere in its rows.
  await wb.expandRow('Variables', /^Callback Data/);
  let majorRow: string | undefined;
  for (let attempt = 0; attempt < 3 && !majorRow; attempt++) {
    majorRow = (await wb.paneRows('Variables'))?.find((r) => r.includes(expect.major));
    if (!majorRow) {
      // The request may be a collapsed child of the scope: open the first collapsed row after it.
      const rows = wb.paneLocator('Variables').locator('.monaco-list-row[aria-expanded="false"]');
      if ((await rows.count()) > 0) await rows.first().click();
      await page.waitForTimeout(700);
    }
  }
  log(`Variables rows: ${JSON.stringify(await wb.paneRows('Variables'))}`);
  check(majorRow, `no row of the Variables view mentions ${expect.major} after expanding "Callback Data"`);
  await wb.screenshot('debug-paused-variables');

  await page.keyboard.press('F10');
  await wb.until('the Call Stack to say "Paused on step"', () => [...(globalThis as any).document.querySelectorAll('.pane')].some((p) =>
    (p.querySelector('.pane-header')?.getAttribute('aria-label') ?? '').startsWith('Call Stack') && /Paused on step/i.test((p as any).innerText)), null, 15_000);
  await wb.screenshot('debug-stepped');

  // Continue until the session ends (further stops, if any, are continued too).
  for (let i = 0; i < 10 && (await wb.debugToolbar().isVisible()); i++) {
    await page.keyboard.press('F5');
    await wb.debugToolbar().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
  }
  check(!(await wb.debugToolbar().isVisible()), 'the debug session did not end after continuing ten times');
  await wb.screenshot('debug-ended');
}

/** The language server's findings for the lint demo show up in the Problems view with rule ids. */
async function problems({ wb, expect, log }: StepContext): Promise<void> {
  await wb.quickOpen('buggy.c');
  await wb.page.keyboard.press('Control+Shift+M');
  await wb.page.locator('.markers-panel').first().waitFor({ state: 'visible', timeout: 10_000 });
  const rows = await wb.until(`the Problems view to list ${expect.rules.join(', ')}`, (rules) => {
    const texts = [...(globalThis as any).document.querySelectorAll('.markers-panel .monaco-list-row')].map((r) => (r as any).innerText.replace(/\s+/g, ' ').trim());
    return rules.every((id) => texts.some((t) => t.includes(id))) ? texts : false;
  }, expect.rules, 60_000).catch(async (e) => {
    log(`Problems rows: ${JSON.stringify(await wb.problemRows())}`);
    await wb.screenshot('problems-missing');
    throw new E2EFailure(`${(e as Error).message} — the language server must publish diagnostics whose code is the rule id (extension/server)`);
  });
  log(`Problems rows: ${JSON.stringify(rows)}`);
  await wb.screenshot('problems');
}

const PEND_STEPS = ['Open the sample', 'Stop in the worker routine', 'Start debugging', 'Read the Variables view', 'Choose how the read completes'];
const LINT_STEPS = ['Open a driver with mistakes', 'Read the Problems view', 'Read about a rule', 'Tune the rules', 'Lint in CI'];

async function openWalkthrough(wb: Workbench, title: string, steps: string[], mediaHeading: string): Promise<void> {
  await wb.runCommand('Welcome: Open Walkthrough...');
  await wb.pickQuickItem(title);
  const seen = await wb.until(`the walkthrough "${title}" with its ${steps.length} steps`, (want) => {
    const titles = [...(globalThis as any).document.querySelectorAll('.getting-started-step .step-title')].map((t) => t.textContent?.trim() ?? '');
    return want.every((s) => titles.includes(s)) ? titles : false;
  }, steps, 20_000);
  void seen;
  // The selected step's markdown media renders in a webview frame beside the list.
  await wb.frameContaining(mediaHeading, 20_000);
}

/** Two walkthroughs render all their steps; a step's command link opens the bundled sample. */
async function walkthrough({ wb, log }: StepContext): Promise<void> {
  await openWalkthrough(wb, 'Pend a read and finish it from a work item', PEND_STEPS, 'Pending a read, finishing it later');
  log(`pend walkthrough shows its steps (${PEND_STEPS.join(' | ')}) and the first step's media`);
  await wb.screenshot('walkthrough-pend');

  // Its second step's button finds the worker routine of the bundled sample and breaks there.
  const sampleC = readFileSync(join(__dirname, '..', '..', 'samples', 'pend-generic-workitem', 'pendfilter.c'), 'utf8');
  const worker = functionForRole(sampleC, 'worker');
  const line = worker ? firstStatementLine(sampleC, worker) : undefined;
  check(worker && line, 'samples/pend-generic-workitem/pendfilter.c has no worker routine to break in');
  await wb.page.locator('.getting-started-step .step-title', { hasText: 'Stop in the worker routine' }).click();
  await wb.page.locator('.getting-started-step.expanded .button-link, .getting-started-step.expanded a', { hasText: 'Set the breakpoint' }).first().click();
  await wb.until(`pendfilter.c open on line ${line} with a breakpoint`, (n) => {
    const d = (globalThis as any).document;
    const tab = d.querySelector('.tabs-container .tab.active')?.getAttribute('aria-label') ?? '';
    const cursor = d.querySelector('[id="status.editor.selection"]')?.textContent ?? '';
    return tab.startsWith('pendfilter.c') && new RegExp(`Ln ${n},`).test(cursor) && !!d.querySelector('.editor-instance [class*="codicon-debug-breakpoint"]');
  }, line, 20_000);
  log(`walkthrough breakpoint: ${worker} at pendfilter.c:${line}`);
  await wb.screenshot('walkthrough-pend-breakpoint');

  await openWalkthrough(wb, 'Lint your own driver', LINT_STEPS, 'The linter reads ordinary driver C files');
  await wb.screenshot('walkthrough-lint');
  // The first step is expanded; its button runs fltsim.openSample, which copies the lint demo into
  // the workspace and opens it.
  await wb.page.locator('.getting-started-step.expanded a, .getting-started-step.expanded .button-link', { hasText: 'Open the demo' }).first().click();
  await wb.until('an editor tab for the copied lint demo (buggy.c)', () => {
    const tab = (globalThis as any).document.querySelector('.tabs-container .tab.active');
    return tab?.getAttribute('aria-label')?.startsWith('buggy.c') ?? false;
  }, null, 20_000);
  // The breadcrumb shows the opened file's folders: the copy must sit under fltsim-samples/lint-demo.
  const crumbs = await wb.until('the breadcrumb of the opened demo', () =>
    [...(globalThis as any).document.querySelectorAll('.monaco-breadcrumbs .monaco-breadcrumb-item')].map((i: any) => i.textContent.trim()).join('/'), null, 10_000);
  log(`walkthrough link opened: ${crumbs}`);
  check(/fltsim-samples.*lint-demo.*buggy\.c/.test(crumbs), `the walkthrough link opened "${crumbs}", expected the copy under fltsim-samples/lint-demo/`);
  await wb.screenshot('walkthrough-lint-link');

  // The extension's own "Open Tutorials" command lands on the first walkthrough.
  await wb.runCommand('fltsim: Open Tutorials');
  await wb.until('"fltsim: Open Tutorials" to show the pend walkthrough', (title) =>
    [...(globalThis as any).document.querySelectorAll('.getting-started-step .step-title')].some((t: any) => t.textContent?.trim() === title), PEND_STEPS[1], 15_000);
  log('fltsim: Open Tutorials opened the pend walkthrough');
}

interface AdapterProcess {
  pid: number;
  ppid: number;
  cmdline: string;
  electronRunAsNode: boolean;
  parent: string;
}

/** Debug adapter processes started from the extension installed in this run's code-server profile. */
function adapterProcesses(workspace: string): AdapterProcess[] {
  const installed = join(dirname(workspace), 'profile', 'extensions');
  const out: AdapterProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      if (!cmdline.includes(installed) || !cmdline.includes('debugAdapter.js')) continue;
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1]);
      const parent = readFileSync(`/proc/${ppid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      out.push({ pid: Number(entry), ppid, cmdline, electronRunAsNode: environ.includes('ELECTRON_RUN_AS_NODE=1'), parent });
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

/** Polls in this process (not the page) until `probe` holds. */
async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new E2EFailure(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Types into a fresh untitled editor, waits for the text on screen and shoots it; returns how long it took. */
async function typeAndSee(wb: Workbench, text: string, shot: string): Promise<number> {
  await wb.page.keyboard.press('Control+N');
  await wb.page.waitForSelector('.editor-instance .view-lines', { timeout: 15_000 });
  const t0 = Date.now();
  await wb.page.keyboard.type(text);
  await wb.until(`"${text}" on screen`, (want) => [...(globalThis as any).document.querySelectorAll('.editor-instance .view-lines .view-line')]
    .some((l: any) => (l.textContent ?? '').replace(/\u00a0/g, ' ').includes(want)), text, 15_000);
  const ms = Date.now() - t0;
  await wb.screenshot(shot);
  // Leave nothing unsaved behind: an untitled editor with no text closes without asking.
  await wb.page.keyboard.press('Control+A');
  await wb.page.keyboard.press('Delete');
  return ms;
}

/**
 * A driver stuck in `for (;;)`: the adapter runs in its own process (started with the editor's
 * runtime and ELECTRON_RUN_AS_NODE=1), the editor and the extension host answer while the loop
 * spins, Pause stops in the loop, Stop ends the session and the adapter process goes away.
 */
async function runaway({ wb, workspace, log }: StepContext): Promise<void> {
  const page = wb.page;
  const before = adapterProcesses(workspace).map((p) => p.pid);
  await wb.quickOpen('spin.fltsim');
  await wb.runCommand('fltsim: Debug Scenario');
  await wb.debugToolbar().waitFor({ state: 'visible', timeout: 30_000 })
    .catch(() => { throw new E2EFailure('"fltsim: Debug Scenario" on spin.fltsim did not start a debug session'); });
  const pause = wb.debugToolbar().locator('[class*="codicon-debug-pause"]');
  await pause.first().waitFor({ state: 'visible', timeout: 15_000 })
    .catch(() => { throw new E2EFailure('the session is not running (no Pause button): the loop should keep it running'); });

  const adapter = await waitFor('a debug adapter process of the installed extension', () => adapterProcesses(workspace).find((p) => !before.includes(p.pid)), 15_000);
  log(`adapter process ${adapter.pid}: ${adapter.cmdline}`);
  log(`its parent ${adapter.ppid}: ${adapter.parent.slice(0, 160)}`);
  check(adapter.electronRunAsNode, 'the adapter process was started without ELECTRON_RUN_AS_NODE=1');
  check(adapter.parent.length > 0 && !adapter.parent.includes('debugAdapter.js'), 'the adapter has no extension-host parent');
  await wb.screenshot('runaway-running');

  // While the loop spins: the extension host runs one of the extension's commands, and the editor takes typing.
  await wb.runCommand('fltsim: Show Rule Documentation');
  await page.locator('.quick-input-widget input').fill('wi-bad-queue-type');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'wi-bad-queue-type' }).first().waitFor({ timeout: 15_000 })
    .catch(() => { throw new E2EFailure('while the driver loops, the extension\'s "Show Rule Documentation" pick did not appear within 15s'); });
  await page.keyboard.press('Escape');
  const typed = await typeAndSee(wb, 'the editor still answers while the driver loops', 'runaway-editor-responds');
  log(`while the driver loops: the extension's rule pick opened, and typed text showed after ${typed} ms`);
  check(await pause.first().isVisible(), 'the session stopped running on its own; the loop never ends');

  await page.keyboard.press('F6');
  if ((await wb.paneRows('Call Stack')) === null) await page.keyboard.press('Control+Shift+D');
  await wb.until('the Call Stack to say "Paused"', () => [...(globalThis as any).document.querySelectorAll('.pane')].some((p) =>
    (p.querySelector('.pane-header')?.getAttribute('aria-label') ?? '').startsWith('Call Stack') && /Paused \(/i.test((p as any).innerText)), null, 20_000);
  // The paused thread's frames arrive after its "Paused" label.
  const frame = await wb.until('a spin!DriverEntry frame (spin.c) in the Call Stack', () => {
    const pane = [...(globalThis as any).document.querySelectorAll('.pane')].find((p) => (p.querySelector('.pane-header')?.getAttribute('aria-label') ?? '').startsWith('Call Stack'));
    return [...(pane?.querySelectorAll('.monaco-list-row') ?? [])].map((r: any) => r.innerText.replace(/\s+/g, ' ').trim()).find((t: string) => /spin!DriverEntry/.test(t) && /spin\.c/.test(t));
  }, null, 15_000).catch(async (e) => {
    log(`Call Stack: ${JSON.stringify(await wb.paneRows('Call Stack'))}`);
    throw e;
  });
  log(`Call Stack after pause: ${JSON.stringify(await wb.paneRows('Call Stack'))} (top frame ${frame})`);
  // The paused frame's scopes load: the adapter answers as it did before the loop.
  await wb.until('the Variables view to list the scopes of the paused frame', () => [...(globalThis as any).document.querySelectorAll('.pane')].some((p) =>
    (p.querySelector('.pane-header')?.getAttribute('aria-label') ?? '').startsWith('Variables') &&
    [...p.querySelectorAll('.monaco-list-row')].some((r) => /^Thread\b/.test((r as any).innerText.trim()))), null, 15_000);
  await wb.screenshot('runaway-paused');

  await page.keyboard.press('Shift+F5');
  await wb.debugToolbar().waitFor({ state: 'hidden', timeout: 15_000 })
    .catch(() => { throw new E2EFailure('Stop (Shift+F5) did not end the session within 15s'); });
  await waitFor(`adapter process ${adapter.pid} to exit`, () => !adapterProcesses(workspace).some((p) => p.pid === adapter.pid), 10_000);
  log(`adapter process ${adapter.pid} exited after Stop`);
  const after = await typeAndSee(wb, 'and after the stop', 'runaway-stopped');
  log(`after the stop: typed text showed after ${after} ms`);
}

/** What the timeline webview shows: its lanes and its markers, read from its DOM. */
async function timelineContents(frame: Frame): Promise<{ lanes: string[]; markers: { kind: string; seq: number; lane: number }[]; status: string }> {
  return frame.evaluate(() => {
    const d = (globalThis as any).document;
    return {
      lanes: [...d.querySelectorAll('.lane-label')].map((e: any) => e.textContent.trim()),
      markers: [...d.querySelectorAll('.marker')].map((e: any) => ({ kind: e.getAttribute('data-kind'), seq: Number(e.getAttribute('data-seq')), lane: Number(e.getAttribute('data-lane')) })),
      status: d.querySelector('#tl-status')?.textContent ?? '',
    };
  });
}

async function editorAt(wb: Workbench, file: string, line: number, what: string): Promise<void> {
  await wb.until(what, ([name, n]) => {
    const d = (globalThis as any).document;
    const tab = d.querySelector('.tabs-container .tab.active')?.getAttribute('aria-label') ?? '';
    const cursor = d.querySelector('[id="status.editor.selection"]')?.textContent ?? '';
    return tab.startsWith(name as string) && new RegExp(`Ln ${n},`).test(cursor);
  }, [file, line] as const, 20_000);
}

/**
 * The timeline: of a finished run (fltsim run as a process), with its lanes and markers in the
 * webview's DOM, a marker opened from the keyboard and one clicked, each revealing its line, and a
 * callback data's story in the Markdown preview; then of a debug session paused in the worker, where
 * clicking the pre-op's "work item queued" marker goes back to that moment.
 */
async function timeline({ wb, workspace, expect, log }: StepContext): Promise<void> {
  const page = wb.page;
  const source = readFileSync(join(workspace, 'pendread.c'), 'utf8').split('\n');
  const queueLine = source.findIndex((l) => l.includes('FltQueueGenericWorkItem(')) + 1;
  const completeLine = source.findIndex((l) => l.includes('FltCompletePendedPreOperation(')) + 1;
  check(queueLine > 0 && completeLine > 0, 'fixture pendread.c lost its queue or complete line');

  await wb.quickOpen('pendread.fltsim');
  await wb.runCommand('fltsim: Show Timeline');
  const frame = await wb.webviewFrame('#fltsim-timeline .marker');
  const seen = await timelineContents(frame);
  log(`timeline lanes: ${JSON.stringify(seen.lanes)}`);
  log(`timeline markers: ${JSON.stringify(seen.markers.map((m) => m.kind))}; status: ${seen.status}`);
  for (const lane of expect.timelineLanes) check(seen.lanes.includes(lane), `the timeline has no lane "${lane}" (lanes: ${seen.lanes.join(', ')})`);
  for (const kind of ['workitem-queue', 'workitem-start', 'pend', 'complete']) check(seen.markers.some((m) => m.kind === kind), `the timeline shows no ${kind} marker`);
  check(/fltsim run pendread\.fltsim/.test(seen.status), `the timeline does not say it comes from fltsim run: "${seen.status}"`);
  await wb.screenshot('timeline-run');
  // Keyboard: Home selects the first marker (the pre-op queueing its work item), Enter opens it.
  await frame.locator('#tl-scroller').press('Home');
  await frame.locator('#tl-scroller').press('Enter');
  await editorAt(wb, 'pendread.c', queueLine, `pendread.c revealed at line ${queueLine} after Home and Enter in the timeline`);
  log(`Home, Enter in the timeline opened pendread.c at line ${queueLine}`);
  // Mouse: the worker's completion marker.
  await frame.locator('.marker[data-kind="complete"]').first().click();
  await editorAt(wb, 'pendread.c', completeLine, `pendread.c revealed at line ${completeLine} after clicking the completion marker`);
  log(`clicking the complete marker opened pendread.c at line ${completeLine}`);
  await wb.screenshot('timeline-run-marker-revealed');
  // Its callback data bar explains #1 in a Markdown preview: the table and the Mermaid source.
  await frame.locator('.life[data-data="1"]').first().click();
  await wb.frameContaining('Sequence diagram', 30_000);
  log('clicking the #1 bar opened its story in the Markdown preview');
  await wb.screenshot('timeline-explain-preview');
  await wb.reset();

  // A debug session paused at the worker's completion.
  await wb.quickOpen('pendread.c');
  await wb.goToLine(completeLine);
  const glyph = page.locator('.editor-instance [class*="codicon-debug-breakpoint"]');
  if ((await glyph.count()) === 0) await page.keyboard.press('F9');
  await glyph.first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('F5');
  await wb.debugToolbar().waitFor({ state: 'visible', timeout: 30_000 });
  if ((await wb.paneRows('Call Stack')) === null) await page.keyboard.press('Control+Shift+D');
  const paused = (what: RegExp) => wb.until(`the Call Stack to say ${what}`, (re) => [...(globalThis as any).document.querySelectorAll('.pane')].some((p) =>
    (p.querySelector('.pane-header')?.getAttribute('aria-label') ?? '').startsWith('Call Stack') && new RegExp(re, 'i').test((p as any).innerText)), what.source, 45_000);
  await paused(/Paused on breakpoint/);
  // The debug toolbar offers the timeline of this session.
  await wb.debugToolbar().locator('[aria-label="Show Timeline"], [title="Show Timeline"]').first().click({ timeout: 10_000 })
    .catch(async () => wb.runCommand('fltsim: Show Timeline'));
  const live = await wb.webviewFrame('#fltsim-timeline[data-live="true"] .marker');
  const atStop = await timelineContents(live);
  log(`session timeline: ${atStop.markers.length} markers; status: ${atStop.status}`);
  check(/debug session/.test(atStop.status), `the timeline is not the debug session's: "${atStop.status}"`);
  await wb.screenshot('timeline-session');
  await live.locator('.marker[data-kind="workitem-queue"]').first().click();
  await paused(/Paused before "FltQueueGenericWorkItem/).catch(async (e) => {
    log(`Call Stack: ${JSON.stringify(await wb.paneRows('Call Stack'))}`);
    throw e;
  });
  await editorAt(wb, 'pendread.c', queueLine, `the session back at pendread.c:${queueLine}, before the work item is queued`);
  const frames = await wb.paneRows('Call Stack');
  log(`after going back in time: Call Stack ${JSON.stringify(frames)}`);
  check(frames?.some((r) => /PendReadPre/.test(r)), 'the Call Stack does not show PendReadPre after going to the queue marker');
  // The timeline follows: the present is now before the marker, the rest is the known future.
  let after = await timelineContents(live);
  for (let i = 0; i < 40 && !/later events known/.test(after.status); i++) {
    await page.waitForTimeout(250);
    after = await timelineContents(live);
  }
  log(`timeline after the jump: ${after.status}`);
  check(/later events known/.test(after.status), `the timeline does not show the known future after going back: "${after.status}"`);
  await wb.screenshot('timeline-session-went-back');
  await page.keyboard.press('Shift+F5');
  await wb.debugToolbar().waitFor({ state: 'hidden', timeout: 15_000 }).catch(() => undefined);
  // Leave no breakpoint behind for a later step (F9 toggles it off).
  await wb.reset();
  await wb.quickOpen('pendread.c');
  await wb.goToLine(completeLine);
  if ((await glyph.count()) > 0) await page.keyboard.press('F9');
}


/**
 * Explore Schedules on the worker-flag-race sample (copied into the workspace as race.fltsim): the
 * progress notification, the warning that a schedule fails, and its button that opens the failing
 * schedule in the debugger, paused where it first leaves the default one; explored again, its Show
 * Timeline button draws that schedule's run with its violation.
 */
async function explore({ wb, log }: StepContext): Promise<void> {
  const page = wb.page;
  await wb.quickOpen('race.fltsim');
  await wb.runCommand('fltsim: Explore Schedules');
  const toastText = (): string[] => [...(globalThis as any).document.querySelectorAll('.notifications-toasts .notification-list-item')]
    .map((n: any) => (n.innerText ?? '').replace(/\s+/g, ' ').trim());
  // The probe runs in the page: it cannot use toastText.
  const failing = await wb.until('a notification that a schedule of race.fltsim fails', () => [...(globalThis as any).document.querySelectorAll('.notifications-toasts .notification-list-item')]
    .map((n: any) => (n.innerText ?? '').replace(/\s+/g, ' ').trim())
    .find((t: string) => /a schedule of race\.fltsim fails/.test(t)) ?? false, null, 120_000).catch(async (e) => {
    log(`notifications: ${JSON.stringify(await page.evaluate(toastText))}`);
    await wb.screenshot('explore-no-result');
    throw e;
  });
  log(`explore notification: ${failing}`);
  check(/pended-pre-not-completed/.test(failing), 'the explore notification does not name the pended-pre-not-completed violation');
  await wb.screenshot('explore-failing-schedule');

  await page.locator('.notifications-toasts .notification-list-item').filter({ hasText: 'fails' })
    .getByRole('button', { name: 'Debug the Failing Schedule' }).first().click();
  try {
    await wb.debugToolbar().waitFor({ state: 'visible', timeout: 30_000 });
  } catch {
    throw new E2EFailure('"Debug the Failing Schedule" did not start a debug session within 30s');
  }
  if ((await wb.paneRows('Call Stack')) === null) await page.keyboard.press('Control+Shift+D');
  // The stop's description (what the schedule changes there) replaces "Paused on …" in the Call Stack.
  await wb.until('the Call Stack to show the schedule stop', () => [...(globalThis as any).document.querySelectorAll('.pane')].some((p) =>
    (p.querySelector('.pane-header')?.getAttribute('aria-label') ?? '').startsWith('Call Stack') &&
    /The schedule leaves the default one here|Paused on schedule/i.test((p as any).innerText)), null, 45_000)
    .catch(async (e) => {
      log(`Call Stack: ${JSON.stringify(await wb.paneRows('Call Stack'))}`);
      await wb.screenshot('explore-replay-no-pause');
      throw e;
    });
  const rows = (await wb.paneRows('Call Stack')) ?? [];
  log(`Call Stack: ${JSON.stringify(rows)}`);
  check(rows.some((r) => /Delayed worker/.test(r)), 'the replay did not pause in the held-back worker thread');
  await wb.screenshot('explore-replay-paused');
  await page.keyboard.press('Shift+F5');
  await wb.debugToolbar().waitFor({ state: 'hidden', timeout: 15_000 })
    .catch(() => { throw new E2EFailure('Stop (Shift+F5) did not end the replay session within 15s'); });

  // The same failing schedule in the timeline: explore again and take the other button.
  await wb.reset();
  await wb.quickOpen('race.fltsim');
  await wb.runCommand('fltsim: Explore Schedules');
  const again = page.locator('.notifications-toasts .notification-list-item').filter({ hasText: 'fails' });
  await again.getByRole('button', { name: 'Show Timeline' }).first().click({ timeout: 120_000 });
  const frame = await wb.webviewFrame('#fltsim-timeline .marker[data-kind="violation"]', 60_000);
  const seen = await timelineContents(frame);
  log(`timeline of the failing schedule: ${seen.status}; markers ${JSON.stringify(seen.markers.map((m) => m.kind))}`);
  check(/fltsim run race\.fltsim --replay race\.replay\.json/.test(seen.status), `the timeline is not the replayed schedule's: "${seen.status}"`);
  check(/1 violation\b/.test(seen.status), `the timeline of the failing schedule does not count its violation: "${seen.status}"`);
  await wb.screenshot('explore-timeline');
  await wb.reset();
}

export const STEPS: Record<StepName, (ctx: StepContext) => Promise<void>> = { grammar, commands, debug, problems, walkthrough, runaway, timeline, explore };
