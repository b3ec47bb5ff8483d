/**
 * Running a search: expand macros, parse, compile against the catalog, run on DuckDB, and hand
 * back rows in Splunk's shape (numbers, strings, string[] for multivalue, `_time` in epoch µs).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { compilePipeline, grammars, type Builder, type CompileContext, type Row } from '../compile/index.js';
import type { FieldType } from '../compile/schema.js';
import { SQL_PRELUDE, toStr } from '../compile/typed.js';
import { compileExpr } from '../compile/expr.js';
import { registerUdfs } from '../compile/udf.js';
import { jsValueExpr } from '../compile/index.js';
import type { Pipeline } from '../spl/ast.js';
import { expandMacros, type MacroTable } from '../spl/macros.js';
import { parsePipeline } from '../spl/parser.js';
import type { Store } from '../store/index.js';
import { loadMacros } from './macros.js';

export type { Row } from '../compile/index.js';
import { SplError } from '../spl/errors.js';
import { retryWithoutGuesses } from '../compile/guesses.js';
export { isGuessMiss, retryWithoutGuesses } from '../compile/guesses.js';
export { SplError, formatSplError } from '../spl/errors.js';

export interface SearchOptions {
  earliest?: string;
  latest?: string;
  /** IANA zone for time modifiers, bins and strftime */
  tz: string;
  /** epoch ms; defaults to the wall clock */
  now?: number;
  /** macros to use; defaults to the built-ins plus the data directory's */
  macros?: MacroTable;
  /**
   * false: compile without guesses about the data (src/compile/guesses.ts); what a caller sets
   * after a guessing query failed with isGuessMiss. Default true.
   */
  guesses?: boolean;
}

export interface ResultField {
  name: string;
  column: string;
  type: FieldType;
}

export interface CompiledSearch {
  /** the search after macro expansion (spans in errors refer to it) */
  expanded: string;
  sql: string;
  fields: ResultField[];
  /** a table of results (stats, chart, table...) rather than events */
  transforming: boolean;
  /** the first search's time range, epoch µs */
  range: { earliest?: number; latest?: number };
  /** fieldformat expressions: field → SQL over the final relation */
  formats: Record<string, string>;
}

const prepared = new WeakSet<DuckDBConnection>();

/** Register Quarry's functions on a connection once. */
export async function prepareConnection(conn: DuckDBConnection): Promise<void> {
  if (prepared.has(conn)) return;
  registerUdfs(conn);
  for (const sql of SQL_PRELUDE) await conn.run(sql);
  prepared.add(conn);
}

/** Macro expansion + parsing (no data needed): what `quarry parse` checks. */
export function parseSearch(spl: string, macros: MacroTable): { expanded: string; pipeline: Pipeline } {
  let expanded = spl;
  try {
    expanded = expandMacros(spl, macros, { bareCommands: (n) => macros.has(n) });
    return { expanded, pipeline: parsePipeline(expanded, grammars) };
  } catch (e) {
    if (e instanceof SplError && e.text === undefined) e.text = expanded;
    throw e;
  }
}

export async function compileSearch(store: Store, conn: DuckDBConnection, spl: string, opts: SearchOptions): Promise<CompiledSearch> {
  await prepareConnection(conn);
  const macros = opts.macros ?? loadMacros(store.dir);
  const { expanded, pipeline } = parseSearch(spl, macros);
  const catalog = await store.catalog();
  let id = 0;
  const ctx: CompileContext = {
    store,
    conn,
    catalog,
    tz: opts.tz,
    now: opts.now ?? Date.now(),
    earliest: opts.earliest,
    latest: opts.latest,
    nextId: () => ++id,
    guesses: opts.guesses !== false,
    async runPipeline(p, o) {
      const b = await compilePipeline(p, { ...ctx, earliest: o?.earliest ?? ctx.earliest, latest: o?.latest ?? ctx.latest });
      const fields = visibleFields(b);
      const rows = await readRows(conn, b.sql(), fields, 50000);
      return { fields: fields.map((f) => f.name), rows };
    },
    compilePipeline: (p) => compilePipeline(p, ctx),
  };
  let b: Builder;
  try {
    b = await compilePipeline(pipeline, ctx);
  } catch (e) {
    if (e instanceof SplError && e.text === undefined) e.text = expanded;
    throw e;
  }
  return {
    expanded,
    sql: b.sql(),
    fields: visibleFields(b),
    transforming: b.transforming || b.tableView,
    range: b.range,
    formats: finalFormats(b),
  };
}

/** fieldformat expressions compiled over the final rows (fields that no longer exist are dropped). */
function finalFormats(b: Builder): Record<string, string> {
  const out: Record<string, string> = Object.fromEntries(b.formats);
  for (const [field, e] of b.formatExprs) {
    if (!b.schema.has(field)) continue;
    out[field] = toStr(compileExpr(e, { schema: b.schema, tz: b.ctx.tz, now: b.ctx.now }));
  }
  return out;
}

/** The fields a user sees: internal helper columns (_q_*) hidden. */
export function visibleFields(b: Builder): ResultField[] {
  return b.schema.fields.filter((f) => !f.name.startsWith('_q_')).map((f) => ({ ...f }));
}

/** Run a compiled query and return rows keyed by field name (nulls left out). */
export async function readRows(conn: DuckDBConnection, sql: string, fields: ResultField[], limit?: number): Promise<Row[]> {
  return (await readRowsFormatted(conn, sql, fields, {}, limit)).rows;
}

/** Rows plus the fieldformat display text of the formatted fields, from one query (same order). */
export async function readRowsFormatted(
  conn: DuckDBConnection,
  sql: string,
  fields: ResultField[],
  formats: Record<string, string>,
  limit?: number,
): Promise<{ rows: Row[]; formatted: Record<string, string[]> }> {
  const fmtNames = Object.keys(formats).filter((f) => fields.some((x) => x.name === f));
  const proj =
    [...fields.map((f, i) => `${jsValueExpr(f, 'micros')} AS "c${i}"`), ...fmtNames.map((f, i) => `${formats[f]} AS "f${i}"`)].join(', ') || '1 AS "c_empty"';
  const q = `SELECT ${proj} FROM (${sql}) AS q${limit !== undefined ? ` LIMIT ${Math.max(0, Math.trunc(limit))}` : ''}`;
  const reader = await conn.runAndReadAll(q);
  const raw = reader.getRowsJS();
  const formatted: Record<string, string[]> = Object.fromEntries(fmtNames.map((f) => [f, [] as string[]]));
  const rows = raw.map((r) => {
    const row: Row = {};
    fields.forEach((f, i) => {
      let v = r[i];
      // A multivalue field with one value is that value (as Splunk shows it).
      if (Array.isArray(v)) v = v.length === 0 ? null : v.length === 1 ? v[0] : v;
      if (v !== null && v !== undefined) row[f.name] = v;
    });
    fmtNames.forEach((f, i) => {
      const v = r[fields.length + i];
      formatted[f]!.push(v === null || v === undefined ? '' : String(v));
    });
    return row;
  });
  return { rows, formatted };
}

/** Compile and run on a fresh connection. */
export async function runSearch(
  store: Store,
  spl: string,
  opts: SearchOptions & { limit?: number },
): Promise<{ fields: string[]; rows: Row[]; transforming: boolean; compiled: CompiledSearch; formatted: Record<string, string[]> }> {
  const conn = await store.connect();
  try {
    return await retryWithoutGuesses(opts.guesses, async (guesses) => {
      const compiled = await compileSearch(store, conn, spl, { ...opts, guesses });
      const { rows, formatted } = await readRowsFormatted(conn, compiled.sql, compiled.fields, compiled.formats, opts.limit);
      return { fields: compiled.fields.map((f) => f.name), rows, transforming: compiled.transforming, compiled, formatted };
    });
  } finally {
    conn.closeSync();
  }
}
