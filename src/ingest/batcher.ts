/**
 * Parsed events → atomic batches with their progress, for one input: the ingest driver's
 * bookkeeping, apart from reading and storing so that it runs the same on the main thread and in
 * the ingest worker (worker.ts). Pure JavaScript: nothing here touches DuckDB.
 *
 * Rows wait per table until the table has a full batch, which commits alone: a batch of exactly
 * one DuckDB row group is written straight to the database file, where a batch holding part of a
 * row group goes through the WAL and is written twice (a mixed Stream capture ingested at half
 * speed). Each batch records its table's offset and the offset before which every table is
 * committed, so a re-run neither repeats nor loses an event.
 */
import { createHash } from 'node:crypto';
import { EventBatch } from '../store/batch.js';
import type { Batch, QuarantineRow } from '../store/index.js';
import { addCimAliases } from './cim.js';
import type { EventRecord, Quarantined } from './event.js';
import type { ParseSink } from './formats/types.js';

/** What a batcher needs to know of its input and of the earlier runs over it (plain data: it crosses to the worker). */
export interface BatcherInit {
  /** the input's progress key; undefined for stdin (no progress kept) */
  key?: string;
  /** the first bytes of the input (at least HEAD_HASH_BYTES when it has them), for the head hash */
  head: Uint8Array;
  /** every event ending at or before this offset is stored */
  committed: number;
  /** …and every event of a table ending at or before that table's offset */
  tableCommitted: Map<string, number>;
  /** forget per-table offsets of an earlier version of the input */
  resetTables: boolean;
  batchSize: number;
  index: string;
  hostDefault: string;
  sourceName: string;
  /** _time of events without one (epoch µs) */
  ingestNow: number;
  /** the sourcetype quarantined records are filed under */
  quarantineSourcetype: string;
}

/** The counts a batch adds to the report once it is committed. */
export interface BatchCounts {
  counts: (readonly [string, number])[];
  events: number;
  quarantined: number;
  /** bytes of the input read when the batch was cut */
  bytes: number;
}

/** The progress entry of a file's quarantined records (a name no sourcetype can have). */
export const QUARANTINE_TABLE = '\u0001quarantine';

/**
 * …and at most this much raw text (UTF-16 chars) per batch (and pending in all), whatever the
 * event size. High enough that events of up to ~2 KB fill a whole row group first: at 64 Mi chars,
 * Stream events (556 bytes) cut batches at 120,720 rows, which went through the WAL and made
 * commits take 1-5 s instead of about 1 s.
 */
const BATCH_RAW_CHARS = 256 << 20;

const HEAD_HASH_BYTES = 1024;
export function headHash(head: Uint8Array, upTo: number): string {
  return createHash('sha1').update(head.subarray(0, Math.min(HEAD_HASH_BYTES, upTo))).digest('hex');
}

interface PendingTable {
  batch: EventBatch;
  /** lastOffset before its first row */
  start: number;
  end: number;
}

export class Batcher {
  /** batches cut and not yet taken by the caller, in commit order */
  readonly ready: { batch: Batch & { events: EventBatch }; counts: BatchCounts }[] = [];
  readonly timeSource = { event: 0, ingest_time: 0 };
  /** bytes of the input read so far (the caller sets it after each chunk of lines) */
  bytes = 0;
  /** the end of the last event or quarantined record read: a line boundary */
  private lastOffset: number;
  private readonly pending = new Map<string, PendingTable>();
  private pendingEvents = 0;
  private pendingChars = 0;
  private readonly pendingMax: number;
  /** the offset the last cut batch records */
  private recorded: number;
  private quarantined: QuarantineRow[] = [];
  private quarantineStart = 0;
  private quarantineEnd: number;
  private resetTables: boolean;
  readonly sink: ParseSink;

  constructor(private readonly init: BatcherInit) {
    this.lastOffset = this.recorded = init.committed;
    this.quarantineEnd = init.tableCommitted.get(QUARANTINE_TABLE) ?? 0;
    this.resetTables = init.resetTables;
    this.pendingMax = 4 * init.batchSize;
    const { committed, tableCommitted, batchSize, index } = init;
    this.sink = {
      event: (e: EventRecord, endOffset: number) => {
        if (endOffset <= committed || endOffset <= (tableCommitted.get(e.sourcetype) ?? 0)) return; // stored by an earlier run
        addCimAliases(e.sourcetype, e.fields);
        const fromEvent = e.time !== undefined;
        if (fromEvent) this.timeSource.event++;
        else this.timeSource.ingest_time++;
        let p = this.pending.get(e.sourcetype);
        if (!p) this.pending.set(e.sourcetype, (p = { batch: new EventBatch(), start: this.lastOffset, end: endOffset }));
        p.batch.add(e.sourcetype, index, fromEvent ? e.time! : init.ingestNow, e.host ?? init.hostDefault, e.source ?? init.sourceName, e.raw, e.fields);
        p.end = endOffset;
        this.pendingEvents++;
        this.pendingChars += e.raw.length;
        if (endOffset > this.lastOffset) this.lastOffset = endOffset;
        if (p.batch.events >= batchSize || p.batch.rawChars >= BATCH_RAW_CHARS) this.cut([e.sourcetype]);
        // many tables part-full at once: bound the memory, commit them all
        else if (this.pendingEvents >= this.pendingMax || this.pendingChars >= BATCH_RAW_CHARS) this.cut([...this.pending.keys()]);
      },
      quarantine: (q: Quarantined) => {
        if (q.offset <= committed || q.offset <= (tableCommitted.get(QUARANTINE_TABLE) ?? 0)) return;
        if (!this.quarantined.length) this.quarantineStart = this.lastOffset;
        this.quarantined.push({ ...q, index, sourcetype: init.quarantineSourcetype, source: init.sourceName });
        if (q.offset > this.quarantineEnd) this.quarantineEnd = q.offset;
        if (q.offset > this.lastOffset) this.lastOffset = q.offset;
        if (this.quarantined.length >= batchSize) this.cut([]);
      },
    };
  }

  /** Everything ending at or before this offset is in `ready` or stored. */
  private safeOffset(): number {
    let b = this.lastOffset;
    for (const p of this.pending.values()) if (p.start < b) b = p.start;
    if (this.quarantined.length && this.quarantineStart < b) b = this.quarantineStart;
    return b;
  }

  /** Move these tables' rows (and every pending quarantined record) into one ready batch. */
  private cut(sourcetypes: string[]): void {
    const batch = new EventBatch();
    const tables: Record<string, number> = {};
    for (const st of sourcetypes) {
      const p = this.pending.get(st)!;
      this.pending.delete(st);
      batch.absorb(p.batch);
      tables[st] = p.end;
      this.pendingEvents -= p.batch.events;
      this.pendingChars -= p.batch.rawChars;
    }
    const quar = this.quarantined;
    if (quar.length) tables[QUARANTINE_TABLE] = this.quarantineEnd;
    this.quarantined = [];
    const key = this.init.key;
    const progress = key ? { key, offset: this.safeOffset(), headHash: '', tables, resetTables: this.resetTables } : undefined;
    if (progress) progress.headHash = headHash(this.init.head, progress.offset);
    this.recorded = progress?.offset ?? this.recorded;
    this.resetTables = false;
    const counts = [...batch.tables.values()].map((t) => [t.sourcetype, t.rows] as const);
    this.ready.push({ batch: { events: batch, quarantined: quar, progress }, counts: { counts, events: batch.events, quarantined: quar.length, bytes: this.bytes } });
  }

  /** End of input: the rest of every table, and the input's final offset (which also covers lines that held no event). */
  finish(): void {
    if (this.pending.size || this.quarantined.length || (this.init.key && this.lastOffset > this.recorded)) this.cut([...this.pending.keys()]);
  }
}
