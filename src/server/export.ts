/**
 * Result export. CSV cells that a spreadsheet would read as a formula (starting with = + - @,
 * tab or carriage return) are prefixed with a single quote, as OWASP advises for CSV injection;
 * numbers stay numbers. Multivalue fields are joined with newlines, as Splunk exports them.
 */
import type { Row } from '../search/job.js';

const FORMULA = /^[=+\-@\t\r]/;

export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s: string;
  if (typeof v === 'number' || typeof v === 'bigint') s = String(v);
  else if (typeof v === 'boolean') s = v ? 'true' : 'false';
  else if (Array.isArray(v)) s = neutralise(v.map((x) => (x === null || x === undefined ? '' : String(x))).join('\n'));
  else s = neutralise(String(v));
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export function neutralise(s: string): string {
  return FORMULA.test(s) ? `'${s}` : s;
}

export function toCsv(fields: string[], rows: Row[]): string {
  const out = [fields.map((f) => csvCell(f)).join(',')];
  for (const r of rows) out.push(fields.map((f) => csvCell(r[f])).join(','));
  return out.join('\r\n') + '\r\n';
}

/** One JSON object per line, like Splunk's export endpoint's results. */
export function toJsonLines(fields: string[], rows: Row[]): string {
  let s = '';
  for (const r of rows) {
    const o: Record<string, unknown> = {};
    for (const f of fields) if (r[f] !== undefined && r[f] !== null) o[f] = r[f];
    s += JSON.stringify({ preview: false, result: o }) + '\n';
  }
  return s;
}
