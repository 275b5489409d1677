/** The walkthrough step: the two walkthroughs and their command links. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { firstStatementLine, functionForRole } from '../../../extension/client/samplePlan';
import { E2EFailure, type Workbench } from '../workbench';
import { check, SAMPLES_DIR, type StepContext } from './shared';

const PEND_STEPS = ['Open the sample', 'Stop in the worker routine', 'Start debugging', 'Read the Variables view', 'Choose how the read completes'];
const LINT_STEPS = ['Open a driver with mistakes', 'Read the Problems view', 'Read about a rule', 'Tune the rules', 'Lint in CI', 'Run your own driver'];

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

/** Opens a walkthrough step by its title; a click taken while the page still lays out is repeated. */
async function expandStep(wb: Workbench, title: string): Promise<void> {
  const expanded = wb.page.locator('.getting-started-step.expanded .step-title', { hasText: title }).first();
  for (let attempt = 1; ; attempt++) {
    await wb.page.locator('.getting-started-step .step-title', { hasText: title }).first().click();
    if (await expanded.waitFor({ timeout: 5_000 }).then(() => true, () => false)) return;
    if (attempt === 3) throw new E2EFailure(`the walkthrough step "${title}" did not open after three clicks`);
  }
}

/** Two walkthroughs render all their steps; a step's command link opens the bundled sample. */
export async function walkthrough({ wb, log }: StepContext): Promise<void> {
  await openWalkthrough(wb, 'Pend a read and finish it from a work item', PEND_STEPS, 'Pending a read, finishing it later');
  log(`pend walkthrough shows its steps (${PEND_STEPS.join(' | ')}) and the first step's media`);
  await wb.screenshot('walkthrough-pend');

  // Its second step's button finds the worker routine of the bundled sample and breaks there.
  const sampleC = readFileSync(join(SAMPLES_DIR, 'pend-generic-workitem', 'pendfilter.c'), 'utf8');
  const worker = functionForRole(sampleC, 'worker');
  const line = worker ? firstStatementLine(sampleC, worker) : undefined;
  check(worker && line, 'samples/pend-generic-workitem/pendfilter.c has no worker routine to break in');
  await expandStep(wb, 'Stop in the worker routine');
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
  // The breadcrumb fills in after the tab: wait for it to end at the file before reading its folders.
  const crumbs = await wb.until('the breadcrumb of the opened demo', () => {
    const text = [...(globalThis as any).document.querySelectorAll('.editor-group-container.active .monaco-breadcrumbs .monaco-breadcrumb-item')].map((i: any) => i.textContent.trim()).join('/');
    return /buggy\.c/.test(text) ? text : false;
  }, null, 10_000);
  log(`walkthrough link opened: ${crumbs}`);
  check(/fltsim-samples.*lint-demo.*buggy\.c/.test(crumbs), `the walkthrough link opened "${crumbs}", expected the copy under fltsim-samples/lint-demo/`);
  await wb.screenshot('walkthrough-lint-link');

  // The extension's own "Open Tutorials" command lands on the first walkthrough.
  await wb.runCommand('fltsim: Open Tutorials');
  // Only a step on screen counts: the lint walkthrough's page may still be in the page, hidden.
  await wb.until('"fltsim: Open Tutorials" to show the pend walkthrough', (title) =>
    [...(globalThis as any).document.querySelectorAll('.getting-started-step .step-title')].some((t: any) => t.textContent?.trim() === title && t.getClientRects().length > 0), PEND_STEPS[1], 15_000);
  log('fltsim: Open Tutorials opened the pend walkthrough');
}
