/** The problems step: lint findings in the Problems view. */
import { E2EFailure } from '../workbench';
import { type StepContext } from './shared';

/** The language server's findings for the lint demo show up in the Problems view with rule ids. */
export async function problems({ wb, expect, log }: StepContext): Promise<void> {
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
