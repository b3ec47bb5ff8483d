/**
 * TypeScript functions over a column, evaluated once per distinct value and in bulk: the distinct
 * values are grouped into buckets, each bucket goes to the function as one JSON array (one round
 * trip for hundreds of values instead of one per row), and the results are joined back on the
 * value. A million DNS events with two hundred thousand distinct names cost two hundred thousand
 * evaluations and about a thousand calls. The functions are registered with defineValueMap
 * (src/compile/udf.ts).
 */
import { quoteIdent, sqlString } from '../store/sql.js';
import type { Builder } from './builder.js';
import { valueMapFunction } from './udf.js';

/** Buckets of distinct values per call: enough to spread the work, few enough to amortise a call. */
const BUCKETS = 1024;

export interface ValueMapCall {
  /** the value map's name (defineValueMap) */
  fn: string;
  /** SQL of the input, over the current relation: VARCHAR, or VARCHAR[] (each value mapped) */
  input: string;
  multivalue: boolean;
  /** constant arguments after the value */
  args?: string[];
  /** from_json structure of one result, e.g. '"DOUBLE"' or '["VARCHAR"]' */
  result: string;
}

/**
 * A relation ("_q_k", "_q_v"): every distinct non-null input over `from` and its result (a list of
 * results, value by value, for a multivalue input).
 */
export function valueMapSql(from: string, call: ValueMapCall): string {
  const args = (call.args ?? []).map((a) => `, ${sqlString(a)}`).join('');
  const shape = call.multivalue ? `[${call.result}]` : call.result;
  return `SELECT unnest(k) AS "_q_k", unnest(from_json(${valueMapFunction(call.fn)}(to_json(k)${args}), ${sqlString(`[${shape}]`)})) AS "_q_v" FROM (
  SELECT list(DISTINCT v) AS k FROM (SELECT ${call.input} AS v FROM ${from}) AS i WHERE v IS NOT NULL GROUP BY hash(v) % ${BUCKETS}) AS b`;
}

/**
 * Add a column `column` holding the function's result for each row (null where the input is null),
 * by a join on the value. `map` is a relation from valueMapSql (a temp table or a subquery).
 */
export function joinValueMap(b: Builder, call: ValueMapCall, map: string, column: string, schema = b.schema): void {
  b.push(`SELECT f.*, m."_q_v" AS ${quoteIdent(column)} FROM ${b.from} AS f LEFT JOIN ${map} AS m ON ${call.input} = m."_q_k"`, schema);
}

/** Evaluate the map into a temp table now (runs the chain so far once); returns the table. */
export async function materializeValueMap(b: Builder, call: ValueMapCall): Promise<string> {
  const name = `q_map_${b.ctx.nextId()}`;
  await b.ctx.conn.run(`CREATE OR REPLACE TEMP TABLE ${quoteIdent(name)} AS ${b.withSql(valueMapSql(b.from, call))}`);
  return quoteIdent(name);
}
