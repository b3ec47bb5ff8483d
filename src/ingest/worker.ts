/**
 * The ingest worker thread: reads one line-based input, parses it, adds the CIM aliases, cuts
 * batches (batcher.ts) and lays each out as DuckDB vector bytes (store/layout.ts), handed to the
 * main thread as transferred buffers (no copy, no structured clone of strings). The main thread
 * only copies those bytes into DuckDB's vectors and commits; so on two cores parsing runs beside
 * the store's work instead of taking turns with it on one thread.
 *
 * Protocol: workerData is a WorkerInput; the worker posts {type:'batch'} in commit order, then
 * {type:'done'} or {type:'error'}; the main thread posts one message back per batch committed, and
 * the worker stops parsing while MAX_AHEAD batches are posted and not committed (memory stays
 * bounded by the batch, not the file).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { layoutBatch } from '../store/batch.js';
import type { Batch } from '../store/index.js';
import { Batcher, type BatchCounts, type BatcherInit } from './batcher.js';
import { formats } from './formats/index.js';
import type { FormatContext } from './formats/types.js';
import { openInput, readLines } from './lines.js';

export interface WorkerInput {
  path: string;
  /** byte offset to start reading at (a `seek` format resumed), else 0 */
  start: number;
  gz: boolean;
  formatId: string;
  ctx: FormatContext;
  init: BatcherInit;
  /** DuckDB's vector size (the worker does not load DuckDB) */
  chunkRows: number;
}

export type WorkerMessage =
  | { type: 'batch'; batch: Batch; counts: BatchCounts }
  | { type: 'done'; timeSource: { event: number; ingest_time: number } }
  | { type: 'error'; message: string; stack?: string };

/** Batches posted and not yet committed before the worker waits. */
const MAX_AHEAD = 2;

async function run(input: WorkerInput): Promise<void> {
  const port = parentPort!;
  const format = formats.find((f) => f.id === input.formatId);
  if (!format) throw new Error(`no format ${input.formatId}`);
  const batcher = new Batcher(input.init);
  const parser = format.open(input.ctx);
  let unacked = 0;
  let wake: (() => void) | undefined;
  port.on('message', () => {
    unacked--;
    wake?.();
  });
  const post = async () => {
    while (batcher.ready.length) {
      const { batch, counts } = batcher.ready.shift()!;
      const transfer: ArrayBuffer[] = [];
      const events = layoutBatch(batch.events, input.chunkRows, transfer);
      while (unacked >= MAX_AHEAD) await new Promise<void>((r) => (wake = r));
      port.postMessage({ type: 'batch', batch: { ...batch, events }, counts } satisfies WorkerMessage, transfer);
      unacked++;
    }
  };
  const stream = openInput(input.path, input.start, input.gz);
  for await (const lines of readLines(stream, input.start, 0)) {
    for (const l of lines) parser.line(l.text, l.lineNo, l.endOffset, batcher.sink);
    batcher.bytes = lines[lines.length - 1]!.endOffset;
    if (batcher.ready.length) await post();
  }
  parser.end(batcher.sink);
  batcher.finish();
  await post();
  port.removeAllListeners('message'); // lets the thread end
  port.postMessage({ type: 'done', timeSource: batcher.timeSource } satisfies WorkerMessage);
}

run(workerData as WorkerInput).catch((e: Error) => {
  parentPort!.postMessage({ type: 'error', message: e?.message ?? String(e), stack: e?.stack } satisfies WorkerMessage);
});
