/**
 * Laid-out columns (see layout.ts) → DuckDB data chunks for the appender, copied straight into the
 * vectors' memory.
 *
 * Why not node-api's setColumnValues: it makes one native call per string. Here numbers, validity
 * masks and strings of up to 12 bytes (DuckDB keeps those inline in the 16-byte string_t) arrive
 * already laid out and are copied in one call per vector. Longer strings must live in memory
 * DuckDB owns: all of a vector's long strings go into it in one call, as one string of a helper
 * vector, and each row's string_t (the C API's duckdb_string_t: length, 4-byte prefix, pointer)
 * points into that string; the appender copies the strings before the helper is released. (One
 * native call per string cost ~0.5 µs more each: a Stream event has six or seven long strings.)
 * A column with one value throughout is a constant vector: one native call per chunk.
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

/** Above this, a vector's long strings are assigned one call each (one string_t length is 32 bits). */
const HEAP_MAX = 1 << 30;
const VARCHAR_TYPE = duckdb.create_logical_type(duckdb.Type.VARCHAR);

/** One native call per long string: for vectors whose long strings together pass `heapMax` bytes. */
function assignEach(vec: duckdb.Vector, long: LongStrings): void {
  const { slots, ends, bytes } = long;
  let start = 0;
  for (let k = 0; k < slots.length; k++) {
    const end = ends[k]!;
    duckdb.vector_assign_string_element_len(vec, slots[k]!, bytes.subarray(start, end));
    start = end;
  }
}

/**
 * Write the long strings' string_t entries into `data` (the vector's entries, copied after),
 * pointing into one DuckDB-owned copy of their bytes; returns the vector that owns it, which must
 * stay alive until the chunk is appended.
 */
function placeLong(data: Uint8Array, long: LongStrings): duckdb.Vector | undefined {
  const { slots, ends, bytes } = long;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let heap: duckdb.Vector | undefined;
  let lo = 0, hi = 0;
  let start = 0;
  for (let k = 0; k < slots.length; k++) {
    const end = ends[k]!;
    const at = slots[k]! * 16;
    const n = end - start;
    view.setUint32(at, n, true);
    if (n <= 12) {
      // a short string that is not ASCII: inline, as DuckDB reads any string_t of up to 12 bytes
      data.fill(0, at + 4, at + 16);
      data.set(bytes.subarray(start, end), at + 4);
    } else {
      if (!heap) {
        heap = duckdb.create_vector(VARCHAR_TYPE, 1);
        duckdb.vector_assign_string_element_len(heap, 0, bytes);
        const entry = duckdb.vector_get_data(heap, 16);
        const ev = new DataView(entry.buffer, entry.byteOffset, 16);
        lo = ev.getUint32(8, true);
        hi = ev.getUint32(12, true);
      }
      // the prefix (its first four bytes), then the address of its bytes in the heap string
      data[at + 4] = bytes[start]!; data[at + 5] = bytes[start + 1]!; data[at + 6] = bytes[start + 2]!; data[at + 7] = bytes[start + 3]!;
      const p = lo + start;
      view.setUint32(at + 8, p >>> 0, true);
      view.setUint32(at + 12, (hi + Math.floor(p / 4294967296)) >>> 0, true);
    }
    start = end;
  }
  return heap;
}

/** A vector's entries and its long strings, if any; what goes into `keep` must outlive the append. */
function writeStrings(vec: duckdb.Vector, data: Uint8Array, long: LongStrings | undefined, keep: unknown[], heapMax: number): void {
  if (long && long.bytes.length > heapMax) {
    copy(vec, data);
    assignEach(vec, long);
    return;
  }
  if (long) keep.push(placeLong(data, long));
  copy(vec, data);
}

/** Fill one vector; what goes into `keep` must stay referenced until the chunk is appended. */
function writeVector(vec: duckdb.Vector, type: ColumnType, v: VectorLayout, keep: unknown[], heapMax: number): void {
  if (v.validity) {
    duckdb.vector_ensure_validity_writable(vec);
    duckdb.copy_data_to_vector_validity(vec, 0, v.validity.buffer as ArrayBuffer, v.validity.byteOffset, v.validity.byteLength);
  }
  if (type === 'VARCHAR[]') {
    copy(vec, v.data);
    const child = v.child!;
    duckdb.list_vector_reserve(vec, child.count);
    duckdb.list_vector_set_size(vec, child.count);
    if (!child.count) return;
    writeStrings(duckdb.list_vector_get_child(vec), child.data, child.long, keep, heapMax);
  } else writeStrings(vec, v.data, v.long, keep, heapMax);
}

/**
 * Append laid-out columns to a table through its appender, one data chunk per CHUNK_ROWS rows.
 * `columns` follow the table's physical column order, each laid out in that column's type.
 * `heapMax`: above this many bytes, a vector's long strings are assigned one call each.
 */
export function appendLayouts(appender: DuckDBAppender, columns: ColumnLayout[], rowCount: number, heapMax = HEAP_MAX): void {
  const types = columns.map((c) => duckType(c.type));
  for (let off = 0, k = 0; off < rowCount; off += CHUNK_ROWS, k++) {
    const n = Math.min(CHUNK_ROWS, rowCount - off);
    const chunk = DuckDBDataChunk.create(types, n);
    const keep: unknown[] = [];
    for (let c = 0; c < columns.length; c++) {
      const col = columns[c]!;
      const vec = duckdb.data_chunk_get_vector(chunk.chunk, c);
      if (col.constant !== undefined) duckdb.vector_reference_value(vec, duckdb.create_varchar(col.constant));
      else writeVector(vec, col.type, col.chunks![k]!, keep, heapMax);
    }
    chunk.rowCount = n;
    appender.appendDataChunk(chunk);
    // the long strings' owners are released only now that the appender has copied them
    keep.length = 0;
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
