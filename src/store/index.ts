/**
 * The data directory: one DuckDB file, one table per sourcetype, a catalog of what is in them,
 * ingest progress (for exactly-once re-runs) and the quarantine of unreadable input.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { EventRecord, Quarantined } from '../ingest/event.js';
import { EventBatch, type CatalogDelta, type LaidOutBatch } from './batch.js';
import { CHUNK_ROWS, appendColumns, appendLayouts, type ColumnValues } from './chunks.js';
import { decodeColumn, layoutColumn, sameText, type ColumnLayout } from './layout.js';
import { quoteIdent, sqlString } from './sql.js';
import { BASE_COLUMNS, BASE_NAMES, widen, type CatalogEntry, type ColumnType, type FieldInfo } from './types.js';

export { quoteIdent, sqlString, sqlNumber } from './sql.js';
export * from './types.js';
export { EventBatch, layoutBatch, type LaidOutBatch } from './batch.js';

export function defaultDataDir(): string {
  return resolve(process.env.QUARRY_DATA || './quarry-data');
}

/** An event ready to store: parser output plus the index and resolved defaults. */
export interface StoredEvent extends EventRecord {
  time: number;
  index: string;
  host: string;
  source: string;
}

export interface QuarantineRow extends Quarantined {
  index: string;
  sourcetype: string;
  source: string;
}

/**
 * One atomic unit of ingest: these events, these quarantined records, and where reading got to.
 * Events come as a list, or already as columns (the file ingest builds an EventBatch as it parses),
 * or laid out for DuckDB by the ingest worker; an EventBatch is consumed: its rows are released
 * once they are appended.
 */
export interface Batch {
  events: StoredEvent[] | EventBatch | LaidOutBatch;
  quarantined: QuarantineRow[];
  progress?: BatchProgress;
}

/**
 * How far the ingest of one input got: every event ending at or before `offset` is stored, and
 * every event of a table in `tables` ending at or before that table's offset (tables commit on
 * their own). `resetTables` forgets the per-table offsets of an earlier version of the input.
 */
export interface BatchProgress {
  key: string;
  offset: number;
  headHash: string;
  tables?: Record<string, number>;
  resetTables?: boolean;
}

/** Per-table progress rows are keyed by the input's key, this separator and the table's name. */
const TABLE_KEY_SEP = '\u0001';

interface TableInfo {
  table: string;
  /** field name → physical column name and type, in the table's column order */
  columns: Map<string, { column: string; type: ColumnType }>;
  /**
   * field → SQL over this table's columns giving the field where its own column is NULL or
   * absent, and its type: a CIM alias a native ingest left to be derived at search time
   * (setDerived); a search reads the field as coalesce(column, expression), or the expression.
   */
  derived: Map<string, Derived>;
}

/** A field a search derives from the row's other columns (TableInfo.derived). */
export interface Derived { expr: string; type: ColumnType }

const META_DDL = [
  `CREATE TABLE IF NOT EXISTS _quarry_tables (sourcetype VARCHAR PRIMARY KEY, tbl VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS _quarry_columns (tbl VARCHAR, field VARCHAR, col VARCHAR, PRIMARY KEY (tbl, field))`,
  `CREATE TABLE IF NOT EXISTS _quarry_derived (tbl VARCHAR, field VARCHAR, expr VARCHAR NOT NULL, type VARCHAR NOT NULL, PRIMARY KEY (tbl, field))`,
  `CREATE TABLE IF NOT EXISTS _quarry_catalog (idx VARCHAR, sourcetype VARCHAR, event_count BIGINT, earliest TIMESTAMP, latest TIMESTAMP, PRIMARY KEY (idx, sourcetype))`,
  `CREATE TABLE IF NOT EXISTS _quarry_fields (idx VARCHAR, sourcetype VARCHAR, field VARCHAR, PRIMARY KEY (idx, sourcetype, field))`,
  `CREATE TABLE IF NOT EXISTS _quarry_progress (source_key VARCHAR PRIMARY KEY, committed_offset BIGINT, head_hash VARCHAR, updated TIMESTAMP)`,
  `CREATE SEQUENCE IF NOT EXISTS _quarry_quarantine_seq`,
  `CREATE TABLE IF NOT EXISTS _quarry_quarantine (id BIGINT DEFAULT nextval('_quarry_quarantine_seq'), idx VARCHAR, sourcetype VARCHAR, source VARCHAR, line BIGINT, byte_offset BIGINT, reason VARCHAR, text VARCHAR, quarantined_at TIMESTAMP DEFAULT current_timestamp)`,
];

/** DuckDB's buffer pool while a `quarry ingest` runs: enough for a batch's row groups, flat over any file size. */
export const INGEST_MEMORY_LIMIT = '1GB';

const QUARANTINE_COLUMNS = 'idx, sourcetype, source, line, byte_offset, reason, text';

/** The storage format of new database files (DuckDB's storage_compatibility_version). */
const STORAGE_VERSION = 'v1.2.0';

/**
 * `_raw` is compressed with ZSTD where the file's format has it. Measured on 1M Stream JSON events
 * (docs/formats.md §Session 6): the store 2.5x smaller than with DuckDB's own choice (FSST), 4
 * core-seconds less ingest; a full scan of `_raw` as fast, reading `_raw` of a few rows scattered
 * over the table ~35% slower (a whole block is decompressed for them).
 */
const RAW_COMPRESSION = ' USING COMPRESSION zstd';

/**
 * Zeek's lines (~130 bytes of tab-separated values) keep DuckDB's own choice (FSST): for 1M conn
 * lines the store is 82 MB against ZSTD's 76, the insert 3-5 % faster (2,947-2,977 against
 * 3,046-3,166 ms, the same INSERT back to back), and reading a few scattered rows cheaper.
 */
const zstdForRaw = (sourcetype: string) => !sourcetype.startsWith('zeek:');

/** A storage version tag ("v1.2.0+") is at least major.minor. */
function versionAtLeast(tag: string, major: number, minor: number): boolean {
  const m = /^v(\d+)\.(\d+)/.exec(tag);
  return !!m && (Number(m[1]) > major || (Number(m[1]) === major && Number(m[2]) >= minor));
}

export class Store {
  private tables = new Map<string, TableInfo>();
  /** The `_raw` column's compression clause in new tables ('' where the file's format lacks ZSTD). */
  private rawCompression = '';
  private constructor(
    readonly dir: string,
    readonly instance: DuckDBInstance,
    readonly conn: DuckDBConnection,
  ) {}

  /**
   * `memoryLimit` caps DuckDB's buffer pool (e.g. "1GB"; default $QUARRY_MEMORY_LIMIT, else
   * DuckDB's 80 % of RAM). DuckDB keeps the blocks it writes cached up to its limit, so a long
   * ingest grows RSS with the file unless capped; `quarry ingest` caps it (INGEST_MEMORY_LIMIT).
   */
  static async open(dir: string = defaultDataDir(), opts: { memoryLimit?: string } = {}): Promise<Store> {
    mkdirSync(dir, { recursive: true });
    const memoryLimit = opts.memoryLimit ?? process.env.QUARRY_MEMORY_LIMIT;
    if (memoryLimit !== undefined && !/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(memoryLimit)) {
      throw new Error(`memory limit "${memoryLimit}": expected a size such as 2GB or 512MB`);
    }
    // A new file is written in DuckDB 1.2's storage format (an existing one keeps its own): it
    // has ZSTD for strings, which `_raw` uses (see RAW_COMPRESSION).
    const options: Record<string, string> = { storage_compatibility_version: STORAGE_VERSION };
    if (memoryLimit) options.memory_limit = memoryLimit;
    const instance = await DuckDBInstance.create(join(dir, 'quarry.duckdb'), options);
    const conn = await instance.connect();
    const store = new Store(dir, instance, conn);
    const tags = (await conn.runAndReadAll(`SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = current_database()`)).getRows()[0]?.[0];
    store.rawCompression = typeof tags === 'string' && versionAtLeast(tags, 1, 2) ? RAW_COMPRESSION : '';
    for (const ddl of META_DDL) await conn.run(ddl);
    await conn.run(`CREATE TEMP TABLE IF NOT EXISTS _quarry_quarantine_stage (idx VARCHAR, sourcetype VARCHAR, source VARCHAR, line BIGINT, byte_offset BIGINT, reason VARCHAR, text VARCHAR)`);
    await store.loadTables();
    return store;
  }

  /** A new connection to the same database (for searches running beside ingest or each other). */
  connect(): Promise<DuckDBConnection> {
    return this.instance.connect();
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }

  private async loadTables(): Promise<void> {
    this.tables.clear();
    const rows = (await this.conn.runAndReadAll(`SELECT sourcetype, tbl FROM _quarry_tables`)).getRowObjectsJS();
    const cols = (
      await this.conn.runAndReadAll(
        `SELECT c.tbl, c.field, c.col, i.data_type FROM _quarry_columns c JOIN information_schema.columns i ON i.table_name = c.tbl AND i.column_name = c.col ORDER BY c.tbl, i.ordinal_position`,
      )
    ).getRowObjectsJS();
    for (const r of rows) this.tables.set(String(r.sourcetype), { table: String(r.tbl), columns: new Map(), derived: new Map() });
    const byTable = new Map([...this.tables.values()].map((t) => [t.table, t]));
    for (const c of cols) {
      byTable.get(String(c.tbl))?.columns.set(String(c.field), { column: String(c.col), type: String(c.data_type) as ColumnType });
    }
    for (const d of (await this.conn.runAndReadAll(`SELECT tbl, field, expr, type FROM _quarry_derived`)).getRowObjectsJS()) {
      byTable.get(String(d.tbl))?.derived.set(String(d.field), { expr: String(d.expr), type: String(d.type) as ColumnType });
    }
  }

  /** Everything the compiler needs to know before it writes SQL. */
  async catalog(): Promise<CatalogEntry[]> {
    const cat = (
      await this.conn.runAndReadAll(
        `SELECT idx, sourcetype, event_count, epoch_us(earliest) AS e, epoch_us(latest) AS l FROM _quarry_catalog ORDER BY idx, sourcetype`,
      )
    ).getRowObjectsJS();
    const fields = (await this.conn.runAndReadAll(`SELECT idx, sourcetype, field FROM _quarry_fields`)).getRowObjectsJS();
    const fieldsOf = new Map<string, string[]>();
    for (const f of fields) {
      const k = `${f.idx}\u0000${f.sourcetype}`;
      (fieldsOf.get(k) ?? fieldsOf.set(k, []).get(k)!).push(String(f.field));
    }
    return cat.map((c) => {
      const info = this.tables.get(String(c.sourcetype));
      const names = fieldsOf.get(`${c.idx}\u0000${c.sourcetype}`) ?? [];
      return {
        index: String(c.idx),
        sourcetype: String(c.sourcetype),
        table: info?.table ?? '',
        eventCount: Number(c.event_count),
        earliest: c.e == null ? null : Number(c.e),
        latest: c.l == null ? null : Number(c.l),
        fields: names.sort().map((n) => ({ name: n, type: info?.columns.get(n)?.type ?? info?.derived.get(n)?.type ?? 'VARCHAR' })),
      };
    });
  }

  /** Physical column of a field in a sourcetype's table (fields differing only in case get distinct columns). */
  columnOf(sourcetype: string, field: string): { column: string; type: ColumnType } | undefined {
    return this.tables.get(sourcetype)?.columns.get(field);
  }

  tableOf(sourcetype: string): string | undefined {
    return this.tables.get(sourcetype)?.table;
  }

  /** The expression giving a field where its column is NULL or absent (TableInfo.derived), if it has one. */
  derivedOf(sourcetype: string, field: string): Derived | undefined {
    return this.tables.get(sourcetype)?.derived.get(field);
  }

  /**
   * Record fields of a sourcetype's table as derived (TableInfo.derived), inside the caller's
   * transaction (appendSql's insert): a rollback forgets them with the rows.
   */
  async setDerived(conn: DuckDBConnection, sourcetype: string, derived: Map<string, Derived>): Promise<void> {
    const info = this.tables.get(sourcetype);
    if (!info || !derived.size) return;
    const rows = [...derived].map(([field, d]) => `(${sqlString(info.table)}, ${sqlString(field)}, ${sqlString(d.expr)}, ${sqlString(d.type)})`);
    await conn.run(`INSERT INTO _quarry_derived VALUES ${rows.join(', ')} ON CONFLICT (tbl, field) DO UPDATE SET expr = excluded.expr, type = excluded.type`);
    for (const [field, d] of derived) info.derived.set(field, d);
  }

  /**
   * Write the derived fields `which` of a table into their columns (added where they have none)
   * where those are NULL, and forget their expressions. Done for the fields whose expression reads
   * a column about to change type (it was written for the old one: an expression over a text
   * column would read a list), whose own column changes type, or for which a batch brings values
   * of another type than theirs (coalesce() would cast the expression's values, not as the store
   * widens). A batch that brings values of the same type just gets the column: coalesce() keeps
   * reading the expression for the rows before it.
   */
  private async materializeDerived(info: TableInfo, which: string[]): Promise<void> {
    // ALTER … USING, not UPDATE: DuckDB refuses to commit an UPDATE and an ALTER of one table in
    // one transaction ("another transaction has altered this table")
    for (const field of which) {
      if (info.columns.has(field)) continue;
      const { type } = info.derived.get(field)!;
      const column = freeColumnName(field, new Set([...info.columns.values()].map((c) => c.column.toLowerCase())));
      await this.conn.run(`ALTER TABLE ${quoteIdent(info.table)} ADD COLUMN ${quoteIdent(column)} ${type}`);
      await this.conn.run(`INSERT INTO _quarry_columns VALUES ($1, $2, $3)`, [info.table, field, column]);
      info.columns.set(field, { column, type });
    }
    for (const field of which) {
      const { expr } = info.derived.get(field)!;
      const { column, type } = info.columns.get(field)!;
      await this.conn.run(`ALTER TABLE ${quoteIdent(info.table)} ALTER COLUMN ${quoteIdent(column)} SET DATA TYPE ${type} USING coalesce(${quoteIdent(column)}, ${expr})`);
    }
    for (const field of which) {
      await this.conn.run(`DELETE FROM _quarry_derived WHERE tbl = $1 AND field = $2`, [info.table, field]);
      info.derived.delete(field);
    }
  }

  /** The derived fields of a table that a batch of these field types makes write out (materializeDerived). */
  private derivedToWriteOut(info: TableInfo, fields: Map<string, ColumnType>): string[] {
    if (!info.derived.size) return [];
    const changing = [...fields].filter(([f, type]) => {
      const have = info.columns.get(f);
      return have ? widen(have.type, type) !== have.type : info.derived.has(f) && info.derived.get(f)!.type !== type;
    }).map(([f]) => f);
    if (!changing.length) return [];
    const read = changing.map((f) => info.columns.get(f)).filter((c) => c !== undefined).map((c) => quoteIdent(c.column));
    return [...info.derived].filter(([f, d]) => changing.includes(f) || read.some((q) => d.expr.includes(q))).map(([f]) => f);
  }

  /** How far an earlier ingest of this input got (its committed byte offset), if it did. */
  async progressOf(key: string): Promise<{ offset: number; headHash: string; tables: Map<string, number> } | undefined> {
    const r = (
      await this.conn.runAndReadAll(`SELECT committed_offset, head_hash FROM _quarry_progress WHERE source_key = $1`, [key])
    ).getRowObjectsJS();
    if (!r.length) return undefined;
    const t = (
      await this.conn.runAndReadAll(`SELECT source_key, committed_offset FROM _quarry_progress WHERE starts_with(source_key, $1)`, [key + TABLE_KEY_SEP])
    ).getRowObjectsJS();
    const tables = new Map(t.map((x) => [String(x.source_key).slice(key.length + 1), Number(x.committed_offset)]));
    return { offset: Number(r[0]!.committed_offset), headHash: String(r[0]!.head_hash), tables };
  }

  /** Make sure each sourcetype's table exists and has a wide-enough column for every field in the batch. */
  private async ensureSchema(need: Map<string, Map<string, ColumnType>>): Promise<void> {
    for (const [st, fields] of need) {
      let info = this.tables.get(st);
      if (!info) {
        // A new table is created with every column its first batch has: one statement, where an
        // ALTER TABLE per field cost ~50 ms each (1.3 s for a Zeek conn log's first batch).
        const table = `ev_${st}`;
        const columns = new Map(BASE_COLUMNS.map((c) => [c.name, { column: c.name, type: c.type }]));
        const taken = new Set(BASE_COLUMNS.map((c) => c.name.toLowerCase()));
        for (const [field, type] of fields) {
          if (columns.has(field)) continue;
          const column = freeColumnName(field, taken);
          taken.add(column.toLowerCase());
          columns.set(field, { column, type });
        }
        const raw = zstdForRaw(st) ? this.rawCompression : '';
        const ddl = [...columns.values()].map((c) => `${quoteIdent(c.column)} ${c.type}${c.column === '_raw' ? raw : ''}`).join(', ');
        await this.conn.run(`CREATE TABLE IF NOT EXISTS ${quoteIdent(table)} (${ddl})`);
        await this.conn.run(`INSERT INTO _quarry_tables VALUES (${sqlString(st)}, ${sqlString(table)}) ON CONFLICT DO NOTHING`);
        const rows = [...columns].map(([field, c]) => `(${sqlString(table)}, ${sqlString(field)}, ${sqlString(c.column)})`);
        await this.conn.run(`INSERT INTO _quarry_columns VALUES ${rows.join(', ')} ON CONFLICT DO NOTHING`);
        this.tables.set(st, (info = { table, columns, derived: new Map() }));
        continue;
      }
      // derived fields that a type change concerns are written out first
      const writeOut = this.derivedToWriteOut(info, fields);
      if (writeOut.length) await this.materializeDerived(info, writeOut);
      for (const [field, type] of fields) {
        const have = info.columns.get(field);
        if (!have) {
          const column = freeColumnName(field, new Set([...info.columns.values()].map((c) => c.column.toLowerCase())));
          await this.conn.run(`ALTER TABLE ${quoteIdent(info.table)} ADD COLUMN ${quoteIdent(column)} ${type}`);
          await this.conn.run(`INSERT INTO _quarry_columns VALUES ($1, $2, $3)`, [info.table, field, column]);
          info.columns.set(field, { column, type });
        } else if (widen(have.type, type) !== have.type) {
          const to = widen(have.type, type);
          const col = quoteIdent(have.column);
          // Numbers become the text Splunk would show: 1, not 1.0.
          const text = have.type === 'DOUBLE' ? `CASE WHEN ${col} = trunc(${col}) AND abs(${col}) < 1e15 THEN CAST(CAST(${col} AS BIGINT) AS VARCHAR) ELSE CAST(${col} AS VARCHAR) END` : `CAST(${col} AS VARCHAR)`;
          const using =
            to === 'VARCHAR[]' && have.type !== 'VARCHAR[]'
              ? ` USING CASE WHEN ${col} IS NULL THEN NULL ELSE [${text}] END`
              : to === 'VARCHAR'
                ? ` USING ${text}`
                : '';
          await this.conn.run(`ALTER TABLE ${quoteIdent(info.table)} ALTER COLUMN ${col} SET DATA TYPE ${to}${using}`);
          have.type = to;
        }
      }
    }
  }

  /**
   * Store one batch atomically: its events, its quarantined records and the input offset reached
   * commit together or not at all, so a re-run after a crash neither loses nor repeats an event.
   */
  async append(batch: Batch): Promise<void> {
    // One writer at a time on the store's connection (HEC requests arrive concurrently).
    const run = this.writing.then(() => this.appendNow(batch));
    this.writing = run.catch(() => undefined);
    return run;
  }

  private writing: Promise<unknown> = Promise.resolve();

  private async appendNow(batch: Batch): Promise<void> {
    const rows = Array.isArray(batch.events) ? toColumns(batch.events) : batch.events;
    await this.conn.run('BEGIN TRANSACTION');
    try {
      // New tables and columns commit with the batch that needs them (and one fsync, not one each).
      await this.ensureSchema(rows instanceof EventBatch ? schemaOf(rows) : new Map(rows.laidOut.map((t) => [t.sourcetype, new Map(t.fields)])));
      // Rows go through DuckDB's appender as columnar data chunks (see chunks.ts). The appender
      // writes inside this connection's transaction, so the rows commit with the catalog,
      // the quarantine rows and the offset below, or not at all.
      if (rows instanceof EventBatch) await this.appendRows(rows);
      else await this.appendLaidOut(rows);
      if (batch.quarantined.length) await this.appendQuarantine(batch.quarantined);
      if (batch.progress) await this.saveProgress(batch.progress);
      await this.conn.run('COMMIT');
    } catch (err) {
      await this.conn.run('ROLLBACK');
      await this.loadTables(); // forget tables and columns the rolled-back batch added
      throw err;
    }
  }

  private async appendRows(rows: EventBatch): Promise<void> {
    for (const t of rows.tables.values()) {
      const info = this.tables.get(t.sourcetype)!;
      const st = new Array<string>(t.rows).fill(t.sourcetype);
      const base: Record<string, ColumnValues> = { _time: t.time, index: t.index, sourcetype: st, source: t.source, host: t.host, _raw: t.raw };
      const columns = [...info.columns].map(([field, c]) => {
        const values = BASE_NAMES.has(field) ? base[field] : t.fields.get(field)?.values;
        const constant = c.type === 'VARCHAR' && field !== '_raw' && values ? sameText(values, t.rows) : undefined;
        return { type: c.type, values, constant };
      });
      const appender = await this.conn.createAppender(info.table);
      try {
        appendColumns(appender, columns, t.rows, t.timeOrder());
      } finally {
        appender.closeSync();
      }
      t.release();
    }
    await this.updateCatalog(catalogOf(rows));
  }

  /** Laid-out tables: each column as the worker laid it out, unless the table's column is wider. */
  private async appendLaidOut(rows: LaidOutBatch): Promise<void> {
    for (const t of rows.laidOut) {
      const info = this.tables.get(t.sourcetype)!;
      const columns = [...info.columns].map(([field, c]): ColumnLayout => {
        const laid = t.columns.get(field);
        if (laid?.type === c.type) return laid;
        // Not in this batch (every row null), or narrower than the table (an earlier batch widened it).
        const values = laid ? decodeColumn(laid, t.rows) : [];
        const constant = c.type === 'VARCHAR' && field !== '_raw' ? sameText(values, t.rows) : undefined;
        return layoutColumn(c.type, values, t.rows, CHUNK_ROWS, undefined, constant);
      });
      const appender = await this.conn.createAppender(info.table);
      try {
        appendLayouts(appender, columns, t.rows);
      } finally {
        appender.closeSync();
      }
      t.columns.clear();
    }
    await this.updateCatalog(rows.laidOut.map((t) => ({ sourcetype: t.sourcetype, deltas: t.catalog })));
  }

  /**
   * Store rows that a SQL statement inserts (DuckDB reading a file itself, see
   * src/ingest/native/), atomically like `append`: `shape` is a batch without rows whose tables
   * list every field in column order with its type and whose catalog deltas hold the counts and
   * time range; it creates and widens the tables and columns as an appended batch would. `insert`
   * is called after that, inside the transaction, and adds the rows (naming physical columns with
   * `columnOf`); it may still set the shape's catalog deltas.
   */
  async appendSql(shape: EventBatch, insert: (conn: DuckDBConnection) => Promise<void>, progress?: BatchProgress): Promise<void> {
    const run = this.writing.then(async () => {
      await this.conn.run('BEGIN TRANSACTION');
      try {
        await this.ensureSchema(schemaOf(shape));
        await insert(this.conn);
        await this.updateCatalog(catalogOf(shape));
        if (progress) await this.saveProgress(progress);
        await this.conn.run('COMMIT');
      } catch (err) {
        await this.conn.run('ROLLBACK');
        await this.loadTables();
        throw err;
      }
    });
    this.writing = run.catch(() => undefined);
    return run;
  }

  private async saveProgress(p: BatchProgress): Promise<void> {
    if (p.resetTables) await this.conn.run(`DELETE FROM _quarry_progress WHERE starts_with(source_key, $1)`, [p.key + TABLE_KEY_SEP]);
    const rows: [string, number, string][] = [[p.key, p.offset, p.headHash]];
    for (const [table, offset] of Object.entries(p.tables ?? {})) rows.push([p.key + TABLE_KEY_SEP + table, offset, '']);
    const values = rows.map(([k, o, h]) => `(${sqlString(k)}, ${Math.trunc(o)}, ${sqlString(h)}, current_timestamp)`).join(', ');
    await this.conn.run(
      `INSERT INTO _quarry_progress VALUES ${values} ON CONFLICT (source_key) DO UPDATE SET committed_offset = excluded.committed_offset, head_hash = excluded.head_hash, updated = excluded.updated`,
    );
  }

  /**
   * Quarantined lines through the appender too (a file of junk must not cost a statement a line):
   * into a temporary staging table, then one INSERT that lets the table number and date them.
   */
  private async appendQuarantine(rows: QuarantineRow[]): Promise<void> {
    const col = <T>(f: (q: QuarantineRow) => T) => rows.map(f);
    const appender = await this.conn.createAppender('_quarry_quarantine_stage', 'main', 'temp');
    try {
      appendColumns(
        appender,
        [
          { type: 'VARCHAR', values: col((q) => q.index) },
          { type: 'VARCHAR', values: col((q) => q.sourcetype) },
          { type: 'VARCHAR', values: col((q) => q.source) },
          { type: 'BIGINT', values: col((q) => q.line) },
          { type: 'BIGINT', values: col((q) => q.offset) },
          { type: 'VARCHAR', values: col((q) => q.reason) },
          { type: 'VARCHAR', values: col((q) => q.text) },
        ],
        rows.length,
      );
    } finally {
      appender.closeSync();
    }
    await this.conn.run(`INSERT INTO _quarry_quarantine (${QUARANTINE_COLUMNS}) SELECT ${QUARANTINE_COLUMNS} FROM temp._quarry_quarantine_stage`);
    await this.conn.run(`DELETE FROM temp._quarry_quarantine_stage`);
  }

  /** Event counts, time range and field names per index+sourcetype: one statement each per batch. */
  private async updateCatalog(tables: { sourcetype: string; deltas: { index: string; count: number; earliest: number; latest: number; fields: Iterable<string> }[] }[]): Promise<void> {
    for (const t of tables) {
      for (const a of t.deltas) {
        await this.conn.run(
          `INSERT INTO _quarry_catalog VALUES ($1, $2, $3, make_timestamp($4::BIGINT), make_timestamp($5::BIGINT))
           ON CONFLICT (idx, sourcetype) DO UPDATE SET event_count = _quarry_catalog.event_count + excluded.event_count,
             earliest = least(_quarry_catalog.earliest, excluded.earliest), latest = greatest(_quarry_catalog.latest, excluded.latest)`,
          [a.index, t.sourcetype, a.count, Math.trunc(a.earliest), Math.trunc(a.latest)],
        );
        const values = [...a.fields].map((f) => `(${sqlString(a.index)}, ${sqlString(t.sourcetype)}, ${sqlString(f)})`);
        for (let i = 0; i < values.length; i += 500) {
          await this.conn.run(`INSERT INTO _quarry_fields VALUES ${values.slice(i, i + 500).join(', ')} ON CONFLICT DO NOTHING`);
        }
      }
    }
  }

  async quarantineCount(): Promise<number> {
    const r = (await this.conn.runAndReadAll(`SELECT count(*) AS n FROM _quarry_quarantine`)).getRowObjectsJS();
    return Number(r[0]!.n);
  }
}

/**
 * The physical column for a field: its own name unless a column differing only in case is taken
 * (DuckDB resolves identifiers case-insensitively; Splunk field names are case-sensitive).
 */
function freeColumnName(field: string, takenLower: Set<string>): string {
  let column = field;
  for (let n = 2; takenLower.has(column.toLowerCase()); n++) column = `${field}~${n}`;
  return column;
}


/** The type each field of a batch needs, per table. */
function schemaOf(batch: EventBatch): Map<string, Map<string, ColumnType>> {
  return new Map([...batch.tables.values()].map((t) => [t.sourcetype, new Map([...t.fields].map(([k, c]) => [k, c.type]))]));
}

/** What a batch adds to the catalog, per table. */
function catalogOf(batch: EventBatch): { sourcetype: string; deltas: CatalogDelta[] }[] {
  return [...batch.tables.values()].map((t) => ({ sourcetype: t.sourcetype, deltas: batch.catalogOf(t) }));
}

function toColumns(events: StoredEvent[]): EventBatch {
  const b = new EventBatch();
  for (const e of events) b.add(e.sourcetype, e.index, e.time, e.host, e.source, e.raw, e.fields);
  return b;
}

export type { FieldInfo };
