/**
 * The Visualization tab: line, area and column charts (uPlot) for timechart/chart results over
 * `_time`, and bar/column charts for a table of numbers by one field (`stats … by f`).
 */
import uPlot from 'uplot';
import type { Results } from './api.js';
import { h, replace } from './dom.js';
import { isNumType } from './stats.js';
import { fmtCount, valueText } from './util.js';

export type ChartKind = 'line' | 'area' | 'column' | 'bar';
const PALETTE = ['#4d8fd6', '#e5894a', '#5fb85f', '#d65d5d', '#a77bd6', '#c9b24a', '#4ac2c2', '#d67bb4', '#8a9aa8', '#7fbf3f'];

export function createVizView(o: { tz(): string }) {
  const bar = h('div', { class: 'vz-bar' });
  const area = h('div', { class: 'vz-area' });
  const el = h('div', { class: 'viz' }, bar, area);
  let res: Results | null = null;
  let kind: ChartKind = 'line';
  let plot: uPlot | null = null;
  let ro: ResizeObserver | null = null;

  function shape(r: Results): { time: boolean; series: string[]; cat?: string } | null {
    const time = r.fields[0]?.name === '_time';
    const numeric = r.fields.filter((f) => !f.name.startsWith('_') && (isNumType(f.type) || r.rows.some((row) => typeof row[f.name] === 'number')));
    if (time && numeric.length) return { time: true, series: numeric.map((f) => f.name) };
    const cat = r.fields.find((f) => !numeric.includes(f));
    if (cat && numeric.length) return { time: false, series: numeric.map((f) => f.name).filter((n) => n !== cat.name), cat: cat.name };
    return null;
  }

  function destroy() {
    plot?.destroy();
    plot = null;
    ro?.disconnect();
    ro = null;
  }

  function render() {
    destroy();
    if (!res || res.rows.length === 0) {
      replace(bar);
      replace(area, h('div', { class: 'empty muted' }, 'Charts show the results of timechart, chart, stats … by one field, top and rare.'));
      return;
    }
    const s = shape(res);
    if (!s) {
      replace(bar);
      replace(area, h('div', { class: 'empty muted' }, 'These results have no numeric column to chart.'));
      return;
    }
    const kinds: ChartKind[] = s.time ? ['line', 'area', 'column'] : ['bar', 'column'];
    if (!kinds.includes(kind)) kind = kinds[0]!;
    replace(
      bar,
      ...kinds.map((k) =>
        h('button', { class: `chip${k === kind ? ' on' : ''}`, type: 'button', 'aria-selected': String(k === kind), on: { click: () => ((kind = k), render()) } }, k[0]!.toUpperCase() + k.slice(1)),
      ),
    );
    replace(area);
    if (s.time) timeChart(s.series);
    else catChart(s.cat!, s.series);
    el.dataset.state = 'ready';
    el.dataset.kind = kind;
  }

  function timeChart(series: string[]) {
    const rows = [...res!.rows].sort((a, b) => Number(a._time) - Number(b._time));
    const xs = rows.map((r) => Number(r._time) / 1e6);
    const ys = series.map((n) => rows.map((r) => (typeof r[n] === 'number' ? (r[n] as number) : r[n] == null ? null : Number(r[n]))));
    const w = Math.max(300, area.clientWidth);
    const hh = Math.max(220, area.clientHeight - 40);
    const tz = o.tz();
    const opts: uPlot.Options = {
      width: w,
      height: hh,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), tz),
      legend: { show: true, live: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true } },
      axes: [
        { stroke: '#8b949e', grid: { stroke: '#2d333b', width: 1 }, ticks: { stroke: '#444c56' } },
        { stroke: '#8b949e', grid: { stroke: '#2d333b', width: 1 }, ticks: { stroke: '#444c56' }, size: 56 },
      ],
      series: [
        {},
        ...series.map((n, i) => {
          const c = PALETTE[i % PALETTE.length]!;
          const sr: uPlot.Series = { label: n, stroke: c, width: 1.5, points: { show: false } };
          if (kind === 'area') sr.fill = c + '40';
          if (kind === 'column') {
            sr.paths = uPlot.paths.bars!({ size: [0.8 / Math.max(1, series.length), 60], align: 0, gap: 1 });
            sr.fill = c + 'cc';
          }
          return sr;
        }),
      ],
    };
    plot = new uPlot(opts, [xs, ...ys] as uPlot.AlignedData, area);
    ro = new ResizeObserver(() => plot?.setSize({ width: Math.max(300, area.clientWidth), height: hh }));
    ro.observe(area);
  }

  function catChart(cat: string, series: string[]) {
    const rows = res!.rows.slice(0, kind === 'bar' ? 50 : 100);
    const canvas = h('canvas', { class: 'vz-canvas', 'aria-label': `Chart of ${series.join(', ')} by ${cat}` });
    const legend = h('div', { class: 'vz-legend' }, ...series.map((s, i) => {
      const sw = h('span', { class: 'sw' });
      sw.style.background = PALETTE[i % PALETTE.length]!;
      return h('span', null, sw, s);
    }));
    area.append(legend, canvas);
    const labels = rows.map((r) => valueText(r[cat]) || '(null)');
    const vals = series.map((s) => rows.map((r) => Number(r[s] ?? 0) || 0));
    const max = Math.max(1, ...vals.flat());
    const draw = () => {
      const dpr = window.devicePixelRatio || 1;
      const w = Math.max(300, area.clientWidth - 4);
      const hh = kind === 'bar' ? Math.max(120, rows.length * (series.length * 14 + 8) + 30) : 340;
      canvas.style.width = `${w}px`;
      canvas.style.height = `${hh}px`;
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(hh * dpr);
      const g = canvas.getContext('2d')!;
      g.setTransform(dpr, 0, 0, dpr, 0, 0);
      g.font = '12px system-ui, sans-serif';
      g.textBaseline = 'middle';
      if (kind === 'bar') {
        const labW = Math.min(260, Math.max(60, ...labels.map((l) => g.measureText(clip(l, 40)).width + 12)));
        const plotW = w - labW - 70;
        rows.forEach((_, i) => {
          const y0 = 10 + i * (series.length * 14 + 8);
          g.fillStyle = '#adbac7';
          g.textAlign = 'right';
          g.fillText(clip(labels[i]!, 40), labW - 8, y0 + (series.length * 14) / 2);
          series.forEach((_, j) => {
            const v = vals[j]![i]!;
            const bw = Math.max(1, (v / max) * plotW);
            g.fillStyle = PALETTE[j % PALETTE.length]!;
            g.fillRect(labW, y0 + j * 14, bw, 12);
            g.fillStyle = '#8b949e';
            g.textAlign = 'left';
            g.fillText(fmtCount(v), labW + bw + 6, y0 + j * 14 + 6);
          });
        });
      } else {
        const padL = 56;
        const padB = 60;
        const plotW = w - padL - 10;
        const plotH = hh - padB - 10;
        const slot = plotW / rows.length;
        const bw = Math.max(1, (slot * 0.8) / series.length);
        g.strokeStyle = '#2d333b';
        g.fillStyle = '#8b949e';
        g.textAlign = 'right';
        for (const f of [0, 0.5, 1]) {
          const y = 10 + plotH * (1 - f);
          g.beginPath();
          g.moveTo(padL, y);
          g.lineTo(w - 10, y);
          g.stroke();
          g.fillText(fmtCount(Math.round(max * f)), padL - 6, y);
        }
        rows.forEach((_, i) => {
          series.forEach((_, j) => {
            const v = vals[j]![i]!;
            const bh = (v / max) * plotH;
            g.fillStyle = PALETTE[j % PALETTE.length]!;
            g.fillRect(padL + i * slot + slot * 0.1 + j * bw, 10 + plotH - bh, bw - 1, bh);
          });
          if (slot > 14) {
            g.save();
            g.translate(padL + i * slot + slot / 2, 14 + plotH);
            g.rotate(-Math.PI / 4);
            g.fillStyle = '#adbac7';
            g.textAlign = 'right';
            g.fillText(clip(labels[i]!, 16), 0, 0);
            g.restore();
          }
        });
      }
    };
    draw();
    ro = new ResizeObserver(() => draw());
    ro.observe(area);
  }

  return {
    el,
    set(r: Results | null) {
      res = r;
      el.dataset.state = 'empty';
      render();
    },
    /** redraw after the tab becomes visible (sizes were 0 while hidden) */
    show() {
      render();
    },
    available: () => !!res && !!shape(res),
  };
}

function clip(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}
