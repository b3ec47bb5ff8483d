import type { Expr, Span } from '../../spl/ast.js';
import type { Cursor, Word } from '../../spl/cursor.js';
import { SplError, closest } from '../../spl/errors.js';
import { parseExpr } from '../../spl/expr.js';
import { statsFunction, statsFunctionNames } from '../../functions/stats.js';
import { quoteIdent } from '../../store/sql.js';
import type { Builder } from '../builder.js';
import { compileExpr, fieldRef } from '../expr.js';
import { Schema } from '../schema.js';
import type { Typed } from '../typed.js';
import type { CommandSpec } from './spec.js';

export interface Aggregate {
  fn: string;
  fnSpan: Span;
  /** field name, or an eval expression for fn(eval(...)) */
  field?: string;
  expr?: Expr;
  /** the output name: AS name, or the call as written (e.g. "sum(bytes_in)") */
  as: string;
  span: Span;
}

export interface StatsArgs {
  aggs: Aggregate[];
  by: Word[];
  options: Map<string, Word>;
}

const STOP = ['by', 'as', 'over'];

/** One aggregate term: `count`, `dc(src)`, `count(eval(x>1))`, `perc95(bytes)`, with optional AS. */
export function parseAggregate(c: Cursor): Aggregate {
  c.skipWs();
  const start = c.pos;
  const name = c.fieldName();
  if (!name) throw c.error(`${c.command}: expected a function such as count, sum(field) or dc(field)`);
  const lookup = statsFunction(name.value);
  if (!lookup) {
    const hint = closest(name.value, statsFunctionNames());
    throw new SplError(`unknown ${c.command} function "${name.value}"`, name.span, hint ? `did you mean ${hint}?` : 'see quarry help stats');
  }
  let field: string | undefined;
  let expr: Expr | undefined;
  if (c.peek() === '(' && lookup.fn.name === 'sparkline') {
    // sparkline(agg(field), span): the inner aggregate is kept as text
    const open = c.pos;
    let depth = 0;
    for (; c.pos < c.end; c.pos++) {
      if (c.text[c.pos] === '(') depth++;
      else if (c.text[c.pos] === ')' && --depth === 0) break;
    }
    if (c.pos >= c.end) throw new SplError('unclosed ( in sparkline(', { start: open, end: open + 1 });
    c.pos++;
  } else if (c.peek() === '(') {
    c.pos++;
    c.skipWs();
    if (c.lookingAt('eval', true) && /^eval\s*\(/i.test(c.text.slice(c.pos, c.end))) {
      c.accept('eval', true);
      c.expect('(');
      expr = parseExpr(c);
      c.expect(')', ') to close eval(');
    } else {
      const f = c.fieldName(true);
      if (!f) throw c.error(`${name.value}() needs a field`);
      field = f.value;
    }
    c.expect(')', `) to close ${name.value}(`);
  } else if (lookup.fn.arg === 'field') {
    throw new SplError(`${name.value} needs a field: ${name.value}(field)`, name.span, lookup.fn.help);
  }
  const written = c.text.slice(start, c.pos).replace(/\s+/g, '');
  let as = written;
  const asSpan = c.accept('as', true);
  if (asSpan) {
    const alias = c.fieldName(true); // `values(*) AS *`, `avg(*:*) AS avg_*:*`
    if (!alias) throw c.error('AS needs a name');
    as = alias.value;
  }
  return { fn: name.value, fnSpan: name.span, field, expr, as, span: { start, end: c.pos } };
}

export function parseStatsArgs(c: Cursor, options: readonly string[] = ['allnum', 'delim', 'partitions', 'dedup_splitvals']): StatsArgs {
  const opts = c.options(options);
  const aggs: Aggregate[] = [];
  for (;;) {
    c.skipWs();
    if (c.atEnd() || STOP.some((w) => c.lookingAt(w, true))) break;
    if (c.accept(',', false)) continue;
    aggs.push(parseAggregate(c));
  }
  if (!aggs.length) throw c.error(`${c.command} needs at least one function, e.g. ${c.command} count by src`);
  let by: Word[] = [];
  if (c.accept('by', true)) {
    by = c.fieldList([], false);
    if (!by.length) throw c.error('by needs at least one field');
  }
  c.done();
  return { aggs, by, options: opts };
}

/** The typed argument of an aggregate over the current schema. */
export function aggregateInput(a: Aggregate, b: Builder): Typed | undefined {
  if (a.expr) return compileExpr(a.expr, { schema: b.schema, tz: b.ctx.tz, now: b.ctx.now });
  if (a.field) return fieldRef(b.schema, a.field);
  return undefined;
}

export function aggregateSql(a: Aggregate, b: Builder, orderSql: string): Typed {
  const lookup = statsFunction(a.fn)!;
  const x = aggregateInput(a, b);
  const time = b.schema.get('_time');
  if (x && x.type === 'null') {
    // a field that does not exist: count gives 0, everything else null
    return lookup.fn.name === 'count' || lookup.fn.name === 'c' || lookup.fn.name === 'dc' || lookup.fn.name === 'distinct_count'
      ? { sql: 'CAST(count(NULL) AS DOUBLE)', type: 'num' } // an aggregate: one row, not one per event
      : { sql: 'CAST(max(NULL) AS VARCHAR)', type: 'str' };
  }
  return lookup.fn.compile(x, { order: orderSql, time: time ? quoteIdent(time.column) : undefined }, lookup.param);
}

/**
 * GROUP BY lowering shared by stats/eventstats/chart: rows whose by-field is null are dropped,
 * multivalue by-fields count once per value.
 */
export function groupedSource(b: Builder, by: string[]): { from: string; keys: string[] } {
  const mvBy = by.filter((f) => b.schema.get(f)?.type === 'mv');
  if (!mvBy.length) return { from: b.from, keys: by.map((f) => b.schema.col(f)) };
  const schema = b.schema.clone();
  const unnest = mvBy.map((f) => {
    schema.get(f)!.type = 'str';
    delete schema.get(f)!.stored; // one row per value: computed
    return `unnest(${b.schema.col(f)}) AS ${b.schema.col(f)}`;
  });
  b.push(`SELECT * REPLACE (${unnest.join(', ')}) FROM ${b.from}`, schema);
  return { from: b.from, keys: by.map((f) => b.schema.col(f)) };
}

export const stats: CommandSpec<StatsArgs> = {
  name: 'stats',
  help: 'stats <fn>(field) [AS name] ... [by field, ...]: aggregate; one row per combination of by-field values.',
  parse(c) {
    const a = parseStatsArgs(c);
    // partitions is a parallelism hint with no effect on results; the others change results
    for (const k of ['allnum', 'delim', 'dedup_splitvals']) {
      const w = a.options.get(k) as (Word & { keySpan: Span }) | undefined;
      if (w) throw new SplError(`stats: option ${k}= is not supported yet`, { start: w.keySpan.start, end: w.span.end }, `remove ${k}=`);
    }
    return a;
  },
  compile(args, b) {
    const by = args.by.map((w) => w.value);
    const present = by.filter((f) => b.schema.has(f));
    if (present.length < by.length) {
      // a by-field that does not exist: every event is dropped (Splunk drops events missing a by-field)
      const schema = Schema.of([...by.map((n) => ({ name: n, column: n, type: 'str' as const })), ...args.aggs.map((a) => ({ name: a.as, column: a.as, type: 'num' as const }))]);
      const fresh = new Schema();
      for (const f of schema.fields) fresh.set(f.name, f.type);
      b.push(`SELECT ${fresh.fields.map((f) => `CAST(NULL AS VARCHAR) AS ${quoteIdent(f.column)}`).join(', ')} WHERE FALSE`, fresh, []);
      b.transforming = true;
      return;
    }
    const orderSql = b.orderBy().replace(/^ ORDER BY /, '');
    const aggs = args.aggs.map((a) => ({ a, t: aggregateSql(a, b, orderSql) }));
    const { from, keys } = groupedSource(b, by);
    const out = new Schema();
    const cols: string[] = [];
    by.forEach((f, i) => {
      const nf = out.set(f, b.schema.get(f)!.type === 'mv' ? 'str' : b.schema.get(f)!.type);
      cols.push(`${keys[i]} AS ${quoteIdent(nf.column)}`);
    });
    for (const { a, t } of aggs) {
      if (out.has(a.as)) continue; // same name twice: the first wins
      const nf = out.set(a.as, t.type);
      cols.push(`${t.sql} AS ${quoteIdent(nf.column)}`);
    }
    // Rows with a null by-field are dropped. For a stored field the test goes in the scan; for a
    // computed one it drops the null groups after grouping, because DuckDB would push a WHERE down
    // through the steps and compute the field's expression twice (once to test, once to group).
    // `count(k) > 0` keeps the same groups (a group's key is null in all its rows or in none) and,
    // being on an aggregate, stays where it is.
    const stored = by.map((f) => !!b.schema.get(f)!.stored);
    const where = keys.filter((_, i) => stored[i]).map((k) => `${k} IS NOT NULL`);
    const having = keys.filter((_, i) => !stored[i]).map((k) => `count(${k}) > 0`);
    const group = keys.length ? ` GROUP BY ${keys.join(', ')}` : '';
    b.push(
      `SELECT ${cols.join(', ')} FROM ${from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}${group}${having.length ? ` HAVING ${having.join(' AND ')}` : ''}`,
      out,
      by.map((f) => ({ sql: quoteIdent(out.get(f)!.column), desc: false })),
    );
    b.transforming = true;
  },
};
