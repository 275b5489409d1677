/**
 * The timeline view in the webview: lane labels on the left, and a scrolling area on the right
 * whose visible part only is drawn as SVG (layout.ts says what is in view), so long runs scroll as
 * smoothly as short ones. Colours come from the editor theme's CSS variables (timeline.css).
 *
 * Mouse: hover shows an event, click opens its source line (and, in a debug session, goes to that
 * moment). Keyboard: ←/→ previous/next marker, ↑/↓ the nearest marker on the lane above/below,
 * Home/End, Enter opens, E explains the selected callback data, +/- zoom, 0 fits the whole run.
 */
import { formatIrql as irqlLabel } from '../../../engine/kernel/irql';
import { eventOf, layoutScene, prepareTimeline, seqAt, xOf, LANE_HEIGHT, type PreparedTimeline, type Scene, type Viewport } from './layout';
import type { HostMessage, ViewMessage } from './protocol';

const SVG = 'http://www.w3.org/2000/svg';
const MIN_SCALE = 0.05;
const MAX_SCALE = 48;

export class TimelineView {
  private prepared: PreparedTimeline | undefined;
  private live = false;
  private scale = 16;
  private selected: number | undefined;
  private follow = true;
  private lastNow = 0;
  private frame = 0;
  /** Milliseconds the last render took (layout and DOM), for the benchmark and the end-to-end test. */
  lastRenderMs = 0;

  private readonly labels: HTMLElement;
  private readonly scroller: HTMLElement;
  /** Scrolls vertically (lane labels and the drawing together). */
  private readonly body: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly svg: SVGSVGElement;
  private readonly tip: HTMLElement;
  private readonly status: HTMLElement;
  private readonly announce: HTMLElement;
  private readonly title: HTMLElement;

  constructor(private readonly root: HTMLElement, private readonly post: (m: ViewMessage) => void) {
    root.innerHTML = `
      <header class="bar">
        <span class="title" id="tl-title">fltsim timeline</span>
        <span class="status" id="tl-status" role="status"></span>
        <span class="spacer"></span>
        <button type="button" data-act="fit" title="Fit the whole run (0)">Fit</button>
        <button type="button" data-act="out" title="Zoom out (-)">−</button>
        <button type="button" data-act="in" title="Zoom in (+)">+</button>
      </header>
      <div class="body">
        <div class="labels" id="tl-labels" role="rowgroup" aria-label="Threads"></div>
        <div class="scroller" id="tl-scroller" tabindex="0" role="application" aria-label="Run timeline: arrows move between events, Enter opens one">
          <div class="spacer-x" id="tl-spacer"></div>
          <svg id="tl-svg" class="canvas" xmlns="${SVG}"></svg>
        </div>
      </div>
      <div class="tip" id="tl-tip" hidden></div>
      <div class="sr" id="tl-announce" aria-live="polite"></div>`;
    const $ = (id: string) => root.querySelector(`#${id}`) as HTMLElement;
    this.labels = $('tl-labels');
    this.scroller = $('tl-scroller');
    this.body = root.querySelector('.body') as HTMLElement;
    this.body.addEventListener('scroll', () => this.schedule());
    this.spacer = $('tl-spacer');
    this.svg = root.querySelector('#tl-svg') as SVGSVGElement;
    this.tip = $('tl-tip');
    this.status = $('tl-status');
    this.announce = $('tl-announce');
    this.title = $('tl-title');

    this.scroller.addEventListener('scroll', () => {
      // Scrolling away from the present stops following it; scrolling back to it follows again.
      if (this.prepared) this.follow = this.nowVisible();
      this.schedule();
    });
    new ResizeObserver(() => this.schedule()).observe(this.scroller);
    this.svg.addEventListener('mousemove', (e) => this.hover(e));
    this.svg.addEventListener('mouseleave', () => (this.tip.hidden = true));
    this.svg.addEventListener('click', (e) => this.click(e));
    this.scroller.addEventListener('keydown', (e) => this.key(e));
    this.scroller.addEventListener('wheel', (e) => {
      if (!e.ctrlKey) return;
      e.preventDefault();
      this.zoom(e.deltaY < 0 ? 1.25 : 0.8, e.offsetX);
    }, { passive: false });
    root.querySelector('header')!.addEventListener('click', (e) => {
      const act = (e.target as HTMLElement).closest('button')?.dataset.act;
      if (act === 'fit') this.fit();
      else if (act === 'in') this.zoom(1.5);
      else if (act === 'out') this.zoom(1 / 1.5);
    });
  }

  receive(m: HostMessage): void {
    if (m.type === 'status') {
      this.live = m.live;
      this.status.textContent = m.text;
      this.root.dataset.live = String(m.live);
      this.schedule();
      return;
    }
    const first = this.prepared === undefined;
    this.prepared = prepareTimeline(m.timeline);
    this.live = m.live;
    this.root.dataset.live = String(m.live);
    const t = m.timeline;
    this.title.textContent = `${t.title ?? t.scenario ?? 'run'}${t.seed !== null ? ` (seed ${t.seed})` : ''}`;
    const future = t.events.length > 0 ? t.events[t.events.length - 1]!.seq - t.now : 0;
    this.status.textContent = `${m.source} · ${t.events.length.toLocaleString()} events${t.dropped ? ` (${t.dropped.toLocaleString()} older not shown)` : ''} · ${t.violations} violation${t.violations === 1 ? '' : 's'}${future > 0 ? ` · ${future} later events known` : ''}`;
    this.renderLabels();
    this.spacer.style.height = `${this.prepared.height}px`;
    if (first) this.fit();
    this.sizeSpacer();
    if (this.follow && (first || t.now !== this.lastNow)) this.reveal(t.now);
    this.lastNow = t.now;
    if (this.selected !== undefined && !eventOf(this.prepared, this.selected)) this.selected = undefined;
    this.schedule();
  }

  private renderLabels(): void {
    const p = this.prepared!;
    const out: string[] = [`<div class="label ruler-label">${p.lifeRows > 0 ? 'callback data' : ''}</div>`];
    for (const l of p.lanes) {
      out.push(`<div class="label lane-label role-${l.role}" role="row" data-lane="${l.id}" title="${esc(l.name)} (${l.role})">${esc(l.name)}</div>`);
    }
    this.labels.innerHTML = out.join('');
    // Heights through the CSSOM: the page's content security policy allows no inline style attributes.
    (this.labels.firstElementChild as HTMLElement).style.height = `${p.lanesTop}px`;
    this.labels.querySelectorAll<HTMLElement>('.lane-label').forEach((el) => (el.style.height = `${LANE_HEIGHT}px`));
  }

  private viewport(): Viewport {
    return { scrollX: this.scroller.scrollLeft, width: this.scroller.clientWidth, scale: this.scale, scrollY: this.body.scrollTop, height: this.body.clientHeight };
  }

  private sizeSpacer(): void {
    if (this.prepared) this.spacer.style.width = `${Math.max(this.prepared.columns * this.scale, 1)}px`;
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  /** Draws what is in view now (public for tests and the benchmark page). */
  render(): void {
    const p = this.prepared;
    if (!p) return;
    const t0 = performance.now();
    const v = this.viewport();
    const scene = layoutScene(p, v);
    this.svg.setAttribute('width', String(v.width));
    this.svg.setAttribute('height', String(p.height));
    this.svg.style.left = `${v.scrollX}px`;
    this.svg.innerHTML = this.sceneSvg(p, scene, v);
    this.lastRenderMs = performance.now() - t0;
    this.root.dataset.renderMs = this.lastRenderMs.toFixed(2);
    this.root.dataset.markers = String(scene.markers.length);
  }

  private sceneSvg(p: PreparedTimeline, s: Scene, v: Viewport): string {
    const out: string[] = [];
    // Lane stripes and the ruler.
    for (const l of s.lanes) out.push(`<rect class="lane-bg${((l.y - p.lanesTop) / LANE_HEIGHT) % 2 ? ' odd' : ''}" x="0" y="${l.y}" width="${v.width}" height="${LANE_HEIGHT}" data-lane="${l.id}"/>`);
    for (const t of s.ticks) out.push(`<line class="tick" x1="${t.x}" x2="${t.x}" y1="0" y2="${p.height}"/><text class="tick-label" x="${t.x + 3}" y="14">${t.ms} ms</text>`);
    for (const b of s.irql) out.push(`<rect class="irql irql-${b.irql >= 2 ? 'dispatch' : 'apc'}" x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" data-irql="${b.irql}" data-lane="${b.lane}"><title>${irqlLabel(b.irql)}</title></rect>`);
    for (const b of s.lives) out.push(`<rect class="life c${b.data % 8}${b.done ? '' : ' open'}${b.violated ? ' violated' : ''}" x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" rx="3" data-data="${b.data}" data-kind="life"/>${b.width > 24 ? `<text class="life-label" x="${Math.max(b.x, 0) + 3}" y="${b.y + b.height - 2}">${b.label}</text>` : ''}`);
    for (const b of s.spans) {
      const cls = b.kind === 'work-item' ? 'work' : `c${b.data % 8}`;
      out.push(`<rect class="span ${cls} ${b.kind}${b.end === null ? ' open' : ''}" x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" rx="2" data-seq="${b.start}" data-kind="span"/>`);
      if (b.width > 60) out.push(`<text class="span-label" x="${Math.max(b.x, 0) + 3}" y="${b.y + b.height - 3}">${esc(b.label.length * 6 > b.width ? `${b.label.slice(0, Math.max(1, Math.floor(b.width / 6) - 1))}…` : b.label)}</text>`);
    }
    for (const f of s.flows) {
      const mx = (f.x1 + f.x2) / 2;
      out.push(`<path class="flow flow-${f.kind}" d="M${f.x1},${f.y1} C${mx},${f.y1} ${mx},${f.y2} ${f.x2},${f.y2}" data-from="${f.from}" data-to="${f.to}"/>`);
    }
    for (const g of s.markers) {
      const sel = g.seq === this.selected ? ' selected' : '';
      out.push(`<g class="marker m-${g.kind}${sel}" transform="translate(${g.x},${g.y})" data-seq="${g.seq}" data-kind="${g.kind}" data-lane="${g.lane}"${g.hidden ? ` data-hidden="${g.hidden}"` : ''}>${glyph(g.kind)}</g>`);
    }
    if (s.end < v.width) out.push(`<rect class="beyond" x="${Math.max(s.end, 0)}" y="0" width="${v.width - Math.max(s.end, 0)}" height="${p.height}"/>`);
    if (s.now !== null) {
      const futureW = Math.max(0, Math.min(s.end, v.width) - s.now);
      if (futureW > 0) out.push(`<rect class="future" x="${s.now}" y="0" width="${futureW}" height="${p.height}"/>`);
      out.push(`<line class="now" x1="${s.now}" x2="${s.now}" y1="0" y2="${p.height}"/>`);
    }
    return out.join('');
  }

  // --- interaction ----------------------------------------------------------------------------

  private targetSeq(e: MouseEvent): { seq: number; kind: string } | { data: number } | undefined {
    const el = (e.target as Element).closest('[data-seq],[data-data]') as HTMLElement | SVGElement | null;
    if (!el) return undefined;
    if (el.dataset.seq) return { seq: Number(el.dataset.seq), kind: el.dataset.kind ?? '' };
    if (el.dataset.data) return { data: Number(el.dataset.data) };
    return undefined;
  }

  private hover(e: MouseEvent): void {
    const p = this.prepared;
    if (!p) return;
    const hit = this.targetSeq(e);
    let text: string | undefined;
    if (hit && 'data' in hit) {
      const life = p.model.lives.find((l) => l.data === hit.data);
      const broken = p.violationsOf.get(hit.data) ?? 0;
      if (life) text = `${life.summary}\n${life.outcome ?? 'not done yet'}${broken ? `\n${broken} violation${broken === 1 ? '' : 's'}` : ''}\nclick or E: explain ${life.label}`;
    } else {
      const seq = hit?.seq ?? seqAt(p, e.offsetX, this.viewport());
      const ev = seq !== undefined ? eventOf(p, seq) : undefined;
      if (ev) text = describe(p, ev.seq);
    }
    if (!text) {
      this.tip.hidden = true;
      return;
    }
    this.tip.textContent = text;
    this.tip.hidden = false;
    const r = this.root.getBoundingClientRect();
    this.tip.style.left = `${Math.min(e.clientX - r.left + 14, r.width - 340)}px`;
    this.tip.style.top = `${e.clientY - r.top + 14}px`;
  }

  private click(e: MouseEvent): void {
    const p = this.prepared;
    if (!p) return;
    const hit = this.targetSeq(e);
    if (hit && 'data' in hit) {
      this.post({ type: 'explain', data: hit.data });
      return;
    }
    if (!hit) return;
    this.select(hit.seq);
    this.open(hit.seq);
  }

  /** Opens an event's source line (or, for one without, the nearest event of its span or lane that has one). */
  private open(seq: number): void {
    const p = this.prepared!;
    const ev = eventOf(p, seq);
    if (!ev) return;
    let where = ev.file ? ev : undefined;
    if (!where) {
      const span = p.model.spans.find((s) => s.start === seq);
      const last = span?.end ?? seq + 50;
      for (let s = seq + 1; s <= last && !where; s++) {
        const other = eventOf(p, s);
        if (other && other.lane === ev.lane && other.file) where = other;
      }
    }
    this.post({ type: 'open', seq, file: where?.file, line: where?.line, goto: this.live });
  }

  private select(seq: number): void {
    this.selected = seq;
    this.announce.textContent = describe(this.prepared!, seq).replace(/\n/g, '. ');
    this.reveal(seq);
    this.schedule();
  }

  private key(e: KeyboardEvent): void {
    const p = this.prepared;
    if (!p) return;
    const markers = p.markers.map((i) => p.model.events[i]!.seq);
    const cur = this.selected ?? p.model.now;
    let handled = true;
    switch (e.key) {
      case 'ArrowRight': {
        const next = markers.find((s) => s > cur);
        if (next !== undefined) this.select(next);
        break;
      }
      case 'ArrowLeft': {
        const prev = [...markers].reverse().find((s) => s < cur);
        if (prev !== undefined) this.select(prev);
        break;
      }
      case 'ArrowUp':
      case 'ArrowDown': {
        const ev = eventOf(p, cur);
        const row = ev ? p.lanes.findIndex((l) => l.id === ev.lane) : 0;
        const target = p.lanes[row + (e.key === 'ArrowUp' ? -1 : 1)];
        if (!target) break;
        let best: number | undefined;
        for (const s of markers) {
          if (eventOf(p, s)!.lane === target.id && (best === undefined || Math.abs(s - cur) < Math.abs(best - cur))) best = s;
        }
        if (best !== undefined) this.select(best);
        break;
      }
      case 'Home':
        if (markers.length) this.select(markers[0]!);
        break;
      case 'End':
        if (markers.length) this.select(markers[markers.length - 1]!);
        break;
      case 'Enter':
      case ' ':
        if (this.selected !== undefined) this.open(this.selected);
        break;
      case 'e':
      case 'E': {
        const data = this.selected !== undefined ? eventOf(p, this.selected)?.data : undefined;
        if (data) this.post({ type: 'explain', data });
        break;
      }
      case '+':
      case '=':
        this.zoom(1.5);
        break;
      case '-':
        this.zoom(1 / 1.5);
        break;
      case '0':
        this.fit();
        break;
      default:
        handled = false;
    }
    if (handled) e.preventDefault();
  }

  private zoom(factor: number, anchorX = this.scroller.clientWidth / 2): void {
    const p = this.prepared;
    if (!p) return;
    const col = (this.scroller.scrollLeft + anchorX) / this.scale;
    this.scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, this.scale * factor));
    this.sizeSpacer();
    this.scroller.scrollLeft = col * this.scale - anchorX;
    this.schedule();
  }

  private fit(): void {
    const p = this.prepared;
    if (!p) return;
    this.scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, (this.scroller.clientWidth - 8) / Math.max(p.columns, 1)));
    this.sizeSpacer();
    this.scroller.scrollLeft = 0;
    this.schedule();
  }

  private nowVisible(): boolean {
    const p = this.prepared!;
    const x = xOf(p, p.model.now, this.viewport());
    return x >= 0 && x <= this.scroller.clientWidth;
  }

  /** Scrolls so that an event is in view. */
  private reveal(seq: number): void {
    const p = this.prepared!;
    const x = xOf(p, seq, this.viewport());
    const w = this.scroller.clientWidth;
    if (x < 0 || x > w) this.scroller.scrollLeft = Math.max(0, this.scroller.scrollLeft + x - w * 0.6);
  }
}

function glyph(kind: string): string {
  switch (kind) {
    case 'pend':
      return '<path d="M0,-6 L6,0 L0,6 L-6,0 Z"/>';
    case 'complete':
      return '<circle r="5.5"/><path class="ink" d="M-3,0 L-1,2.5 L3,-2.5"/>';
    case 'workitem-queue':
      return '<path d="M-5,-5 L5,0 L-5,5 Z" class="hollow"/>';
    case 'workitem-start':
      return '<path d="M-5,-5 L5,0 L-5,5 Z"/>';
    case 'timer-expire':
      return '<circle r="5.5" class="hollow"/><path class="ink-thick" d="M0,-3.5 L0,0 L2.5,1.5"/>';
    case 'dpc-start':
      return '<path d="M-5,5 L0,-5 L5,5 Z"/>';
    case 'cbdq-insert':
      return '<rect x="-5" y="-5" width="10" height="10" class="hollow"/>';
    case 'cbdq-remove':
      return '<rect x="-5" y="-5" width="10" height="10"/>';
    case 'cancel':
      return '<path class="ink-thick" d="M-5,-5 L5,5 M5,-5 L-5,5"/>';
    case 'post-op':
      return '<circle r="4.5" class="hollow"/>';
    case 'unload':
      return '<rect x="-2" y="-7" width="4" height="14"/>';
    default: // violation, fault
      return '<circle r="6.5"/><path class="ink" d="M0,-3.5 L0,1 M0,3 L0,3.5"/>';
  }
}

function describe(p: PreparedTimeline, seq: number): string {
  const e = eventOf(p, seq)!;
  const lane = p.laneById.get(e.lane);
  const where = e.file ? `\n${e.file.split(/[\\/]/).pop()}:${e.line}` : '';
  return `${e.detail}\n${e.time} ms · ${lane?.name ?? `thread ${e.lane}`} · ${irqlLabel(e.irql)} · event ${e.seq}${e.seq > p.model.now ? ' (later)' : ''}${where}`;
}

function esc(s: string): string {
  return s.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}
