/** A timechart as inline SVG: x buckets (sorted), one line per series (top 6 + OTHER). Text escaped. */
import type { Row } from '../search/index.js';
import { esc } from './escape.js';

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#7f7f7f'];

export function svgChart(rows: Row[], spec: { x: string; series?: string; y: string; title: string }): string | undefined {
  const xs = new Set<string>();
  const bySeries = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const x = r[spec.x];
    if (x === undefined || x === null) continue;
    const xv = String(x);
    xs.add(xv);
    const s = spec.series ? String(r[spec.series] ?? 'NULL') : spec.y;
    const m = bySeries.get(s) ?? bySeries.set(s, new Map()).get(s)!;
    m.set(xv, (m.get(xv) ?? 0) + Number(r[spec.y] ?? 0));
  }
  if (!xs.size) return undefined;
  const xList = [...xs].sort();
  const totals = [...bySeries.entries()].map(([s, m]) => [s, [...m.values()].reduce((a, b) => a + b, 0)] as const).sort((a, b) => b[1] - a[1]);
  const top = totals.slice(0, 6).map(([s]) => s);
  const series = new Map<string, Map<string, number>>();
  for (const s of top) series.set(s, bySeries.get(s)!);
  if (totals.length > 6) {
    const other = new Map<string, number>();
    for (const [s] of totals.slice(6)) for (const [x, v] of bySeries.get(s)!) other.set(x, (other.get(x) ?? 0) + v);
    series.set('OTHER', other);
  }
  const W = 760, H = 260, L = 60, R = 180, T = 24, B = 40;
  const pw = W - L - R, ph = H - T - B;
  let max = 0;
  for (const m of series.values()) for (const v of m.values()) max = Math.max(max, v);
  if (max <= 0) max = 1;
  const xAt = (i: number) => L + (xList.length === 1 ? pw / 2 : (i * pw) / (xList.length - 1));
  const yAt = (v: number) => T + ph - (v / max) * ph;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(spec.title)}">`);
  parts.push(`<text x="${L}" y="16" font-size="12" font-family="sans-serif">${esc(spec.title)}</text>`);
  parts.push(`<line x1="${L}" y1="${T + ph}" x2="${L + pw}" y2="${T + ph}" stroke="#888"/><line x1="${L}" y1="${T}" x2="${L}" y2="${T + ph}" stroke="#888"/>`);
  for (const f of [0, 0.5, 1]) parts.push(`<text x="${L - 4}" y="${yAt(max * f) + 4}" font-size="10" text-anchor="end" font-family="sans-serif">${esc(fmt(max * f))}</text>`);
  const ticks = Math.min(6, xList.length);
  for (let k = 0; k < ticks; k++) {
    const i = ticks === 1 ? 0 : Math.round((k * (xList.length - 1)) / (ticks - 1));
    parts.push(`<text x="${xAt(i)}" y="${T + ph + 14}" font-size="9" text-anchor="middle" font-family="sans-serif">${esc(xList[i]!)}</text>`);
  }
  let si = 0;
  for (const [name, m] of series) {
    const color = COLORS[si % COLORS.length]!;
    const pts = xList.map((x, i) => `${xAt(i).toFixed(1)},${yAt(m.get(x) ?? 0).toFixed(1)}`).join(' ');
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${pts}"/>`);
    parts.push(`<rect x="${L + pw + 10}" y="${T + si * 16}" width="10" height="10" fill="${color}"/><text x="${L + pw + 24}" y="${T + si * 16 + 9}" font-size="10" font-family="sans-serif">${esc(name.length > 26 ? name.slice(0, 25) + '…' : name)}</text>`);
    si++;
  }
  parts.push('</svg>');
  return parts.join('');
}

function fmt(v: number): string {
  if (v >= 1e9) return (v / 1e9).toFixed(1) + 'G';
  if (v >= 1e6) return (v / 1e6).toFixed(1) + 'M';
  if (v >= 1e3) return (v / 1e3).toFixed(1) + 'k';
  return String(Math.round(v * 10) / 10);
}
