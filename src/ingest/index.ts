/**
 * The ingest driver: paths → lines → a format's parser → events with index/host/source/time →
 * atomic batches in the store. Progress per input is committed with each batch, so a re-run
 * after a crash (or of a file that grew) reads only what is not stored yet.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { EventBatch, type Batch, type Store, type StoredEvent, type QuarantineRow } from '../store/index.js';
import { addCimAliases } from './cim.js';
import type { EventRecord, Quarantined } from './event.js';
import { detectFormat, formatForSourcetype } from './formats/index.js';
import type { Format, ParseSink } from './formats/types.js';
import { openInput, readLines } from './lines.js';
import { ingestZeekTsvNative } from './native/zeek-tsv.js';

export type { EventRecord, Quarantined, FieldValue, Scalar } from './event.js';

export interface IngestOptions {
  index: string;
  sourcetype?: string;
  source?: string;
  host?: string;
  tz: string;
  /** events per atomic batch (a batch also ends at BATCH_RAW_CHARS of raw text) */
  batchSize?: number;
  onProgress?: (p: { events: number; quarantined: number; bytes: number; file: string }) => void;
  /** Zeek TSV files read by DuckDB itself (src/ingest/native/zeek-tsv.ts) when it stores the same; false: always JavaScript */
  native?: boolean;
}

export interface IngestReport {
  ingested: number;
  quarantined: number;
  by_sourcetype: Record<string, number>;
  /** where `_time` came from: the event itself, or ingest time because the event had none */
  time_source: { event: number; ingest_time: number };
  files: { path: string; format: string; ingested: number; quarantined: number; resumed_at: number; native?: boolean; native_fallback?: string }[];
}

interface InputFile {
  path: string;
  sourcetype?: string;
  /** source named by a manifest (e.g. WinEventLog:Security) */
  source?: string;
}

const SKIP_IN_DIRS = /^(manifest\.json|truth\.json|\..*)$/;

/** Expand directories (sorted, recursive); a directory with a Quarry manifest.json names its files' sourcetypes. */
export function expandInputs(paths: string[]): InputFile[] {
  const out: InputFile[] = [];
  const walk = (p: string) => {
    const st = statSync(p);
    if (!st.isDirectory()) {
      out.push({ path: p });
      return;
    }
    const manifest = join(p, 'manifest.json');
    if (existsSync(manifest)) {
      const m = JSON.parse(readFileSync(manifest, 'utf8')) as { files?: { path: string; sourcetype?: string; source?: string }[] };
      if (Array.isArray(m.files)) {
        for (const f of m.files) out.push({ path: join(p, f.path), sourcetype: f.sourcetype, source: f.source });
        return;
      }
    }
    for (const name of readdirSync(p).sort()) {
      if (SKIP_IN_DIRS.test(name)) continue;
      walk(join(p, name));
    }
  };
  for (const p of paths) (p === '-' ? out.push({ path: '-' }) : walk(p));
  return out;
}

function readHead(path: string, n: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const got = readSync(fd, buf, 0, n, 0);
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

const HEAD_HASH_BYTES = 1024;
function headHash(head: Buffer, upTo: number): string {
  return createHash('sha1').update(head.subarray(0, Math.min(HEAD_HASH_BYTES, upTo))).digest('hex');
}

export async function ingestPaths(store: Store, paths: string[], opts: IngestOptions): Promise<IngestReport> {
  const report: IngestReport = { ingested: 0, quarantined: 0, by_sourcetype: {}, time_source: { event: 0, ingest_time: 0 }, files: [] };
  for (const input of expandInputs(paths)) await ingestOne(store, input, opts, report);
  return report;
}

async function ingestOne(store: Store, input: InputFile, opts: IngestOptions, report: IngestReport): Promise<void> {
  const { path } = input;
  const isStdin = path === '-';
  const sourceName = opts.source ?? input.source ?? (isStdin ? 'stdin' : path);
  const forced = opts.sourcetype ?? input.sourcetype;
  let head: Buffer = Buffer.alloc(0);
  let gz = false;
  let size = 0;
  if (!isStdin) {
    head = readHead(path, 65536);
    gz = head[0] === 0x1f && head[1] === 0x8b;
    size = statSync(path).size;
  }
  const headText = gz ? await gunzipHead(path) : head.toString('utf8');
  const format: Format | undefined = forced ? formatForSourcetype(forced, headText, path) ?? detectFormat(headText, path) : detectFormat(headText, path);
  if (!format) throw new Error(`${path}: cannot tell the format of this file; name it with --sourcetype`);

  // Where an earlier run of the same ingest got to: every event ending at or before `committed`
  // is stored, and so is every event of a table (sourcetype) ending at or before that table's own
  // offset (tables commit on their own, see below).
  const key = isStdin ? undefined : `${opts.index}|${realpathSync(path)}`;
  let committed = 0;
  let tableCommitted = new Map<string, number>();
  // a new or replaced file: per-table offsets of an earlier version must not hide its events
  let resetTables = false;
  if (key) {
    const prev = await store.progressOf(key);
    if (prev && prev.offset <= (gz ? Infinity : size) && prev.headHash === headHash(head, prev.offset)) {
      committed = prev.offset;
      tableCommitted = prev.tables;
    } else resetTables = true;
  }
  const seek = committed > 0 && format.resume === 'seek' && !gz;
  const fileReport: IngestReport['files'][number] = { path, format: format.id, ingested: 0, quarantined: 0, resumed_at: committed };
  report.files.push(fileReport);

  // A Zeek TSV file not stored before: DuckDB reads it whole, or says why the JavaScript path must.
  if (format.id === 'zeek-tsv' && opts.native !== false && !isStdin && !gz && committed === 0) {
    const host = opts.host ?? hostname();
    const r = await ingestZeekTsvNative(store, {
      path, realPath: realpathSync(path), index: opts.index, host, source: sourceName, sourcetype: forced, tz: opts.tz,
      key, resetTables, headHash: (offset) => headHash(head, offset),
    });
    fileReport.native = r.ok;
    if (r.ok) {
      report.by_sourcetype[r.sourcetype] = (report.by_sourcetype[r.sourcetype] ?? 0) + r.events;
      report.ingested += r.events;
      report.time_source.event += r.events;
      fileReport.ingested = r.events;
      opts.onProgress?.({ events: report.ingested, quarantined: report.quarantined, bytes: r.bytes, file: path });
      return;
    }
    fileReport.native_fallback = r.reason;
  }

  const ctx = { fileName: path, tz: opts.tz, sourcetype: forced };
  const parser = format.open(ctx);
  const batchSize = opts.batchSize ?? DEFAULT_BATCH_EVENTS;
  // Splunk's default host is the machine that read the data.
  const hostDefault = opts.host ?? hostname();
  const ingestNow = Date.now() * 1000;
  let bytes = 0;
  /** the end of the last event or quarantined record read: a line boundary */
  let lastOffset = committed;

  // Rows wait per table until the table has a full batch, which commits alone: a batch of exactly
  // one DuckDB row group is written straight to the database file, where a batch holding part of
  // a row group goes through the WAL and is written twice (a mixed Stream capture ingested at
  // half speed). Each commit records its table's offset and the offset before which every table
  // is committed, so a re-run neither repeats nor loses an event.
  interface PendingTable { batch: EventBatch; /** lastOffset before its first row */ start: number; end: number }
  const pending = new Map<string, PendingTable>();
  let pendingEvents = 0, pendingChars = 0;
  const pendingMax = 4 * batchSize;
  /** the offset the last cut batch records */
  let recorded = committed;
  let quarantined: QuarantineRow[] = [];
  let quarantineStart = 0, quarantineEnd = tableCommitted.get(QUARANTINE_TABLE) ?? 0;
  const ready: Batch[] = [];
  const readyCounts: { counts: (readonly [string, number])[]; events: number; quarantined: number; bytes: number }[] = [];

  /** Everything ending at or before this offset is in `ready` or stored. */
  const safeOffset = () => {
    let b = lastOffset;
    for (const p of pending.values()) if (p.start < b) b = p.start;
    if (quarantined.length && quarantineStart < b) b = quarantineStart;
    return b;
  };
  /** Move these tables' rows (and every pending quarantined record) into one ready batch. */
  const cut = (sourcetypes: string[]) => {
    const batch = new EventBatch();
    const tables: Record<string, number> = {};
    for (const st of sourcetypes) {
      const p = pending.get(st)!;
      pending.delete(st);
      batch.absorb(p.batch);
      tables[st] = p.end;
      pendingEvents -= p.batch.events;
      pendingChars -= p.batch.rawChars;
    }
    const quar = quarantined;
    if (quar.length) tables[QUARANTINE_TABLE] = quarantineEnd;
    quarantined = [];
    const progress = key ? { key, offset: safeOffset(), headHash: '', tables, resetTables } : undefined;
    if (progress) progress.headHash = headHash(head, progress.offset);
    recorded = progress?.offset ?? recorded;
    resetTables = false;
    ready.push({ events: batch, quarantined: quar, progress });
    readyCounts.push({ counts: [...batch.tables.values()].map((t) => [t.sourcetype, t.rows] as const), events: batch.events, quarantined: quar.length, bytes });
  };

  const sink: ParseSink = {
    event(e: EventRecord, endOffset: number) {
      if (endOffset <= committed || endOffset <= (tableCommitted.get(e.sourcetype) ?? 0)) return; // stored by an earlier run
      addCimAliases(e.sourcetype, e.fields);
      const fromEvent = e.time !== undefined;
      if (fromEvent) report.time_source.event++;
      else report.time_source.ingest_time++;
      let p = pending.get(e.sourcetype);
      if (!p) pending.set(e.sourcetype, (p = { batch: new EventBatch(), start: lastOffset, end: endOffset }));
      p.batch.add(e.sourcetype, opts.index, fromEvent ? e.time! : ingestNow, e.host ?? hostDefault, e.source ?? sourceName, e.raw, e.fields);
      p.end = endOffset;
      pendingEvents++;
      pendingChars += e.raw.length;
      if (endOffset > lastOffset) lastOffset = endOffset;
      if (p.batch.events >= batchSize || p.batch.rawChars >= BATCH_RAW_CHARS) cut([e.sourcetype]);
      // many tables part-full at once: bound the memory, commit them all
      else if (pendingEvents >= pendingMax || pendingChars >= BATCH_RAW_CHARS) cut([...pending.keys()]);
    },
    quarantine(q: Quarantined) {
      if (q.offset <= committed || q.offset <= (tableCommitted.get(QUARANTINE_TABLE) ?? 0)) return;
      if (!quarantined.length) quarantineStart = lastOffset;
      quarantined.push({ ...q, index: opts.index, sourcetype: forced ?? format.id, source: sourceName });
      if (q.offset > quarantineEnd) quarantineEnd = q.offset;
      if (q.offset > lastOffset) lastOffset = q.offset;
      if (quarantined.length >= batchSize) cut([]);
    },
  };

  // One batch may be committing while the next is parsed: DuckDB's commit runs off the JS thread,
  // so parsing and writing overlap on two cores. Batches still commit one at a time, in order.
  let writing: Promise<void> | undefined;
  const flushReady = async () => {
    while (ready.length) {
      const append = ready.shift()!;
      const c = readyCounts.shift()!;
      await writing;
      writing = store.append(append).then(() => {
        for (const [st, rows] of c.counts) report.by_sourcetype[st] = (report.by_sourcetype[st] ?? 0) + rows;
        report.ingested += c.events;
        report.quarantined += c.quarantined;
        fileReport.ingested += c.events;
        fileReport.quarantined += c.quarantined;
        opts.onProgress?.({ events: report.ingested, quarantined: report.quarantined, bytes: c.bytes, file: path });
      });
      // a failed commit is reported when it is next awaited, not as an unhandled rejection meanwhile
      writing.catch(() => undefined);
    }
  };
  const finish = async () => {
    // the rest of every table, and the file's final offset (which also covers lines that held no event)
    if (pending.size || quarantined.length || (key && lastOffset > recorded)) cut([...pending.keys()]);
    await flushReady();
    await writing;
  };

  // a forced sourcetype may name a text rendering of a binary format's events: read that as lines
  const binary = format.readBinary && !isStdin && (!forced || format.isBinary?.(head) !== false);
  if (binary) {
    await format.readBinary!(path, ctx, sink, flushReady);
    await finish();
    return;
  }
  const stream = openInput(path, seek ? committed : 0, gz);
  try {
    for await (const lines of readLines(stream, seek ? committed : 0, 0)) {
      for (const l of lines) parser.line(l.text, l.lineNo, l.endOffset, sink);
      bytes = lines[lines.length - 1]!.endOffset;
      if (ready.length) await flushReady();
    }
    parser.end(sink);
  } finally {
    // A failed read or parse still leaves every batch before it committed, never one half-written.
    await writing?.catch(() => undefined);
  }
  await finish();
}

/** The progress entry of a file's quarantined records (a name no sourcetype can have). */
const QUARANTINE_TABLE = '\u0001quarantine';

/**
 * Events per batch: one DuckDB row group (122,880 rows), which DuckDB writes straight to the
 * database file at commit; a smaller or unaligned batch goes through the WAL and is written twice.
 */
const DEFAULT_BATCH_EVENTS = 122_880;
/**
 * …and at most this much raw text (UTF-16 chars) per batch (and pending in all), whatever the
 * event size. High enough that events of up to ~2 KB fill a whole row group first: at 64 Mi chars,
 * Stream events (556 bytes) cut batches at 120,720 rows, which went through the WAL and made
 * commits take 1-5 s instead of about 1 s.
 */
const BATCH_RAW_CHARS = 256 << 20;

async function gunzipHead(path: string): Promise<string> {
  const stream = openInput(path, 0, true);
  let text = '';
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    text += chunk.toString('utf8');
    if (text.length >= 65536) break;
  }
  stream.destroy();
  return text;
}

/**
 * Store records that did not come from a file (HEC, generated notables): CIM aliases, defaults,
 * ingest time where the record has none, in one atomic batch.
 */
export async function storeRecords(
  store: Store,
  records: (EventRecord & { index: string })[],
  defaults: { host?: string; source?: string } = {},
): Promise<number> {
  const now = Date.now() * 1000;
  const events: StoredEvent[] = records.map((r) => {
    addCimAliases(r.sourcetype, r.fields);
    return { ...r, time: r.time ?? now, host: r.host ?? defaults.host ?? hostname(), source: r.source ?? defaults.source ?? 'quarry' };
  });
  await store.append({ events, quarantined: [] });
  return events.length;
}
