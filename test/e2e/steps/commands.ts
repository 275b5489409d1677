/** The commands step: title buttons and commands that run the bundled CLI in a terminal. */
import { type Workbench } from '../workbench';
import { check, type StepContext } from './shared';

/** The terminal on screen (a hidden one keeps its rows in the page too). */
function shownTerminal(wb: Workbench) {
  return wb.page.locator('.xterm').filter({ visible: true }).first();
}

/** Text of the visible terminal (the DOM renderer's rows; headless chromium has no WebGL). */
async function terminalText(wb: Workbench): Promise<string> {
  const rows = shownTerminal(wb).locator('.xterm-rows > div');
  return (await rows.allTextContents().catch(() => [] as string[])).join('\n');
}

/**
 * Every line the active terminal holds, not only the rows on screen: the terminal is wheeled up a
 * screen at a time until it stops moving (the DOM renderer keeps only the visible rows), then back
 * to its bottom. Findings printed before a long tail scroll off the top of a small panel.
 */
async function terminalScrollback(wb: Workbench): Promise<string> {
  const page = wb.page;
  const screens: string[] = [];
  await shownTerminal(wb).hover();
  let last = '';
  for (let i = 0; i < 100; i++) {
    const now = await terminalText(wb);
    if (now === last) break;
    screens.unshift(now);
    last = now;
    await page.mouse.wheel(0, -300);
    await page.waitForTimeout(150);
  }
  await page.mouse.wheel(0, 100_000);
  return screens.join('\n');
}

/** The Run Scenario title button and the Lint Workspace command run the bundled CLI in a terminal. */
export async function commands({ wb, log }: StepContext): Promise<void> {
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
  const scrollback = /\[wi-bad-queue-type\]/.test(lint) ? lint : await terminalScrollback(wb);
  check(/\[wi-bad-queue-type\]/.test(scrollback), 'Lint Workspace output does not mention wi-bad-queue-type for buggy.c');
  log(`lint terminal: ${JSON.stringify(lint.split('\n').filter((l: string) => /fltsim lint:/.test(l)))}`);
  await wb.screenshot('commands-lint-workspace');

  // Rule pages: pick a rule id, its page opens in the Markdown preview (a webview).
  await wb.runCommand('fltsim: Show Rule Documentation');
  await wb.pickQuickItem('wi-bad-queue-type');
  await wb.frameContaining('HyperCriticalWorkQueue', 20_000);
  log('rule page wi-bad-queue-type shown in the Markdown preview');
  await wb.screenshot('commands-rule-docs');
}
