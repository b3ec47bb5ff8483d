import { SplError } from '../../spl/errors.js';
import { sqlString } from '../../store/sql.js';
import { Schema } from '../schema.js';
import { loadRows, inferType } from '../rows.js';
import type { Row } from '../context.js';
import type { CommandSpec } from './spec.js';
import { boolOpt, intOpt, rejectOptions, type Options } from './util.js';

interface Args {
  count: number;
  annotate: boolean;
  format?: string;
  data?: string;
  opts: Options;
}

/** Minimal CSV reader (quotes, doubled quotes, commas and newlines in quotes). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let inQ = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inQ) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') inQ = false;
      else cell += ch;
    } else if (ch === '"') inQ = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length) row.push(cell), rows.push(row);
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

export const makeresults: CommandSpec<Args> = {
  name: 'makeresults',
  generating: true,
  help: 'makeresults [count=1] [annotate=f] [format=csv|json data="..."]: generate results with _time = now.',
  parse(c) {
    const opts = c.options(['count', 'annotate', 'splunk_server', 'splunk_server_group', 'format', 'data']);
    c.done();
    rejectOptions(opts, ['splunk_server', 'splunk_server_group'], 'makeresults');
    const format = opts.get('format')?.value.toLowerCase();
    if (format && format !== 'csv' && format !== 'json') throw new SplError('makeresults format= is csv or json', opts.get('format')!.span);
    if (format && !opts.has('data')) throw new SplError('format= needs data="..."', opts.get('format')!.span);
    return { count: intOpt(opts, 'count', 1, 1), annotate: boolOpt(opts, 'annotate', false), format, data: opts.get('data')?.value, opts };
  },
  async compile(a, b) {
    if (b.started) throw new SplError('makeresults must be the first command', { start: 0, end: 0 });
    const now = Math.floor(b.ctx.now / 1000);
    if (a.format) {
      let rows: Row[] = [];
      let names: string[] = [];
      if (a.format === 'csv') {
        const csv = parseCsv(a.data!);
        names = csv[0] ?? [];
        rows = csv.slice(1).map((r) => Object.fromEntries(names.map((n, i) => [n, r[i]]).filter(([, v]) => v !== undefined && v !== '')));
      } else {
        let parsed: unknown;
        try {
          parsed = JSON.parse(a.data!);
        } catch (e) {
          throw new SplError(`makeresults: data is not JSON (${(e as Error).message})`, a.opts.get('data')!.span);
        }
        const list = (Array.isArray(parsed) ? parsed : [parsed]) as Record<string, unknown>[];
        for (const o of list) for (const k of Object.keys(o)) if (!names.includes(k)) names.push(k);
        rows = list.map((o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : typeof v === 'object' && v !== null ? JSON.stringify(v) : v])));
      }
      for (const r of rows) if (r._time === undefined) r._time = now;
      const fields = ['_time', ...names.filter((n) => n !== '_time')].map((n) => ({ name: n, type: n === '_time' ? ('time' as const) : inferType(rows.map((r) => r[n])) }));
      for (const r of rows) if (typeof r._time === 'string') r._time = Number(r._time);
      await loadRows(b, fields, rows);
      return;
    }
    const schema = new Schema();
    schema.set('_time', 'time');
    const cols = [`make_timestamp(${now * 1000000}::BIGINT) AS "_time"`];
    if (a.annotate) {
      for (const n of ['_raw', 'host', 'source', 'sourcetype', 'splunk_server', 'splunk_server_group']) {
        const f = schema.set(n, 'str');
        cols.push(`${n === 'splunk_server' ? sqlString('local') : 'CAST(NULL AS VARCHAR)'} AS "${f.column}"`);
      }
    }
    b.push(`SELECT ${cols.join(', ')} FROM range(${a.count})`, schema, []);
  },
};
