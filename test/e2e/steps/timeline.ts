/** The timeline step: the run timeline webview, of a finished run and of a debug session. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, timelineContents, editorAt, type StepContext } from './shared';

/**
 * The timeline: of a finished run (fltsim run as a process), with its lanes and markers in the
 * webview's DOM, a marker opened from the keyboard and one clicked, each revealing its line, and a
 * callback data's story in the Markdown preview; then of a debug session paused in the worker, where
 * clicking the pre-op's "work item queued" marker goes back to that moment.
 */
export async function timeline({ wb, workspace, expect, log }: StepContext): Promise<void> {
  const page = wb.page;
  const source = readFileSync(join(workspace, 'pendread.c'), 'utf8').split('\n');
  const queueLine = source.findIndex((l) => l.includes('FltQueueGenericWorkItem(')) + 1;
  const completeLine = source.findIndex((l) => l.includes('FltCompletePendedPreOperation(')) + 1;
  check(queueLine > 0 && completeLine > 0, 'fixture pendread.c lost its queue or complete line');

  await wb.quickOpen('pendread.fltsim');
  await wb.runCommand('fltsim: Show Timeline');
  const frame = await wb.webviewFrame('#fltsim-timeline .marker');
  const seen = await timelineContents(frame);
  log(`timeline lanes: ${JSON.stringify(seen.lanes)}`);
  log(`timeline markers: ${JSON.stringify(seen.markers.map((m) => m.kind))}; status: ${seen.status}`);
  for (const lane of expect.timelineLanes) check(seen.lanes.includes(lane), `the timeline has no lane "${lane}" (lanes: ${seen.lanes.join(', ')})`);
  for (const kind of ['workitem-queue', 'workitem-start', 'pend', 'complete']) check(seen.markers.some((m) => m.kind === kind), `the timeline shows no ${kind} marker`);
  check(/fltsim run pendread\.fltsim/.test(seen.status), `the timeline does not say it comes from fltsim run: "${seen.status}"`);
  await wb.screenshot('timeline-run');
  // Keyboard: Home selects the first marker (the pre-op queueing its work item), Enter opens it.
  await frame.locator('#tl-scroller').press('Home');
  await frame.locator('#tl-scroller').press('Enter');
  await editorAt(wb, 'pendread.c', queueLine, `pendread.c revealed at line ${queueLine} after Home and Enter in the timeline`);
  log(`Home, Enter in the timeline opened pendread.c at line ${queueLine}`);
  // Mouse: the worker's completion marker.
  await frame.locator('.marker[data-kind="complete"]').first().click();
  await editorAt(wb, 'pendread.c', completeLine, `pendread.c revealed at line ${completeLine} after clicking the completion marker`);
  log(`clicking the complete marker opened pendread.c at line ${completeLine}`);
  await wb.screenshot('timeline-run-marker-revealed');
  // Its callback data bar explains #1 in a Markdown preview: the table and the Mermaid source.
  await frame.locator('.life[data-data="1"]').first().click();
  await wb.frameContaining('Sequence diagram', 30_000);
  log('clicking the #1 bar opened its story in the Markdown preview');
  await wb.screenshot('timeline-explain-preview');
  await wb.reset();

  // A debug session paused at the worker's completion.
  // A breakpoint another step left (one that failed half-way) would stop the session elsewhere.
  await wb.runCommand('Remove All Breakpoints');
  await wb.quickOpen('pendread.c');
  await wb.setBreakpoint(completeLine);
  await page.keyboard.press('F5');
  await wb.debugToolbar().waitFor({ state: 'visible', timeout: 30_000 });
  if ((await wb.paneRows('Call Stack')) === null) await page.keyboard.press('Control+Shift+D');
  const paused = (what: RegExp) => wb.until(`the Call Stack to say ${what}`, (re) => [...(globalThis as any).document.querySelectorAll('.pane')].some((p) =>
    (p.querySelector('.pane-header')?.getAttribute('aria-label') ?? '').startsWith('Call Stack') && new RegExp(re, 'i').test((p as any).innerText)), what.source, 45_000);
  await paused(/Paused on breakpoint/);
  // The debug toolbar offers the timeline of this session.
  await wb.debugToolbar().locator('[aria-label="Show Timeline"], [title="Show Timeline"]').first().click({ timeout: 10_000 })
    .catch(async () => wb.runCommand('fltsim: Show Timeline'));
  const live = await wb.webviewFrame('#fltsim-timeline[data-live="true"] .marker');
  const atStop = await timelineContents(live);
  log(`session timeline: ${atStop.markers.length} markers; status: ${atStop.status}`);
  check(/debug session/.test(atStop.status), `the timeline is not the debug session's: "${atStop.status}"`);
  await wb.screenshot('timeline-session');
  await live.locator('.marker[data-kind="workitem-queue"]').first().click();
  await paused(/Paused before "FltQueueGenericWorkItem/).catch(async (e) => {
    log(`Call Stack: ${JSON.stringify(await wb.paneRows('Call Stack'))}`);
    throw e;
  });
  await editorAt(wb, 'pendread.c', queueLine, `the session back at pendread.c:${queueLine}, before the work item is queued`);
  const frames = await wb.paneRows('Call Stack');
  log(`after going back in time: Call Stack ${JSON.stringify(frames)}`);
  check(frames?.some((r) => /PendReadPre/.test(r)), 'the Call Stack does not show PendReadPre after going to the queue marker');
  // The timeline follows: the present is now before the marker, the rest is the known future.
  let after = await timelineContents(live);
  for (let i = 0; i < 40 && !/later events known/.test(after.status); i++) {
    await page.waitForTimeout(250);
    after = await timelineContents(live);
  }
  log(`timeline after the jump: ${after.status}`);
  check(/later events known/.test(after.status), `the timeline does not show the known future after going back: "${after.status}"`);
  await wb.screenshot('timeline-session-went-back');
  await page.keyboard.press('Shift+F5');
  await wb.debugToolbar().waitFor({ state: 'hidden', timeout: 15_000 }).catch(() => undefined);
  // Leave no breakpoint behind for a later step.
  await wb.reset();
  await wb.quickOpen('pendread.c');
  await wb.setBreakpoint(completeLine, false);
}
