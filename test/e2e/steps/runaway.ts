/** The runaway step: a driver that never ends, with the adapter in its own process. */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { E2EFailure, type Workbench } from '../workbench';
import { check, waitFor, type StepContext } from './shared';

interface AdapterProcess {
  pid: number;
  ppid: number;
  cmdline: string;
  electronRunAsNode: boolean;
  parent: string;
}

/** Debug adapter processes started from the extension installed in this run's code-server profile. */
function adapterProcesses(workspace: string): AdapterProcess[] {
  const installed = join(dirname(workspace), 'profile', 'extensions');
  const out: AdapterProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      if (!cmdline.includes(installed) || !cmdline.includes('debugAdapter.js')) continue;
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1]);
      const parent = readFileSync(`/proc/${ppid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      out.push({ pid: Number(entry), ppid, cmdline, electronRunAsNode: environ.includes('ELECTRON_RUN_AS_NODE=1'), parent });
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

/** Types into a fresh untitled editor, waits for the text on screen and shoots it; returns how long it took. */
async function typeAndSee(wb: Workbench, text: string, shot: string): Promise<number> {
  // The keys go where the focus is: type only once a new untitled editor is the active one, or the
  // text lands in the scenario open before it (and the clean-up below would empty that file).
  const activeTab = (): Promise<string> => wb.page.evaluate(() => (globalThis as any).document.querySelector('.tabs-container .tab.active')?.getAttribute('aria-label') ?? '');
  const before = await activeTab();
  await wb.page.keyboard.press('Control+N');
  await wb.until('a new untitled editor', (was) => {
    const d = (globalThis as any).document;
    const label = d.querySelector('.tabs-container .tab.active')?.getAttribute('aria-label') ?? '';
    return /^Untitled-\d+/.test(label) && label !== was && d.activeElement?.closest('.editor-instance') ? label : false;
  }, before, 15_000);
  const t0 = Date.now();
  await wb.page.keyboard.type(text);
  await wb.until(`"${text}" on screen`, (want) => [...(globalThis as any).document.querySelectorAll('.editor-instance .view-lines .view-line')]
    .some((l: any) => (l.textContent ?? '').replace(/\u00a0/g, ' ').includes(want)), text, 15_000);
  const ms = Date.now() - t0;
  await wb.screenshot(shot);
  // Leave nothing unsaved behind: an untitled editor with no text closes without asking.
  await wb.page.keyboard.press('Control+A');
  await wb.page.keyboard.press('Delete');
  return ms;
}

/**
 * A driver stuck in `for (;;)`: the adapter runs in its own process (started with the editor's
 * runtime and ELECTRON_RUN_AS_NODE=1), the editor and the extension host answer while the loop
 * spins, Pause stops in the loop, Stop ends the session and the adapter process goes away.
 */
export async function runaway({ wb, workspace, log }: StepContext): Promise<void> {
  const page = wb.page;
  const before = adapterProcesses(workspace).map((p) => p.pid);
  await wb.quickOpen('spin.fltsim');
  await wb.runCommand('fltsim: Debug Scenario');
  await wb.debugToolbar().waitFor({ state: 'visible', timeout: 30_000 })
    .catch(() => { throw new E2EFailure('"fltsim: Debug Scenario" on spin.fltsim did not start a debug session'); });
  const pause = wb.debugToolbar().locator('[class*="codicon-debug-pause"]');
  await pause.first().waitFor({ state: 'visible', timeout: 15_000 })
    .catch(() => { throw new E2EFailure('the session is not running (no Pause button): the loop should keep it running'); });

  const adapter = await waitFor('a debug adapter process of the installed extension', () => adapterProcesses(workspace).find((p) => !before.includes(p.pid)), 15_000);
  log(`adapter process ${adapter.pid}: ${adapter.cmdline}`);
  log(`its parent ${adapter.ppid}: ${adapter.parent.slice(0, 160)}`);
  check(adapter.electronRunAsNode, 'the adapter process was started without ELECTRON_RUN_AS_NODE=1');
  check(adapter.parent.length > 0 && !adapter.parent.includes('debugAdapter.js'), 'the adapter has no extension-host parent');
  await wb.screenshot('runaway-running');

  // While the loop spins: the extension host runs one of the extension's commands, and the editor takes typing.
  await wb.runCommand('fltsim: Show Rule Documentation');
  await page.locator('.quick-input-widget input').fill('wi-bad-queue-type');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'wi-bad-queue-type' }).first().waitFor({ timeout: 15_000 })
    .catch(() => { throw new E2EFailure('while the driver loops, the extension\'s "Show Rule Documentation" pick did not appear within 15s'); });
  await page.keyboard.press('Escape');
  const typed = await typeAndSee(wb, 'the editor still answers while the driver loops', 'runaway-editor-responds');
  log(`while the driver loops: the extension's rule pick opened, and typed text showed after ${typed} ms`);
  check(await pause.first().isVisible(), 'the session stopped running on its own; the loop never ends');

  await page.keyboard.press('F6');
  if ((await wb.paneRows('Call Stack')) === null) await page.keyboard.press('Control+Shift+D');
  await wb.until('the Call Stack to say "Paused"', () => [...(globalThis as any).document.querySelectorAll('.pane')].some((p) =>
    (p.querySelector('.pane-header')?.getAttribute('aria-label') ?? '').startsWith('Call Stack') && /Paused \(/i.test((p as any).innerText)), null, 20_000);
  // The paused thread's frames arrive after its "Paused" label.
  const frame = await wb.until('a spin!DriverEntry frame (spin.c) in the Call Stack', () => {
    const pane = [...(globalThis as any).document.querySelectorAll('.pane')].find((p) => (p.querySelector('.pane-header')?.getAttribute('aria-label') ?? '').startsWith('Call Stack'));
    return [...(pane?.querySelectorAll('.monaco-list-row') ?? [])].map((r: any) => r.innerText.replace(/\s+/g, ' ').trim()).find((t: string) => /spin!DriverEntry/.test(t) && /spin\.c/.test(t));
  }, null, 15_000).catch(async (e) => {
    log(`Call Stack: ${JSON.stringify(await wb.paneRows('Call Stack'))}`);
    throw e;
  });
  log(`Call Stack after pause: ${JSON.stringify(await wb.paneRows('Call Stack'))} (top frame ${frame})`);
  // The paused frame's scopes load: the adapter answers as it did before the loop.
  await wb.until('the Variables view to list the scopes of the paused frame', () => [...(globalThis as any).document.querySelectorAll('.pane')].some((p) =>
    (p.querySelector('.pane-header')?.getAttribute('aria-label') ?? '').startsWith('Variables') &&
    [...p.querySelectorAll('.monaco-list-row')].some((r) => /^Thread\b/.test((r as any).innerText.trim()))), null, 15_000);
  await wb.screenshot('runaway-paused');

  // Restart after an edit: the adapter asks VS Code for a new session, which compiles the edit in
  // a new adapter process (an in-session restart would keep this one and run the old build).
  const spinPath = join(workspace, 'spin.c');
  const spin = readFileSync(spinPath, 'utf8');
  writeFileSync(spinPath, `${spin}/* edited while the session ran */\n`);
  let current = adapter;
  try {
    await page.keyboard.press('Control+Shift+F5');
    current = await waitFor('a new adapter process after Restart on an edited driver', () => adapterProcesses(workspace).find((p) => p.pid !== adapter.pid && !before.includes(p.pid)), 30_000)
      .catch(() => { throw new E2EFailure('Restart after editing spin.c did not start a new session: the edited driver would not be compiled'); });
    await waitFor(`the first adapter process ${adapter.pid} to exit after the restart`, () => !adapterProcesses(workspace).some((p) => p.pid === adapter.pid), 15_000);
    await pause.first().waitFor({ state: 'visible', timeout: 30_000 })
      .catch(() => { throw new E2EFailure('after Restart on an edited driver the new session is not running (no Pause button)'); });
    log(`restart after an edit: adapter ${adapter.pid} exited, the new session runs in ${current.pid}`);
    await wb.screenshot('runaway-restarted-after-edit');
  } finally {
    writeFileSync(spinPath, spin);
  }

  await page.keyboard.press('Shift+F5');
  await wb.debugToolbar().waitFor({ state: 'hidden', timeout: 15_000 })
    .catch(() => { throw new E2EFailure('Stop (Shift+F5) did not end the session within 15s'); });
  await waitFor(`adapter process ${current.pid} to exit`, () => !adapterProcesses(workspace).some((p) => p.pid === current.pid), 10_000);
  log(`adapter process ${current.pid} exited after Stop`);
  const after = await typeAndSee(wb, 'and after the stop', 'runaway-stopped');
  log(`after the stop: typed text showed after ${after} ms`);
}
