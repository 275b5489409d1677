/** The commands step: title buttons and commands that run the bundled CLI in a terminal. */
import { type Workbench } from '../workbench';
import { check, type StepContext } from './shared';

/** Text of the visible terminal (the DOM renderer's rows; headless chromium has no WebGL). */
function terminalText(wb: Workbench): Promise<string> {
  return wb.page.evaluate(() => [...(globalThis as any).document.querySelectorAll('.terminal-wrapper.active .xterm-rows > div, .xterm .xterm-rows > div')]
    .map((r: any) => r.textContent ?? '').join('\n'));
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
