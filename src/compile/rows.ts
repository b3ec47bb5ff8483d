/**
 * TypeScript operators: a command that SQL cannot express well materializes the rows so far,
 * works on them as JS objects and loads the result back as a temp table the chain continues from.
 *
 * Row values here: numbers (num/int), strings (str), string[] (mv), epoch seconds (time).
 */
import { DuckDBTimestampValue, LIST, VARCHAR } from '@duckdb/node-api';
import { quoteIdent } from '../store/sql.js';
import type { Builder } from './builder.js';
import type { Row } from './context.js';
import { Schema, type Field, type FieldType } from './schema.js';
import { toList, toNum, toStr, type Typed } from './typed.js';

export interface OutField {
  name: string;
  type: FieldType;
}

/**
 * The projection that turns a column into a JS-friendly value: numbers as DOUBLE, conditions as
 * "true"/"false", `_time` in epoch seconds (TypeScript operators) or microseconds (search results).
 */
export function jsValueExpr(f: Pick<Field, 'column' | 'type'>, time: 'seconds' | 'micros'): string {
  const col = quoteIdent(f.column);
  switch (f.type) {
    case 'time':
      return time === 'seconds' ? `epoch_us(${col}) / 1000000.0` : `CAST(epoch_us(${col}) AS DOUBLE)`;
    case 'int':
    case 'num':
      return `CAST(${col} AS DOUBLE)`;
    case 'bool':
      return `CASE WHEN ${col} THEN 'true' WHEN NOT ${col} THEN 'false' END`;
    default:
      return col;
  }
}

const readExpr = (f: Field) => jsValueExpr(f, 'seconds');

/** The rows so far, in order, keyed by field name (nulls left out); internal _q_ columns dropped. */
export async function readCurrent(b: Builder): Promise<{ fields: Field[]; rows: Row[] }> {
  const fields = b.schema.fields.filter((f) => !f.name.startsWith('_q_'));
  const proj = fields.map((f, i) => `${readExpr(f)} AS "c${i}"`).join(', ') || '1 AS "c_empty"';
  const reader = await b.ctx.conn.runAndReadAll(`SELECT ${proj} FROM (${b.sql()}) AS q`);
  const raw = reader.getRowsJS();
  const rows = raw.map((r) => {
    const row: Row = {};
    fields.forEach((f, i) => {
      const v = r[i];
      if (v !== null && v !== undefined) row[f.name] = typeof v === 'bigint' ? Number(v) : v;
    });
    return row;
  });
  return { fields: fields.map((f) => ({ ...f })), rows };
}

const SQL_T: Record<FieldType, string> = { num: 'DOUBLE', int: 'BIGINT', str: 'VARCHAR', mv: 'VARCHAR[]', time: 'TIMESTAMP', bool: 'VARCHAR', null: 'VARCHAR' };

/** The narrowest field type for a set of JS values. */
export function inferType(values: unknown[], prev?: FieldType): FieldType {
  let t: FieldType | undefined = prev === 'null' || prev === 'bool' ? undefined : prev;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    const vt: FieldType = Array.isArray(v) ? 'mv' : typeof v === 'number' ? 'num' : 'str';
    if (!t) t = vt;
    else if (t !== vt) {
      if (t === 'mv' || vt === 'mv') t = 'mv';
      else if ((t === 'num' || t === 'int' || t === 'time') && vt === 'num') t = t === 'time' ? 'time' : 'num';
      else t = 'str';
    }
  }
  return t ?? prev ?? 'str';
}

function asText(v: unknown): string {
  if (typeof v === 'number') return numText(v);
  return String(v);
}

/** A number as Splunk prints it. */
export function numText(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  return String(n);
}

/** Load rows (in this order) as the new current relation with these fields. */
export async function loadRows(b: Builder, fields: OutField[], rows: Row[]): Promise<void> {
  const { name, schema } = await createTable(b, fields, rows);
  const s = schema.clone();
  s.set('_q_seq', 'int').column = '_q_seq';
  b.start(name, s, [{ sql: '"_q_seq"', desc: false }]);
}

/**
 * Rows into a temp table with these fields plus "_q_seq" (1.. in order, or the row's own `_q_seq`
 * when `keepSeq`). The builder's chain is left as it is.
 */
export async function createTable(b: Builder, fields: OutField[], rows: Row[], keepSeq = false): Promise<{ name: string; schema: Schema }> {
  const schema = new Schema();
  for (const f of fields) schema.set(f.name, f.type === 'bool' || f.type === 'null' ? 'str' : f.type);
  const name = `q_ts_${b.ctx.nextId()}`;
  const cols = schema.fields.map((f) => `${quoteIdent(f.column)} ${SQL_T[f.type]}`);
  cols.push('"_q_seq" BIGINT');
  const conn = b.ctx.conn;
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${quoteIdent(name)} (${cols.join(', ')})`);
  const app = await conn.createAppender(name, 'main', 'temp');
  const listType = LIST(VARCHAR);
  try {
    let seq = 0;
    for (const r of rows) {
      for (const f of schema.fields) {
        const v = r[f.name];
        if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) {
          app.appendNull();
          continue;
        }
        switch (f.type) {
          case 'time': {
            const n = typeof v === 'number' ? v : Number(v);
            if (!Number.isFinite(n)) app.appendNull();
            else app.appendTimestamp(new DuckDBTimestampValue(BigInt(Math.round(n * 1e6))));
            break;
          }
          case 'num': {
            const n = typeof v === 'number' ? v : Number(Array.isArray(v) ? v[0] : v);
            if (Number.isFinite(n)) app.appendDouble(n);
            else app.appendNull();
            break;
          }
          case 'int': {
            const n = typeof v === 'number' ? v : Number(Array.isArray(v) ? v[0] : v);
            if (Number.isFinite(n)) app.appendBigInt(BigInt(Math.trunc(n)));
            else app.appendNull();
            break;
          }
          case 'mv': {
            const list = (Array.isArray(v) ? v : [v]).map(asText);
            if (list.length) app.appendList(list, listType);
            else app.appendNull();
            break;
          }
          default:
            app.appendVarchar(Array.isArray(v) ? v.map(asText).join('\n') : asText(v));
        }
      }
      ++seq;
      app.appendBigInt(BigInt(keepSeq ? Number(r._q_seq) : seq));
      app.endRow();
    }
    app.flushSync();
  } finally {
    app.closeSync();
  }
  return { name, schema };
}

/**
 * A TypeScript operator that reads only some columns and adds or replaces others, joined back on
 * the row number: the other columns never leave DuckDB. `compute` gets the input values per row and
 * returns, per row, the new values (undefined = keep the row's current value), plus the fields.
 */
export async function sideColumns(
  b: Builder,
  inputs: string[],
  compute: (rows: Row[]) => { fields: OutField[]; rows: Row[] },
): Promise<void> {
  const seq = b.ensureSeq();
  const fields = inputs.map((n) => b.schema.get(n)).filter((f): f is Field => !!f);
  const proj = [`${seq} AS "k"`, ...fields.map((f, i) => `${readExpr(f)} AS "c${i}"`)].join(', ');
  const reader = await b.ctx.conn.runAndReadAll(`SELECT ${proj} FROM (${b.sql()}) AS q`);
  const rows: Row[] = reader.getRowsJS().map((r) => {
    const row: Row = { _q_seq: Number(r[0]) };
    fields.forEach((f, i) => {
      const v = r[i + 1];
      if (v !== null && v !== undefined) row[f.name] = typeof v === 'bigint' ? Number(v) : v;
    });
    return row;
  });
  const out = compute(rows);
  if (!out.fields.length) return;
  const { name, schema: side } = await createTable(b, out.fields, out.rows, true);
  const schema = b.schema.clone();
  const replace: string[] = [];
  const add: string[] = [];
  for (const f of side.fields) {
    const nv = `t.${quoteIdent(f.column)}`;
    const ex = schema.get(f.name);
    if (ex) {
      const old: Typed = { sql: `m.${quoteIdent(ex.column)}`, type: ex.type };
      const oldSql = ex.type === f.type ? old.sql : f.type === 'mv' ? toList(old) : f.type === 'str' ? toStr(old) : f.type === 'num' ? toNum(old) : old.sql;
      ex.type = ex.type === f.type ? ex.type : f.type;
      replace.push(`coalesce(${nv}, ${oldSql}) AS ${quoteIdent(ex.column)}`);
    } else add.push(`${nv} AS ${quoteIdent(schema.set(f.name, f.type).column)}`);
  }
  b.push(
    `SELECT m.*${replace.length ? ` REPLACE (${replace.join(', ')})` : ''}${add.length ? ', ' + add.join(', ') : ''} FROM ${b.from} AS m LEFT JOIN ${quoteIdent(name)} AS t ON m.${seq} = t."_q_seq"`,
    schema,
    [{ sql: seq, desc: false }],
  );
}

/**
 * Run a TypeScript operator over the rows so far. `fn` gets the fields (in order) and the rows and
 * returns the output fields (types may be inferred when omitted) and rows.
 */
export async function tsOperator(
  b: Builder,
  fn: (fields: Field[], rows: Row[]) => { fields: (OutField | string)[]; rows: Row[] } | Promise<{ fields: (OutField | string)[]; rows: Row[] }>,
): Promise<void> {
  const cur = await readCurrent(b);
  const out = await fn(cur.fields, cur.rows);
  const known = new Map(cur.fields.map((f) => [f.name, f.type]));
  const fields: OutField[] = out.fields.map((f) => {
    if (typeof f !== 'string') return f;
    const vals = out.rows.map((r) => r[f]);
    const prev = known.get(f);
    if (prev === 'time') return { name: f, type: vals.every((v) => v === undefined || v === null || typeof v === 'number') ? 'time' : inferType(vals) };
    if (prev && vals.every((v) => v === undefined || v === null || sameKind(prev, v))) return { name: f, type: prev };
    return { name: f, type: inferType(vals) };
  });
  await loadRows(b, fields, out.rows);
}

function sameKind(t: FieldType, v: unknown): boolean {
  if (t === 'mv') return Array.isArray(v);
  if (t === 'num' || t === 'int') return typeof v === 'number';
  if (t === 'str') return typeof v === 'string';
  return false;
}

/** A JS value as Splunk would see it as a number (numeric text is a number). */
export function asNumber(v: unknown): number | undefined {
  if (Array.isArray(v)) v = v[0];
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v.trim());
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** A JS value as text (first value of a multivalue). */
export function asString(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (Array.isArray(v)) return v.length ? asText(v[0]) : undefined;
  return asText(v);
}

/** Every value of a field (multivalue → each value) as text. */
export function valuesOf(v: unknown): string[] {
  if (v === null || v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map(asText);
}
