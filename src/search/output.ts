/** Rendering results for people and scripts: aligned table, CSV (formula-safe), JSON, JSON lines. */
import { formatIso, wallClock } from '../time/zone.js';
import type { Row } from '../compile/index.js';

export type OutputFormat = 'table' | 'csv' | 'json' | 'jsonl';

/** Splunk's display of _time: 2017-08-25 14:42:40.998 in the chosen zone. */
export function displayTime(us: number, tz: string): string {
  const w = wallClock(Math.floor(us / 1000), tz);
  const p = (n: number, l = 2) => String(n).padStart(l, '0');
  return `${w.year}-${p(w.month)}-${p(w.day)} ${p(w.hour)}:${p(w.minute)}:${p(w.second)}.${p(w.ms, 3)}`;
}

/** A value as text: numbers as Splunk prints them, multivalue one per line. */
export function displayValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(displayValue).join('\n');
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(v);
  return String(v);
}

/** A spreadsheet would run a cell starting with = + - @ (or tab/CR) as a formula: prefix it with '. */
export function csvSafe(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

function csvCell(s: string): string {
  const safe = csvSafe(s);
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export interface RenderInput {
  fields: string[];
  rows: Row[];
  tz: string;
  transforming: boolean;
  /** fieldformat: field → formatted display values per row (already computed) */
  formatted?: Record<string, string[]>;
}

function cellText(r: RenderInput, row: Row, i: number, f: string): string {
  const ff = r.formatted?.[f];
  if (ff) return ff[i] ?? '';
  const v = row[f];
  if (f === '_time' && typeof v === 'number') return displayTime(v, r.tz);
  return displayValue(v);
}

export function render(fmt: OutputFormat, r: RenderInput): string {
  switch (fmt) {
    case 'json':
      return JSON.stringify({ fields: r.fields, results: r.rows.map((row, i) => jsonRow(r, row, i)) }, null, 2) + '\n';
    case 'jsonl':
      return r.rows.map((row, i) => JSON.stringify(jsonRow(r, row, i))).join('\n') + (r.rows.length ? '\n' : '');
    case 'csv': {
      const lines = [r.fields.map(csvCell).join(',')];
      r.rows.forEach((row, i) => lines.push(r.fields.map((f) => csvCell(cellText(r, row, i, f))).join(',')));
      return lines.join('\n') + '\n';
    }
    case 'table':
      return table(r);
  }
}

function jsonRow(r: RenderInput, row: Row, i: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of r.fields) {
    const ff = r.formatted?.[f];
    let v = ff ? ff[i] : row[f];
    if (f === '_time' && typeof v === 'number') v = formatIso(v / 1000, r.tz);
    if (v !== undefined && v !== null) out[f] = v;
  }
  return out;
}

function table(r: RenderInput): string {
  if (!r.transforming && r.fields.includes('_raw')) {
    // events: time and raw text, as Splunk's CLI prints them
    return r.rows.map((row) => `${typeof row._time === 'number' ? displayTime(row._time, r.tz) + '  ' : ''}${displayValue(row._raw)}`).join('\n') + (r.rows.length ? '\n' : '');
  }
  const cols = r.fields;
  const cells = r.rows.map((row, i) => cols.map((f) => cellText(r, row, i, f).replace(/\n/g, ' | ')));
  const width = cols.map((c, j) => Math.min(80, Math.max(c.length, ...cells.map((row) => row[j]!.length))));
  const fmt = (vals: string[]) => vals.map((v, j) => (v.length > width[j]! ? v.slice(0, width[j]! - 1) + '…' : v.padEnd(width[j]!))).join('  ').trimEnd();
  return [fmt(cols), width.map((w) => '-'.repeat(w)).join('  '), ...cells.map(fmt)].join('\n') + '\n';
}
