/**
 * Search jobs: a search runs on its own DuckDB connection, so several run at once and one can be
 * cancelled (conn.interrupt()) without touching the others.
 *
 * A job compiles its SPL, then (for event searches) answers the first page of events and the
 * timeline straight from the compiled SQL — these are what an analyst looks at first — and only
 * then materialises the whole result as `CREATE TEMP TABLE job_<sid> AS <sql>` for paging, the
 * statistics table and the fields summary. Transforming searches (stats, timechart, …)
 * materialise at once. Jobs expire after `ttlMs` without being looked at.
 */
import { randomBytes } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { FieldKind, FieldSummary, JobState, JobStatus, Row, Summary, Timeline } from '../shared/api-types.js';
import type { Store } from '../store/index.js';
import { isGuessMiss, retryWithoutGuesses } from '../compile/guesses.js';

// the API's shapes live in src/shared/api-types.ts (the page imports them from there too)
export type { FieldKind, FieldSummary, JobState, JobStatus, Row, Summary, Timeline, TimelineBucket } from '../shared/api-types.js';

export interface OutField {
  name: string;
  column: string;
  type: FieldKind;
}
export interface CompiledSearch {
  sql: string;
  fields: OutField[];
  transforming: boolean;
  /** epoch µs */
  range: { earliest?: number; latest?: number };
  /** fieldformat: field → SQL expression over the final relation */
  formats: Record<string, string>;
}
export interface SearchOptions {
  earliest?: string;
  latest?: string;
  tz: string;
  /** false: compile without guesses about the data (src/compile/guesses.ts) */
  guesses?: boolean;
}

/** What a job needs from the SPL compiler (src/search/index.ts provides it; tests may fake it). */
export interface SearchEngine {
  compile(store: Store, conn: DuckDBConnection, spl: string, opts: SearchOptions): Promise<CompiledSearch>;
  readRows(conn: DuckDBConnection, sql: string, fields: OutField[], limit?: number): Promise<Row[]>;
}

export interface JobManagerOptions {
  /** a job not looked at for this long is dropped (default 10 min) */
  ttlMs?: number;
  /** events kept for paging and the summary (default 100 000) */
  maxEvents?: number;
  /** rows kept for transforming results (default 50 000) */
  maxResults?: number;
  /** events answered before materialisation (default 100) */
  previewCount?: number;
  maxJobs?: number;
}

export class JobError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly detail?: { span?: { start: number; end: number }; hint?: string; text?: string },
  ) {
    super(message);
  }
}

/** Splunk-like timeline spans: the smallest that gives at most `maxBuckets` buckets. */
const SPANS = [1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 604800, 2592000];
export function chooseSpan(earliestUs: number, latestUs: number, maxBuckets = 150): number {
  const secs = Math.max(1, (latestUs - earliestUs) / 1e6);
  for (const s of SPANS) if (secs / s <= maxBuckets) return s;
  return 31536000;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(v: T): void;
  reject(e: unknown): void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {});
  return { promise, resolve, reject };
}

/**
 * An event search's SQL ends with the engine's newest-first order. Aggregates over it (timeline,
 * counts) do not need that sort, and a sort + LIMIT written outside lets DuckDB do a top-N, so
 * the order is split off when it is exactly that tail.
 */
const NEWEST_FIRST = /\s+ORDER BY "_time" DESC NULLS LAST\s*$/;
export function splitOrder(sql: string): { unordered: string; newestFirst: boolean } {
  return NEWEST_FIRST.test(sql) ? { unordered: sql.replace(NEWEST_FIRST, ''), newestFirst: true } : { unordered: sql, newestFirst: false };
}
/**
 * `sql` limited to n rows, keeping its order. With `sinceUs` (an event search's time from which
 * at least n events are newer, read off the timeline) the rows are filtered before the sort, so
 * DuckDB sorts n rows instead of all of them with their payload.
 */
function limited(sql: string, n: number, sinceUs?: number | null, order = NEWEST): string {
  const { unordered, newestFirst } = splitOrder(sql);
  if (!newestFirst) return `SELECT * FROM (${sql}) LIMIT ${n}`;
  const where = sinceUs != null ? ` WHERE "_time" >= make_timestamp(${Math.floor(sinceUs)})` : '';
  return `SELECT * FROM (${unordered})${where} ${order} LIMIT ${n}`;
}
const NEWEST = 'ORDER BY "_time" DESC NULLS LAST';
/** Newest first, and a total order among events of the same time so pages never overlap. */
const NEWEST_STABLE = 'ORDER BY "_time" DESC NULLS LAST, "_raw" DESC NULLS LAST';

/** The start of the newest bucket from which at least n events are newer (null: keep all). */
export function cutoffFor(tl: Timeline | null, n: number): number | null {
  if (!tl) return null;
  let acc = 0;
  for (let i = tl.buckets.length - 1; i >= 0; i--) {
    acc += tl.buckets[i]!.count;
    if (acc >= n) return tl.buckets[i]!.t;
  }
  return null;
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

class Job {
  readonly sid: string;
  readonly started = Date.now();
  finished: number | null = null;
  lastSeen = Date.now();
  state: JobState = 'parsing';
  phase = 'compile';
  compiled: CompiledSearch | null = null;
  eventCount: number | null = null;
  resultCount: number | null = null;
  error: JobStatus['error'];
  preview: Row[] | null = null;
  timeline: Timeline | null = null;
  summary: Summary | null = null;
  private summaryPromise: Promise<Summary> | null = null;
  private previewDone = deferred<void>();
  private timelineDone = deferred<void>();
  private materialized!: Promise<void>;
  private resolveMaterialized!: () => void;
  private rejectMaterialized!: (e: unknown) => void;
  private conn: DuckDBConnection | null = null;
  /**
   * 'query': an event search in the engine's newest-first order is not materialised; pages,
   * the summary and the export query the kept events (the newest maxEvents, bounded by a time
   * read off the timeline) reading only the rows and columns they need. 'table': everything
   * else is materialised as job_<sid>.
   */
  mode: 'table' | 'query' = 'table';
  private unordered = '';
  private order = NEWEST;
  private since: number | null = null;
  /** a second connection for the timeline, so it runs beside the first page of events */
  private side: DuckDBConnection | null = null;
  private sides = new Set<DuckDBConnection>();
  /** serialises work on the job's connection */
  private queue: Promise<unknown> = Promise.resolve();
  private phaseBase = 0;
  private phaseWeight = 0;

  constructor(
    readonly store: Store,
    readonly engine: SearchEngine,
    readonly search: string,
    public opts: SearchOptions,
    readonly limits: Required<JobManagerOptions>,
  ) {
    this.sid = `${Date.now().toString(36)}_${randomBytes(6).toString('hex')}`;
    this.materialized = new Promise((res, rej) => {
      this.resolveMaterialized = res;
      this.rejectMaterialized = rej;
    });
    this.materialized.catch(() => {});
  }

  get table(): string {
    return `job_${this.sid}`;
  }

  /** Compile (throws the SplError as a JobError 400), then run in the background. */
  async start(): Promise<void> {
    const conn = (this.conn = await this.store.connect());
    try {
      this.compiled = await retryWithoutGuesses(this.opts.guesses, (guesses) => {
        this.opts = { ...this.opts, guesses };
        return this.engine.compile(this.store, conn, this.search, this.opts);
      });
    } catch (e) {
      this.fail(e);
      this.closeConn();
      const err = e as { name?: string; message?: string; span?: { start: number; end: number }; hint?: string; text?: string };
      if (err && err.span && typeof err.span.start === 'number') {
        throw new JobError(err.message ?? String(e), 400, { span: err.span, hint: err.hint, text: err.text });
      }
      throw new JobError(err?.message ?? String(e), 400);
    }
    this.state = 'running';
    void this.run();
  }

  private fail(e: unknown): void {
    if (this.state === 'cancelled') return;
    const err = e as { message?: string; span?: { start: number; end: number }; hint?: string };
    this.state = 'failed';
    this.phase = 'failed';
    this.error = { message: err?.message ?? String(e), span: err?.span, hint: err?.hint };
    this.finished = Date.now();
  }

  private onConn<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    const next = this.queue.then(() => {
      if (this.state === 'cancelled' || !this.conn) throw new JobError('job was cancelled', 410);
      return fn(this.conn);
    });
    this.queue = next.catch(() => {});
    return next;
  }

  private setPhase(phase: string, base: number, weight: number): void {
    this.phase = phase;
    this.phaseBase = base;
    this.phaseWeight = weight;
  }

  get progress(): number {
    if (this.state === 'done') return 1;
    if (this.state !== 'running') return this.state === 'parsing' ? 0 : 1;
    let p = 0;
    try {
      const pr = this.conn?.progress as { percentage?: number } | undefined;
      if (pr && typeof pr.percentage === 'number' && pr.percentage > 0) p = Math.min(1, pr.percentage / 100);
    } catch {
      p = 0;
    }
    return Math.min(0.99, this.phaseBase + this.phaseWeight * p);
  }

  private async run(): Promise<void> {
    const c = this.compiled!;
    const fields = c.fields;
    const hasTime = fields.some((f) => f.name === '_time');
    const split = splitOrder(c.sql);
    if (!c.transforming && hasTime && split.newestFirst) {
      this.mode = 'query';
      this.unordered = split.unordered;
      if (fields.some((f) => f.name === '_raw')) this.order = NEWEST_STABLE;
    }
    try {
      if (this.mode === 'query') {
        // The timeline first (it reads only _time), then the newest events, read only from the
        // buckets that hold them: both well under a second on millions of events.
        this.setPhase('timeline', 0, 0.6);
        this.timeline = await this.onConn((conn) => this.computeTimeline(conn, c));
        this.eventCount = this.timeline.buckets.reduce((a, b) => a + b.count, 0);
        this.timelineDone.resolve();
        this.setPhase('preview', 0.6, 0.4);
        const n = this.limits.previewCount;
        this.preview = await this.onConn((conn) => this.engine.readRows(conn, limited(c.sql, n, cutoffFor(this.timeline, n), this.order), fields, n));
        this.previewDone.resolve();
        this.since = cutoffFor(this.timeline, this.limits.maxEvents);
        this.resultCount = Math.min(this.eventCount, this.limits.maxEvents);
        this.resolveMaterialized();
        if (this.state === 'running') {
          this.state = 'done';
          this.phase = 'done';
          this.finished = Date.now();
        }
        return;
      }
      if (!c.transforming) {
        this.setPhase('preview', 0, 0.2);
        // The timeline runs on its own connection beside the first page of events.
        const sideTimeline = hasTime ? this.sideTimeline() : Promise.resolve(null);
        this.preview = await this.onConn((conn) =>
          this.engine.readRows(conn, limited(c.sql, this.limits.previewCount), fields, this.limits.previewCount),
        );
        this.previewDone.resolve();
        if (hasTime) {
          this.setPhase('timeline', 0.2, 0.3);
          this.timeline = (await sideTimeline) ?? (await this.onConn((conn) => this.computeTimeline(conn, c)));
          this.eventCount = this.timeline.buckets.reduce((a, b) => a + b.count, 0);
        }
        this.timelineDone.resolve();
        this.setPhase('materialize', 0.5, 0.5);
        const cap = this.limits.maxEvents;
        await this.onConn((conn) => conn.run(`CREATE TEMP TABLE ${this.table} AS ${limited(c.sql, cap, cutoffFor(this.timeline, cap))}`));
      } else {
        this.setPhase('materialize', 0, 1);
        await this.onConn((conn) =>
          conn.run(`CREATE TEMP TABLE ${this.table} AS ${limited(c.sql, this.limits.maxResults)}`),
        );
      }
      const n = await this.onConn(async (conn) => {
        const r = await conn.runAndReadAll(`SELECT count(*)::BIGINT AS n FROM ${this.table}`);
        return Number(r.getRows()[0]![0]);
      });
      this.resultCount = n;
      this.previewDone.resolve();
      this.timelineDone.resolve();
      if (!c.transforming && this.eventCount === null) this.eventCount = n;
      this.resolveMaterialized();
      if (this.state === 'running') {
        this.state = 'done';
        this.phase = 'done';
        this.finished = Date.now();
      }
    } catch (e) {
      if (isGuessMiss(e) && this.opts.guesses !== false && this.state === 'running') {
        // the data contradicted a guess the compiler made: compile without guesses, run again
        this.opts = { ...this.opts, guesses: false };
        try {
          this.compiled = await this.onConn((conn) => this.engine.compile(this.store, conn, this.search, this.opts));
          return await this.run();
        } catch (e2) {
          e = e2;
        }
      }
      this.previewDone.reject(e);
      this.timelineDone.reject(e);
      this.rejectMaterialized(e);
      this.fail(e);
    }
  }

  /** Compile again on a second connection (functions and temp tables are per connection) and bucket there; null if that fails. */
  private async sideTimeline(): Promise<Timeline | null> {
    let side: DuckDBConnection | null = null;
    try {
      side = await this.store.connect();
      this.side = side;
      if (this.state !== 'running') return null;
      const c2 = await this.engine.compile(this.store, side, this.search, this.opts);
      const tl = await this.computeTimeline(side, c2);
      this.timeline = tl;
      this.eventCount = tl.buckets.reduce((a, b) => a + b.count, 0);
      this.timelineDone.resolve();
      return tl;
    } catch {
      return null;
    } finally {
      this.side = null;
      try {
        side?.closeSync();
      } catch {
        /* closed */
      }
    }
  }

  private async computeTimeline(conn: DuckDBConnection, c: CompiledSearch): Promise<Timeline> {
    const sql = splitOrder(c.sql).unordered;
    let earliest = c.range.earliest ?? null;
    let latest = c.range.latest ?? null;
    if (earliest === null || latest === null) {
      const r = await conn.runAndReadAll(
        `SELECT epoch_us(min(_time))::BIGINT, epoch_us(max(_time))::BIGINT FROM (SELECT _time FROM (${sql}))`,
      );
      const [mn, mx] = r.getRows()[0]!;
      if (mn === null || mx === null) return { span: 1, earliest, latest, buckets: [], available: true };
      if (earliest === null) earliest = Number(mn);
      if (latest === null) latest = Number(mx) + 1;
    }
    const span = chooseSpan(earliest, latest);
    const r = await conn.runAndReadAll(
      `SELECT (epoch_us(_time) // ${span * 1e6}) * ${span * 1e6} AS b, count(*)::BIGINT AS n
         FROM (SELECT _time FROM (${sql})) WHERE _time IS NOT NULL GROUP BY b ORDER BY b`,
    );
    const buckets = r.getRows().map(([b, n]) => ({ t: Number(b), count: Number(n) }));
    return { span, earliest, latest, buckets, available: true };
  }

  status(): JobStatus {
    const c = this.compiled;
    return {
      sid: this.sid,
      search: this.search,
      earliest: this.opts.earliest,
      latest: this.opts.latest,
      tz: this.opts.tz,
      state: this.state,
      progress: this.progress,
      phase: this.phase,
      transforming: c?.transforming ?? false,
      eventCount: c?.transforming ? null : this.eventCount,
      resultCount: this.resultCount,
      truncated: !c?.transforming && this.eventCount !== null && this.resultCount !== null && this.eventCount > this.resultCount,
      elapsedMs: (this.finished ?? Date.now()) - this.started,
      fields: (c?.fields ?? []).map((f) => ({ name: f.name, type: f.type })),
      formats: c?.formats ?? {},
      range: c?.range ?? {},
      error: this.error,
    };
  }

  private checkAlive(): void {
    if (this.state === 'cancelled') throw new JobError('job was cancelled', 410);
    if (this.state === 'failed') throw new JobError(this.error?.message ?? 'search failed', 409);
  }

  private async ready(): Promise<void> {
    this.checkAlive();
    await this.materialized;
  }

  async events(offset: number, count: number): Promise<{ offset: number; count: number; total: number | null; rows: Row[] }> {
    const c = this.compiled!;
    if (this.resultCount === null && !this.preview && !c.transforming) {
      this.checkAlive();
      await this.previewDone.promise.catch(() => {});
    }
    const p = this.preview;
    // the preview answers while the job runs, and always in query mode (same order as the pages)
    if ((this.resultCount === null || this.mode === 'query') && p && (offset + count <= p.length || p.length < this.limits.previewCount)) {
      return { offset, count, total: this.eventCount, rows: p.slice(offset, offset + count) };
    }
    await this.ready();
    if (this.mode === 'query') return { offset, count, total: this.resultCount, rows: await this.queryPage(offset, count) };
    const rows = await this.onConn((conn) =>
      this.engine.readRows(conn, `SELECT * FROM ${this.table} LIMIT ${count} OFFSET ${offset}`, c.fields, count),
    );
    return { offset, count, total: this.resultCount, rows };
  }

  /**
   * Events [offset, offset+count) of a query-mode job: the timeline says which buckets hold
   * them, so only those buckets' rows are read and sorted.
   */
  private async queryPage(offset: number, count: number): Promise<Row[]> {
    const c = this.compiled!;
    const total = this.resultCount ?? 0;
    if (offset >= total) return [];
    count = Math.min(count, total - offset);
    const tl = this.timeline!;
    const span = tl.span * 1e6;
    const n = tl.buckets.length;
    let newer = 0; // events in buckets newer than the current one
    let hiIdx = -1;
    let loIdx = -1;
    let skip = offset;
    for (let i = n - 1; i >= 0; i--) {
      const b = tl.buckets[i]!;
      if (hiIdx < 0 && newer + b.count > offset) {
        hiIdx = i;
        skip = offset - newer;
      }
      newer += b.count;
      if (hiIdx >= 0 && newer >= offset + count) {
        loIdx = i;
        break;
      }
    }
    // buckets are aligned to the span: bucket i holds [t, t + span)
    const hi = hiIdx >= 0 && hiIdx < n - 1 ? tl.buckets[hiIdx]!.t + span : null;
    const lo = loIdx >= 0 ? tl.buckets[loIdx]!.t : null;
    const conds: string[] = [];
    if (lo !== null) conds.push(`"_time" >= make_timestamp(${lo})`);
    if (hi !== null) conds.push(`"_time" < make_timestamp(${hi})`);
    const where = conds.length ? ` WHERE ${conds.join(' AND ')}` : '';
    const sql = `SELECT * FROM (${this.unordered})${where} ${this.order} LIMIT ${count} OFFSET ${skip}`;
    return this.onConn((conn) => this.engine.readRows(conn, sql, c.fields, count));
  }

  /** The kept events of a query-mode job, unordered. */
  private keptSql(unordered = this.unordered): string {
    return this.since === null ? unordered : `SELECT * FROM (${unordered}) WHERE "_time" >= make_timestamp(${this.since})`;
  }

  /**
   * A page of the result table. With fieldformat, `display` holds each row's formatted values
   * (the rows keep the raw ones, so sorting stays on the values, as in Splunk).
   */
  async results(
    offset: number,
    count: number,
  ): Promise<{ fields: { name: string; type: FieldKind }[]; offset: number; total: number; rows: Row[]; display?: Record<string, string>[] }> {
    await this.ready();
    const c = this.compiled!;
    if (this.mode === 'query') {
      return { fields: c.fields.map((f) => ({ name: f.name, type: f.type })), offset, total: this.resultCount ?? 0, rows: await this.queryPage(offset, count) };
    }
    const fmts = Object.entries(c.formats ?? {}).filter(([f]) => c.fields.some((x) => x.name === f));
    const fields = c.fields.map((f) => ({ name: f.name, type: f.type }));
    if (fmts.length === 0) {
      const rows = await this.onConn((conn) =>
        this.engine.readRows(conn, `SELECT * FROM ${this.table} LIMIT ${count} OFFSET ${offset}`, c.fields, count),
      );
      return { fields, offset, total: this.resultCount ?? rows.length, rows };
    }
    const extra: OutField[] = fmts.map(([f], i) => ({ name: `\u0000fmt${i}`, column: `__quarry_fmt_${i}`, type: 'str' }));
    const sel = fmts.map(([, expr], i) => `CAST((${expr}) AS VARCHAR) AS ${q(`__quarry_fmt_${i}`)}`).join(', ');
    const raw = await this.onConn((conn) =>
      this.engine.readRows(conn, `SELECT *, ${sel} FROM ${this.table} LIMIT ${count} OFFSET ${offset}`, [...c.fields, ...extra], count),
    );
    const display: Record<string, string>[] = [];
    const rows = raw.map((r) => {
      const d: Record<string, string> = {};
      fmts.forEach(([f], i) => {
        const k = `\u0000fmt${i}`;
        if (r[k] !== undefined) d[f] = String(r[k]);
        delete r[k];
      });
      display.push(d);
      return r;
    });
    return { fields, offset, total: this.resultCount ?? rows.length, rows, display };
  }

  /** All result rows, for export (bounded by the job's caps). */
  async allRows(): Promise<{ fields: OutField[]; rows: Row[] }> {
    await this.ready();
    const c = this.compiled!;
    const src = this.mode === 'query' ? `SELECT * FROM (${this.keptSql()}) ${this.order} LIMIT ${this.limits.maxEvents}` : `SELECT * FROM ${this.table}`;
    const rows = await this.onConn((conn) => this.engine.readRows(conn, src, c.fields));
    return { fields: c.fields, rows };
  }

  async getTimeline(): Promise<Timeline> {
    const c = this.compiled!;
    if (this.timeline) return this.timeline;
    if (c.transforming || !c.fields.some((f) => f.name === '_time')) {
      return { span: 1, earliest: c.range.earliest ?? null, latest: c.range.latest ?? null, buckets: [], available: false };
    }
    this.checkAlive();
    await this.timelineDone.promise;
    return this.timeline ?? { span: 1, earliest: null, latest: null, buckets: [], available: false };
  }

  getSummary(): Promise<Summary> {
    if (this.summary) return Promise.resolve(this.summary);
    if (!this.summaryPromise) {
      this.summaryPromise = (async () => {
        await this.ready();
        // query mode: on a connection of its own, so paging is not held up behind it
        const s = this.mode === 'query' ? await this.onSide((conn, c2) => this.computeSummary(conn, c2)) : await this.onConn((conn) => this.computeSummary(conn));
        this.summary = s;
        return s;
      })();
      this.summaryPromise.catch(() => {
        this.summaryPromise = null;
      });
    }
    return this.summaryPromise;
  }

  /** Compile again on a connection of its own (functions and temp tables are per connection) and run fn there. */
  private async onSide<T>(fn: (conn: DuckDBConnection, compiled: CompiledSearch) => Promise<T>): Promise<T> {
    this.checkAlive();
    const side = await this.store.connect();
    this.sides.add(side);
    try {
      const c2 = await this.engine.compile(this.store, side, this.search, this.opts);
      return await fn(side, c2);
    } finally {
      this.sides.delete(side);
      try {
        side.closeSync();
      } catch {
        /* closed */
      }
    }
  }

  private async computeSummary(conn: DuckDBConnection, side?: CompiledSearch): Promise<Summary> {
    const c = this.compiled!;
    const total = this.resultCount ?? 0;
    const fields = c.fields.filter((f) => f.name !== '_raw' && f.name !== '_time' && !f.name.startsWith('_'));
    const sampled = this.eventCount !== null && this.eventCount > total;
    if (fields.length === 0 || total === 0) return { eventCount: total, sampled, fields: [] };
    // query mode: the kept events' summarised columns, read once into a materialised CTE
    const cols = fields.map((f) => q(f.column)).join(', ');
    const cte =
      this.mode === 'query'
        ? `WITH kept AS MATERIALIZED (SELECT ${cols} FROM (${this.keptSql(side ? splitOrder(side.sql).unordered : this.unordered)})) `
        : '';
    const t = this.mode === 'query' ? 'kept' : this.table;
    const isNum = (f: OutField) => f.type === 'num' || f.type === 'int';
    // One pass for counts, distinct counts and numeric stats.
    const parts: string[] = [];
    fields.forEach((f, i) => {
      const col = q(f.column);
      // (distinct counts come with the top values: the number of groups, a window over them)
      parts.push(f.type === 'mv' ? `count(CASE WHEN len(${col}) > 0 THEN 1 END)::BIGINT AS c${i}` : `count(${col})::BIGINT AS c${i}`);
      if (isNum(f)) parts.push(`min(${col})::DOUBLE AS mn${i}`, `max(${col})::DOUBLE AS mx${i}`, `avg(${col})::DOUBLE AS av${i}`);
    });
    const statRow = (await conn.runAndReadAll(`${cte}SELECT ${parts.join(', ')} FROM ${t}`)).getRowObjectsJS()[0] ?? {};
    const present = fields
      .map((f, i) => ({ f, i, count: Number(statRow[`c${i}`] ?? 0) }))
      .filter((x) => x.count > 0);
    // Top 10 values of every present field, in one query.
    const tops = new Map<number, { value: string; count: number }[]>();
    const distinct = new Map<number, number>();
    if (present.length > 0) {
      const selects = present.map(({ f, i }) => {
        const col = q(f.column);
        const src =
          f.type === 'mv'
            ? `(SELECT CAST(unnest(${col}) AS VARCHAR) AS v FROM ${t})`
            : f.type === 'time'
              ? `(SELECT strftime(${col}, '%Y-%m-%dT%H:%M:%S') AS v FROM ${t})`
              : `(SELECT CAST(${col} AS VARCHAR) AS v FROM ${t})`;
        return `(SELECT ${i} AS fi, v, n, dc FROM (SELECT v, count(*)::BIGINT AS n, (count(*) OVER ())::BIGINT AS dc FROM ${src} WHERE v IS NOT NULL GROUP BY v) ORDER BY n DESC, v LIMIT 10)`;
      });
      const rows = (await conn.runAndReadAll(cte + selects.join(' UNION ALL '))).getRows();
      for (const [fi, v, n, dc] of rows) {
        const k = Number(fi);
        (tops.get(k) ?? tops.set(k, []).get(k)!).push({ value: String(v), count: Number(n) });
        distinct.set(k, Number(dc));
      }
    }
    const out: FieldSummary[] = present.map(({ f, i, count }) => {
      const coverage = (count / total) * 100;
      const top = (tops.get(i) ?? []).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
      const s: FieldSummary = {
        name: f.name,
        type: f.type,
        count,
        distinctCount: distinct.get(i) ?? top.length,
        coverage: Math.round(coverage * 100) / 100,
        interesting: coverage >= 20,
        topValues: top.map((x) => ({ value: x.value, count: x.count, percent: Math.round((x.count / count) * 10000) / 100 })),
      };
      if (isNum(f) && statRow[`mn${i}`] != null) {
        s.numeric = { min: Number(statRow[`mn${i}`]), max: Number(statRow[`mx${i}`]), mean: Number(statRow[`av${i}`]) };
      }
      return s;
    });
    return { eventCount: total, sampled, fields: out };
  }

  cancel(): void {
    if (this.state === 'done' || this.state === 'failed' || this.state === 'cancelled') {
      this.dispose();
      return;
    }
    this.state = 'cancelled';
    this.phase = 'cancelled';
    this.finished = Date.now();
    try {
      this.conn?.interrupt();
      this.side?.interrupt();
      for (const sc of this.sides) sc.interrupt();
    } catch {
      /* already finished */
    }
    const gone = new JobError('job was cancelled', 410);
    this.previewDone.reject(gone);
    this.timelineDone.reject(gone);
    this.rejectMaterialized(gone);
    this.dispose();
  }

  /** Drop the job's table and close its connection once whatever runs on it has stopped. */
  dispose(): void {
    const conn = this.conn;
    if (!conn) return;
    this.conn = null;
    const table = this.table;
    void this.queue.then(async () => {
      try {
        await conn.run(`DROP TABLE IF EXISTS ${table}`);
      } catch {
        /* interrupted or gone */
      }
      try {
        conn.closeSync();
      } catch {
        /* closed */
      }
    });
  }

  private closeConn(): void {
    try {
      this.conn?.closeSync();
    } catch {
      /* closed */
    }
    this.conn = null;
  }
}

export class JobManager {
  private jobs = new Map<string, Job>();
  private timer: NodeJS.Timeout;
  readonly limits: Required<JobManagerOptions>;

  constructor(
    readonly store: Store,
    readonly engine: SearchEngine,
    opts: JobManagerOptions = {},
  ) {
    this.limits = {
      ttlMs: opts.ttlMs ?? 10 * 60_000,
      maxEvents: opts.maxEvents ?? 100_000,
      maxResults: opts.maxResults ?? 50_000,
      previewCount: opts.previewCount ?? 100,
      maxJobs: opts.maxJobs ?? 50,
    };
    this.timer = setInterval(() => this.sweep(), Math.min(60_000, this.limits.ttlMs)).unref();
  }

  async create(search: string, opts: SearchOptions): Promise<JobStatus> {
    if (typeof search !== 'string' || search.trim() === '') throw new JobError('search is empty', 400);
    this.sweep();
    if (this.jobs.size >= this.limits.maxJobs) {
      // drop the oldest finished job, or refuse
      const oldest = [...this.jobs.values()].filter((j) => j.state !== 'running').sort((a, b) => a.lastSeen - b.lastSeen)[0];
      if (!oldest) throw new JobError('too many running searches', 429);
      this.remove(oldest.sid);
    }
    const job = new Job(this.store, this.engine, search, opts, this.limits);
    await job.start();
    this.jobs.set(job.sid, job);
    return job.status();
  }

  get(sid: string): Job {
    const job = this.jobs.get(sid);
    if (!job) throw new JobError(`no search job ${sid}`, 404);
    job.lastSeen = Date.now();
    return job;
  }

  list(): JobStatus[] {
    return [...this.jobs.values()].map((j) => j.status());
  }

  /** Cancel a running job (its DuckDB query is interrupted) and forget it. */
  remove(sid: string): JobStatus {
    const job = this.get(sid);
    job.cancel();
    this.jobs.delete(sid);
    return job.status();
  }

  sweep(): void {
    const now = Date.now();
    for (const [sid, job] of this.jobs) {
      if (now - job.lastSeen > this.limits.ttlMs) {
        job.cancel();
        this.jobs.delete(sid);
      }
    }
  }

  close(): void {
    clearInterval(this.timer);
    for (const job of this.jobs.values()) job.cancel();
    this.jobs.clear();
  }
}

export type { Job };
