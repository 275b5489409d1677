/**
 * End-to-end driver: opens the code-server workbench that scripts/e2e.sh started (with the packaged
 * vsix installed) in Debian's chromium and runs the steps in steps/ (one module per step). Not a node:test file — it
 * prints one line per step and a closing "e2e: N passed, N failed, N skipped" line, and exits 1 when
 * any selected step failed.
 *
 * Environment (set by scripts/e2e.sh):
 *   FLTSIM_E2E_URL        workbench address, e.g. http://127.0.0.1:18180
 *   FLTSIM_E2E_WORKSPACE  folder code-server opened
 *   FLTSIM_E2E_ARTIFACTS  where screenshots go (test/e2e/artifacts)
 *   FLTSIM_E2E_STEPS      comma list of steps to run (default: all: grammar,commands,debug,dataBreakpoint,problems,walkthrough,runaway,timeline,explore,testing,testExplore,init)
 *   FLTSIM_E2E_EXPECT_LANGUAGE / _IRQL / _MAJOR / _RULES / _LANES   override an expectation (negative controls)
 *   CHROMIUM              browser binary (default /usr/bin/chromium)
 */
import { chromium } from 'playwright-core';
import { ALL_STEPS, STEPS, type Expectations, type StepName } from './steps/index';
import { Workbench } from './workbench';

const env = process.env;
const url = env.FLTSIM_E2E_URL;
const workspace = env.FLTSIM_E2E_WORKSPACE;
const artifacts = env.FLTSIM_E2E_ARTIFACTS ?? 'test/e2e/artifacts';

function log(msg: string): void {
  console.log(`[e2e ${new Date().toISOString().slice(11, 19)}] ${msg}`);
}

function selectedSteps(): StepName[] {
  const raw = (env.FLTSIM_E2E_STEPS ?? '').trim();
  if (raw === '' || raw === 'all') return [...ALL_STEPS];
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(ALL_STEPS as readonly string[]).includes(n));
  if (unknown.length > 0) {
    console.error(`FLTSIM_E2E_STEPS names unknown step(s) ${unknown.join(', ')}; known: ${ALL_STEPS.join(', ')}`);
    process.exit(2);
  }
  return ALL_STEPS.filter((s) => names.includes(s));
}

const expectations: Expectations = {
  language: env.FLTSIM_E2E_EXPECT_LANGUAGE ?? 'fltsim scenario',
  irql: env.FLTSIM_E2E_EXPECT_IRQL ?? 'PASSIVE_LEVEL',
  major: env.FLTSIM_E2E_EXPECT_MAJOR ?? 'IRP_MJ_READ',
  rules: (env.FLTSIM_E2E_EXPECT_RULES ?? 'wi-bad-queue-type,cpp-bad-status').split(',').map((s) => s.trim()).filter(Boolean),
  timelineLanes: (env.FLTSIM_E2E_EXPECT_LANES ?? 'I/O #1 (read),Delayed worker 1,Completion (DPC),DriverEntry').split(',').map((s) => s.trim()).filter(Boolean),
};

async function main(): Promise<number> {
  if (!url || !workspace) {
    console.error('test/e2e/run.ts is started by scripts/e2e.sh (npm run test:e2e), which sets FLTSIM_E2E_URL and FLTSIM_E2E_WORKSPACE.');
    return 2;
  }
  const steps = selectedSteps();
  const skipped = ALL_STEPS.filter((s) => !steps.includes(s));
  const results: { step: StepName; ok: boolean; ms: number; error?: string }[] = [];

  const browser = await chromium.launch({
    executablePath: env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    // Quiet, offline, GPU-less: nothing here may reach beyond the loopback workbench.
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => log(`page error: ${String(e).slice(0, 200)}`));
    const wb = new Workbench(page, artifacts, log);
    await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}`);
    await wb.waitReady('pendread.fltsim');
    log('workbench ready');
    await wb.screenshot('workbench');

    for (const step of steps) {
      const t0 = Date.now();
      log(`step ${step}: start`);
      try {
        await STEPS[step]({ wb, workspace, expect: expectations, log });
        results.push({ step, ok: true, ms: Date.now() - t0 });
        log(`step ${step}: PASS (${Date.now() - t0} ms)`);
      } catch (err) {
        const error = (err as Error).message.split('\n')[0];
        results.push({ step, ok: false, ms: Date.now() - t0, error });
        log(`step ${step}: FAIL — ${error}`);
        // Playwright's call log says which locator it waited for and what stood in the way.
        const detail = (err as Error).message.split('\n').slice(1).filter((l) => l.trim()).slice(0, 16);
        if (detail.length > 0) log(`  ${detail.join('\n  ')}`);
        await wb.screenshot(`FAILED-${step}`).catch(() => undefined);
      }
      // Leave a clean window for the next step: no debug session, no overlays, no editors.
      if (await wb.debugToolbar().isVisible().catch(() => false)) {
        await page.keyboard.press('Shift+F5');
        await wb.debugToolbar().waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
      }
      await wb.reset().catch(() => undefined);
    }
  } finally {
    await browser.close();
  }

  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  console.log('');
  for (const r of results) console.log(`  ${r.ok ? 'PASS' : 'FAIL'}  ${r.step.padEnd(12)} ${String(r.ms).padStart(6)} ms${r.error ? `  ${r.error}` : ''}`);
  for (const s of skipped) console.log(`  SKIP  ${s.padEnd(12)}  not selected by FLTSIM_E2E_STEPS`);
  console.log(`screenshots: ${artifacts}`);
  console.log(`e2e: ${passed} passed, ${failed} failed, ${skipped.length} skipped`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (err) => {
  console.error(`e2e: harness error: ${(err as Error).stack ?? err}`);
  console.log('e2e: 0 passed, 1 failed');
  process.exit(1);
});
