/**
 * The timeline: a histogram of events over time on a canvas. Drag to select a range, then
 * "Zoom to selection" re-runs over it; "Zoom out" widens the range; "Deselect" clears.
 */
import type { Timeline } from './api.js';
import { h, replace } from './dom.js';
import { fmtCount, fmtDateTime, fmtSpan, fmtTick } from './util.js';

export interface TimelineOptions {
  tz(): string;
  zoomTo(earliestUs: number, latestUs: number): void;
  zoomOut(): void;
  canZoomOut(): boolean;
}

interface Bar {
  t: number;
  count: number;
}

export function createTimeline(o: TimelineOptions) {
  const canvas = h('canvas', { class: 'tl-canvas', 'aria-label': 'Timeline: drag to select a time range' });
  const tip = h('div', { class: 'tl-tip' });
  tip.hidden = true;
  const zoomOutBtn = h('button', { class: 'btn small', type: 'button', title: 'Widen the time range and search again' }, '− Zoom out');
  const zoomSelBtn = h('button', { class: 'btn small', type: 'button', title: 'Search again over the selected range' }, '+ Zoom to selection');
  const deselectBtn = h('button', { class: 'btn small', type: 'button' }, '× Deselect');
  const info = h('span', { class: 'tl-info muted' });
  const selInfo = h('span', { class: 'tl-sel muted' });
  const el = h(
    'section',
    { class: 'timeline', 'aria-label': 'Timeline' },
    h('div', { class: 'tl-bar' }, zoomOutBtn, zoomSelBtn, deselectBtn, selInfo, h('span', { class: 'grow' }), info),
    h('div', { class: 'tl-wrap' }, canvas, tip),
  );

  let data: Timeline | null = null;
  let bars: Bar[] = [];
  let t0 = 0;
  let t1 = 1;
  let max = 1;
  let sel: { a: number; b: number } | null = null; // µs
  let drag: { x0: number } | null = null;
  let hover = -1;
  const PAD_L = 44;
  const PAD_R = 8;
  const PAD_T = 6;
  const PAD_B = 18;

  const width = () => canvas.clientWidth;
  const heightPx = () => canvas.clientHeight;
  const xOf = (t: number) => PAD_L + ((t - t0) / (t1 - t0)) * (width() - PAD_L - PAD_R);
  const tOf = (x: number) => t0 + ((x - PAD_L) / (width() - PAD_L - PAD_R)) * (t1 - t0);
  const spanUs = () => (data?.span ?? 1) * 1e6;
  const snap = (t: number) => t0 + Math.round((t - t0) / spanUs()) * spanUs();

  function updateButtons() {
    zoomSelBtn.disabled = !sel;
    deselectBtn.disabled = !sel;
    zoomOutBtn.disabled = !o.canZoomOut();
    if (sel) {
      const n = bars.filter((b) => b.t >= sel!.a && b.t < sel!.b).reduce((a, b) => a + b.count, 0);
      selInfo.textContent = `${fmtCount(n)} events selected, ${fmtDateTime(sel.a, o.tz())} to ${fmtDateTime(sel.b, o.tz())}`;
    } else selInfo.textContent = '';
  }

  function draw() {
    const dpr = window.devicePixelRatio || 1;
    const w = width();
    const hh = heightPx();
    if (w === 0) return;
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(hh * dpr);
    const g = canvas.getContext('2d')!;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, hh);
    const plotH = hh - PAD_T - PAD_B;
    g.font = '11px system-ui, sans-serif';
    g.textBaseline = 'middle';
    // y axis: max and half
    g.fillStyle = '#768390';
    g.strokeStyle = '#2d333b';
    g.lineWidth = 1;
    for (const f of max >= 2 ? [1, 0.5] : [1]) {
      const y = PAD_T + plotH * (1 - f);
      g.beginPath();
      g.moveTo(PAD_L, Math.round(y) + 0.5);
      g.lineTo(w - PAD_R, Math.round(y) + 0.5);
      g.stroke();
      g.textAlign = 'right';
      g.fillText(compact(max * f), PAD_L - 6, y);
    }
    if (!data || bars.length === 0) {
      g.textAlign = 'center';
      g.fillStyle = '#768390';
      g.fillText(data && !data.available ? 'No timeline for transforming searches' : data ? 'No events in this range' : '', w / 2, hh / 2);
      return;
    }
    // bars
    const bw = Math.max(1, xOf(t0 + spanUs()) - xOf(t0) - 1);
    bars.forEach((b, i) => {
      if (b.count === 0) return;
      const x = xOf(b.t);
      const bh = Math.max(1, (b.count / max) * plotH);
      const inSel = sel && b.t >= sel.a && b.t < sel.b;
      g.fillStyle = i === hover ? '#9ecbff' : inSel ? '#6cb6ff' : sel ? '#3b5f86' : '#4d8fd6';
      g.fillRect(x + 0.5, PAD_T + plotH - bh, bw, bh);
    });
    // x axis ticks
    g.fillStyle = '#768390';
    g.textAlign = 'left';
    const stepUs = tickStep(t1 - t0, w);
    let tk = Math.ceil(t0 / stepUs) * stepUs;
    let first = true;
    let lastRight = -1;
    for (; tk <= t1; tk += stepUs) {
      const x = xOf(tk);
      const label = fmtTick(tk, o.tz(), stepUs / 1e6, first);
      const lw = g.measureText(label).width;
      if (x - 2 < lastRight || x + lw > w) continue;
      g.strokeStyle = '#444c56';
      g.beginPath();
      g.moveTo(Math.round(x) + 0.5, PAD_T + plotH);
      g.lineTo(Math.round(x) + 0.5, PAD_T + plotH + 4);
      g.stroke();
      g.fillText(label, x + 2, hh - PAD_B / 2 + 1);
      lastRight = x + lw + 12;
      first = false;
    }
    // selection
    if (sel) {
      const xa = xOf(sel.a);
      const xb = xOf(sel.b);
      g.fillStyle = 'rgba(108,182,255,0.12)';
      g.fillRect(xa, PAD_T, xb - xa, plotH);
      g.strokeStyle = '#6cb6ff';
      g.strokeRect(Math.round(xa) + 0.5, PAD_T + 0.5, Math.round(xb - xa), plotH - 1);
    }
  }

  function set(tl: Timeline | null) {
    data = tl;
    sel = null;
    hover = -1;
    bars = [];
    if (tl && tl.buckets.length > 0) {
      const span = tl.span * 1e6;
      const first = tl.buckets[0]!.t;
      const last = tl.buckets[tl.buckets.length - 1]!.t;
      // lay the buckets over the searched range when it is known, else over the data
      const from = tl.earliest !== null ? Math.min(first, Math.floor(tl.earliest / span) * span) : first;
      const to = tl.latest !== null ? Math.max(last + span, tl.latest) : last + span;
      const by = new Map(tl.buckets.map((b) => [b.t, b.count]));
      const n = Math.min(2000, Math.ceil((to - from) / span));
      for (let i = 0; i < n; i++) {
        const t = from + i * span;
        bars.push({ t, count: by.get(t) ?? 0 });
      }
      t0 = from;
      t1 = from + n * span;
      max = Math.max(1, ...bars.map((b) => b.count));
      const total = tl.buckets.reduce((a, b) => a + b.count, 0);
      info.textContent = `${fmtCount(total)} events · 1 bar = ${fmtSpan(tl.span)}`;
    } else {
      t0 = 0;
      t1 = 1;
      max = 1;
      info.textContent = '';
    }
    // transforming searches have no events to lay over time: fold the timeline away
    el.hidden = !!tl && !tl.available;
    el.dataset.buckets = String(tl?.buckets.length ?? 0);
    el.dataset.state = tl ? 'ready' : 'empty';
    updateButtons();
    draw();
  }

  const localX = (ev: MouseEvent) => ev.clientX - canvas.getBoundingClientRect().left;

  canvas.addEventListener('mousedown', (ev) => {
    if (!bars.length) return;
    ev.preventDefault();
    drag = { x0: localX(ev) };
  });
  window.addEventListener('mousemove', (ev) => {
    if (!bars.length) return;
    const x = localX(ev);
    if (drag) {
      const a = Math.max(t0, Math.min(tOf(drag.x0), tOf(x)));
      const b = Math.min(t1, Math.max(tOf(drag.x0), tOf(x)));
      const sa = Math.floor((a - t0) / spanUs()) * spanUs() + t0;
      const sb = Math.max(sa + spanUs(), snap(b + spanUs() / 2));
      sel = { a: sa, b: Math.min(t1, sb) };
      updateButtons();
      draw();
      return;
    }
    if (ev.target !== canvas) {
      if (hover !== -1) {
        hover = -1;
        tip.hidden = true;
        draw();
      }
      return;
    }
    const t = tOf(x);
    const i = Math.floor((t - t0) / spanUs());
    if (i !== hover) {
      hover = i >= 0 && i < bars.length ? i : -1;
      draw();
    }
    if (hover >= 0) {
      const b = bars[hover]!;
      replace(tip, h('b', null, fmtCount(b.count)), ' events', h('br'), fmtDateTime(b.t, o.tz()), ' + ', fmtSpan(data!.span));
      tip.hidden = false;
      const left = Math.min(Math.max(0, x + 12), width() - 180);
      tip.style.left = `${left}px`;
    } else tip.hidden = true;
  });
  window.addEventListener('mouseup', () => {
    if (!drag) return;
    drag = null;
    updateButtons();
    draw();
  });
  canvas.addEventListener('mouseleave', () => {
    hover = -1;
    tip.hidden = true;
    draw();
  });
  zoomSelBtn.addEventListener('click', () => {
    if (sel) o.zoomTo(sel.a, sel.b);
  });
  deselectBtn.addEventListener('click', () => {
    sel = null;
    updateButtons();
    draw();
  });
  zoomOutBtn.addEventListener('click', () => o.zoomOut());
  new ResizeObserver(() => draw()).observe(canvas);

  return {
    el,
    set,
    /** the time span on show, epoch µs */
    extent: (): { earliest: number; latest: number } | null => (bars.length ? { earliest: t0, latest: t1 } : null),
    refreshButtons: updateButtons,
  };
}

function compact(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(n >= 1e4 ? 0 : 1)}k`;
  return String(Math.round(n));
}

const TICKS = [1, 5, 10, 30, 60, 300, 600, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 2 * 86400, 7 * 86400, 30 * 86400, 365 * 86400];
function tickStep(rangeUs: number, widthPx: number): number {
  const maxTicks = Math.max(2, Math.floor(widthPx / 90));
  for (const s of TICKS) if (rangeUs / (s * 1e6) <= maxTicks) return s * 1e6;
  return TICKS[TICKS.length - 1]! * 1e6;
}
