/**
 * Columnar rows → DuckDB data chunks for the appender, written straight into the vectors' memory.
 *
 * Why not node-api's setColumnValues: it makes one native call per string. Here numbers, validity
 * masks and strings of up to 12 bytes (DuckDB keeps those inline in the 16-byte string_t: length
 * then bytes) are laid out in a JS buffer and copied in one call per vector; only longer strings
 * cost a native call each (DuckDB must own their bytes). A column with one value throughout is
 * a constant vector: one native call per chunk.
 */
import duckdb from '@duckdb/node-bindings';
import { BIGINT, DOUBLE, DuckDBDataChunk, LIST, TIMESTAMP, VARCHAR, type DuckDBAppender, type DuckDBType } from '@duckdb/node-api';
import type { FieldValue, Scalar } from '../ingest/event.js';
import type { ColumnType } from './types.js';

/** DuckDB's vector size: the most rows one chunk holds. */
export const CHUNK_ROWS: number = duckdb.vector_size();

/** One column's values for the rows of a batch (undefined/null = no value). */
export type ColumnValues = readonly (FieldValue | null | undefined)[];

function duckType(t: ColumnType): DuckDBType {
  switch (t) {
    case 'BIGINT': return BIGINT;
    case 'DOUBLE': return DOUBLE;
    case 'TIMESTAMP': return TIMESTAMP;
    case 'VARCHAR[]': return LIST(VARCHAR);
    default: return VARCHAR;
  }
}

function asText(v: Scalar): string {
  return typeof v === 'string' ? v : String(v);
}

// Scratch buffers reused for every vector (one chunk is filled at a time).
let scratch = new Uint8Array(CHUNK_ROWS * 16);
let scratchView = new DataView(scratch.buffer);
const validity = new Uint8Array(Math.ceil(CHUNK_ROWS / 64) * 8);

function ensureScratch(bytes: number): void {
  if (scratch.length >= bytes) return;
  scratch = new Uint8Array(bytes);
  scratchView = new DataView(scratch.buffer);
}

function setNull(i: number): boolean {
  validity[i >> 3]! &= ~(1 << (i & 7));
  return true;
}

function flushValidity(vec: duckdb.Vector, n: number, anyNull: boolean): void {
  if (!anyNull) return;
  duckdb.vector_ensure_validity_writable(vec);
  duckdb.copy_data_to_vector_validity(vec, 0, validity.buffer, 0, Math.ceil(n / 64) * 8);
}

/**
 * Lay strings out as string_t entries starting at slot `base` of the scratch buffer; returns the
 * slots that need a native call (too long for inline, or not ASCII) with their text.
 */
function layoutString(slot: number, s: string, long: (number | string)[]): void {
  const n = s.length;
  const at = slot * 16;
  if (n <= 12) {
    let ascii = true;
    for (let j = 0; j < n; j++) {
      const c = s.charCodeAt(j);
      if (c >= 128) { ascii = false; break; }
      scratch[at + 4 + j] = c;
    }
    if (ascii) {
      scratchView.setUint32(at, n, true);
      return;
    }
    scratch.fill(0, at, at + 16);
  }
  long.push(slot, s);
}

function assignLong(vec: duckdb.Vector, long: (number | string)[]): void {
  for (let j = 0; j < long.length; j += 2) duckdb.vector_assign_string_element(vec, long[j] as number, long[j + 1] as string);
}

/** The row of the batch that goes to chunk row i (rows may be reordered by time). */
type RowAt = (i: number) => number;

function fillVarchar(vec: duckdb.Vector, values: ColumnValues, rows: RowAt, n: number): void {
  scratch.fill(0, 0, n * 16);
  validity.fill(0xff);
  let anyNull = false;
  const long: (number | string)[] = [];
  for (let i = 0; i < n; i++) {
    const v = values[rows(i)];
    if (v === undefined || v === null) { anyNull = setNull(i); continue; }
    layoutString(i, Array.isArray(v) ? v.map(asText).join('\n') : asText(v), long);
  }
  duckdb.copy_data_to_vector(vec, 0, scratch.buffer, 0, n * 16);
  flushValidity(vec, n, anyNull);
  assignLong(vec, long);
}

function fillList(vec: duckdb.Vector, values: ColumnValues, rows: RowAt, n: number): void {
  validity.fill(0xff);
  let anyNull = false;
  const items: string[] = [];
  const entries = new DataView(new ArrayBuffer(n * 16));
  for (let i = 0; i < n; i++) {
    const v = values[rows(i)];
    if (v === undefined || v === null) { anyNull = setNull(i); continue; }
    const start = items.length;
    if (Array.isArray(v)) for (const x of v) items.push(asText(x));
    else items.push(asText(v));
    setU64(entries, i * 16, start);
    setU64(entries, i * 16 + 8, items.length - start);
  }
  duckdb.copy_data_to_vector(vec, 0, entries.buffer, 0, n * 16);
  flushValidity(vec, n, anyNull);
  duckdb.list_vector_reserve(vec, items.length);
  duckdb.list_vector_set_size(vec, items.length);
  if (!items.length) return;
  const child = duckdb.list_vector_get_child(vec);
  ensureScratch(items.length * 16);
  scratch.fill(0, 0, items.length * 16);
  const long: (number | string)[] = [];
  for (let k = 0; k < items.length; k++) layoutString(k, items[k]!, long);
  duckdb.copy_data_to_vector(child, 0, scratch.buffer, 0, items.length * 16);
  assignLong(child, long);
}

function setU64(view: DataView, at: number, v: number): void {
  const hi = Math.floor(v / 4294967296);
  view.setUint32(at, v - hi * 4294967296, true);
  view.setInt32(at + 4, hi, true);
}

/** BIGINT, TIMESTAMP (epoch µs) and DOUBLE: 8 bytes a row. */
function fillNumber(vec: duckdb.Vector, values: ColumnValues, rows: RowAt, n: number, type: ColumnType): void {
  validity.fill(0xff);
  let anyNull = false;
  const asDouble = type === 'DOUBLE';
  for (let i = 0; i < n; i++) {
    const v = values[rows(i)];
    if (typeof v !== 'number' || !Number.isFinite(v)) { anyNull = setNull(i); continue; }
    if (asDouble) scratchView.setFloat64(i * 8, v, true);
    else setU64(scratchView, i * 8, Math.trunc(v));
  }
  duckdb.copy_data_to_vector(vec, 0, scratch.buffer, 0, n * 8);
  flushValidity(vec, n, anyNull);
}

/**
 * Append rows to a table through its appender, in chunks. `columns` follow the table's physical
 * column order; `order` (optional) is the row order to write in. Values must fit their column's
 * type (the caller widened the table first): numbers for BIGINT/DOUBLE/TIMESTAMP, anything
 * for VARCHAR and VARCHAR[] (scalars become text, multivalues a list or newline-joined text).
 */
export function appendColumns(
  appender: DuckDBAppender,
  columns: { type: ColumnType; values: ColumnValues | undefined; constant?: string }[],
  rowCount: number,
  order?: Uint32Array,
): void {
  const types = columns.map((c) => duckType(c.type));
  for (let off = 0; off < rowCount; off += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, rowCount - off);
    const rows: RowAt = order ? (i) => order[off + i]! : (i) => off + i;
    const chunk = DuckDBDataChunk.create(types, n);
    for (let c = 0; c < columns.length; c++) {
      const col = columns[c]!;
      const vec = duckdb.data_chunk_get_vector(chunk.chunk, c);
      const values = col.values ?? NONE;
      // One value for the whole chunk (sourcetype, usually index/host/source): a constant vector.
      if (col.constant !== undefined) duckdb.vector_reference_value(vec, duckdb.create_varchar(col.constant));
      else if (col.type === 'VARCHAR') fillVarchar(vec, values, rows, n);
      else if (col.type === 'VARCHAR[]') fillList(vec, values, rows, n);
      else fillNumber(vec, values, rows, n, col.type);
    }
    chunk.rowCount = n;
    appender.appendDataChunk(chunk);
  }
}

const NONE: ColumnValues = [];
