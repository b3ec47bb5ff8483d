/**
 * Laid-out columns (see layout.ts) → DuckDB data chunks for the appender, copied straight into the
 * vectors' memory.
 *
 * Why not node-api's setColumnValues: it makes one native call per string. Here numbers, validity
 * masks and strings of up to 12 bytes (DuckDB keeps those inline in the 16-byte string_t) arrive
 * already laid out and are copied in one call per vector; only longer strings cost a native call
 * each (DuckDB must own their bytes). A column with one value throughout is a constant vector: one
 * native call per chunk.
 */
import duckdb from '@duckdb/node-bindings';
import { BIGINT, DOUBLE, DuckDBDataChunk, LIST, TIMESTAMP, VARCHAR, type DuckDBAppender, type DuckDBType } from '@duckdb/node-api';
import { layoutVector, type ColumnLayout, type ColumnValues, type LongStrings, type VectorLayout } from './layout.js';
import type { ColumnType } from './types.js';

export type { ColumnValues } from './layout.js';

/** DuckDB's vector size: the most rows one chunk holds. */
export const CHUNK_ROWS: number = duckdb.vector_size();

function duckType(t: ColumnType): DuckDBType {
  switch (t) {
    case 'BIGINT': return BIGINT;
    case 'DOUBLE': return DOUBLE;
    case 'TIMESTAMP': return TIMESTAMP;
    case 'VARCHAR[]': return LIST(VARCHAR);
    default: return VARCHAR;
  }
}

function copy(vec: duckdb.Vector, bytes: Uint8Array): void {
  if (bytes.byteLength) duckdb.copy_data_to_vector(vec, 0, bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength);
}

function assignLong(vec: duckdb.Vector, long: LongStrings | undefined): void {
  if (!long) return;
  const { slots, ends, bytes } = long;
  let start = 0;
  for (let k = 0; k < slots.length; k++) {
    const end = ends[k]!;
    duckdb.vector_assign_string_element_len(vec, slots[k]!, bytes.subarray(start, end));
    start = end;
  }
}

function writeVector(vec: duckdb.Vector, type: ColumnType, v: VectorLayout): void {
  copy(vec, v.data);
  if (v.validity) {
    duckdb.vector_ensure_validity_writable(vec);
    duckdb.copy_data_to_vector_validity(vec, 0, v.validity.buffer as ArrayBuffer, v.validity.byteOffset, v.validity.byteLength);
  }
  if (type === 'VARCHAR[]') {
    const child = v.child!;
    duckdb.list_vector_reserve(vec, child.count);
    duckdb.list_vector_set_size(vec, child.count);
    if (!child.count) return;
    const cv = duckdb.list_vector_get_child(vec);
    copy(cv, child.data);
    assignLong(cv, child.long);
  } else assignLong(vec, v.long);
}

/**
 * Append laid-out columns to a table through its appender, one data chunk per CHUNK_ROWS rows.
 * `columns` follow the table's physical column order, each laid out in that column's type.
 */
export function appendLayouts(appender: DuckDBAppender, columns: ColumnLayout[], rowCount: number): void {
  const types = columns.map((c) => duckType(c.type));
  for (let off = 0, k = 0; off < rowCount; off += CHUNK_ROWS, k++) {
    const n = Math.min(CHUNK_ROWS, rowCount - off);
    const chunk = DuckDBDataChunk.create(types, n);
    for (let c = 0; c < columns.length; c++) {
      const col = columns[c]!;
      const vec = duckdb.data_chunk_get_vector(chunk.chunk, c);
      if (col.constant !== undefined) duckdb.vector_reference_value(vec, duckdb.create_varchar(col.constant));
      else writeVector(vec, col.type, col.chunks![k]!);
    }
    chunk.rowCount = n;
    appender.appendDataChunk(chunk);
  }
}

/**
 * Append rows given as values (see layout.ts for what each type takes). `columns` follow the
 * table's physical column order; `order` (optional) is the row order to write in.
 */
export function appendColumns(
  appender: DuckDBAppender,
  columns: { type: ColumnType; values: ColumnValues | undefined; constant?: string }[],
  rowCount: number,
  order?: Uint32Array,
): void {
  // one chunk at a time: the layouts of a whole batch would hold its rows twice
  for (let off = 0; off < rowCount; off += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, rowCount - off);
    const layouts = columns.map((c): ColumnLayout => (c.constant !== undefined ? { type: c.type, constant: c.constant } : { type: c.type, chunks: [layoutVector(c.type, c.values ?? NONE, off, n, order)] }));
    appendLayouts(appender, layouts, n);
  }
}

const NONE: ColumnValues = [];
