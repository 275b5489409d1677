/** The init step: "fltsim: Create Scenario for Driver" on a driver project writes a scenario and opens it. */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { check, type StepContext } from './shared';

/**
 * With the driver's .c file in the editor, the command writes starterdrv.fltsim next to it and opens
 * it; the editor shows the driver's name and its callback, and the file on disk parses as a
 * scenario for that driver. The file is removed afterwards so the other steps see the workspace as
 * it was.
 */
export async function init({ wb, workspace, log }: StepContext): Promise<void> {
  const written = join(workspace, 'starterdrv', 'starterdrv.fltsim');
  check(!existsSync(written), `${written} exists before the command ran`);
  await wb.quickOpen('starterdrv.c');
  await wb.runCommand('fltsim: Create Scenario for Driver');
  await wb.until('an editor tab for starterdrv.fltsim', () => {
    const tab = (globalThis as any).document.querySelector('.tabs-container .tab.active');
    return tab?.getAttribute('aria-label')?.startsWith('starterdrv.fltsim') ?? false;
  }, null, 60_000);
  const shown = await wb.until('the scenario text in the editor', () => {
    const text = [...(globalThis as any).document.querySelectorAll('.editor-instance .view-lines .view-line')].map((l: any) => l.textContent ?? '').join('\n');
    return /scenario\s+"starterdrv: starter workload"/.test(text.replace(/\u00a0/g, ' ')) ? text : false;
  }, null, 20_000);
  check(/StarterPreRead/.test(shown), 'the opened scenario does not name the driver\'s read callback StarterPreRead');
  check(existsSync(written), `the command did not write ${written}`);
  const text = readFileSync(written, 'utf8');
  check(/^driver "\."$/m.test(text), `starterdrv.fltsim does not load its own folder: ${text.split('\n').find((l) => l.startsWith('driver')) ?? 'no driver line'}`);
  check(/^io #\d+ read "/m.test(text), 'starterdrv.fltsim issues no read for the IRP_MJ_READ callback');
  log(`Create Scenario for Driver wrote ${written.slice(workspace.length + 1)} (${text.split('\n').length} lines) and opened it`);
  await wb.screenshot('init-create-scenario');
  await wb.page.keyboard.press('Control+W');
  rmSync(written);
}
