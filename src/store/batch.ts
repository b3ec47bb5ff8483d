/**
 * A batch of events kept as columns, one set per sourcetype table, built as events arrive: each
 * value lands in its field's array and widens that field's type for the batch, so the store needs
 * no second pass over the events to learn the schema, the catalog or the rows to write.
 */
import type { FieldValue } from '../ingest/event.js';
import { layoutColumn, sameText, transferables, type ColumnLayout, type ColumnValues } from './layout.js';
import { BASE_NAMES, widen, type ColumnType } from './types.js';

export interface FieldColumn {
  /** values by row; holes are rows without the field */
  values: (FieldValue | undefined)[];
  /** the narrowest type that holds every value of this batch */
  type: ColumnType;
}

/** What the catalog learns from one index+sourcetype in a batch. */
export interface CatalogDelta {
  index: string;
  count: number;
  earliest: number;
  latest: number;
  fields: Set<string>;
}

export class TableRows {
  rows = 0;
  readonly time: number[] = [];
  readonly index: string[] = [];
  readonly source: string[] = [];
  readonly host: string[] = [];
  readonly raw: string[] = [];
  readonly fields = new Map<string, FieldColumn>();
  /** per index (almost always one) */
  readonly catalog = new Map<string, CatalogDelta>();
  constructor(readonly sourcetype: string) {}

  /** Drop the rows once they are in DuckDB (the catalog part stays): a batch awaiting its commit holds little memory. */
  release(): void {
    for (const a of [this.time, this.index, this.source, this.host, this.raw]) a.length = 0;
    for (const c of this.fields.values()) c.values = [];
  }

  /** Rows in time order when they are not already (keeps each batch's row groups time-clustered). */
  timeOrder(): Uint32Array | undefined {
    const t = this.time;
    let sorted = true;
    for (let i = 1; i < t.length && sorted; i++) if (t[i]! < t[i - 1]!) sorted = false;
    if (sorted) return undefined;
    const order = new Uint32Array(t.length);
    for (let i = 0; i < order.length; i++) order[i] = i;
    return order.sort((a, b) => t[a]! - t[b]! || a - b);
  }
}

export function valueType(v: FieldValue): ColumnType {
  if (Array.isArray(v)) return 'VARCHAR[]';
  if (typeof v === 'number') return Number.isInteger(v) && Number.isSafeInteger(v) ? 'BIGINT' : 'DOUBLE';
  return 'VARCHAR';
}

export class EventBatch {
  readonly tables = new Map<string, TableRows>();
  events = 0;
  /** bytes of raw text held, to bound a batch's memory as well as its event count */
  rawChars = 0;

  add(sourcetype: string, index: string, time: number, host: string, source: string, raw: string, fields: Record<string, FieldValue>): void {
    let t = this.tables.get(sourcetype);
    if (!t) this.tables.set(sourcetype, (t = new TableRows(sourcetype)));
    const row = t.rows++;
    t.time.push(time);
    t.index.push(index);
    t.host.push(host);
    t.source.push(source);
    t.raw.push(raw);
    this.events++;
    this.rawChars += raw.length;
    let cat = t.catalog.get(index);
    if (!cat) {
      // A second index in one table's batch: from now on fields are listed per index as they come;
      // every field seen so far belongs to the first one.
      if (t.catalog.size === 1) for (const first of t.catalog.values()) for (const k of t.fields.keys()) first.fields.add(k);
      t.catalog.set(index, (cat = { index, count: 0, earliest: time, latest: time, fields: new Set() }));
    }
    cat.count++;
    if (time < cat.earliest) cat.earliest = time;
    if (time > cat.latest) cat.latest = time;
    const many = t.catalog.size > 1;
    for (const k in fields) {
      const v = fields[k];
      if (v === null || v === undefined) continue;
      let col = t.fields.get(k);
      if (!col) {
        // Fields named like a base column (host, index…) are listed in the catalog but stored only as the base column.
        if (BASE_NAMES.has(k)) { cat.fields.add(k); continue; }
        t.fields.set(k, (col = { values: [], type: valueType(v) }));
      } else if (typeof v !== 'string' || col.type !== 'VARCHAR') {
        const type = valueType(v);
        if (type !== col.type) col.type = widen(col.type, type);
      }
      // Rows without the field are filled with undefined, not left as holes: a sparse array
      // falls into V8's dictionary mode, which made this store (and the chunk fill) 3x slower.
      const values = col.values;
      while (values.length < row) values.push(undefined);
      values.push(v);
      if (many) cat.fields.add(k);
    }
  }

  /** Take over another batch's tables (of other sourcetypes than this one's). */
  absorb(other: EventBatch): void {
    for (const [st, t] of other.tables) {
      if (this.tables.has(st)) throw new Error(`batch already holds ${st}`);
      this.tables.set(st, t);
    }
    this.events += other.events;
    this.rawChars += other.rawChars;
  }

  /** The catalog's view: fields per index (with one index, every field column of the table). */
  catalogOf(t: TableRows): CatalogDelta[] {
    const out = [...t.catalog.values()];
    if (out.length === 1) for (const k of t.fields.keys()) out[0]!.fields.add(k);
    return out;
  }
}

/** A table's rows laid out for DuckDB (layout.ts), with what the store needs besides: made by the ingest worker. */
export interface TableLayout {
  sourcetype: string;
  rows: number;
  /** each field's type in this batch: the table must be at least as wide */
  fields: [string, ColumnType][];
  catalog: { index: string; count: number; earliest: number; latest: number; fields: string[] }[];
  /** by field name, base columns (_time, index, …) included; rows in time order */
  columns: Map<string, ColumnLayout>;
}

/** An EventBatch laid out, ready to cross to the thread that owns the store. */
export interface LaidOutBatch {
  laidOut: TableLayout[];
  events: number;
}

/** Lay a batch out for the store; `transfer` lists its buffers (for postMessage). The batch is consumed. */
export function layoutBatch(batch: EventBatch, chunkRows: number, transfer: ArrayBuffer[]): LaidOutBatch {
  const laidOut: TableLayout[] = [];
  for (const t of batch.tables.values()) {
    const order = t.timeOrder();
    const columns = new Map<string, ColumnLayout>();
    const put = (name: string, type: ColumnType, values: ColumnValues, constant?: string) => {
      const c = layoutColumn(type, values, t.rows, chunkRows, order, constant);
      transferables(c, transfer);
      columns.set(name, c);
    };
    put('_time', 'TIMESTAMP', t.time);
    put('index', 'VARCHAR', t.index, sameText(t.index, t.rows));
    put('sourcetype', 'VARCHAR', [], t.sourcetype);
    put('source', 'VARCHAR', t.source, sameText(t.source, t.rows));
    put('host', 'VARCHAR', t.host, sameText(t.host, t.rows));
    put('_raw', 'VARCHAR', t.raw);
    const fields: [string, ColumnType][] = [];
    for (const [k, c] of t.fields) {
      fields.push([k, c.type]);
      put(k, c.type, c.values, c.type === 'VARCHAR' ? sameText(c.values, t.rows) : undefined);
    }
    const catalog = batch.catalogOf(t).map((d) => ({ ...d, fields: [...d.fields] }));
    laidOut.push({ sourcetype: t.sourcetype, rows: t.rows, fields, catalog, columns });
    t.release();
  }
  return { laidOut, events: batch.events };
}
