/**
 * The timeline of a 10,000-event run: building the model from the event log, preparing it for the
 * view, laying out one screen (the whole run fitted into 1,400 px, and a zoomed-in view scrolled
 * across the run), and — where Debian's chromium is installed — drawing it in a real browser with
 * the webview's own script (layout and SVG), fitted and while scrolling.
 *
 * The run: our tally driver (test/unit/run/debuggeeFixture.ts) with its spin lock, reads issued
 * one per millisecond until the run holds at least 10,000 events.
 *
 *   npm run bench -- timeline
 *   node --import tsx test/bench/timeline.bench.ts
 *   FLTSIM_BENCH_TIMELINE_DUMP=big.json …   also writes the timeline (to look at it in a page)
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { prepareScenarioText, runScenario, type RunTimeline } from '../../engine';
import { layoutScene, prepareTimeline, type Viewport } from '../../extension/webview/timeline/layout';
import { DIR, memoryFiles } from '../unit/run/debuggeeFixture';

const TARGET_EVENTS = Number(process.env.FLTSIM_BENCH_TIMELINE_EVENTS ?? 10_000);
const WIDTH = 1400;
/** The rows in view: the browser page below is 900 px high. */
const HEIGHT = 870;

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Best (lowest) of `rounds` timings of fn, in ms. */
function best(rounds: number, fn: () => void): number {
  let min = Infinity;
  for (let i = 0; i < rounds; i++) {
    const t0 = cpuMs();
    fn();
    min = Math.min(min, cpuMs() - t0);
  }
  return min;
}

async function bigRun(): Promise<{ timeline: RunTimeline; build: number }> {
  for (let reads = Math.ceil(TARGET_EVENTS / 20); ; reads = Math.ceil(reads * 1.2)) {
    const lines = ['driver "tally.c"', 'define LOCKED 1'];
    for (let i = 1; i <= reads; i++) lines.push(`io #${i} read "\\Device\\HarddiskVolume1\\f${i}.txt" length 512 at ${i}`);
    const prepared = await prepareScenarioText(path.join(DIR, 'bench.fltsim'), `${lines.join('\n')}\n`, memoryFiles());
    if (!prepared.ok) throw new Error(prepared.diagnostics.map((d) => d.message).join('\n'));
    const run = runScenario(prepared.prepared, { stepBudget: 50_000_000 });
    if (run.timeline.length < TARGET_EVENTS) continue;
    const cap = TARGET_EVENTS;
    let timeline = run.timelineModel({ maxEvents: cap });
    const build = best(5, () => (timeline = run.timelineModel({ maxEvents: cap })));
    return { timeline, build };
  }
}

/** Runs in the page: posts the timeline as the host would, then redraws it fitted and while scrolling. */
const BROWSER_DRAW = `(async () => {
  const view = window.fltsimTimeline;
  const root = document.getElementById('fltsim-timeline');
  const frame = () => new Promise((res) => requestAnimationFrame(() => res()));
  const t0 = performance.now();
  window.postMessage({ type: 'timeline', timeline: window.benchModel, live: false, source: 'bench' }, '*');
  while (!root.dataset.renderMs) await frame();
  const first = performance.now() - t0;
  const fitted = [];
  for (let i = 0; i < 21; i++) { view.render(); fitted.push(view.lastRenderMs); }
  const scroller = document.getElementById('tl-scroller');
  for (let i = 0; i < 9; i++) scroller.dispatchEvent(new KeyboardEvent('keydown', { key: '+' }));
  await frame();
  const scrolled = [];
  for (let i = 0; i <= 100; i++) {
    scroller.scrollLeft = ((scroller.scrollWidth - scroller.clientWidth) * i) / 100;
    view.render();
    scrolled.push(view.lastRenderMs);
  }
  const sorted = (a) => [...a].sort((x, y) => x - y);
  return { first, fittedMedian: sorted(fitted)[10], scrollMedian: sorted(scrolled)[50], scrollMax: sorted(scrolled)[100],
    markers: Number(root.dataset.markers), elements: document.querySelectorAll('#tl-svg *').length };
})()`;

async function browserDraw(timeline: RunTimeline): Promise<string> {
  const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
  const script = path.resolve('dist/timelineView.js');
  if (!existsSync(chromiumPath)) return `browser draw: skipped (no ${chromiumPath}; install Debian's chromium to measure it)`;
  if (!existsSync(script)) return 'browser draw: skipped (dist/timelineView.js missing: run npm run build)';
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: WIDTH + 170, height: 900 } });
    const html = `<!DOCTYPE html><html><head><meta charset="utf-8"><style>${readFileSync(path.resolve('dist/timelineView.css'), 'utf8')}</style></head>
<body><div id="fltsim-timeline"></div><script>function acquireVsCodeApi(){return{postMessage(){},getState(){},setState(){}}}</script>
<script>${readFileSync(script, 'utf8')}</script></body></html>`;
    await page.setContent(html);
    // Plain JavaScript for the page: tsx would wrap the functions of a TypeScript callback in helpers the page lacks.
    await page.evaluate(`window.benchModel = ${JSON.stringify(timeline)}`);
    const r = (await page.evaluate(BROWSER_DRAW)) as { first: number; fittedMedian: number; scrollMedian: number; scrollMax: number; markers: number; elements: number };
    return `browser draw (chromium, layout + SVG): first picture ${r.first.toFixed(1)} ms after the data arrived; redraw of the fitted run median ${r.fittedMedian.toFixed(2)} ms; `
      + `zoomed in and scrolled across in 100 screens: median ${r.scrollMedian.toFixed(2)} ms, worst ${r.scrollMax.toFixed(2)} ms per screen (${r.elements} SVG elements on the last screen)`;
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const { timeline, build } = await bigRun();
  if (process.env.FLTSIM_BENCH_TIMELINE_DUMP) writeFileSync(process.env.FLTSIM_BENCH_TIMELINE_DUMP, JSON.stringify(timeline));
  const n = timeline.events.length;
  const json = JSON.stringify(timeline).length;
  console.log(`timeline model: ${n.toLocaleString('en-US')} events, ${timeline.lanes.length} lanes, ${timeline.spans.length.toLocaleString('en-US')} spans, ${timeline.flows.length.toLocaleString('en-US')} links; built from the log in ${build.toFixed(1)} ms CPU; ${(json / 1024 / 1024).toFixed(2)} MB as JSON`);
  let prepared = prepareTimeline(timeline);
  const prep = best(10, () => (prepared = prepareTimeline(timeline)));
  const fit: Viewport = { scrollX: 0, width: WIDTH, scale: WIDTH / prepared.columns, scrollY: 0, height: HEIGHT };
  let markers = 0;
  const fitMs = best(20, () => (markers = layoutScene(prepared, fit).markers.length));
  const scale = 16;
  const total = prepared.columns * scale;
  const screens = 200;
  const t0 = cpuMs();
  for (let i = 0; i <= screens; i++) layoutScene(prepared, { scrollX: ((total - WIDTH) * i) / screens, width: WIDTH, scale, scrollY: 0, height: HEIGHT });
  const perScreen = (cpuMs() - t0) / (screens + 1);
  console.log(`timeline layout (${n.toLocaleString("en-US")} events, ${WIDTH}×${HEIGHT} px): prepare ${prep.toFixed(2)} ms; whole run fitted ${fitMs.toFixed(2)} ms (${markers} markers after thinning); zoomed in, ${perScreen.toFixed(3)} ms per screen over ${screens} screens`);
  console.log(await browserDraw(timeline));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
