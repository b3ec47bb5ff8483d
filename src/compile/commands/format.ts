import type { Word } from '../../spl/cursor.js';
import { SplError } from '../../spl/errors.js';
import type { Row } from '../context.js';
import { tsOperator, valuesOf } from '../rows.js';
import type { CommandSpec } from './spec.js';
import { intOpt, type Options } from './util.js';

const q = (v: string) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

interface ReturnItem {
  field: string;
  alias?: string;
  valueOnly: boolean;
}

/** return [N] [alias=]field | $field ...: the first N results as a search string in field `search`. */
export const returnCommand: CommandSpec<{ n: number; items: ReturnItem[] }> = {
  name: 'return',
  help: 'return [N] [alias=]field ... | $field: the first N results as a search (for a subsearch).',
  parse(c) {
    let n = 1;
    const items: ReturnItem[] = [];
    for (;;) {
      c.skipWs();
      if (c.atEnd()) break;
      const num = /^\d+(?=\s|$)/.exec(c.text.slice(c.pos, c.end));
      if (num && !items.length) {
        n = Number(num[0]);
        c.pos += num[0].length;
        continue;
      }
      if (c.accept(',', false)) continue;
      if (c.peek() === '$') {
        c.pos++;
        const f = c.fieldName();
        if (!f) throw c.error('$ needs a field name');
        items.push({ field: f.value, valueOnly: true });
        continue;
      }
      const f = c.fieldName();
      if (!f) throw c.error('return needs field names');
      if (c.accept('=', false)) {
        const g = c.fieldName();
        if (!g) throw c.error('alias= needs a field');
        items.push({ field: g.value, alias: f.value, valueOnly: false });
      } else items.push({ field: f.value, valueOnly: false });
    }
    c.done();
    if (!items.length) throw c.error('return needs at least one field');
    return { n, items };
  },
  async compile(a, b) {
    await tsOperator(b, (_fields, rows) => {
      const parts: string[] = [];
      for (const r of rows.slice(0, a.n)) {
        const terms: string[] = [];
        for (const it of a.items) {
          const v = valuesOf(r[it.field])[0];
          if (v === undefined) continue;
          terms.push(it.valueOnly ? v : `${it.alias ?? it.field}=${q(v)}`);
        }
        if (terms.length) parts.push(terms.join(' '));
      }
      const search = parts.length > 1 ? parts.map((p) => `(${p})`).join(' OR ') : (parts[0] ?? '');
      return { fields: [{ name: 'search', type: 'str' }], rows: [{ search }] };
    });
    b.transforming = true;
  },
};

interface FormatArgs {
  opts: Options;
  strings: string[];
}

/** format: the results as one search string, ( ( a="1" AND b="2" ) OR ( ... ) ), in field `search`. */
export const format: CommandSpec<FormatArgs> = {
  name: 'format',
  help: 'format [mvsep="OR"] [maxresults=0] [emptystr="NOT ( )"] ["(" "(" "AND" ")" "OR" ")"]: results as a search string.',
  parse(c) {
    const opts = c.options(['mvsep', 'maxresults', 'emptystr']);
    const strings: string[] = [];
    for (;;) {
      c.skipWs();
      if (c.atEnd()) break;
      const w: Word | undefined = c.peek() === '"' ? c.quoted() : undefined;
      if (!w) throw c.error('format: expected six quoted strings: "(" "(" "AND" ")" "OR" ")"');
      strings.push(w.value);
    }
    c.done();
    if (strings.length && strings.length !== 6) throw new SplError('format takes exactly six strings: row-prefix column-prefix column-separator column-end row-separator row-end', { start: c.pos - 1, end: c.pos });
    return { opts, strings };
  },
  async compile(a, b) {
    const [rowPre, colPre, colSep, colEnd, rowSep, rowEnd] = a.strings.length ? a.strings : ['(', '(', 'AND', ')', 'OR', ')'];
    const mvsep = a.opts.get('mvsep')?.value ?? 'OR';
    const max = intOpt(a.opts, 'maxresults', 0);
    const empty = a.opts.get('emptystr')?.value ?? 'NOT ( )';
    await tsOperator(b, (fields, rows) => {
      const names = fields.map((f) => f.name).filter((n) => !n.startsWith('_'));
      const rowTexts: string[] = [];
      for (const r of max > 0 ? rows.slice(0, max) : rows) {
        const terms: string[] = [];
        for (const n of names) {
          const vals = valuesOf((r as Row)[n]);
          if (!vals.length) continue;
          const one = (v: string) => (n === 'search' || n === 'query' ? v : `${n}=${q(v)}`);
          terms.push(vals.length === 1 ? one(vals[0]!) : `( ${vals.map(one).join(` ${mvsep} `)} )`);
        }
        if (terms.length) rowTexts.push(`${colPre} ${terms.join(` ${colSep} `)} ${colEnd}`);
      }
      const search = rowTexts.length ? `${rowPre} ${rowTexts.join(` ${rowSep} `)} ${rowEnd}` : empty;
      return { fields: [{ name: 'search', type: 'str' }], rows: [{ search }] };
    });
    b.transforming = true;
  },
};
