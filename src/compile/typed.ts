/**
 * Typed SQL fragments and the conversions between SPL's value kinds. Every eval function and
 * operator is written with these, so the null and type rules live in one place.
 */
import { sqlNumber, sqlString } from '../store/sql.js';
import type { FieldType } from './schema.js';

export interface Typed {
  sql: string;
  type: FieldType;
  /** a literal's value (lets functions check constant arguments, e.g. a regex) */
  literal?: string | number;
}

export const NULL: Typed = { sql: 'NULL', type: 'null' };
export const num = (n: number): Typed => ({ sql: sqlNumber(n), type: 'num', literal: n });
export const str = (s: string): Typed => ({ sql: sqlString(s), type: 'str', literal: s });

/** As a DOUBLE: numeric text is a number (as Splunk treats extracted fields); anything else null. */
export function toNum(t: Typed): string {
  switch (t.type) {
    case 'num':
      return t.sql;
    case 'int':
      return `CAST(${t.sql} AS DOUBLE)`;
    case 'str':
      return `TRY_CAST(trim(${t.sql}) AS DOUBLE)`;
    case 'mv':
      return `TRY_CAST(trim((${t.sql})[1]) AS DOUBLE)`;
    case 'time':
      return `(epoch_us(${t.sql}) / 1000000.0)`;
    case 'bool':
      return `CAST(NULL AS DOUBLE)`;
    case 'null':
      return 'CAST(NULL AS DOUBLE)';
  }
}

/** As VARCHAR, the way Splunk prints values: integers without a decimal point. */
export function toStr(t: Typed): string {
  switch (t.type) {
    case 'str':
      return t.sql;
    case 'int':
      return `CAST(${t.sql} AS VARCHAR)`;
    case 'num':
      return `spl_num_str(${t.sql})`;
    case 'mv':
      return `(${t.sql})[1]`;
    case 'time':
      return `CAST(epoch(${t.sql}) AS VARCHAR)`;
    case 'bool':
      return `CASE WHEN ${t.sql} THEN 'true' WHEN NOT ${t.sql} THEN 'false' END`;
    case 'null':
      return 'CAST(NULL AS VARCHAR)';
  }
}

/** As VARCHAR[] (every value), for multivalue functions. */
export function toList(t: Typed): string {
  if (t.type === 'mv') return t.sql;
  if (t.type === 'null') return 'CAST(NULL AS VARCHAR[])';
  const s = toStr(t);
  return `CASE WHEN ${s} IS NULL THEN NULL ELSE [${s}] END`;
}

/** As a condition. A non-boolean value is an error in Splunk; callers check before calling. */
export function toBool(t: Typed): string {
  if (t.type === 'bool') return t.sql;
  if (t.type === 'null') return 'CAST(NULL AS BOOLEAN)';
  return `(${t.sql} IS NOT NULL)`;
}

/** SQL macros that the compiled queries rely on; created once per connection. */
export const SQL_PRELUDE = [
  // Splunk prints whole numbers without ".0" and others with the shortest round-trip form.
  `CREATE OR REPLACE TEMP MACRO spl_num_str(x) AS CASE WHEN x IS NULL OR isnan(x) THEN NULL WHEN x = trunc(x) AND abs(x) < 1e15 THEN CAST(CAST(x AS BIGINT) AS VARCHAR) ELSE CAST(x AS VARCHAR) END`,
];
