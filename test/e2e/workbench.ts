/**
 * Helpers that drive the VS Code workbench (code-server in Debian's chromium) the way a person does:
 * keyboard shortcuts, the Command Palette, and reading what the views show. Selectors are the
 * workbench's stable ids and ARIA labels, not generated class names.
 * Code inside page.evaluate() runs in the browser; it reaches the DOM through globalThis because
 * the project is typechecked without the DOM library.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';

/** A failed expectation, with what was seen, so the summary line says what went wrong. */
export class E2EFailure extends Error {}

export class Workbench {
  private shotCount = 0;

  constructor(readonly page: Page, private readonly artifacts: string, private readonly log: (msg: string) => void) {
    mkdirSync(artifacts, { recursive: true });
  }

  async screenshot(name: string): Promise<string> {
    const file = join(this.artifacts, `${String(++this.shotCount).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path: file });
    this.log(`screenshot ${file}`);
    return file;
  }

  /**
   * Polls `probe` in the page until it returns something truthy; on timeout throws with `what`
   * and the last value seen, so a failure explains itself.
   */
  async until<T, A>(what: string, probe: (arg: A) => T | false | null | undefined, arg: A, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < deadline) {
      last = await this.page.evaluate(probe as any, arg as any);
      if (last) return last as T;
      await this.page.waitForTimeout(250);
    }
    throw new E2EFailure(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
  }

  /** Waits until the workbench is up and the Explorer lists `fileInRoot`. */
  /** Waits for a frame (webviews render in nested frames) whose text contains `text`. */
  async frameContaining(text: string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (const frame of this.page.frames()) {
        if (frame === this.page.mainFrame()) continue; // only webviews, not the workbench itself
        const body = await frame.evaluate(() => (globalThis as any).document.body?.innerText ?? '').catch(() => '');
        if (body.includes(text)) return;
      }
      await this.page.waitForTimeout(300);
    }
    throw new E2EFailure(`timed out after ${timeoutMs / 1000}s waiting for a webview showing "${text}"`);
  }

  /** The webview frame whose document has `selector` (webviews are iframes nested in iframes). */
  async webviewFrame(selector: string, timeoutMs = 30_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (const frame of this.page.frames()) {
        if (frame === this.page.mainFrame()) continue;
        const found = await frame.evaluate((sel) => (globalThis as any).document.querySelector(sel) !== null, selector).catch(() => false);
        if (found) return frame;
      }
      await this.page.waitForTimeout(300);
    }
    throw new E2EFailure(`timed out after ${timeoutMs / 1000}s waiting for a webview with ${selector}`);
  }

  async waitReady(fileInRoot: string): Promise<void> {
    await this.page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
    await this.page.getByRole('treeitem', { name: fileInRoot }).first().waitFor({ timeout: 90_000 });
  }

  /**
   * Ctrl+P: open a workspace file by name. Enter is pressed only once the focused row is the file's
   * (the list fills in as files are found, and a busy machine can leave an older row focused); one
   * more try if no tab for it opens anyway.
   */
  async quickOpen(fileName: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press('Control+P');
      const input = this.page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible' });
      await input.fill(fileName);
      await this.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: fileName }).first().waitFor({ timeout: 15_000 });
      await this.page.keyboard.press('Enter');
      try {
        await this.until(`an editor tab for ${fileName}`, (name) => {
          const tab = (globalThis as any).document.querySelector('.tabs-container .tab.active');
          return tab?.getAttribute('aria-label')?.startsWith(name) ?? false;
        }, fileName, 15_000);
        break;
      } catch (e) {
        if (attempt === 2) throw e;
        await this.page.keyboard.press('Escape');
      }
    }
    await this.page.waitForSelector('.editor-instance .view-lines .view-line', { timeout: 15_000 });
  }

  /** F1 and run a command by its palette title. */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 15_000 });
    await this.page.keyboard.press('Enter');
  }

  /** Picks an entry of an open quick pick by its visible label. */
  async pickQuickItem(label: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(label);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().waitFor({ timeout: 15_000 });
    await this.page.keyboard.press('Enter');
  }

  async goToLine(line: number): Promise<void> {
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    // The box opens with a ':' prefix that selects "go to line"; typing keeps it, fill() would not.
    await this.page.keyboard.type(String(line));
    await this.page.keyboard.press('Enter');
    await this.until(`the cursor on line ${line}`, (n) => new RegExp(`Ln ${n},`).test((globalThis as any).document.querySelector('[id="status.editor.selection"]')?.textContent ?? ''), line, 10_000);
  }

  /** The language name in the status bar. */
  languageMode(): Promise<string> {
    return this.page.evaluate(() => (globalThis as any).document.querySelector('[id="status.editor.mode"]')?.textContent?.trim() ?? '');
  }

  /** Tokens of the active editor: text and the class the theme colours it with (mtk1 = default). */
  visibleTokens(): Promise<{ text: string; cls: string }[]> {
    return this.page.evaluate(() => [...(globalThis as any).document.querySelectorAll('.editor-instance .view-lines .view-line span > span')]
      .map((s) => ({ text: s.textContent ?? '', cls: s.className })));
  }

  /** The rows of a Run and Debug pane (Variables, Call Stack, Breakpoints…), flattened to text. */
  paneRows(title: string): Promise<string[] | null> {
    return this.page.evaluate((t) => {
      for (const pane of (globalThis as any).document.querySelectorAll('.pane')) {
        const label = pane.querySelector('.pane-header')?.getAttribute('aria-label') ?? '';
        if (label === t || label.startsWith(`${t} `)) {
          return [...pane.querySelectorAll('.monaco-list-row')].map((r) => (r as any).innerText.replace(/\s+/g, ' ').trim());
        }
      }
      return null;
    }, title);
  }

  paneLocator(title: string): Locator {
    return this.page.locator('.pane').filter({ has: this.page.locator(`.pane-header[aria-label^="${title}"]`) });
  }

  /** Expands a collapsed row of a pane (a scope or a structured variable) by its leading text. */
  async expandRow(pane: string, rowText: string | RegExp): Promise<boolean> {
    const row = this.paneLocator(pane).locator('.monaco-list-row', { hasText: rowText }).first();
    if ((await row.count()) === 0) return false;
    if ((await row.getAttribute('aria-expanded')) === 'false') await row.click();
    return true;
  }

  /**
   * Scrolls a pane's list by `dy` pixels with the mouse wheel. Workbench lists are virtual: rows
   * outside the visible part are not in the page at all, and the DOM's own scrolling does not move
   * them, so a row below the fold has to be wheeled into view before it can be read or clicked.
   */
  async scrollPane(pane: string, dy: number): Promise<void> {
    const list = this.paneLocator(pane).locator('.monaco-list').first();
    if ((await list.count()) === 0) return;
    await list.hover().catch(() => undefined);
    await this.page.mouse.wheel(0, dy);
    await this.page.waitForTimeout(150);
  }

  /**
   * Expands `parent` in `pane` until a row matching `child` shows, and returns that row's text.
   * VS Code re-fetches the scopes when the focused stack frame settles after a stop, which can fold a
   * scope opened a moment earlier, and a small pane keeps the parent or its children below the fold:
   * the parent is opened again whenever it is seen folded, and the list is wheeled down otherwise.
   */
  async revealChild(pane: string, parent: RegExp, child: RegExp, what: string, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let rows: string[] | null = null;
    while (Date.now() < deadline) {
      rows = await this.paneRows(pane);
      const hit = rows?.find((t) => child.test(t));
      if (hit) return hit;
      const row = this.paneLocator(pane).locator('.monaco-list-row', { hasText: parent }).first();
      const folded = (await row.count()) > 0 && (await row.getAttribute('aria-expanded').catch(() => null)) === 'false';
      // Playwright counts a row clipped by the list as visible; only a row inside the list's box can be clicked.
      const inView = folded && (await row.evaluate((el) => {
        const box = el.getBoundingClientRect();
        const list = el.closest('.monaco-list')?.getBoundingClientRect();
        return !!list && box.top >= list.top && box.bottom <= list.bottom;
      }).catch(() => false));
      if (inView) await row.click({ timeout: 2_000 }).catch(() => undefined);
      else await this.scrollPane(pane, 120);
      await this.page.waitForTimeout(300);
    }
    throw new E2EFailure(`timed out after ${timeoutMs / 1000}s waiting for ${what}; ${pane} rows: ${JSON.stringify(rows)}`);
  }

  debugToolbar(): Locator {
    return this.page.locator('.debug-toolbar');
  }

  /** Text of the Problems panel rows. */
  problemRows(): Promise<string[]> {
    return this.page.evaluate(() => [...(globalThis as any).document.querySelectorAll('.markers-panel .monaco-list-row')]
      .map((r) => (r as any).innerText.replace(/\s+/g, ' ').trim()));
  }

  /** Closes whatever overlay is open and every editor, so the next step starts from a clean window. */
  async reset(): Promise<void> {
    for (let i = 0; i < 3; i++) await this.page.keyboard.press('Escape');
    await this.runCommand('View: Close All Editors');
    // Ctrl+J toggles the bottom panel; press it only when the panel is showing.
    if (await this.page.locator('.part.panel').first().isVisible().catch(() => false)) await this.page.keyboard.press('Control+J');
    await this.page.waitForTimeout(300);
  }
}
