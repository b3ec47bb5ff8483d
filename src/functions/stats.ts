/**
 * Stats functions (stats, eventstats, streamstats, chart, timechart): each lowers to a DuckDB
 * aggregate over a typed argument. `order` is the current row order (for first/last/list).
 */
import type { FieldType } from '../compile/schema.js';
import { toList, toNum, toStr, type Typed } from '../compile/typed.js';

export interface StatsContext {
  /** ORDER BY clause body of the rows' current order ('' when unordered) */
  order: string;
  /** SQL of the `_time` column, if the rows have one */
  time?: string;
}

export interface StatsFunction {
  name: string;
  /** argument: 'none' (count), 'field' required, 'optional' */
  arg: 'none' | 'field' | 'optional';
  help: string;
  compile(x: Typed | undefined, ctx: StatsContext, param?: number): Typed;
}

const fns = new Map<string, StatsFunction>();
function def(name: string, arg: StatsFunction['arg'], help: string, compile: StatsFunction['compile']): void {
  fns.set(name, { name, arg, help, compile });
}

const num = (sql: string): Typed => ({ sql, type: 'num' });
const ord = (ctx: StatsContext) => (ctx.order ? ` ORDER BY ${ctx.order}` : '');

/** All values of x, one per row: multivalue fields contribute each of their values. */
function valuesOf(x: Typed): { sql: string; flatten: boolean } {
  return x.type === 'mv' ? { sql: x.sql, flatten: true } : { sql: toStr(x), flatten: false };
}
const listAgg = (x: Typed, extra = '') => {
  const v = valuesOf(x);
  return v.flatten ? `flatten(list(${v.sql}${extra}) FILTER (WHERE ${v.sql} IS NOT NULL))` : `list(${v.sql}${extra}) FILTER (WHERE ${v.sql} IS NOT NULL)`;
};

def('count', 'optional', 'count or count(field): the number of events (with the field).', (x) => {
  if (!x) return num('CAST(count(*) AS DOUBLE)');
  if (x.type === 'bool') return num(`CAST(count(*) FILTER (WHERE ${x.sql}) AS DOUBLE)`); // count(eval(cond))
  if (x.type === 'mv') return num(`CAST(coalesce(sum(len(${x.sql})), 0) AS DOUBLE)`);
  return num(`CAST(count(${x.sql}) AS DOUBLE)`);
});
fns.set('c', { ...fns.get('count')!, name: 'c' });
def('dc', 'field', 'dc(field): the number of distinct values.', (x) =>
  num(x!.type === 'mv' ? `CAST(len(list_distinct(${listAgg(x!)})) AS DOUBLE)` : `CAST(count(DISTINCT ${toStr(x!)}) AS DOUBLE)`),
);
fns.set('distinct_count', { ...fns.get('dc')!, name: 'distinct_count' });
fns.set('estdc', { ...fns.get('dc')!, name: 'estdc', help: 'estdc(field): the estimated number of distinct values (exact here).' });
def('sum', 'field', 'sum(field): the sum of the numeric values.', (x) => num(`sum(${toNum(x!)})`));
def('sumsq', 'field', 'sumsq(field): the sum of the squares.', (x) => num(`sum(pow(${toNum(x!)}, 2))`));
def('avg', 'field', 'avg(field): the mean of the numeric values.', (x) => num(`avg(${toNum(x!)})`));
fns.set('mean', { ...fns.get('avg')!, name: 'mean' });
const extreme = (agg: 'min' | 'max') => (x: Typed | undefined): Typed => {
  // _time as epoch seconds, a number (Splunk: min(_time) is the earliest event's time)
  if (x!.type === 'num' || x!.type === 'int' || x!.type === 'time') return num(`${agg}(${toNum(x!)})`);
  // numbers compare numerically; only when there are none, text compares lexicographically
  const s = toStr(x!);
  return { sql: `coalesce(spl_num_str(${agg}(${toNum(x!)})), ${agg}(CASE WHEN ${toNum(x!)} IS NULL THEN ${s} END))`, type: 'str' };
};
def('min', 'field', 'min(field): the smallest value (numeric when values are numbers).', extreme('min'));
def('max', 'field', 'max(field): the largest value (numeric when values are numbers).', extreme('max'));
def('range', 'field', 'range(field): max - min.', (x) => num(`(max(${toNum(x!)}) - min(${toNum(x!)}))`));
/** Numeric values of x, one per value (multivalue fields contribute each value that is a number). */
function numsOf(x: Typed): string {
  return x.type === 'mv' ? `flatten(list(list_filter(list_transform(${x.sql}, lambda v: TRY_CAST(trim(v) AS DOUBLE)), lambda v: v IS NOT NULL)))` : `list(${toNum(x)}) FILTER (WHERE ${toNum(x)} IS NOT NULL)`;
}
/** Sample statistics of a single value are 0 in Splunk (DuckDB gives null). */
const sample = (agg: string) => (x: Typed | undefined) => num(`CASE WHEN count(${toNum(x!)}) = 1 THEN 0 ELSE ${agg}(${toNum(x!)}) END`);
def('stdev', 'field', 'stdev(field): sample standard deviation (0 for one value).', sample('stddev_samp'));
def('stdevp', 'field', 'stdevp(field): population standard deviation.', (x) => num(`stddev_pop(${toNum(x!)})`));
def('var', 'field', 'var(field): sample variance (0 for one value).', sample('var_samp'));
def('varp', 'field', 'varp(field): population variance.', (x) => num(`var_pop(${toNum(x!)})`));
/** Nearest rank: the value at 0-based index ⌊p·n⌋ (clamped to n−1) of the sorted values. */
const nearestRank = (x: Typed, p: number) => {
  const l = `list_sort(${numsOf(x)})`;
  return num(`${l}[least(CAST(floor(${p} * len(${l})) AS BIGINT), len(${l}) - 1) + 1]`);
};
/** Linear interpolation at rank p·(n−1) of the sorted values. */
const interpolated = (x: Typed, p: number) => num(`quantile_cont(${toNum(x)}, ${p})`);
def('median', 'field', 'median(field): the middle value; of an even count, the upper middle (nearest rank).', (x) => nearestRank(x!, 0.5));
def('mode', 'field', 'mode(field): the most frequent value (ties: the first seen).', (x, ctx) => {
  const v = toStr(x!);
  const l = `list(${v}${ord(ctx)}) FILTER (WHERE ${v} IS NOT NULL)`;
  // the value with the highest count; among equals, the smallest first position
  return { sql: `list_reduce(list_transform(list_distinct(${l}), lambda d: struct_pack(v := d, c := len(list_filter(${l}, lambda y: y = d)), p := list_position(${l}, d))), lambda a, b: CASE WHEN b.c > a.c OR (b.c = a.c AND b.p < a.p) THEN b ELSE a END).v`, type: 'str' };
});
def('perc', 'field', 'percN(field) / pN(field): the N-th percentile, linearly interpolated at rank N/100·(n−1).', (x, _c, p) => interpolated(x!, (p ?? 50) / 100));
def('exactperc', 'field', 'exactpercN(field): the N-th percentile by nearest rank (index ⌊N/100·n⌋).', (x, _c, p) => nearestRank(x!, (p ?? 50) / 100));
def('upperperc', 'field', 'upperpercN(field): the N-th percentile, rounding the rank up (index ⌈N/100·(n−1)⌉).', (x, _c, p) => {
  const l = `list_sort(${numsOf(x!)})`;
  return num(`${l}[CAST(ceil(${(p ?? 50) / 100} * (len(${l}) - 1)) AS BIGINT) + 1]`);
});
def('values', 'field', 'values(field): the distinct values, sorted lexicographically (multivalue).', (x) => ({
  sql: `nullif(list_sort(list_distinct(${listAgg(x!)})), [])`,
  type: 'mv',
}));
def('list', 'field', 'list(field): all values in order, up to 100 (multivalue).', (x, ctx) => ({
  sql: `nullif(${listAgg(x!, ord(ctx))}[1:100], [])`,
  type: 'mv',
}));
const firstLast = (agg: 'first' | 'last') => (x: Typed | undefined, ctx: StatsContext): Typed => {
  const t: FieldType = x!.type === 'int' ? 'int' : x!.type === 'null' ? 'str' : x!.type;
  return { sql: `${agg}(${x!.sql}${ord(ctx)}) FILTER (WHERE ${x!.sql} IS NOT NULL)`, type: t === 'bool' ? 'str' : t };
};
def('first', 'field', 'first(field): the first value in the current order (the newest event).', firstLast('first'));
def('last', 'field', 'last(field): the last value in the current order (the oldest event).', firstLast('last'));
const byTime = (agg: 'arg_min' | 'arg_max') => (x: Typed | undefined, ctx: StatsContext): Typed => ({
  sql: ctx.time ? `${agg}(${x!.sql}, ${ctx.time}) FILTER (WHERE ${x!.sql} IS NOT NULL)` : `${agg === 'arg_min' ? 'first' : 'last'}(${x!.sql})`,
  type: x!.type === 'bool' || x!.type === 'null' ? 'str' : x!.type,
});
def('earliest', 'field', 'earliest(field): the value of the earliest event.', byTime('arg_min'));
def('latest', 'field', 'latest(field): the value of the latest event.', byTime('arg_max'));
def('earliest_time', 'field', 'earliest_time(field): the time of the earliest event with the field.', (x, ctx) =>
  num(ctx.time ? `min(epoch(${ctx.time})) FILTER (WHERE ${x!.sql} IS NOT NULL)` : 'NULL'),
);
def('latest_time', 'field', 'latest_time(field): the time of the latest event with the field.', (x, ctx) =>
  num(ctx.time ? `max(epoch(${ctx.time})) FILTER (WHERE ${x!.sql} IS NOT NULL)` : 'NULL'),
);
def('rate', 'field', 'rate(field): (latest - earliest value) / (latest - earliest time).', (x, ctx) =>
  num(ctx.time ? `(arg_max(${toNum(x!)}, ${ctx.time}) - arg_min(${toNum(x!)}, ${ctx.time})) / nullif(epoch(max(${ctx.time})) - epoch(min(${ctx.time})), 0)` : 'NULL'),
);

def('sparkline', 'optional', 'sparkline or sparkline(count(field), span): a small trend chart per row (parsed; not supported yet).', () => {
  throw new Error('sparkline is not supported yet');
});

/** Look up a stats function by the name as written: `perc95`, `p95`, `exactperc99` carry their parameter. */
export function statsFunction(name: string): { fn: StatsFunction; param?: number } | undefined {
  const lower = name.toLowerCase();
  const direct = fns.get(lower);
  if (direct) return { fn: direct };
  const m = /^(perc|p|exactperc|upperperc)(\d+(?:\.\d+)?)$/.exec(lower);
  if (m) return { fn: fns.get(m[1] === 'p' ? 'perc' : m[1]!)!, param: Number(m[2]) };
  return undefined;
}

export function statsFunctionNames(): string[] {
  return [...fns.keys()].sort();
}

export { toList };
