import { SplError } from '../../spl/errors.js';
import { quoteIdent } from '../../store/sql.js';
import type { CommandSpec } from './spec.js';
import { aggregateSql, parseStatsArgs, type StatsArgs } from './stats.js';
import { boolOpt, intOpt, rejectOptions } from './util.js';

const OPTIONS = ['current', 'window', 'global', 'allnum', 'reset_on_change', 'reset_before', 'reset_after', 'time_window'];

const AGGS = new Set(['count', 'sum', 'avg', 'min', 'max', 'stddev_samp', 'stddev_pop', 'var_samp', 'var_pop', 'quantile_disc', 'quantile_cont', 'mode', 'list', 'first', 'last', 'arg_min', 'arg_max', 'any_value', 'string_agg', 'bool_or', 'bool_and']);

/** Make every aggregate call in `sql` a window call: insert `OVER w` after it (and its FILTER). */
export function windowed(sql: string, over: string): string {
  let out = '';
  let i = 0;
  const matchParen = (at: number): number => {
    let depth = 0;
    let q: string | undefined;
    for (let j = at; j < sql.length; j++) {
      const ch = sql[j]!;
      if (q) {
        if (ch === q) q = undefined;
        continue;
      }
      if (ch === "'" || ch === '"') q = ch;
      else if (ch === '(') depth++;
      else if (ch === ')' && --depth === 0) return j;
    }
    return sql.length - 1;
  };
  while (i < sql.length) {
    const ch = sql[i]!;
    if (ch === "'" || ch === '"') {
      const end = sql.indexOf(ch, i + 1);
      out += sql.slice(i, end + 1);
      i = end + 1;
      continue;
    }
    const m = /^[A-Za-z_]\w*/.exec(sql.slice(i));
    if (m && (i === 0 || !/[\w.]/.test(sql[i - 1]!))) {
      const name = m[0];
      let j = i + name.length;
      if (AGGS.has(name.toLowerCase()) && sql[j] === '(') {
        const close = matchParen(j);
        // the arguments may hold aggregates only in DuckDB's nested forms; keep them as written
        let end = close + 1;
        const f = /^\s*FILTER\s*\(/i.exec(sql.slice(end));
        if (f) end = matchParen(end + f[0].length - 1) + 1;
        const lname = name.toLowerCase();
        if (lname === 'first' || lname === 'last') {
          // DuckDB's first/last are not window aggregates: first_value/last_value skipping nulls
          let arg = sql.slice(j + 1, close);
          const ob = arg.search(/ ORDER BY /i);
          if (ob >= 0) arg = arg.slice(0, ob);
          out += `${lname}_value(${arg} IGNORE NULLS) OVER ${over}`;
        } else out += sql.slice(i, end) + ` OVER ${over}`;
        i = end;
        continue;
      }
      out += name;
      i = j;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}

/**
 * streamstats: running aggregates in row order, lowered to window functions over the row number
 * (PARTITION BY the by-fields; window=N → the last N rows; current=f excludes the row itself).
 */
export const streamstats: CommandSpec<StatsArgs> = {
  name: 'streamstats',
  help: 'streamstats [current=t] [window=N] [global=t] <fn>(field) [AS name] ... [by field ...]: running aggregates in result order.',
  parse(c) {
    const a = parseStatsArgs(c, OPTIONS);
    rejectOptions(a.options as never, ['allnum', 'reset_before', 'reset_after', 'time_window'], 'streamstats');
    return a;
  },
  compile(args, b) {
    const opts = args.options as never as import('./util.js').Options;
    const current = boolOpt(opts, 'current', true);
    const window = intOpt(opts, 'window', 0);
    const global = boolOpt(opts, 'global', true);
    const resetOnChange = boolOpt(opts, 'reset_on_change', false);
    const by = args.by.map((w) => w.value);
    for (const w of args.by) {
      if (b.schema.get(w.value)?.type === 'mv') throw new SplError('streamstats: a multivalue by-field is not supported yet', w.span, 'mvexpand it first');
    }
    if (by.some((f) => !b.schema.has(f))) {
      // rows lacking a by-field get no value; a field that never exists: nothing is added
      const out = b.schema.clone();
      const cols = args.aggs.filter((a) => !out.has(a.as)).map((a) => `CAST(NULL AS DOUBLE) AS ${quoteIdent(out.set(a.as, 'num').column)}`);
      if (cols.length) b.push(`SELECT *, ${cols.join(', ')} FROM ${b.from}`, out);
      return;
    }
    const seq = b.ensureSeq();
    const keys = by.map((f) => b.schema.col(f));
    let partition = keys.length ? `PARTITION BY ${keys.join(', ')} ` : '';
    if (resetOnChange && keys.length) {
      // a new run starts whenever the by-values change from the previous row
      const schema = b.schema.clone();
      schema.set('_q_chg', 'int').column = '_q_chg';
      b.push(
        `SELECT *, CASE WHEN ${keys.map((k) => `${k} IS NOT DISTINCT FROM lag(${k}) OVER (ORDER BY ${seq})`).join(' AND ')} THEN 0 ELSE 1 END AS "_q_chg" FROM ${b.from}`,
        schema,
      );
      const s2 = schema.clone();
      s2.set('_q_run', 'int').column = '_q_run';
      b.push(`SELECT *, sum("_q_chg") OVER (ORDER BY ${seq}) AS "_q_run" FROM ${b.from}`, s2);
      partition = `PARTITION BY "_q_run" `;
    }
    let frame: string;
    if (window > 0 && (global || !keys.length || resetOnChange)) {
      frame = current ? `ROWS BETWEEN ${window - 1} PRECEDING AND CURRENT ROW` : `ROWS BETWEEN ${window} PRECEDING AND 1 PRECEDING`;
    } else if (window > 0) frame = current ? `ROWS BETWEEN ${window - 1} PRECEDING AND CURRENT ROW` : `ROWS BETWEEN ${window} PRECEDING AND 1 PRECEDING`;
    else frame = current ? 'ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW' : 'ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING';
    if (window > 0 && global && keys.length && !resetOnChange) {
      // global window: the last N rows overall, of which those of the row's group count
      frame = current ? `RANGE BETWEEN ${window - 1} PRECEDING AND CURRENT ROW` : `RANGE BETWEEN ${window} PRECEDING AND 1 PRECEDING`;
    }
    const orderSql = `${seq}`;
    const out = b.schema.clone();
    const cols: string[] = [];
    const nullKeys = keys.length ? keys.map((k) => `${k} IS NULL`).join(' OR ') : '';
    for (const a of args.aggs) {
      const t = aggregateSql(a, b, orderSql);
      const w = windowed(t.sql, `(${partition}ORDER BY ${seq} ${frame})`);
      let sql = w;
      // count-like results over an empty frame (current=f, first row) are 0 in Splunk's output? they are absent
      if (nullKeys) sql = `CASE WHEN ${nullKeys} THEN NULL ELSE ${w} END`;
      const ex = out.get(a.as);
      if (ex) {
        ex.type = t.type;
        cols.push(`REPLACE:${sql} AS ${quoteIdent(ex.column)}`);
      } else cols.push(`${sql} AS ${quoteIdent(out.set(a.as, t.type).column)}`);
    }
    const rep = cols.filter((x) => x.startsWith('REPLACE:')).map((x) => x.slice(8));
    const add = cols.filter((x) => !x.startsWith('REPLACE:'));
    out.remove('_q_chg');
    out.remove('_q_run');
    const baseCols = b.schema.fields.filter((f) => f.name !== '_q_chg' && f.name !== '_q_run').map((f) => quoteIdent(f.column));
    const inner = `SELECT ${baseCols.join(', ')}${add.length ? ', ' + add.join(', ') : ''}${rep.length ? ', ' + rep.map((r, i) => r.replace(/ AS ("[^"]*")$/, ` AS "_q_rep${i}"`)).join(', ') : ''} FROM ${b.from}`;
    if (!rep.length) {
      b.push(inner, out, [{ sql: seq, desc: false }]);
      return;
    }
    // replaced fields: compute under temporary names, then swap in
    const repCols = rep.map((r) => /AS ("[^"]*")$/.exec(r)![1]!);
    const tmp = out.clone();
    rep.forEach((_, i) => (tmp.set(`_q_rep${i}`, 'str').column = `_q_rep${i}`));
    b.push(inner, tmp, [{ sql: seq, desc: false }]);
    const proj = out.fields.map((f) => {
      const i = repCols.indexOf(quoteIdent(f.column));
      return i >= 0 ? `"_q_rep${i}" AS ${quoteIdent(f.column)}` : quoteIdent(f.column);
    });
    b.push(`SELECT ${proj.join(', ')} FROM ${b.from}`, out, [{ sql: seq, desc: false }]);
  },
};
