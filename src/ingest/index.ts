/**
 * The ingest driver: paths → lines → a format's parser → events with index/host/source/time →
 * atomic batches in the store. Progress per input is committed with each batch, so a re-run
 * after a crash (or of a file that grew) reads only what is not stored yet.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { CHUNK_ROWS } from '../store/chunks.js';
import type { Batch, Store, StoredEvent } from '../store/index.js';
import { Batcher, headHash, type BatchCounts, type BatcherInit } from './batcher.js';
import { addCimAliases } from './cim.js';
import type { EventRecord } from './event.js';
import { detectFormat, formatForSourcetype } from './formats/index.js';
import type { Format } from './formats/types.js';
import { openInput, readLines } from './lines.js';
import { ingestStreamJsonNative } from './native/stream-json.js';
import { ingestZeekTsvNative } from './native/zeek-tsv.js';
import type { WorkerInput, WorkerMessage } from './worker.js';

export type { EventRecord, Quarantined, FieldValue, Scalar } from './event.js';

export interface IngestOptions {
  index: string;
  sourcetype?: string;
  source?: string;
  host?: string;
  tz: string;
  /** events per atomic batch (a batch also ends at BATCH_RAW_CHARS of raw text, batcher.ts) */
  batchSize?: number;
  /** parse in a worker thread (default: for inputs of 4 MiB or more; see useWorker) */
  worker?: boolean;
  onProgress?: (p: { events: number; quarantined: number; bytes: number; file: string }) => void;
  /** Zeek TSV and Splunk Stream JSON files read by DuckDB itself (src/ingest/native/) when it stores the same; false: always JavaScript (default: true unless $QUARRY_NATIVE is 0) */
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
  // offset (tables commit on their own, see batcher.ts).
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

  // A Zeek TSV or Stream JSON file not stored before: DuckDB reads it whole, or says why the JavaScript path must.
  const native = opts.native ?? process.env.QUARRY_NATIVE !== '0';
  if ((format.id === 'zeek-tsv' || format.id === 'stream') && native && !isStdin && !gz && committed === 0) {
    const host = opts.host ?? hostname();
    const nativeInput = {
      path, realPath: realpathSync(path), index: opts.index, host, source: sourceName, sourcetype: forced, tz: opts.tz,
      key, resetTables, headHash: (offset: number) => headHash(head, offset),
    };
    const r = format.id === 'stream' ? await ingestStreamJsonNative(store, nativeInput) : await ingestZeekTsvNative(store, nativeInput);
    fileReport.native = r.ok;
    if (r.ok) {
      for (const [st, n] of Object.entries(r.bySourcetype)) report.by_sourcetype[st] = (report.by_sourcetype[st] ?? 0) + n;
      report.ingested += r.events;
      report.time_source.event += r.events;
      fileReport.ingested = r.events;
      opts.onProgress?.({ events: report.ingested, quarantined: report.quarantined, bytes: r.bytes, file: path });
      return;
    }
    fileReport.native_fallback = r.reason;
  }

  const ctx = { fileName: path, tz: opts.tz, sourcetype: forced };
  const init: BatcherInit = {
    key, head: head.subarray(0, 1024), committed, tableCommitted, resetTables,
    batchSize: opts.batchSize ?? DEFAULT_BATCH_EVENTS,
    index: opts.index,
    // Splunk's default host is the machine that read the data.
    hostDefault: opts.host ?? hostname(),
    sourceName,
    ingestNow: Date.now() * 1000,
    quarantineSourcetype: forced ?? format.id,
  };

  // One batch may be committing while the next is parsed: DuckDB's commit runs off the JS thread,
  // so parsing and writing overlap on two cores. Batches still commit one at a time, in order.
  let writing: Promise<void> | undefined;
  /** Queue one batch's commit after the previous one; `then` runs once it is committed. */
  const commit = (batch: Batch, c: BatchCounts, then?: () => void) => {
    const prev = writing;
    writing = (async () => {
      await prev;
      await store.append(batch);
      for (const [st, rows] of c.counts) report.by_sourcetype[st] = (report.by_sourcetype[st] ?? 0) + rows;
      report.ingested += c.events;
      report.quarantined += c.quarantined;
      fileReport.ingested += c.events;
      fileReport.quarantined += c.quarantined;
      opts.onProgress?.({ events: report.ingested, quarantined: report.quarantined, bytes: c.bytes, file: path });
      then?.();
    })();
    // a failed commit is reported when it is next awaited, not as an unhandled rejection meanwhile
    writing.catch(() => undefined);
  };

  // a forced sourcetype may name a text rendering of a binary format's events: read that as lines
  const binary = format.readBinary && !isStdin && (!forced || format.isBinary?.(head) !== false);
  const start = seek ? committed : 0;
  if (!binary && !isStdin && useWorker(opts, size - start)) {
    const timeSource = await ingestInWorker({ path, start, gz, formatId: format.id, ctx, init, chunkRows: CHUNK_ROWS }, commit, () => writing);
    report.time_source.event += timeSource.event;
    report.time_source.ingest_time += timeSource.ingest_time;
    return;
  }

  const batcher = new Batcher(init);
  const flushReady = async () => {
    while (batcher.ready.length) {
      const { batch, counts } = batcher.ready.shift()!;
      await writing;
      commit(batch, counts);
    }
  };
  const finish = async () => {
    batcher.finish();
    await flushReady();
    await writing;
    report.time_source.event += batcher.timeSource.event;
    report.time_source.ingest_time += batcher.timeSource.ingest_time;
  };

  if (binary) {
    await format.readBinary!(path, ctx, batcher.sink, flushReady);
    await finish();
    return;
  }
  const parser = format.open(ctx);
  const stream = openInput(path, start, gz);
  try {
    for await (const lines of readLines(stream, start, 0)) {
      for (const l of lines) parser.line(l.text, l.lineNo, l.endOffset, batcher.sink);
      batcher.bytes = lines[lines.length - 1]!.endOffset;
      if (batcher.ready.length) await flushReady();
    }
    parser.end(batcher.sink);
  } finally {
    // A failed read or parse still leaves every batch before it committed, never one half-written.
    await writing?.catch(() => undefined);
  }
  await finish();
}

/**
 * Inputs at least this large are parsed in a worker thread (worker.ts); smaller ones are not
 * worth starting one. QUARRY_INGEST_WORKER=1 or 0 forces either way (tests compare the two).
 */
const WORKER_MIN_BYTES = 4 << 20;

function useWorker(opts: IngestOptions, bytes: number): boolean {
  const env = process.env.QUARRY_INGEST_WORKER;
  if (opts.worker !== undefined) return opts.worker;
  if (env === '0' || env === '1') return env === '1';
  return bytes >= WORKER_MIN_BYTES;
}

/**
 * Parse in the worker, commit here: each batch it posts is committed in order (`commit`), and
 * acknowledged once committed so the worker stays at most a couple of batches ahead. A failed
 * parse still leaves every batch before it committed; a failed commit stops the worker.
 */
async function ingestInWorker(
  input: WorkerInput,
  commit: (batch: Batch, c: BatchCounts, then?: () => void) => void,
  writing: () => Promise<void> | undefined,
): Promise<{ event: number; ingest_time: number }> {
  const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: input });
  try {
    const done = await new Promise<{ event: number; ingest_time: number }>((resolve, reject) => {
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'batch') {
          commit(m.batch, m.counts, () => worker.postMessage('committed'));
          // stop at the first failed commit: nothing after it may be stored
          writing()!.catch(reject);
        } else if (m.type === 'done') resolve(m.timeSource);
        else reject(Object.assign(new Error(m.message), { stack: m.stack }));
      });
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`ingest worker exited (${code}) before the end of ${input.path}`)));
    });
    await writing();
    return done;
  } catch (err) {
    await writing()?.catch(() => undefined);
    throw err;
  } finally {
    await worker.terminate();
  }
}

/**
 * Events per batch: one DuckDB row group (122,880 rows), which DuckDB writes straight to the
 * database file at commit; a smaller or unaligned batch goes through the WAL and is written twice.
 */
const DEFAULT_BATCH_EVENTS = 122_880;

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
