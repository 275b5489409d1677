/** The problems step: lint findings in the Problems view. */
import { E2EFailure } from '../workbench';
import { type StepContext } from './shared';

/** The language server's findings for the lint demo show up in the Problems view with rule ids. */
export async function problems({ wb, expect, log }: StepContext): Promise<void> {
  await wb.quickOpen('buggy.c');
  await wb.page.keyboard.press('Control+Shift+M');
  await wb.page.locator('.markers-panel').first().waitFor({ state: 'visible', timeout: 10_000 });
  // The Problems view is a virtual list: a finding below the fold is not in the page, so each look
  // walks the list from top to bottom.
  const list = wb.page.locator('.markers-panel .monaco-list').first();
  const deadline = Date.now() + 60_000;
  let rows: string[] = [];
  while (!expect.rules.every((id) => rows.some((t) => t.includes(id)))) {
    if (Date.now() > deadline) {
      log(`Problems rows: ${JSON.stringify(rows)}`);
      await wb.screenshot('problems-missing');
      throw new E2EFailure(`timed out after 60s waiting for the Problems view to list ${expect.rules.join(', ')} — the language server must publish diagnostics whose code is the rule id (extension/server)`);
    }
    await wb.page.waitForTimeout(500);
    rows = (await wb.allRows(list).catch(() => [])).map((r) => r.text);
  }
  log(`Problems rows: ${JSON.stringify(rows)}`);
  await wb.screenshot('problems');
}
