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

/** A row of a workbench list as the page shows it. */
export interface ListRow {
  /** Position in the whole list (the page holds only the rows in view). */
  index: number;
  text: string;
  label: string;
  level: number;
  expanded: boolean | null;
}

function listRows(list: Locator): Promise<ListRow[]> {
  return list.locator('.monaco-list-row').evaluateAll((els) => els.map((r: any) => ({
    index: Number(r.getAttribute('data-index')),
    text: (r.innerText as string).replace(/\s+/g, ' ').trim(),
    label: r.getAttribute('aria-label') ?? '',
    level: Number(r.getAttribute('aria-level') ?? 0),
    expanded: r.hasAttribute('aria-expanded') ? r.getAttribute('aria-expanded') === 'true' : null,
  })).sort((a, b) => a.index - b.index));
}

/** Whether a row lies whole inside its list's box (Playwright counts a row clipped by the list as visible). */
function insideList(row: Locator): Promise<boolean> {
  return row.evaluate((el) => {
    const box = el.getBoundingClientRect();
    const list = el.closest('.monaco-list')?.getBoundingClientRect();
    return !!list && box.height > 0 && box.top >= list.top - 1 && box.bottom <= list.bottom + 1;
  }).catch(() => false);
}

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

  /**
   * F1 and run a command by its palette title. The palette closes when the workbench moves the focus
   * while it opens (a debug stop reveals its line, a view takes the focus as it settles): it is then
   * opened again, up to three times.
   */
  async runCommand(title: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input');
    for (let attempt = 1; ; attempt++) {
      try {
        await this.page.keyboard.press('F1');
        await input.waitFor({ state: 'visible', timeout: 10_000 });
        await input.fill(`>${title}`, { timeout: 5_000 });
        await this.acceptQuickItem(title);
        return;
      } catch (e) {
        if (attempt === 3) throw new E2EFailure(`the Command Palette did not run "${title}" (3 tries): ${(e as Error).message.split('\n')[0]}`);
        await this.page.keyboard.press('Escape');
      }
    }
  }

  /** Picks an entry of an open quick pick by its visible label. */
  async pickQuickItem(label: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(label);
    await this.acceptQuickItem(label);
  }

  /**
   * Accepts the quick input row showing `text`. The list filters a moment after the text is typed,
   * so a matching row can be in the page while another (an older or recently used entry) still has
   * the focus: Enter is pressed only on a focused match, and the row is clicked when the focus
   * settles elsewhere.
   */
  private async acceptQuickItem(text: string): Promise<void> {
    const rows = this.page.locator('.quick-input-list .monaco-list-row', { hasText: text });
    await rows.first().waitFor({ timeout: 15_000 });
    const focused = this.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: text }).first();
    if (await focused.waitFor({ timeout: 3_000 }).then(() => true, () => false)) await this.page.keyboard.press('Enter');
    else await rows.first().click({ timeout: 5_000 });
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

  /**
   * Scrolls a pane's list by `dy` pixels with the mouse wheel. Workbench lists are virtual: rows
   * outside the visible part are not in the page at all, and the DOM's own scrolling does not move
   * them, so a row below the fold has to be wheeled into view before it can be read or clicked.
   */
  async scrollPane(pane: string, dy: number): Promise<void> {
    const list = this.paneLocator(pane).locator('.monaco-list').first();
    if ((await list.count()) === 0) return;
    await this.wheelOver(list, dy);
  }

  /**
   * Wheels a list with the pointer at its left edge, then takes the pointer away: resting on a value
   * opens VS Code's value hover, which then covers the rows below it and takes their clicks.
   */
  private async wheelOver(list: Locator, dy: number): Promise<void> {
    const box = await list.boundingBox().catch(() => null);
    if (!box) return;
    await this.page.mouse.move(box.x + 4, box.y + box.height / 2);
    await this.page.mouse.wheel(0, dy);
    await this.page.mouse.move(1, 1);
    await this.page.waitForTimeout(150);
  }

  /**
   * Expands the `parents` path in `pane` until a row matching `child` shows whole inside the list,
   * and returns that row's text. VS Code re-fetches the scopes when the focused stack frame settles
   * after a stop, which can fold a scope opened a moment earlier, and a small pane keeps the parents
   * or their children below the fold: a parent is opened again whenever it is seen folded, the list
   * is wheeled down otherwise, and back to its top once the wheel no longer moves it.
   */
  async revealChild(pane: string, parents: RegExp | RegExp[], child: RegExp, what: string, timeoutMs = 20_000): Promise<string> {
    const path = Array.isArray(parents) ? parents : [parents];
    const deadline = Date.now() + timeoutMs;
    let rows: string[] | null = null;
    let before = '';
    while (Date.now() < deadline) {
      rows = await this.paneRows(pane);
      // Matched on innerText, as paneRows reads it ("IRQL = …"), and only when the whole row is in view.
      const hits = await this.paneLocator(pane).locator('.monaco-list-row').evaluateAll((els, [src, flags]) => els.map((el: any) => {
        const text = (el.innerText as string).replace(/\s+/g, ' ').trim();
        const box = el.getBoundingClientRect();
        const list = el.closest('.monaco-list')?.getBoundingClientRect();
        return { text, match: new RegExp(src!, flags).test(text), inside: !!list && box.top >= list.top - 1 && box.bottom <= list.bottom + 1 };
      }).filter((r) => r.match), [child.source, child.flags]).catch(() => []);
      const whole = hits.find((h) => h.inside);
      if (whole) return whole.text;
      let opened = false;
      for (const parent of path) {
        const row = this.paneLocator(pane).locator('.monaco-list-row', { hasText: parent }).first();
        const folded = (await row.count()) > 0 && (await row.getAttribute('aria-expanded').catch(() => null)) === 'false';
        if (folded && (await insideList(row))) {
          await this.page.mouse.move(1, 1);
          await row.click({ timeout: 2_000, position: { x: 40, y: 10 } }).catch(() => undefined);
          opened = true;
          break;
        }
      }
      if (!opened) {
        const now = JSON.stringify(rows);
        // The wheel no longer moves the list: it is at its bottom, so look again from the top.
        await this.scrollPane(pane, now === before ? -100_000 : hits.length > 0 ? 40 : 120);
        before = now;
      }
      await this.page.waitForTimeout(300);
    }
    throw new E2EFailure(`timed out after ${timeoutMs / 1000}s waiting for ${what}; ${pane} rows: ${JSON.stringify(rows)}`);
  }

  /**
   * Visits a virtual list from its top to its bottom. At each position `visit` sees the rows in the
   * page (each with its index in the whole list) and may act on them; it returns true when it changed
   * the list (opened a folder), and the same position is looked at again. Ends when the wheel no
   * longer moves the list.
   */
  async walkList(list: Locator, visit: (rows: ListRow[]) => Promise<boolean | void>, maxSteps = 200): Promise<void> {
    await this.wheelOver(list, -100_000);
    const height = Math.max(60, ((await list.boundingBox())?.height ?? 200) * 0.6);
    let last = '';
    for (let step = 0; step < maxSteps; step++) {
      const rows = await listRows(list);
      if (await visit(rows)) {
        await this.page.waitForTimeout(300);
        last = '';
        continue;
      }
      const seen = rows.map((r) => `${r.index}:${r.label}`).join('|');
      if (seen === last) return;
      last = seen;
      await this.wheelOver(list, height);
    }
    throw new E2EFailure(`a list did not reach its end after ${maxSteps} screens`);
  }

  /** Every row of a virtual list, top to bottom, by its index in the list. */
  async allRows(list: Locator): Promise<ListRow[]> {
    const byIndex = new Map<number, ListRow>();
    await this.walkList(list, async (rows) => {
      for (const r of rows) byIndex.set(r.index, r);
    });
    return [...byIndex.values()].sort((a, b) => a.index - b.index);
  }

  /** Glyph-margin marks of the active editor's visible lines: line number → the codicon classes on it. */
  gutterGlyphs(): Promise<Record<number, string[]>> {
    return this.page.evaluate(() => {
      const d = (globalThis as any).document;
      const editor = d.querySelector('.editor-group-container.active .editor-instance') ?? d.querySelector('.editor-instance');
      if (!editor) return {};
      const lineAt = new Map<string, number>();
      for (const n of editor.querySelectorAll('.line-numbers')) lineAt.set(n.parentElement?.style.top || n.style.top, Number(n.textContent));
      const out: Record<number, string[]> = {};
      for (const g of editor.querySelectorAll('.cgmr[class*="codicon-"]')) {
        const line = lineAt.get(g.style.top);
        if (line !== undefined) (out[line] ??= []).push(...(String(g.className).match(/codicon-[a-z-]+/g) ?? []));
      }
      return out;
    });
  }

  /** Whether the active editor shows a breakpoint on `line` (which must be on screen). */
  async hasBreakpoint(line: number): Promise<boolean> {
    return ((await this.gutterGlyphs())[line] ?? []).some((c) => c.startsWith('codicon-debug-breakpoint'));
  }

  /**
   * Puts the cursor on `line` of the active editor and sets or clears its breakpoint with F9. The
   * glyph is looked for on that very line: a breakpoint elsewhere in the file (left by an earlier
   * step) must neither stop F9 nor be taken for this one.
   */
  async setBreakpoint(line: number, on = true): Promise<void> {
    await this.goToLine(line);
    if ((await this.hasBreakpoint(line)) !== on) await this.page.keyboard.press('F9');
    const deadline = Date.now() + 10_000;
    while ((await this.hasBreakpoint(line)) !== on) {
      if (Date.now() > deadline) throw new E2EFailure(`F9 did not ${on ? 'set' : 'clear'} the breakpoint on line ${line}`);
      await this.page.waitForTimeout(200);
    }
  }

  debugToolbar(): Locator {
    return this.page.locator('.debug-toolbar');
  }

  /** Closes whatever overlay is open and every editor, so the next step starts from a clean window. */
  async reset(): Promise<void> {
    for (let i = 0; i < 3; i++) await this.page.keyboard.press('Escape');
    await this.runCommand('View: Close All Editors');
    // Ctrl+J toggles the bottom panel; press it only when the panel is showing.
    const panel = this.page.locator('.part.panel').first();
    if (await panel.isVisible().catch(() => false)) {
      await this.page.keyboard.press('Control+J');
      await panel.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
    }
    await this.page.locator('.tabs-container .tab').first().waitFor({ state: 'detached', timeout: 5_000 }).catch(() => undefined);
  }
}
