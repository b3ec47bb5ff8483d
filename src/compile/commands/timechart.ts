import type { Cursor, Word } from '../../spl/cursor.js';
import { SplError } from '../../spl/errors.js';
import { quoteIdent, sqlString } from '../../store/sql.js';
import type { Builder } from '../builder.js';
import type { Row } from '../context.js';
import { loadRows, readCurrent, type OutField } from '../rows.js';
import type { FieldType } from '../schema.js';
import { bucketStart, nextBucket, timeBucketSql } from '../timebins.js';
import { toStr } from '../typed.js';
import { timeSpanFor } from './bin.js';
import type { CommandSpec } from './spec.js';
import { aggregateSql, groupedSource, parseAggregate, type Aggregate } from './stats.js';
import { boolOpt, optionsAmong, rejectOptions, type Options } from './util.js';

export interface ChartArgs {
  aggs: Aggregate[];
  /** chart: the row field (over); timechart: none */
  over?: Word;
  by?: Word;
  opts: Options;
}

const TC_OPTS = ['span', 'bins', 'minspan', 'limit', 'useother', 'usenull', 'otherstr', 'nullstr', 'partial', 'cont', 'fixedrange', 'format', 'sep', 'agg', 'aligntime', 'align'];
const CHART_OPTS = ['span', 'bins', 'minspan', 'limit', 'useother', 'usenull', 'otherstr', 'nullstr', 'cont', 'format', 'sep', 'agg', 'sort'];

/** Aggregates, options (anywhere), OVER/BY clauses. */
export function parseChart(c: Cursor, chart: boolean): ChartArgs {
  const allowed = chart ? CHART_OPTS : TC_OPTS;
  const aggs: Aggregate[] = [];
  let over: Word | undefined;
  let by: Word | undefined;
  let by2: Word | undefined;
  const opts = optionsAmong(c, allowed, () => {
    if (c.accept(',', false)) return 'next';
    if (c.lookingAt('where', true)) throw c.error(`${c.command}: the WHERE clause is not supported yet`, undefined, 'use limit= instead');
    if (chart && c.lookingAt('over', true)) {
      c.accept('over', true);
      over = c.fieldName();
      if (!over) throw c.error('over needs a field');
      return 'next';
    }
    if (c.lookingAt('by', true)) {
      c.accept('by', true);
      by = c.fieldName();
      if (!by) throw c.error('by needs a field');
      c.skipWs();
      c.accept(',', false);
      c.skipWs();
      if (!c.atEnd() && !c.lookingAt('where', true) && !/^[A-Za-z_]\w*\s*=/.test(c.text.slice(c.pos, c.end))) {
        by2 = c.fieldName();
        if (by2 && !chart) throw new SplError('timechart splits by one field only', by2.span);
      }
      return 'next';
    }
    if (by) throw c.error(`${c.command}: unexpected "${c.text.slice(c.pos, c.end).split(/\s/)[0]}" after by`);
    aggs.push(parseAggregate(c));
    return 'next';
  });
  c.done();
  if (!aggs.length) throw c.error(`${c.command} needs a function, e.g. ${c.command} count`);
  if (chart && by2) {
    if (over) throw new SplError('chart: use either over X by Y or by X Y', by2.span);
    over = by;
    by = by2;
  } else if (chart && by && !over) {
    over = by;
    by = undefined;
  }
  rejectOptions(opts, ['format', 'sep', 'agg', 'align', 'sort'], c.command);
  if (opts.has('partial') && !boolOpt(opts, 'partial', true)) throw new SplError('partial=false is not supported yet', opts.get('partial')!.span);
  if (opts.has('limit')) {
    const w = opts.get('limit')!;
    if (!/^(top|bottom)?\d+$/i.test(w.value)) throw new SplError('limit= takes a number, topN or bottomN', w.span);
  }
  return { aggs, over, by, opts };
}

const ZERO_FILL = new Set(['count', 'c', 'dc', 'distinct_count', 'sum', 'sumsq']);

function limitOf(opts: Options): { n: number; bottom: boolean } {
  const w = opts.get('limit');
  if (!w) return { n: 10, bottom: false };
  const m = /^(top|bottom)?(\d+)$/i.exec(w.value)!;
  return { n: Number(m[2]), bottom: m[1]?.toLowerCase() === 'bottom' };
}

/** Compare values the way sort's auto order does: numbers first numerically, then text. */
export function autoCompare(a: unknown, b: unknown): number {
  const na = typeof a === 'number' ? a : typeof a === 'string' && a.trim() !== '' && Number.isFinite(Number(a)) ? Number(a) : undefined;
  const nb = typeof b === 'number' ? b : typeof b === 'string' && b.trim() !== '' && Number.isFinite(Number(b)) ? Number(b) : undefined;
  if (na !== undefined && nb !== undefined) return na - nb;
  if (na !== undefined) return -1;
  if (nb !== undefined) return 1;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

interface Cells {
  /** row key → series → agg values */
  map: Map<string, Map<string, unknown[]>>;
  rowKeys: Map<string, unknown>;
  types: FieldType[];
}

/**
 * The grouped aggregates as rows: _q_x (row key: bucket or over-value), _q_s (series), _q_a{i}.
 * `seriesMap` maps kept series names (others → OTHER).
 */
async function grouped(b: Builder, xSql: string | undefined, series: string | undefined, aggs: Aggregate[], opts: { usenull: boolean; nullstr: string; keep?: Set<string>; otherstr: string }): Promise<Cells> {
  const orderSql = b.orderBy().replace(/^ ORDER BY /, '');
  const aggSql = aggs.map((a) => aggregateSql(a, b, orderSql));
  let sCol = 'NULL';
  if (series) {
    const f = b.schema.get(series);
    if (f) {
      const s = toStr({ sql: quoteIdent(f.column), type: f.type === 'mv' ? 'str' : f.type });
      sCol = `coalesce(${s}, ${opts.usenull ? sqlString(opts.nullstr) : 'NULL'})`;
      if (opts.keep) sCol = `CASE WHEN ${sCol} IS NULL THEN NULL WHEN ${sCol} IN (${[...opts.keep].map(sqlString).join(', ') || "''"}) THEN ${sCol} ELSE ${sqlString(opts.otherstr)} END`;
    } else sCol = opts.usenull ? sqlString(opts.nullstr) : 'NULL';
  }
  const cols = [`${xSql ?? 'NULL'} AS "_q_x"`, `${sCol} AS "_q_s"`, ...aggSql.map((t, i) => `${t.sql} AS "_q_a${i}"`)];
  const where = series ? ` WHERE "_q_s" IS NOT NULL` : '';
  const sql = `SELECT * FROM (SELECT ${cols.join(', ')} FROM ${b.from} GROUP BY ALL)${where}`;
  const q = b.withSql(sql);
  const reader = await b.ctx.conn.runAndReadAll(q);
  const map = new Map<string, Map<string, unknown[]>>();
  const rowKeys = new Map<string, unknown>();
  for (const r of reader.getRowsJS()) {
    const x = r[0] === null ? null : typeof r[0] === 'bigint' ? Number(r[0]) : r[0];
    const key = JSON.stringify(x);
    rowKeys.set(key, x);
    const s = r[1] === null ? '' : String(r[1]);
    const vals = r.slice(2).map((v) => (typeof v === 'bigint' ? Number(v) : v));
    (map.get(key) ?? map.set(key, new Map()).get(key)!).set(s, vals);
  }
  return { map, rowKeys, types: aggSql.map((t) => t.type) };
}

/**
 * The shared pivot of chart and timechart: rows × series cells, series limited to the top `limit`
 * (ranked by the sum of the first aggregate), the rest in OTHER.
 */
async function pivot(
  b: Builder,
  args: ChartArgs,
  xName: string,
  xSql: string | undefined,
  xType: FieldType,
  rowList: (cells: Cells) => unknown[],
): Promise<void> {
  const useother = boolOpt(args.opts, 'useother', true);
  const usenull = boolOpt(args.opts, 'usenull', true);
  const otherstr = args.opts.get('otherstr')?.value ?? 'OTHER';
  const nullstr = args.opts.get('nullstr')?.value ?? 'NULL';
  const { n: limit, bottom } = limitOf(args.opts);
  const by = args.by?.value;
  if (by) {
    const f = b.schema.get(by);
    if (f?.type === 'mv') groupedSource(b, [by]);
  }
  let cells = await grouped(b, xSql, by, args.aggs, { usenull, nullstr, otherstr });
  let series: string[] = [];
  if (by) {
    const all = new Map<string, number>();
    for (const m of cells.map.values()) for (const [s, v] of m) all.set(s, (all.get(s) ?? 0) + (Number(v[0]) || 0));
    const named = [...all.keys()].filter((s) => !(usenull && s === nullstr && b.schema.get(by)));
    let kept = named;
    if (limit > 0 && named.length > limit) {
      const ranked = [...named].sort((p, q) => (bottom ? all.get(p)! - all.get(q)! : all.get(q)! - all.get(p)!) || (p < q ? -1 : 1));
      kept = ranked.slice(0, limit);
      if (useother) {
        const keep = new Set(kept);
        if (usenull) keep.add(nullstr);
        cells = await grouped(b, xSql, by, args.aggs, { usenull, nullstr, otherstr, keep });
      } else {
        const keep = new Set([...kept, nullstr]);
        for (const m of cells.map.values()) for (const s of [...m.keys()]) if (!keep.has(s)) m.delete(s);
      }
    }
    series = [...kept].sort();
    const hasNull = [...cells.map.values()].some((m) => m.has(nullstr)) && usenull && !kept.includes(nullstr);
    if (hasNull) series.push(nullstr);
    if ([...cells.map.values()].some((m) => m.has(otherstr)) && !series.includes(otherstr)) series.push(otherstr);
  }
  const fields: OutField[] = [{ name: xName, type: xType }];
  const colOf: { name: string; agg: number; series?: string }[] = [];
  if (!by) args.aggs.forEach((a, i) => colOf.push({ name: a.as, agg: i }));
  else if (args.aggs.length === 1) series.forEach((s) => colOf.push({ name: s, agg: 0, series: s }));
  else args.aggs.forEach((a, i) => series.forEach((s) => colOf.push({ name: `${a.as}: ${s}`, agg: i, series: s })));
  const seen = new Set<string>([xName]);
  const cols = colOf.filter((c) => (seen.has(c.name) ? false : (seen.add(c.name), true)));
  for (const c of cols) {
    const t = cells.types[c.agg]!;
    fields.push({ name: c.name, type: t === 'int' ? 'num' : t === 'null' || t === 'bool' || t === 'time' ? 'str' : t });
  }
  const rows: Row[] = [];
  for (const x of rowList(cells)) {
    const key = JSON.stringify(x);
    const m = cells.map.get(key);
    const r: Row = { [xName]: x };
    for (const c of cols) {
      const v = m?.get(by ? c.series! : '')?.[c.agg];
      const fn = args.aggs[c.agg]!.fn.toLowerCase();
      if (v !== null && v !== undefined) r[c.name] = v;
      else if (ZERO_FILL.has(fn)) r[c.name] = 0;
    }
    rows.push(r);
  }
  await loadRows(b, fields, rows);
  b.transforming = true;
}

export const timechart: CommandSpec<ChartArgs> = {
  name: 'timechart',
  help: 'timechart [span=1h] [limit=10] [useother=t] [usenull=t] <fn>(field) ... [by field]: aggregates per time bucket, one column per series.',
  parse: (c) => parseChart(c, false),
  async compile(args, b) {
    const t = b.schema.get('_time');
    if (!t || t.type !== 'time') throw new SplError('timechart needs _time: the results have no _time field', { start: 0, end: 0 });
    const col = quoteIdent(t.column);
    const span = await timeSpanFor(b, args.opts, col);
    const cont = boolOpt(args.opts, 'cont', true);
    const fixedrange = boolOpt(args.opts, 'fixedrange', true);
    const xSql = `epoch_us(${timeBucketSql(col, span, b.ctx.tz)}) / 1000000.0`;
    const tz = b.ctx.tz;
    const range = { ...b.range };
    await pivot(b, args, '_time', xSql, 'time', (cells) => {
      const have = [...cells.rowKeys.values()].filter((x): x is number => typeof x === 'number').sort((p, q) => p - q);
      if (!cont) return have;
      let lo = have[0];
      let hi = have[have.length - 1];
      if (fixedrange && range.earliest !== undefined) lo = bucketStart(range.earliest / 1e6, span, tz);
      if (fixedrange && range.latest !== undefined) hi = bucketStart(range.latest / 1e6 - 1e-6, span, tz);
      if (lo === undefined || hi === undefined) return have;
      const out: number[] = [];
      for (let x = lo; x <= hi && out.length < 100000; x = nextBucket(x, span, tz)) out.push(x);
      for (const h of have) if (!out.includes(h)) out.push(h);
      return out.sort((p, q) => p - q);
    });
  },
};

export const chart: CommandSpec<ChartArgs> = {
  name: 'chart',
  help: 'chart <fn>(field) ... [over row-field] [by column-field] | chart <fn> by row-field column-field: a table of aggregates.',
  parse: (c) => parseChart(c, true),
  async compile(args, b) {
    const over = args.over?.value;
    let xSql: string | undefined;
    let xType: FieldType = 'str';
    if (over) {
      const f = b.schema.get(over);
      if (!f) {
        await loadRows(b, [{ name: over, type: 'str' }], []);
        b.transforming = true;
        return;
      }
      if (f.type === 'mv') groupedSource(b, [over]);
      const col = quoteIdent(b.schema.get(over)!.column);
      if (f.type === 'time') {
        const span = await timeSpanFor(b, args.opts, col);
        xSql = `epoch_us(${timeBucketSql(col, span, b.ctx.tz)}) / 1000000.0`;
        xType = 'time';
      } else {
        if (args.opts.has('span')) throw new SplError('chart span= on a non-time field is not supported yet', args.opts.get('span')!.keySpan, 'bin the field first');
        xSql = toStr({ sql: col, type: b.schema.get(over)!.type });
        xType = f.type === 'num' || f.type === 'int' ? 'num' : 'str';
        xSql = `${xSql}`;
      }
      // rows without the row field are dropped
      b.push(`SELECT * FROM ${b.from} WHERE ${col} IS NOT NULL`, b.schema);
    }
    await pivot(b, args, over ?? '_q_none', xSql, xType, (cells) => [...cells.rowKeys.values()].sort(autoCompare));
    if (!over) {
      // no row field: a single row of the aggregates
      const cur = await readCurrent(b);
      await loadRows(b, cur.fields.filter((f) => f.name !== '_q_none').map((f) => ({ name: f.name, type: f.type })), cur.rows);
      b.transforming = true;
    }
  },
};
