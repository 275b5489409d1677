// The timeline view's layout (extension/webview/timeline/layout.ts) on timelines of real runs:
// rows, what is in view, thinning when zoomed out, the present.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { prepareScenarioText, runScenario, type RunTimeline } from '../../../engine';
import { LANE_HEIGHT, RULER_HEIGHT, layoutScene, prepareTimeline, seqAt, xOf, type Viewport } from '../../../extension/webview/timeline/layout';
import { DIR, memoryFiles } from '../run/debuggeeFixture';

/** Reads through the tally driver; `locked`, it completes each under a spin lock and so breaks cpp-irql once per read. */
async function tally(reads: number, locked = true): Promise<RunTimeline> {
  const lines = ['driver "tally.c"', ...(locked ? ['define LOCKED 1'] : [])];
  for (let i = 1; i <= reads; i++) lines.push(`io #${i} read "\\Device\\HarddiskVolume1\\f${i}.txt" length 512 at ${i}`);
  const prepared = await prepareScenarioText(path.join(DIR, 'layout.fltsim'), `${lines.join('\n')}\n`, memoryFiles());
  assert.ok(prepared.ok);
  return runScenario(prepared.prepared).timelineModel();
}

test('rows: the ruler, the lives packed into rows, then one lane per thread', async () => {
  const t = await tally(3);
  const p = prepareTimeline(t);
  // Reads issued a millisecond apart and done within it never overlap: one row of lives.
  assert.equal(p.lifeRows, 1);
  assert.deepEqual(p.lanes.map((l) => l.name), t.lanes.map((l) => l.name));
  assert.equal(p.lanes[0]!.y, p.lanesTop);
  assert.ok(p.lanesTop > RULER_HEIGHT);
  p.lanes.forEach((l, i) => assert.equal(l.y, p.lanesTop + i * LANE_HEIGHT));
  assert.equal(p.columns, t.events.length);
  assert.equal(p.markers.length, t.events.filter((e) => e.marker).length);
  const v: Viewport = { scrollX: 0, width: 800, scale: 8 };
  const seq = t.events[10]!.seq;
  assert.equal(seqAt(p, xOf(p, seq, v), v), seq, 'x and seq convert both ways');
});

test('zoomed in, only what is in view is laid out, at its column; zoomed out, close markers and boxes are drawn once', async () => {
  const t = await tally(40);
  const p = prepareTimeline(t);
  const scale = 16;
  const v: Viewport = { scrollX: 200 * scale, width: 50 * scale, scale };
  const s = layoutScene(p, v);
  const first = p.firstSeq + 200;
  const last = first + 49;
  assert.ok(s.markers.length > 0);
  for (const m of s.markers) {
    assert.ok(m.seq >= first - 1 && m.seq <= last + 1, `marker ${m.seq} in view ${first}..${last}`);
    assert.equal(m.x, xOf(p, m.seq, v));
    assert.equal(m.hidden, 0, 'at 16 px per event nothing is merged');
    assert.equal(m.kind, t.events.find((e) => e.seq === m.seq)!.marker);
  }
  assert.deepEqual(s.markers.map((m) => m.seq), t.events.filter((e) => e.marker && e.seq >= first - 1 && e.seq <= last + 1 && p.laneById.has(e.lane)).map((e) => e.seq));
  for (const b of s.spans) assert.ok(b.x + b.width >= -2 && b.x <= v.width + 2);

  const fit: Viewport = { scrollX: 0, width: 400, scale: 400 / p.columns };
  const all = layoutScene(p, fit);
  const hidden = all.markers.reduce((n, m) => n + m.hidden, 0);
  assert.equal(all.markers.length + hidden, p.markers.length, 'every marker is drawn or counted in one that is');
  assert.ok(hidden > 0, 'zoomed out, some markers share a spot');
  const byLane = new Map<number, number[]>();
  for (const m of all.markers) byLane.set(m.lane, [...(byLane.get(m.lane) ?? []), m.x]);
  for (const xs of byLane.values()) for (let i = 1; i < xs.length; i++) assert.ok(xs[i]! - xs[i - 1]! >= 6, 'drawn markers of a lane stay apart');
  const worker = p.lanes.find((l) => l.name === 'Delayed worker 1')!;
  // Each read's completion under the spin lock breaks cpp-irql; where markers share a spot the violation is the one drawn.
  assert.equal(t.violations, 40);
  for (const width of [400, 100]) {
    const drawn = layoutScene(p, { scrollX: 0, width, scale: width / p.columns }).markers.filter((m) => m.lane === worker.id);
    assert.ok(drawn.length > 0 && drawn.every((m) => m.kind === 'violation'), `${width} px: ${drawn.map((m) => m.kind).join(', ')}`);
  }
  assert.equal(all.markers.filter((m) => m.lane === worker.id).length, 40, 'at 400 px each read\'s worker markers stay apart');
  // Each read raises the worker to DISPATCH_LEVEL once: 40 stretches, apart when there is room…
  assert.equal(all.irql.filter((b) => b.lane === worker.id).length, 40);
  // …drawn as fewer boxes once they come within two pixels of each other.
  const tiny = layoutScene(p, { scrollX: 0, width: 100, scale: 100 / p.columns }).irql.filter((b) => b.lane === worker.id);
  assert.ok(tiny.length < 40 && tiny.length > 0, `${tiny.length} boxes`);
  assert.equal(tiny[0]!.x, layoutScene(p, fit).irql.find((b) => b.lane === worker.id)!.x * (100 / 400));
});

test('rows out of view are left out; the present and the known future', async () => {
  const t = await tally(5);
  const p = prepareTimeline(t);
  const io5 = p.lanes.find((l) => l.name === 'I/O #5 (read)')!;
  const v: Viewport = { scrollX: 0, width: 2000, scale: 2000 / p.columns, scrollY: 0, height: io5.y - 1 - LANE_HEIGHT };
  const s = layoutScene(p, v);
  assert.ok(!s.lanes.includes(io5));
  assert.ok(!s.markers.some((m) => m.lane === io5.id) && !s.spans.some((b) => b.y >= io5.y));
  assert.ok(layoutScene(p, { ...v, height: undefined }).markers.some((m) => m.lane === io5.id));
  assert.equal(s.now, s.end, 'a finished run: the present is its end');
  const earlier = prepareTimeline({ ...t, now: t.events[20]!.seq });
  const back = layoutScene(earlier, v);
  assert.equal(back.now, (t.events[20]!.seq + 1 - earlier.firstSeq) * v.scale);
  assert.ok(back.now! < back.end);
});

test('a callback data a violation names has its bar outlined, and keeps it when bars merge zoomed out', async () => {
  const broken = prepareTimeline(await tally(12));
  assert.deepEqual([...broken.violationsOf.entries()], Array.from({ length: 12 }, (_, i) => [i + 1, 1]), 'one cpp-irql per read, each naming its read');
  for (const width of [2000, 30]) {
    const lives = layoutScene(broken, { scrollX: 0, width, scale: width / broken.columns }).lives;
    assert.ok(lives.length > 0 && lives.every((b) => b.violated), `${width} px: ${lives.map((b) => `${b.label}:${b.violated}`).join(' ')}`);
  }
  const t = await tally(12, false);
  const clean = prepareTimeline(t);
  assert.equal(clean.violationsOf.size, 0);
  assert.ok(layoutScene(clean, { scrollX: 0, width: 2000, scale: 2000 / clean.columns }).lives.every((b) => !b.violated));
  // Only the last read's bar outlined: wide, it alone; narrow, the box it merges into.
  const last = t.lives[t.lives.length - 1]!;
  const seq = last.events[1]!;
  const one = prepareTimeline({ ...t, events: t.events.map((e) => (e.seq === seq ? { ...e, kind: 'violation' as const } : e)) });
  assert.deepEqual([...one.violationsOf.keys()], [last.data]);
  const wide = layoutScene(one, { scrollX: 0, width: 2000, scale: 2000 / one.columns }).lives;
  assert.deepEqual(wide.filter((b) => b.violated).map((b) => b.data), [last.data]);
  const narrow = layoutScene(one, { scrollX: 0, width: 30, scale: 30 / one.columns }).lives;
  assert.ok(narrow.length < t.lives.length, 'zoomed out, bars merge');
  assert.equal(narrow.filter((b) => b.violated).length, 1);
});
