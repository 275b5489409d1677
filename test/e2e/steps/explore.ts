/** The explore step: Explore Schedules, a failing schedule replayed in the debugger and drawn as a timeline. */
import { check, expectReplayPausedInWorker, timelineContents, type StepContext } from './shared';

/**
 * Explore Schedules on the worker-flag-race sample (copied into the workspace as race.fltsim): the
 * progress notification, the warning that a schedule fails, and its button that opens the failing
 * schedule in the debugger, paused where it first leaves the default one; explored again, its Show
 * Timeline button draws that schedule's run with its violation.
 */
export async function explore({ wb, log }: StepContext): Promise<void> {
  const page = wb.page;
  await wb.quickOpen('race.fltsim');
  await wb.runCommand('fltsim: Explore Schedules');
  const toastText = (): string[] => [...(globalThis as any).document.querySelectorAll('.notifications-toasts .notification-list-item')]
    .map((n: any) => (n.innerText ?? '').replace(/\s+/g, ' ').trim());
  // The probe runs in the page: it cannot use toastText.
  const failing = await wb.until('a notification that a schedule of race.fltsim fails', () => [...(globalThis as any).document.querySelectorAll('.notifications-toasts .notification-list-item')]
    .map((n: any) => (n.innerText ?? '').replace(/\s+/g, ' ').trim())
    .find((t: string) => /a schedule of race\.fltsim fails/.test(t)) ?? false, null, 120_000).catch(async (e) => {
    log(`notifications: ${JSON.stringify(await page.evaluate(toastText))}`);
    await wb.screenshot('explore-no-result');
    throw e;
  });
  log(`explore notification: ${failing}`);
  check(/pended-pre-not-completed/.test(failing), 'the explore notification does not name the pended-pre-not-completed violation');
  await wb.screenshot('explore-failing-schedule');

  await page.locator('.notifications-toasts .notification-list-item').filter({ hasText: 'fails' })
    .getByRole('button', { name: 'Debug the Failing Schedule' }).first().click();
  await expectReplayPausedInWorker(wb, log, 'explore');

  // The same failing schedule in the timeline: explore again and take the other button.
  await wb.reset();
  await wb.quickOpen('race.fltsim');
  await wb.runCommand('fltsim: Explore Schedules');
  const again = page.locator('.notifications-toasts .notification-list-item').filter({ hasText: 'fails' });
  await again.getByRole('button', { name: 'Show Timeline' }).first().click({ timeout: 120_000 });
  const frame = await wb.webviewFrame('#fltsim-timeline .marker[data-kind="violation"]', 60_000);
  const seen = await timelineContents(frame);
  log(`timeline of the failing schedule: ${seen.status}; markers ${JSON.stringify(seen.markers.map((m) => m.kind))}`);
  check(/fltsim run race\.fltsim --replay race\.replay\.json/.test(seen.status), `the timeline is not the replayed schedule's: "${seen.status}"`);
  check(/1 violation\b/.test(seen.status), `the timeline of the failing schedule does not count its violation: "${seen.status}"`);
  await wb.screenshot('explore-timeline');
  await wb.reset();
}
