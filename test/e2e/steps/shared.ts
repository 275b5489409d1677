/** What every e2e step is given, and the helpers more than one step uses. */
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { E2EFailure, type Workbench } from '../workbench';

/** The bundled samples at the repository's root. */
export const SAMPLES_DIR = join(__dirname, '..', '..', '..', 'samples');

export interface Expectations {
  /** Language name in the status bar for a .fltsim file (the first alias in package.json). */
  language: string;
  /** IRQL name the Thread scope shows in the worker routine. */
  irql: string;
  /** Major function the Callback Data scope shows for the pended request. */
  major: string;
  /** Rule ids the Problems view must list for the buggy driver. */
  rules: string[];
  /** Lanes the timeline of pendread.fltsim must show. */
  timelineLanes: string[];
}

export interface StepContext {
  wb: Workbench;
  workspace: string;
  expect: Expectations;
  log: (msg: string) => void;
}

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new E2EFailure(message);
}

/** Polls in this process (not the page) until `probe` holds. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new E2EFailure(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** What the timeline webview shows: its lanes and its markers, read from its DOM. */
export async function timelineContents(frame: Frame): Promise<{ lanes: string[]; markers: { kind: string; seq: number; lane: number }[]; status: string }> {
  return frame.evaluate(() => {
    const d = (globalThis as any).document;
    return {
      lanes: [...d.querySelectorAll('.lane-label')].map((e: any) => e.textContent.trim()),
      markers: [...d.querySelectorAll('.marker')].map((e: any) => ({ kind: e.getAttribute('data-kind'), seq: Number(e.getAttribute('data-seq')), lane: Number(e.getAttribute('data-lane')) })),
      status: d.querySelector('#tl-status')?.textContent ?? '',
    };
  });
}

export async function editorAt(wb: Workbench, file: string, line: number, what: string): Promise<void> {
  await wb.until(what, ([name, n]) => {
    const d = (globalThis as any).document;
    const tab = d.querySelector('.tabs-container .tab.active')?.getAttribute('aria-label') ?? '';
    const cursor = d.querySelector('[id="status.editor.selection"]')?.textContent ?? '';
    return tab.startsWith(name as string) && new RegExp(`Ln ${n},`).test(cursor);
  }, [file, line] as const, 20_000);
}

/**
 * After "Debug the Failing Schedule": the replay session starts, pauses at the schedule stop in the
 * held-back worker thread, and ends on Stop. Shared by the explore and testExplore steps.
 */
export async function expectReplayPausedInWorker(wb: Workbench, log: (line: string) => void, shot: string): Promise<void> {
  const page = wb.page;
  await wb.debugToolbar().waitFor({ state: 'visible', timeout: 30_000 })
    .catch(() => { throw new E2EFailure('"Debug the Failing Schedule" did not start a debug session within 30s'); });
  if ((await wb.paneRows('Call Stack')) === null) await page.keyboard.press('Control+Shift+D');
  // The stop's description (what the schedule changes there) replaces "Paused on …" in the Call Stack.
  await wb.until('the Call Stack to show the schedule stop', () => [...(globalThis as any).document.querySelectorAll('.pane')].some((p) =>
    (p.querySelector('.pane-header')?.getAttribute('aria-label') ?? '').startsWith('Call Stack') &&
    /The schedule leaves the default one here|Paused on schedule/i.test((p as any).innerText)), null, 45_000)
    .catch(async (e) => {
      log(`Call Stack: ${JSON.stringify(await wb.paneRows('Call Stack'))}`);
      await wb.screenshot(`${shot}-replay-no-pause`);
      throw e;
    });
  const rows = (await wb.paneRows('Call Stack')) ?? [];
  log(`Call Stack: ${JSON.stringify(rows)}`);
  check(rows.some((r) => /Delayed worker/.test(r)), 'the replay did not pause in the held-back worker thread');
  await wb.screenshot(`${shot}-replay-paused`);
  await page.keyboard.press('Shift+F5');
  await wb.debugToolbar().waitFor({ state: 'hidden', timeout: 15_000 })
    .catch(() => { throw new E2EFailure('Stop (Shift+F5) did not end the replay session within 15s'); });
}
