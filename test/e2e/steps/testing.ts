/** The testing step: scenarios in the Test Explorer, run and debugged from there. */
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { E2EFailure, type Workbench } from '../workbench';
import { check, SAMPLES_DIR, type StepContext } from './shared';

/** Every file under `dir` whose name ends in `ext`. */
function filesUnder(dir: string, ext: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name), ext) : e.name.endsWith(ext) ? [join(dir, e.name)] : []));
}

/** A row of the Testing view by its label, e.g. `failing.fltsim (Failed)`: the label and the state in brackets. */
export function testRow(wb: Workbench, label: string) {
  return wb.page.locator(`.pane-body .monaco-list-row[aria-label^="${label} ("]`);
}

/** Waits until a Testing view row has a result, and returns its aria-label (`… (Passed)`, `… (Failed), in 1.2s`). */
export async function testResult(wb: Workbench, label: string, timeoutMs: number): Promise<string> {
  const row = testRow(wb, label);
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    last = (await row.first().getAttribute('aria-label').catch(() => null)) ?? '';
    if (/\((Passed|Failed|Errored|Skipped)/.test(last)) return last;
    await wb.page.waitForTimeout(300);
  }
  throw new E2EFailure(`timed out after ${timeoutMs / 1000}s waiting for a result on the Testing view row "${label}" (last: "${last}")`);
}

/**
 * Shows the Testing view by its focus command: the activity bar icon toggles the side bar when the
 * view already shows, and after a debug session something in the workbench took its clicks.
 */
export async function showTesting(wb: Workbench): Promise<void> {
  await wb.runCommand('Testing: Focus on Test Explorer View');
  await testRow(wb, 'failing.fltsim').first().waitFor({ timeout: 15_000 });
}

async function clickRowAction(wb: Workbench, label: string, action: 'Run Test' | 'Debug Test'): Promise<void> {
  const row = testRow(wb, label).first();
  await row.hover();
  await row.locator(`a[aria-label="${action}"]`).click();
}

/** Testing marks in the active editor's gutter: line number → its codicon-testing-* class. */
async function gutterMarks(wb: Workbench): Promise<Record<number, string>> {
  const out: Record<number, string> = {};
  for (const [line, classes] of Object.entries(await wb.gutterGlyphs())) {
    const mark = classes.find((c) => c.startsWith('codicon-testing-'));
    if (mark) out[Number(line)] = mark;
  }
  return out;
}

/**
 * The Test Explorer: the Testing view lists the workspace's scenarios; the bundled samples, run as
 * a folder, all pass; the fixture that fails on purpose fails at its expect line with expected and
 * actual in the peek; Debug Test from the Testing view starts the fltsim debugger on it.
 */
export async function testing({ wb, workspace, log }: StepContext): Promise<void> {
  const page = wb.page;
  const failing = readFileSync(join(workspace, 'failing.fltsim'), 'utf8').split('\n');
  const failLine = failing.findIndex((l) => l.startsWith('expect #1 status STATUS_ACCESS_DENIED')) + 1;
  check(failLine > 0, 'fixture failing.fltsim lost its failing expect line');
  const passLines = failing.flatMap((l, i) => (l.startsWith('expect') && i + 1 !== failLine ? [i + 1] : []));
  // The bundled samples join the workspace now (earlier steps lint the folder and read its terminal
  // output, which they would crowd): the Test Explorer must notice new scenario files by itself.
  cpSync(SAMPLES_DIR, join(workspace, 'samples'), { recursive: true });
  const samples = filesUnder(join(workspace, 'samples'), '.fltsim');
  check(samples.length >= 8, `the workspace has only ${samples.length} sample scenarios`);

  await wb.quickOpen('failing.fltsim');
  await showTesting(wb);
  await testRow(wb, 'samples').first().waitFor({ timeout: 30_000 })
    .catch(() => { throw new E2EFailure('the Testing view lists no "samples" folder: the fltsim test controller found no scenarios'); });
  for (const name of ['failing.fltsim', 'pendread.fltsim', 'spin.fltsim']) {
    check(await testRow(wb, name).count() > 0, `the Testing view does not list ${name}`);
  }
  await wb.screenshot('testing-view');

  // Every bundled sample, run as one folder.
  await clickRowAction(wb, 'samples', 'Run Test');
  const folder = await testResult(wb, 'samples', 240_000);
  log(`samples folder: ${folder}`);
  // Open the folder and its sub-folders (scenario rows stay closed: their children are expect
  // lines), then read every scenario row. The view is a virtual list and the samples fill more than
  // a screen of it: it is walked from top to bottom, opening folders as they come into view.
  const testList = wb.paneLocator('Test Explorer').locator('.monaco-list').first();
  const scenarioRows = new Map<number, string>();
  await wb.walkList(testList, async (rows) => {
    const folder = rows.find((r) => r.expanded === false && !r.label.includes('.fltsim') &&
      (r.level === 2 || (r.level === 1 && r.label.startsWith('samples ('))));
    if (folder) {
      await testList.locator(`.monaco-list-row[data-index="${folder.index}"] .monaco-tl-twistie`).click();
      return true;
    }
    for (const r of rows) if (r.level === 3) scenarioRows.set(r.index, r.label);
    return false;
  });
  log(`sample rows: ${JSON.stringify([...scenarioRows.values()])}`);
  await wb.screenshot('testing-samples-passed');
  check(/\(Passed/.test(folder), `running the samples folder gave "${folder}", expected Passed`);
  check(scenarioRows.size === samples.length, `the samples folder shows ${scenarioRows.size} scenarios, the workspace has ${samples.length}`);
  const notPassed = [...scenarioRows.values()].filter((r) => !/\(Passed/.test(r));
  check(notPassed.length === 0, `sample scenarios that did not pass: ${notPassed.join('; ')}`);
  // Fold the samples again, from the top of the list, so the rows below keep their places.
  await testList.hover();
  await page.mouse.wheel(0, -100_000);
  const samplesRow = testRow(wb, 'samples').first();
  await samplesRow.waitFor({ timeout: 5_000 });
  if ((await samplesRow.getAttribute('aria-expanded')) === 'true') await samplesRow.locator('.monaco-tl-twistie').click();

  // The scenario that fails on purpose: failed at its expect line, the others passed.
  await clickRowAction(wb, 'failing.fltsim', 'Run Test');
  const result = await testResult(wb, 'failing.fltsim', 60_000);
  log(`failing.fltsim: ${result}`);
  check(/\(Failed/.test(result), `failing.fltsim gave "${result}", expected Failed`);
  const marks = await wb.until('failed and passed marks in the gutter of failing.fltsim', () => {
    const d = (globalThis as any).document;
    return d.querySelector('.editor-instance .cgmr.codicon-testing-failed-icon') ? true : false;
  }, null, 15_000).then(() => gutterMarks(wb));
  log(`gutter: ${JSON.stringify(marks)}`);
  check(marks[failLine] === 'codicon-testing-failed-icon', `line ${failLine} (the failing expect) has gutter mark "${marks[failLine]}", expected a failure`);
  for (const l of passLines) check(marks[l] === 'codicon-testing-passed-icon', `expect line ${l} has gutter mark "${marks[l]}", expected a pass`);
  // The message sits at the failing line; clicking it opens the peek with expected and actual.
  const inline = page.locator('.editor-instance .content', { hasText: 'STATUS_SUCCESS != STATUS_ACCESS_DENIED' }).first();
  await inline.waitFor({ timeout: 10_000 }).catch(() => { throw new E2EFailure('no inline test message "STATUS_SUCCESS != STATUS_ACCESS_DENIED" in failing.fltsim'); });
  await inline.click();
  const peek = await wb.until('the test peek with the expectation\'s message', () => {
    const z = (globalThis as any).document.querySelector('.zone-widget.test-output-peek');
    return z ? (z as any).innerText as string : false;
  }, null, 15_000);
  log(`peek: ${JSON.stringify(peek.slice(0, 300))}`);
  check(peek.includes('✗ expect #1 status STATUS_ACCESS_DENIED') && peek.includes('got STATUS_SUCCESS'), 'the peek does not show the failed expectation with what the run got');
  check(/Expected[\s\S]*Actual|Actual[\s\S]*Expected/.test(peek) || (peek.includes('STATUS_ACCESS_DENIED') && peek.includes('STATUS_SUCCESS')), 'the peek shows no expected/actual diff');
  await wb.until(`the cursor on line ${failLine}`, (n) => new RegExp(`Ln ${n},`).test((globalThis as any).document.querySelector('[id="status.editor.selection"]')?.textContent ?? ''), failLine, 10_000);
  await wb.screenshot('testing-failing-peek');
  await page.keyboard.press('Escape');

  // The scenario's own message, the verdict at its title line, offers to debug that very run.
  const verdict = page.locator('.editor-instance .content', { hasText: /FAIL\s+1 of 3 expectations failed/ }).first();
  await verdict.waitFor({ timeout: 10_000 }).catch(() => { throw new E2EFailure('no inline verdict "FAIL 1 of 3 expectations failed" at the scenario line'); });
  await verdict.click();
  const debugRun = page.locator('.zone-widget.test-output-peek').getByText('Debug This Run', { exact: true }).first();
  await debugRun.waitFor({ timeout: 15_000 }).catch(() => { throw new E2EFailure('the peek of the scenario\'s verdict has no "Debug This Run" button'); });
  await wb.screenshot('testing-debug-this-run');
  // The peek of a short message can be too low to show the whole button; a DOM click reaches it anyway.
  await debugRun.evaluate((el) => (el as unknown as { click(): void }).click());
  await page.keyboard.press('Control+Shift+Y');
  // The replay starts under seed 1 (a breakpoint an earlier step left in pendread.c may pause it).
  // The console is a virtual list: the line naming the seed can scroll above the rows in the page
  // once the run prints more, so each look reads the whole list.
  const repl = page.locator('.repl .monaco-list').first();
  let consoleText = '';
  for (const deadline = Date.now() + 45_000; !/fails on purpose \(seed 1\)/.test(consoleText);) {
    if (Date.now() > deadline) throw new E2EFailure(`timed out after 45s waiting for the Debug Console to show the run replayed under seed 1; it shows ${JSON.stringify(consoleText.slice(-600))}`);
    await page.waitForTimeout(500);
    consoleText = (await wb.allRows(repl).catch(() => [])).map((r) => r.text).join('\n');
  }
  log(`Debug This Run: ${JSON.stringify(consoleText.split('\n').filter((l: string) => /seed 1|Run finished/.test(l)))}`);
  if (await wb.debugToolbar().isVisible().catch(() => false)) await page.keyboard.press('Shift+F5');
  await wb.debugToolbar().waitFor({ state: 'hidden', timeout: 15_000 }).catch(() => undefined);

  // Debug Test from the Testing view: the fltsim debugger runs the scenario and stops in the driver.
  const source = readFileSync(join(workspace, 'pendread.c'), 'utf8').split('\n');
  const bpLine = source.findIndex((l) => l.includes('FltFreeGenericWorkItem(WorkItem);')) + 1;
  check(bpLine > 0, 'fixture pendread.c lost its worker line');
  await wb.runCommand('Remove All Breakpoints');
  await wb.quickOpen('pendread.c');
  await wb.setBreakpoint(bpLine);
  await showTesting(wb);
  await clickRowAction(wb, 'failing.fltsim', 'Debug Test');
  await wb.debugToolbar().waitFor({ state: 'visible', timeout: 30_000 })
    .catch(() => { throw new E2EFailure('Debug Test on failing.fltsim did not start a debug session'); });
  if ((await wb.paneRows('Call Stack')) === null) await page.keyboard.press('Control+Shift+D');
  await wb.until('the Call Stack to say "Paused on breakpoint"', () => [...(globalThis as any).document.querySelectorAll('.pane')].some((p) =>
    (p.querySelector('.pane-header')?.getAttribute('aria-label') ?? '').startsWith('Call Stack') && /Paused on breakpoint/i.test((p as any).innerText)), null, 45_000);
  log(`Call Stack: ${JSON.stringify(await wb.paneRows('Call Stack'))}`);
  await wb.screenshot('testing-debug-paused');
  for (let i = 0; i < 10 && (await wb.debugToolbar().isVisible()); i++) {
    await page.keyboard.press('F5');
    await wb.debugToolbar().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
  }
  check(!(await wb.debugToolbar().isVisible()), 'the debug session started from the Testing view did not end');
  // Take the breakpoint away again (F9 on its line), so no later step stops there.
  await wb.quickOpen('pendread.c');
  await wb.setBreakpoint(bpLine, false);
  await showTesting(wb);
  const afterDebug = await testResult(wb, 'failing.fltsim', 15_000);
  log(`failing.fltsim after the Debug run: ${afterDebug}`);
  check(/\(Failed/.test(afterDebug), `after the Debug run failing.fltsim shows "${afterDebug}", expected Failed (the debugger's verdict)`);
  await wb.screenshot('testing-debug-ended');
}
