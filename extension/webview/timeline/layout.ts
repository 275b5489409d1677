/**
 * Where everything of a run timeline goes on screen, for the part of it in view: the timeline view
 * draws only what this returns, so a run of any length costs what one screenful costs. Pure (no
 * DOM), so the benchmark measures it and the tests check it.
 *
 * Columns: one per event, in seq order (`col = seq - first seq`). Rows, top down: the ruler, the
 * callback data lives (packed so lives that do not overlap share a row), then one lane per thread.
 */
import type { Irql } from '../../../engine/kernel/irql';
import type { MarkerKind, RunTimeline, SpanKind, TimelineEvent } from '../../../engine/run/timeline/model';

export const RULER_HEIGHT = 22;
export const LIFE_HEIGHT = 14;
export const LANE_HEIGHT = 30;
/** Markers closer than this (px) on one lane are drawn as one, the most important kept. */
export const MARKER_SPACING = 6;

export interface PreparedLane {
  id: number;
  name: string;
  role: string;
  /** Top of its row, px. */
  y: number;
}

export interface PreparedTimeline {
  model: RunTimeline;
  firstSeq: number;
  columns: number;
  lanes: PreparedLane[];
  laneById: Map<number, PreparedLane>;
  /** Row of each callback data's life bar. */
  lifeRow: Map<number, number>;
  lifeRows: number;
  /** Violations about each callback data (those a rule breach names), by its id. */
  violationsOf: Map<number, number>;
  /** Top of the lanes, px; total height, px. */
  lanesTop: number;
  height: number;
  /** Events with a marker, as indexes into model.events, in order. */
  markers: number[];
  /** Columns where virtual time moves on, with the new time. */
  ticks: { col: number; ms: number }[];
  tickCols: number[];
}

export interface Viewport {
  /** Left edge, px from the start of the run. */
  scrollX: number;
  width: number;
  /** px per event column. */
  scale: number;
  /** Top edge and height of the visible rows, px (default: every row). A run with many I/O threads has many lanes. */
  scrollY?: number;
  height?: number;
}

export interface Bar {
  x: number;
  width: number;
  y: number;
  height: number;
}

export interface SpanBox extends Bar {
  kind: SpanKind;
  label: string;
  data: number;
  start: number;
  end: number | null;
  /** Other spans of the lane merged into this box at this zoom (they touch within a pixel). */
  merged?: number;
}

export interface LifeBox extends Bar {
  data: number;
  label: string;
  done: boolean;
  /** A violation names this callback data: its bar is outlined in the error colour. */
  violated: boolean;
  /** Other lives merged into this box at this zoom (they touch within a pixel). */
  merged?: number;
}

export interface IrqlBox extends Bar {
  lane: number;
  irql: Irql;
}

export interface MarkerGlyph {
  x: number;
  y: number;
  seq: number;
  lane: number;
  kind: MarkerKind;
  data: number;
  /** Other markers merged into this one at this zoom. */
  hidden: number;
}

export interface FlowLine {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  kind: string;
  from: number;
  to: number;
}

export interface Scene {
  /** Lanes at least partly in view. */
  lanes: PreparedLane[];
  lives: LifeBox[];
  spans: SpanBox[];
  irql: IrqlBox[];
  markers: MarkerGlyph[];
  flows: FlowLine[];
  ticks: { x: number; ms: number }[];
  /** x of the present moment (after the `now` event), or null when it is out of view. */
  now: number | null;
  /** x where the run's known end is. */
  end: number;
}

/** Drawn first when markers share a spot: what a user is most likely looking for. */
const IMPORTANCE: Record<MarkerKind, number> = {
  violation: 9, fault: 9, cancel: 7, complete: 6, pend: 6, 'cbdq-insert': 5, 'cbdq-remove': 5, 'workitem-queue': 4, 'workitem-start': 4, 'post-op': 3, unload: 8, 'timer-expire': 4, 'dpc-start': 4,
};

export function prepareTimeline(model: RunTimeline): PreparedTimeline {
  const firstSeq = model.events.length > 0 ? model.events[0]!.seq : 1;
  const columns = model.events.length;
  // Lives packed greedily into rows by their start.
  const lifeRow = new Map<number, number>();
  const rowEnds: number[] = [];
  const lastSeq = firstSeq + columns - 1;
  for (const life of [...model.lives].sort((a, b) => a.events[0]! - b.events[0]!)) {
    const start = life.events[0]!;
    const end = life.done ?? lastSeq;
    let row = rowEnds.findIndex((e) => e < start);
    if (row < 0) {
      row = rowEnds.length;
      rowEnds.push(end);
    } else rowEnds[row] = end;
    lifeRow.set(life.data, row);
  }
  const lanesTop = RULER_HEIGHT + rowEnds.length * LIFE_HEIGHT + (rowEnds.length > 0 ? 6 : 0);
  const lanes = model.lanes.map((l, i) => ({ id: l.id, name: l.name, role: l.role, y: lanesTop + i * LANE_HEIGHT }));
  const markers: number[] = [];
  const ticks: { col: number; ms: number }[] = [];
  const violationsOf = new Map<number, number>();
  let time = -1;
  model.events.forEach((e, i) => {
    if (e.marker) markers.push(i);
    if (e.kind === 'violation' && e.data !== 0) violationsOf.set(e.data, (violationsOf.get(e.data) ?? 0) + 1);
    if (e.time !== time) {
      ticks.push({ col: i, ms: e.time });
      time = e.time;
    }
  });
  return {
    model, firstSeq, columns, lanes, laneById: new Map(lanes.map((l) => [l.id, l])), lifeRow, lifeRows: rowEnds.length, violationsOf, lanesTop,
    height: lanesTop + lanes.length * LANE_HEIGHT, markers, ticks, tickCols: ticks.map((t) => t.col),
  };
}

/** Centre x of an event's column. */
export function xOf(p: PreparedTimeline, seq: number, v: Viewport): number {
  return (seq - p.firstSeq + 0.5) * v.scale - v.scrollX;
}

/** The event under an x position (nearest column), or undefined outside the run. */
export function seqAt(p: PreparedTimeline, x: number, v: Viewport): number | undefined {
  const col = Math.floor((x + v.scrollX) / v.scale);
  return col >= 0 && col < p.columns ? p.firstSeq + col : undefined;
}

export function eventOf(p: PreparedTimeline, seq: number): TimelineEvent | undefined {
  return p.model.events[seq - p.firstSeq];
}

/** Boxes of one row closer than this (px) are drawn as one. */
export const BOX_GAP = 2;

/**
 * Zoomed out, many boxes of one row fall within a pixel or two of each other: draw them as one box
 * (the first keeps its identity and counts the others), as a waveform view keeps the extremes of
 * each pixel, so a screen costs what its pixels can show. Zoom in to tell them apart.
 */
function mergeTouching<T extends Bar & { merged?: number; violated?: boolean }>(boxes: T[]): T[] {
  const out: T[] = [];
  const lastInRow = new Map<number, T>();
  for (const b of boxes.sort((a, c) => a.y - c.y || a.x - c.x)) {
    const prev = lastInRow.get(b.y);
    if (prev && b.x - (prev.x + prev.width) < BOX_GAP && prev.height === b.height) {
      prev.width = Math.max(prev.width, b.x + b.width - prev.x);
      prev.merged = (prev.merged ?? 0) + 1;
      // A violation stays visible in the box it is merged into.
      if (b.violated) prev.violated = true;
      continue;
    }
    out.push(b);
    lastInRow.set(b.y, b);
  }
  return out;
}

/** First index in the sorted `list` whose value is >= `v`. */
function lowerBound(list: number[], v: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function layoutScene(p: PreparedTimeline, v: Viewport): Scene {
  const m = p.model;
  const lastSeq = p.firstSeq + p.columns - 1;
  // Columns in view, with one column of margin each side.
  const c0 = Math.max(0, Math.floor(v.scrollX / v.scale) - 1);
  const c1 = Math.min(p.columns - 1, Math.ceil((v.scrollX + v.width) / v.scale) + 1);
  const s0 = p.firstSeq + c0;
  const s1 = p.firstSeq + c1;
  const left = (seq: number) => (seq - p.firstSeq) * v.scale - v.scrollX;
  const y0 = v.scrollY ?? 0;
  const y1 = v.height === undefined ? Infinity : y0 + v.height;
  const visible = (y: number, h: number) => y + h >= y0 && y <= y1;
  const shown = (id: number): PreparedLane | undefined => {
    const lane = p.laneById.get(id);
    return lane && visible(lane.y, LANE_HEIGHT) ? lane : undefined;
  };
  const clip = (a: number, b: number): [number, number] => {
    const x0 = Math.max(left(a), -2);
    const x1 = Math.min(left(b + 1), v.width + 2);
    return [x0, Math.max(x1 - x0, 1)];
  };

  const lives: LifeBox[] = [];
  for (const life of visible(RULER_HEIGHT, p.lanesTop - RULER_HEIGHT) ? m.lives : []) {
    const start = life.events[0]!;
    const end = life.done ?? lastSeq;
    if (end < s0 || start > s1) continue;
    const [x, width] = clip(start, end);
    lives.push({ x, width, y: RULER_HEIGHT + 2 + p.lifeRow.get(life.data)! * LIFE_HEIGHT, height: LIFE_HEIGHT - 3, data: life.data, label: life.label, done: life.done !== null, violated: p.violationsOf.has(life.data) });
  }

  const spans: SpanBox[] = [];
  for (const s of m.spans) {
    const end = s.end ?? lastSeq;
    if (end < s0 || s.start > s1) continue;
    const lane = shown(s.lane);
    if (!lane) continue;
    const [x, width] = clip(s.start, end);
    const inset = Math.min(s.depth, 3) * 3;
    spans.push({ x, width, y: lane.y + 5 + inset, height: 14 - inset, kind: s.kind, label: s.label, data: s.data, start: s.start, end: s.end });
  }

  const irql: IrqlBox[] = [];
  for (const l of m.lanes) {
    const lane = shown(l.id);
    if (!lane) continue;
    const changes = l.irql;
    for (let i = 0; i < changes.length; i++) {
      const from = changes[i]!.seq;
      const to = i + 1 < changes.length ? changes[i + 1]!.seq - 1 : l.exited ? l.last : lastSeq;
      const level = changes[i]!.irql;
      if (level === 0 || to < s0 || from > s1) continue;
      const [x, width] = clip(from, to);
      const h = level >= 2 ? 6 : 3;
      irql.push({ x, width, y: lane.y + LANE_HEIGHT - 2 - h, height: h, lane: l.id, irql: level });
    }
  }

  const markers: MarkerGlyph[] = [];
  const lastOnLane = new Map<number, MarkerGlyph>();
  for (let i = lowerBound(p.markers, c0); i < p.markers.length && p.markers[i]! <= c1; i++) {
    const e = m.events[p.markers[i]!]!;
    const lane = shown(e.lane);
    if (!lane) continue;
    const x = left(e.seq) + v.scale / 2;
    const prev = lastOnLane.get(e.lane);
    if (prev && x - prev.x < MARKER_SPACING) {
      prev.hidden++;
      if (IMPORTANCE[e.marker!] > IMPORTANCE[prev.kind]) {
        prev.seq = e.seq;
        prev.kind = e.marker!;
        prev.data = e.data;
      }
      continue;
    }
    const g: MarkerGlyph = { x, y: lane.y + 12, seq: e.seq, lane: e.lane, kind: e.marker!, data: e.data, hidden: 0 };
    markers.push(g);
    lastOnLane.set(e.lane, g);
  }

  const flows: FlowLine[] = [];
  /** Links that would be drawn over one another (same lanes, same pixels) are drawn once. */
  const drawn = new Set<string>();
  for (const f of m.flows) {
    if (f.to < s0 || f.from > s1) continue;
    const a = m.events[f.from - p.firstSeq];
    const b = m.events[f.to - p.firstSeq];
    if (!a || !b) continue;
    const la = p.laneById.get(a.lane);
    const lb = p.laneById.get(b.lane);
    if (!la || !lb || Math.max(la.y, lb.y) + LANE_HEIGHT < y0 || Math.min(la.y, lb.y) > y1) continue;
    // Zoomed out, links to lanes out of view would only hatch the screen: they show when zoomed in.
    if (v.scale < 1 && (!visible(la.y, LANE_HEIGHT) || !visible(lb.y, LANE_HEIGHT))) continue;
    const x1 = left(a.seq) + v.scale / 2;
    const x2 = left(b.seq) + v.scale / 2;
    // An end out of view only says which way it lies, so links to many hidden lanes draw once.
    const side = (y: number) => (y + LANE_HEIGHT < y0 ? 'up' : y > y1 ? 'down' : y);
    const key = `${f.kind} ${side(la.y)} ${side(lb.y)} ${Math.round(x1 / 3)} ${Math.round(x2 / 3)}`;
    if (drawn.has(key)) continue;
    drawn.add(key);
    flows.push({ x1, y1: la.y + 12, x2, y2: lb.y + 12, kind: f.kind, from: f.from, to: f.to });
  }

  const ticks: { x: number; ms: number }[] = [];
  for (let i = lowerBound(p.tickCols, c0); i < p.ticks.length && p.ticks[i]!.col <= c1; i++) {
    const t = p.ticks[i]!;
    const x = t.col * v.scale - v.scrollX;
    if (ticks.length > 0 && x - ticks[ticks.length - 1]!.x < 40) continue;
    ticks.push({ x, ms: t.ms });
  }

  const nowX = left(m.now + 1);
  return { lanes: p.lanes.filter((l) => visible(l.y, LANE_HEIGHT)), lives: mergeTouching(lives), spans: mergeTouching(spans), irql: mergeTouching(irql), markers, flows, ticks, now: nowX >= -1 && nowX <= v.width + 1 ? nowX : null, end: left(lastSeq + 1) };
}
