/** The debug step: a breakpoint, F5, the Variables view, stepping, to the end. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { E2EFailure } from '../workbench';
import { check, type StepContext } from './shared';

/** Breakpoint in the worker, F5, Variables view, F10, continue to the end. */
export async function debug({ wb, workspace, expect, log }: StepContext): Promise<void> {
  const page = wb.page;
  const source = readFileSync(join(workspace, 'pendread.c'), 'utf8').split('\n');
  const line = source.findIndex((l) => l.includes('FltFreeGenericWorkItem(WorkItem);')) + 1;
  check(line > 0, 'fixture pendread.c lost its worker line');

  // A breakpoint another step left (one that failed half-way) would stop the run elsewhere.
  await wb.runCommand('Remove All Breakpoints');
  await wb.quickOpen('pendread.c');
  await wb.setBreakpoint(line);
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

  // Thread scope: IRQL row, e.g. "IRQL = PASSIVE_LEVEL (0)". The scopes load after the stop, and
  // Thread can sit below the fold of the Locals.
  const irqlRow = await wb.revealChild('Variables', /^Thread/, new RegExp(`^IRQL\\s*[=:]\\s*${expect.irql}\\b`),
    `an IRQL row showing ${expect.irql} under the Thread scope`, 35_000);
  log(`IRQL row: ${irqlRow}`);

  // Callback Data scope: the pended request shows its major function in the row of the request in
  // hand or, when the frame holds none, among the live requests.
  const majorRow = await wb.revealChild('Variables', [/^Callback Data/, /^Live\b/], new RegExp(`^(In hand|#\\d+)\\b.*\\b${expect.major}\\b`),
    `a row of the Callback Data scope naming ${expect.major}`, 20_000);
  log(`Callback Data row: ${majorRow}`);
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
