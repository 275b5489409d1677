/** The data breakpoint step: Break on Value Change on a local in the Variables view, continue, the stop names the write. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { E2EFailure } from '../workbench';
import { check, type StepContext } from './shared';

/** Runs in the page (serialised: it may use only its argument). */
function callStackSays(pattern: string): boolean {
  return [...(globalThis as any).document.querySelectorAll('.pane')].some((p) =>
    (p.querySelector('.pane-header')?.getAttribute('aria-label') ?? '').startsWith('Call Stack') && new RegExp(pattern, 'i').test((p as any).innerText));
}

/** Breakpoint before `item = FltAllocateGenericWorkItem()`, F5, watch `item` for writes, F5: paused on the data breakpoint. */
export async function dataBreakpoint({ wb, workspace, log }: StepContext): Promise<void> {
  const page = wb.page;
  const source = readFileSync(join(workspace, 'pendread.c'), 'utf8').split('\n');
  const line = source.findIndex((l) => l.includes('item = FltAllocateGenericWorkItem();')) + 1;
  check(line > 0, 'fixture pendread.c lost its allocation line');

  // Breakpoints persist in the workspace: one an earlier step left would stop the run first.
  await wb.runCommand('Remove All Breakpoints');
  await wb.quickOpen('pendread.c');
  await wb.setBreakpoint(line);

  await page.keyboard.press('F5');
  await wb.debugToolbar().waitFor({ state: 'visible', timeout: 30_000 }).catch(() => {
    throw new E2EFailure('F5 did not start a debug session (no debug toolbar within 30s)');
  });
  if ((await wb.paneRows('Call Stack')) === null) await page.keyboard.press('Control+Shift+D');
  await wb.until('the Call Stack to say "Paused on breakpoint"', callStackSays, 'Paused on breakpoint', 45_000);
  // The line breakpoint has done its part; the data breakpoint alone should stop the run next.
  await wb.runCommand('Remove All Breakpoints');

  // The local sits in the Locals scope, which may be folded or partly below the fold of the pane.
  const itemRow = await wb.revealChild('Variables', /^Locals/, /^item\b/, 'a Locals row "item"', 30_000);
  log(`Locals row: ${itemRow}`);
  // The Variables view may re-render the row while the scopes settle after the stop, which takes the
  // context menu with it, and a click on the menu while it fades in can be lost: right-click again
  // until the Breakpoints view lists the data breakpoint (its row starts with the variable's name —
  // "Work item queued", a transition filter, also contains "item").
  const entry = page.locator('.context-view .action-item', { hasText: 'Break on Value Change' }).first();
  const dataBreakpointListed = (): Promise<boolean> => page.evaluate(() => [...(globalThis as any).document.querySelectorAll('.pane')].some((p) =>
    (p.querySelector('.pane-header')?.getAttribute('aria-label') ?? '').startsWith('Breakpoints') &&
    [...p.querySelectorAll('.monaco-list-row')].some((r) => /^item\b/.test((r as any).innerText.trim()))));
  let menuSeen = false;
  let listed = false;
  for (let attempt = 0; attempt < 4 && !listed; attempt++) {
    // A re-render may have folded Locals or moved the row out of view since the last try.
    if (attempt > 0) await wb.revealChild('Variables', /^Locals/, /^item\b/, 'a Locals row "item"', 10_000).catch(() => undefined);
    const row = wb.paneLocator('Variables').locator('.monaco-list-row', { hasText: /^item/ }).first();
    await row.click({ button: 'right' }).catch(() => undefined);
    if (!(await entry.waitFor({ state: 'visible', timeout: 4_000 }).then(() => true, () => false))) {
      await page.keyboard.press('Escape');
      continue;
    }
    if (!menuSeen) await wb.screenshot('data-breakpoint-menu');
    menuSeen = true;
    await page.waitForTimeout(300); // let the menu finish fading in before clicking its entry
    await entry.click().catch(() => undefined);
    for (let i = 0; i < 20 && !listed; i++) {
      listed = await dataBreakpointListed();
      // Data breakpoints come after the transition filters, often below the fold of a small pane.
      if (!listed) await wb.scrollPane('Breakpoints', 200);
    }
  }
  if (!menuSeen) {
    await wb.screenshot('data-breakpoint-no-menu');
    throw new E2EFailure('the Variables view offers no "Break on Value Change" for a local: dataBreakpointInfo must answer with a dataId');
  }
  check(listed, 'after "Break on Value Change" on the Locals row "item", the Breakpoints view lists no data breakpoint for item');

  await page.keyboard.press('F5');
  // VS Code labels the stopped thread with the stop's description: who wrote what, where.
  await wb.until('the Call Stack to say which thread wrote item, where', callStackSays, `item written at pendread\\.c:${line} by 'I/O #1 \\(read\\)' \\(thread \\d+\\): <not yet assigned> → 0xffff`, 30_000).catch(async (e) => {
    await wb.screenshot('data-breakpoint-no-stop');
    log(`Call Stack: ${JSON.stringify(await wb.paneRows('Call Stack'))}`);
    throw e;
  });
  log(`Call Stack: ${JSON.stringify(await wb.paneRows('Call Stack'))}`);
  await wb.screenshot('data-breakpoint-stopped');

  for (let i = 0; i < 10 && (await wb.debugToolbar().isVisible()); i++) {
    await page.keyboard.press('F5');
    await wb.debugToolbar().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
  }
  check(!(await wb.debugToolbar().isVisible()), 'the debug session did not end after continuing ten times');
}
