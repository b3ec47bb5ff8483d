/**
 * Scalar functions written in TypeScript and registered with DuckDB, for what SQL cannot say
 * simply. They run vectorised: DuckDB hands over a chunk of rows per call.
 */
import { DOUBLE, DuckDBScalarFunction, VARCHAR, BOOLEAN, type DuckDBConnection, type DuckDBType } from '@duckdb/node-api';
import { relativeTime } from '../time/relative.js';

type Scalar = string | number | boolean | null;

export interface Udf {
  name: string;
  params: DuckDBType[];
  returns: DuckDBType;
  fn: (...args: any[]) => Scalar;
}

const udfs: Udf[] = [];

/**
 * A function evaluated once per distinct value, in bulk (see src/compile/distinct.ts): DuckDB hands
 * over a JSON array of distinct inputs, the function maps each (a multivalue input value by value)
 * and returns a JSON array of results, so a chunk of thousands of values costs one round trip
 * instead of one per row.
 */
export interface ValueMap {
  name: string;
  /** extra constant arguments (VARCHAR), passed after the value */
  args: number;
  fn: (value: string, ...args: string[]) => string | number | null | (string | null)[];
}

const valueMaps: ValueMap[] = [];

export function defineValueMap(m: ValueMap): void {
  valueMaps.push(m);
}

/** The SQL function name of a value map. */
export const valueMapFunction = (name: string) => `spl_map_${name}`;

/** Add a function for every connection that registers afterwards (formats, URL Toolbox, ...). */
export function defineUdf(u: Udf): void {
  udfs.push(u);
}

export function cidrMatch(cidr: string, ip: string): boolean {
  const [net, bitsText] = cidr.split('/');
  const toInt = (s: string) => {
    const p = s.trim().split('.');
    if (p.length !== 4 || p.some((x) => !/^\d{1,3}$/.test(x) || Number(x) > 255)) return undefined;
    return ((Number(p[0]) << 24) >>> 0) + (Number(p[1]) << 16) + (Number(p[2]) << 8) + Number(p[3]);
  };
  const a = toInt(net ?? '');
  const b = toInt(ip);
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  if (a === undefined || b === undefined || !(bits >= 0 && bits <= 32)) return false;
  if (bits === 0) return true;
  const mask = (~0 << (32 - bits)) >>> 0;
  return ((a & mask) >>> 0) === ((b & mask) >>> 0);
}

defineUdf({ name: 'spl_cidrmatch', params: [VARCHAR, VARCHAR], returns: BOOLEAN, fn: (c: string, ip: string) => cidrMatch(c, ip) });
defineUdf({
  name: 'spl_relative_time',
  params: [DOUBLE, VARCHAR, VARCHAR],
  returns: DOUBLE,
  fn: (t: number, spec: string, tz: string) => {
    try {
      return relativeTime(t * 1000, spec, tz) / 1000;
    } catch {
      return null;
    }
  },
});

/** Register every UDF on a connection (null in → null out, as SPL functions do). */
export function registerUdfs(conn: DuckDBConnection): void {
  for (const m of valueMaps) {
    conn.registerScalarFunction(
      DuckDBScalarFunction.create({
        name: valueMapFunction(m.name),
        returnType: VARCHAR,
        parameterTypes: [VARCHAR, ...Array.from({ length: m.args }, () => VARCHAR)],
        mainFunction: (_info, input, output) => {
          const cols = Array.from({ length: input.columnCount }, (_, i) => input.getColumnVector(i));
          for (let r = 0; r < input.rowCount; r++) {
            const json = cols[0]!.getItem(r) as string | null;
            const args = cols.slice(1).map((c) => c.getItem(r) as string);
            if (json === null) {
              output.setItem(r, null as never);
              continue;
            }
            const one = (v: string | null) => (v === null ? null : m.fn(v, ...args));
            const values = JSON.parse(json) as (string | null | (string | null)[])[];
            output.setItem(r, JSON.stringify(values.map((v) => (Array.isArray(v) ? v.map(one) : one(v)))) as never);
          }
          output.flush();
        },
      }),
    );
  }
  for (const u of udfs) {
    conn.registerScalarFunction(
      DuckDBScalarFunction.create({
        name: u.name,
        returnType: u.returns,
        parameterTypes: u.params,
        mainFunction: (_info, input, output) => {
          const cols = Array.from({ length: input.columnCount }, (_, i) => input.getColumnVector(i));
          const args: unknown[] = new Array(cols.length);
          for (let r = 0; r < input.rowCount; r++) {
            let isNull = false;
            for (let i = 0; i < cols.length; i++) {
              args[i] = cols[i]!.getItem(r);
              if (args[i] === null || args[i] === undefined) isNull = true;
            }
            output.setItem(r, (isNull ? null : u.fn(...args)) as never);
          }
          output.flush();
        },
      }),
    );
  }
}
