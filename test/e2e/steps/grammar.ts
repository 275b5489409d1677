/** The grammar step: a .fltsim file gets its language and colours. */
import { E2EFailure } from '../workbench';
import { check, type StepContext } from './shared';

/** A .fltsim file gets the fltsim language and TextMate colours. */
export async function grammar({ wb, expect, log }: StepContext): Promise<void> {
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
  // The menu arrow shows only on hover, and a click while it fades in can be lost: try three times.
  const entry = wb.page.locator('.monaco-menu .action-label', { hasText: 'Debug Scenario' }).first();
  for (let attempt = 1; ; attempt++) {
    await runButton.hover();
    await wb.page.locator('.editor-actions .monaco-dropdown-with-default').first().locator('.codicon-chevron-down').click({ force: true });
    if (await entry.waitFor({ timeout: 5_000 }).then(() => true, () => false)) break;
    if (attempt === 3) throw new E2EFailure('the editor title run menu has no "Debug Scenario" entry (the menu was opened three times)');
    await wb.page.keyboard.press('Escape');
  }
  await wb.screenshot('grammar-fltsim-run-menu');
  await wb.page.keyboard.press('Escape');
  log('editor title: Run Scenario button with Debug Scenario in its menu');
}
