/**
 * Running a search: expand macros, parse, compile against the catalog, run on DuckDB, and hand
 * back rows in Splunk's shape (numbers, strings, string[] for multivalue, `_time` in epoch µs).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { compilePipeline, grammars, type Builder, type CompileContext, type Row } from '../compile/index.js';
import type { FieldType } from '../compile/schema.js';
import { SQL_PRELUDE } from '../compile/typed.js';
import { registerUdfs } from '../compile/udf.js';
import type { Pipeline } from '../spl/ast.js';
import { expandMacros, type MacroTable } from '../spl/macros.js';
import { parsePipeline } from '../spl/parser.js';
import { quoteIdent } from '../store/sql.js';
import type { Store } from '../store/index.js';
import { loadMacros } from './macros.js';

export type { Row } from '../compile/index.js';
import { SplError } from '../spl/errors.js';
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
    formats: Object.fromEntries(b.formats),
  };
}

/** The fields a user sees: internal helper columns (_q_*) hidden. */
export function visibleFields(b: Builder): ResultField[] {
  return b.schema.fields.filter((f) => !f.name.startsWith('_q_')).map((f) => ({ ...f }));
}

/** The projection that turns columns into JS-friendly values. */
function outputExpr(f: ResultField): string {
  const col = quoteIdent(f.column);
  switch (f.type) {
    case 'time':
      return `CAST(epoch_us(${col}) AS DOUBLE)`;
    case 'int':
    case 'num':
      return `CAST(${col} AS DOUBLE)`;
    case 'bool':
      return `CASE WHEN ${col} THEN 'true' WHEN NOT ${col} THEN 'false' END`;
    default:
      return col;
  }
}

/** Run a compiled query and return rows keyed by field name (nulls left out). */
export async function readRows(conn: DuckDBConnection, sql: string, fields: ResultField[], limit?: number): Promise<Row[]> {
  const proj = fields.map((f, i) => `${outputExpr(f)} AS "c${i}"`).join(', ') || '1 AS "c_empty"';
  const q = `SELECT ${proj} FROM (${sql}) AS q${limit !== undefined ? ` LIMIT ${Math.max(0, Math.trunc(limit))}` : ''}`;
  const reader = await conn.runAndReadAll(q);
  const raw = reader.getRowsJS();
  return raw.map((r) => {
    const row: Row = {};
    fields.forEach((f, i) => {
      let v = r[i];
      // A multivalue field with one value is that value (as Splunk shows it).
      if (Array.isArray(v)) v = v.length === 0 ? null : v.length === 1 ? v[0] : v;
      if (v !== null && v !== undefined) row[f.name] = v;
    });
    return row;
  });
}

/** Compile and run on a fresh connection. */
export async function runSearch(store: Store, spl: string, opts: SearchOptions & { limit?: number }): Promise<{ fields: string[]; rows: Row[]; transforming: boolean; compiled: CompiledSearch }> {
  const conn = await store.connect();
  try {
    const compiled = await compileSearch(store, conn, spl, opts);
    const rows = await readRows(conn, compiled.sql, compiled.fields, opts.limit);
    return { fields: compiled.fields.map((f) => f.name), rows, transforming: compiled.transforming, compiled };
  } finally {
    conn.closeSync();
  }
}
