/**
 * Columnar rows → the bytes of DuckDB vectors, in plain JavaScript (no native calls), so it can run
 * in the ingest worker thread and hand its result over as transferable buffers (see
 * src/ingest/worker.ts); `chunks.ts` copies these bytes into the vectors on the thread that owns
 * the DuckDB connection.
 *
 * Per vector of up to one chunk's rows: the fixed-width entries (a 16-byte string_t per VARCHAR,
 * whose strings of up to 12 ASCII bytes are inline: length then bytes; a list_entry_t per
 * VARCHAR[]; 8 bytes per number), a validity mask when some row has no value, and the longer
 * strings as one UTF-8 buffer with their slots and end offsets (DuckDB must own their bytes: one
 * native call each).
 */
import type { FieldValue, Scalar } from '../ingest/event.js';
import type { ColumnType } from './types.js';

/** One column's values for the rows of a batch (undefined/null = no value). */
export type ColumnValues = readonly (FieldValue | null | undefined)[];

/** Strings too long (or not ASCII) for an inline string_t: slot k's bytes are bytes[ends[k-1] ?? 0, ends[k]). */
export interface LongStrings {
  slots: Uint32Array;
  ends: Uint32Array;
  bytes: Uint8Array;
}

export interface VectorLayout {
  /** string_t (VARCHAR), list_entry_t (VARCHAR[]) or 8-byte numbers, one per row */
  data: Uint8Array;
  /** DuckDB's validity mask (bit set = has a value); absent when every row has one */
  validity?: Uint8Array;
  long?: LongStrings;
  /** VARCHAR[]: the items of every row, as a VARCHAR vector */
  child?: { count: number; data: Uint8Array; long?: LongStrings };
}

/** One column of a table's batch: a constant (the same text in every row) or one layout per chunk. */
export interface ColumnLayout {
  type: ColumnType;
  constant?: string;
  chunks?: VectorLayout[];
}

function asText(v: Scalar): string {
  return typeof v === 'string' ? v : String(v);
}

function newValidity(n: number): Uint8Array {
  return new Uint8Array(Math.ceil(n / 64) * 8).fill(0xff);
}

function setU64(view: DataView, at: number, v: number): void {
  const hi = Math.floor(v / 4294967296);
  view.setUint32(at, v - hi * 4294967296, true);
  view.setInt32(at + 4, hi, true);
}

const encoder = new TextEncoder();

/** The long strings of a vector as one UTF-8 buffer (encoded in one go when all are ASCII). */
function encodeLong(slots: number[], texts: string[]): LongStrings | undefined {
  if (!slots.length) return undefined;
  const ends = new Uint32Array(texts.length);
  const joined = texts.join('');
  let bytes = encoder.encode(joined);
  if (bytes.length === joined.length) {
    let end = 0;
    for (let k = 0; k < texts.length; k++) ends[k] = end += texts[k]!.length;
  } else {
    // Not all ASCII: encode each on its own (a lone surrogate at the end of one string must not
    // pair with one at the start of the next).
    let end = 0;
    for (let k = 0; k < texts.length; k++) ends[k] = end += Buffer.byteLength(texts[k]!, 'utf8');
    bytes = new Uint8Array(end);
    let at = 0;
    for (const t of texts) at += encoder.encodeInto(t, bytes.subarray(at)).written;
  }
  return { slots: Uint32Array.from(slots), ends, bytes };
}

/** Lay `s` out as the string_t at `slot`, or queue it as a long string. */
function layoutString(data: Uint8Array, view: DataView, slot: number, s: string, slots: number[], texts: string[]): void {
  const n = s.length;
  if (n <= 12) {
    const at = slot * 16;
    let ascii = true;
    for (let j = 0; j < n; j++) {
      const c = s.charCodeAt(j);
      if (c >= 128) { ascii = false; break; }
      data[at + 4 + j] = c;
    }
    if (ascii) {
      view.setUint32(at, n, true);
      return;
    }
    data.fill(0, at, at + 16);
  }
  slots.push(slot);
  texts.push(s);
}

/** The row of the batch that goes to chunk row i (rows may be reordered by time). */
type RowAt = (i: number) => number;

function layoutVarchar(values: ColumnValues, rows: RowAt, n: number): VectorLayout {
  const data = new Uint8Array(n * 16);
  const view = new DataView(data.buffer);
  let validity: Uint8Array | undefined;
  const slots: number[] = [], texts: string[] = [];
  for (let i = 0; i < n; i++) {
    const v = values[rows(i)];
    if (v === undefined || v === null) {
      (validity ??= newValidity(n))[i >> 3]! &= ~(1 << (i & 7));
      continue;
    }
    layoutString(data, view, i, Array.isArray(v) ? v.map(asText).join('\n') : asText(v), slots, texts);
  }
  return { data, validity, long: encodeLong(slots, texts) };
}

function layoutList(values: ColumnValues, rows: RowAt, n: number): VectorLayout {
  const data = new Uint8Array(n * 16);
  const view = new DataView(data.buffer);
  let validity: Uint8Array | undefined;
  const items: string[] = [];
  for (let i = 0; i < n; i++) {
    const v = values[rows(i)];
    if (v === undefined || v === null) {
      (validity ??= newValidity(n))[i >> 3]! &= ~(1 << (i & 7));
      continue;
    }
    const start = items.length;
    if (Array.isArray(v)) for (const x of v) items.push(asText(x));
    else items.push(asText(v));
    setU64(view, i * 16, start);
    setU64(view, i * 16 + 8, items.length - start);
  }
  const childData = new Uint8Array(items.length * 16);
  const childView = new DataView(childData.buffer);
  const slots: number[] = [], texts: string[] = [];
  for (let k = 0; k < items.length; k++) layoutString(childData, childView, k, items[k]!, slots, texts);
  return { data, validity, child: { count: items.length, data: childData, long: encodeLong(slots, texts) } };
}

/** BIGINT, TIMESTAMP (epoch µs) and DOUBLE: 8 bytes a row. */
function layoutNumber(values: ColumnValues, rows: RowAt, n: number, type: ColumnType): VectorLayout {
  const data = new Uint8Array(n * 8);
  const view = new DataView(data.buffer);
  let validity: Uint8Array | undefined;
  const asDouble = type === 'DOUBLE';
  for (let i = 0; i < n; i++) {
    const v = values[rows(i)];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      (validity ??= newValidity(n))[i >> 3]! &= ~(1 << (i & 7));
      continue;
    }
    if (asDouble) view.setFloat64(i * 8, v, true);
    else setU64(view, i * 8, Math.trunc(v));
  }
  return { data, validity };
}

/**
 * Lay out one column of `rowCount` rows in chunks of `chunkRows` (DuckDB's vector size), in the
 * row order `order` if given. Values must fit the type: numbers for BIGINT/DOUBLE/TIMESTAMP,
 * anything for VARCHAR and VARCHAR[] (scalars become text, multivalues a list or newline-joined text).
 */
export function layoutColumn(type: ColumnType, values: ColumnValues, rowCount: number, chunkRows: number, order?: Uint32Array, constant?: string): ColumnLayout {
  if (constant !== undefined) return { type, constant };
  const chunks: VectorLayout[] = [];
  for (let off = 0; off < rowCount; off += chunkRows) chunks.push(layoutVector(type, values, off, Math.min(chunkRows, rowCount - off), order));
  return { type, chunks };
}

/** Lay out rows [off, off + n) of a column (in the row order `order` if given) as one vector. */
export function layoutVector(type: ColumnType, values: ColumnValues, off: number, n: number, order?: Uint32Array): VectorLayout {
  const rows: RowAt = order ? (i) => order[off + i]! : (i) => off + i;
  return type === 'VARCHAR' ? layoutVarchar(values, rows, n) : type === 'VARCHAR[]' ? layoutList(values, rows, n) : layoutNumber(values, rows, n, type);
}

/** The one text every row has, if they all have the same (else undefined). */
export function sameText(values: ColumnValues, rowCount: number): string | undefined {
  if (values.length !== rowCount) return undefined;
  const first = values[0];
  if (typeof first !== 'string') return undefined;
  for (let i = 1; i < values.length; i++) if (values[i] !== first) return undefined;
  return first;
}

/** Every buffer of a column's layout, to transfer it to another thread without a copy. */
export function transferables(c: ColumnLayout, out: ArrayBuffer[]): void {
  const long = (l: LongStrings | undefined) => { if (l) out.push(l.slots.buffer as ArrayBuffer, l.ends.buffer as ArrayBuffer, l.bytes.buffer as ArrayBuffer); };
  for (const v of c.chunks ?? []) {
    out.push(v.data.buffer as ArrayBuffer);
    if (v.validity) out.push(v.validity.buffer as ArrayBuffer);
    long(v.long);
    if (v.child) { out.push(v.child.data.buffer as ArrayBuffer); long(v.child.long); }
  }
}

const decoder = new TextDecoder();

/**
 * A column's values back from its layout, for the rare batch whose column type is narrower than
 * the table's (an earlier batch widened it): the store lays them out again in the table's type.
 */
export function decodeColumn(c: ColumnLayout, rowCount: number): FieldValue[] | (FieldValue | undefined)[] {
  const out: (FieldValue | undefined)[] = new Array(rowCount);
  if (c.constant !== undefined) return out.fill(c.constant);
  let row = 0;
  const has = (v: VectorLayout, i: number) => !v.validity || (v.validity[i >> 3]! & (1 << (i & 7))) !== 0;
  const strings = (data: Uint8Array, count: number, long: LongStrings | undefined): string[] => {
    const s = new Array<string>(count);
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    for (let i = 0; i < count; i++) s[i] = String.fromCharCode(...data.subarray(i * 16 + 4, i * 16 + 4 + view.getUint32(i * 16, true)));
    if (long) for (let k = 0; k < long.slots.length; k++) s[long.slots[k]!] = decoder.decode(long.bytes.subarray(k ? long.ends[k - 1] : 0, long.ends[k]));
    return s;
  };
  for (const v of c.chunks!) {
    const n = v.data.length / (c.type === 'VARCHAR' || c.type === 'VARCHAR[]' ? 16 : 8);
    const view = new DataView(v.data.buffer, v.data.byteOffset, v.data.byteLength);
    const u64 = (at: number) => view.getInt32(at + 4, true) * 4294967296 + view.getUint32(at, true);
    const text = c.type === 'VARCHAR' ? strings(v.data, n, v.long) : undefined;
    const items = c.type === 'VARCHAR[]' ? strings(v.child!.data, v.child!.count, v.child!.long) : undefined;
    for (let i = 0; i < n; i++, row++) {
      if (!has(v, i)) continue;
      if (text) out[row] = text[i];
      else if (items) out[row] = items.slice(u64(i * 16), u64(i * 16) + u64(i * 16 + 8));
      else out[row] = c.type === 'DOUBLE' ? view.getFloat64(i * 8, true) : u64(i * 8);
    }
  }
  return out;
}
