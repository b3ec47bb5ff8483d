/**
 * The only two ways text becomes SQL in Quarry. Everything from a log or a search that reaches
 * SQL goes through one of these (or is a bound parameter).
 */

/** Quote an identifier (table or column name) for DuckDB: "name", with inner quotes doubled. */
export function quoteIdent(name: string): string {
  if (name.includes('\0')) throw new Error('identifier contains a NUL character');
  return '"' + name.replaceAll('"', '""') + '"';
}

/** A string literal: '...' with inner quotes doubled. DuckDB does not treat backslashes as escapes. */
export function sqlString(value: string): string {
  // DuckDB strings cannot hold NUL; keep the character visible rather than failing the query.
  return "'" + value.replaceAll("'", "''").replaceAll('\0', '\\0') + "'";
}

/** A numeric literal; non-finite numbers become NULL (Splunk yields null for them). */
export function sqlNumber(value: number): string {
  if (!Number.isFinite(value)) return 'NULL';
  const s = String(value);
  return /[.eE]/.test(s) || !Number.isSafeInteger(value) ? `CAST(${s} AS DOUBLE)` : s;
}
