/**
 * A pipeline under construction: a chain of CTEs, one (or a few) per command, the schema after
 * the last one, and the order its rows are in. A command that cannot be written in SQL
 * materializes the chain into a temp table, works on the rows in TypeScript and loads the result.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent } from '../store/sql.js';
import { Schema, type Field } from './schema.js';
import type { CompileContext } from './context.js';

export interface OrderKey {
  /** SQL expression over the current relation's columns */
  sql: string;
  desc: boolean;
}

export class Builder {
  private ctes: { name: string; sql: string; materialized?: boolean }[] = [];
  private current = '';
  schema: Schema = new Schema();
  /** The row order as ORDER BY keys; [] = unordered. */
  order: OrderKey[] = [];
  /** Set by transforming commands (stats, chart, timechart, top...): the result is a table, not events. */
  transforming = false;
  /** `table` was used: results are shown as a table even without a transforming command. */
  tableView = false;
  /** fieldformat: display expressions per field (SQL over the final relation). */
  formats = new Map<string, string>();
  /** fieldformat expressions as parsed, compiled over the final schema by finalFormats(). */
  formatExprs = new Map<string, import('../spl/ast.js').Expr>();
  /**
   * The fields the commands after the one being compiled can read (src/compile/needed.ts), or
   * undefined when every field must be kept.
   */
  laterFields: Set<string> | undefined;
  /** The time range the first search applied (epoch µs), for timechart spans and the timeline. */
  range: { earliest?: number; latest?: number } = {};

  get started(): boolean {
    return this.current !== '';
  }

  constructor(readonly ctx: CompileContext) {}

  /** The relation to select FROM in the next step. */
  get from(): string {
    return quoteIdent(this.current);
  }

  /** Add a step: `select` must read FROM `this.from`. */
  push(select: string, schema: Schema, order: OrderKey[] = this.order): void {
    const name = `s${this.ctx.nextId()}`;
    this.ctes.push({ name, sql: select });
    this.current = name;
    this.schema = schema;
    this.order = order;
  }

  /**
   * Have DuckDB compute the current step once even when later steps read it twice (a step that
   * joins the rows with something computed from them).
   */
  materializeStep(): void {
    const last = this.ctes[this.ctes.length - 1];
    if (last && last.name === this.current) last.materialized = true;
  }

  /** Start from an existing relation (a table or temp table) with this schema. */
  start(relation: string, schema: Schema, order: OrderKey[] = []): void {
    this.ctes = [];
    this.current = relation;
    this.schema = schema;
    this.order = order;
  }

  orderBy(keys = this.order): string {
    return keys.length ? ` ORDER BY ${keys.map((k) => `${k.sql} ${k.desc ? 'DESC' : 'ASC'} NULLS LAST`).join(', ')}` : '';
  }

  /** The whole chain as one query, rows in order. */
  sql(projection?: string): string {
    return `${this.withs()}SELECT ${projection ?? '*'} FROM ${this.from}${this.orderBy()}`;
  }

  /** The chain with a final query of one's own (which reads FROM `this.from`). */
  withSql(select: string): string {
    return `${this.withs()}${select}`;
  }

  private withs(): string {
    if (!this.ctes.length) return '';
    return `WITH ${this.ctes.map((c) => `${quoteIdent(c.name)} AS ${c.materialized ? 'MATERIALIZED ' : ''}(${c.sql})`).join(',\n')}\n`;
  }

  /** SELECT list of every current field (optionally transformed per field). */
  selectList(fields: readonly Field[] = this.schema.fields, map?: (f: Field, col: string) => string): string {
    if (!fields.length) return '1 AS "_q_empty"';
    return fields.map((f) => (map ? `${map(f, quoteIdent(f.column))} AS ${quoteIdent(f.column)}` : quoteIdent(f.column))).join(', ');
  }

  /**
   * Number the rows in their current order as `_q_seq` so later steps (reverse, tail, appendcols,
   * streaming commands) can rely on it; order becomes _q_seq.
   */
  ensureSeq(): string {
    if (this.order.length === 1 && this.order[0]!.sql === '"_q_seq"' && !this.order[0]!.desc) return '"_q_seq"';
    const schema = this.schema.clone();
    const cols = this.selectList(schema.fields.filter((f) => f.name !== '_q_seq'));
    schema.remove('_q_seq');
    const keep = schema.clone();
    keep.set('_q_seq', 'int').column = '_q_seq';
    this.push(`SELECT ${cols}, row_number() OVER (${this.orderBy().trim()}) AS "_q_seq" FROM ${this.from}`, keep, [{ sql: '"_q_seq"', desc: false }]);
    return '"_q_seq"';
  }

  /** Run the chain so far into a temp table on the search's connection; continue from there. */
  async materialize(keep?: ReadonlySet<string>): Promise<string> {
    const name = `q_tmp_${this.ctx.nextId()}`;
    const conn: DuckDBConnection = this.ctx.conn;
    this.ensureSeq();
    // only the fields asked for (and the row order) when told which are needed
    const schema = this.schema.clone();
    if (keep) for (const f of this.schema.fields) if (f.name !== '_q_seq' && !keep.has(f.name)) schema.remove(f.name);
    await conn.run(`CREATE OR REPLACE TEMP TABLE ${quoteIdent(name)} AS ${this.sql(keep ? this.selectList(schema.fields) : undefined)}`);
    this.start(name, schema, [{ sql: '"_q_seq"', desc: false }]);
    return name;
  }
}
